import {
  type ChannelClient,
  type ChannelEvent,
  type ChannelStore,
  type ClientConfig,
  SIGN_TAGS,
  type SigningPolicy,
  approveAll,
  connectChannel,
  memoryStore,
  recordToJson,
  safePolicy,
} from '@aesc/channel';
import { type Step, type Transcript, connectParams } from '@aesc/corpus';
import { type AccountAddress, type ChannelId, encodeTx } from '@aesc/encoding';
import { type TransportConnector, parseJson, stringifyJson } from '@aesc/rpc';
import { encodedOffchainStateHash } from '@aesc/state';
import { apiCallOf, call, recordedSigner, sameMethod, transcriptNetworkId } from './client-replay.js';

/** The two policies the suite runs every case with: the README's approve-all and the CLI agent's safe policy. */
export type PolicyName = 'approve-all' | 'safe';

type Role = 'initiator' | 'responder';
/** A JSON-RPC frame, as parsed. */
export type Frame = { method?: string; id?: unknown; params?: Record<string, unknown> & { data?: Record<string, unknown> }; result?: unknown; error?: unknown };

/** A scripted node on 127.0.0.1 (random port): it sends what the harness gives it and keeps every frame the client sends. */
async function scriptedNode() {
  const { WebSocketServer } = await import('ws');
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as { port: number };
  const frames: Frame[] = [];
  let socket: import('ws').WebSocket | undefined;
  const early: string[] = [];
  server.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data) => {
      frames.push(parseJson(data.toString()) as Frame);
    });
    for (const text of early.splice(0)) ws.send(text);
  });
  return {
    url: `ws://127.0.0.1:${port}/channel`,
    frames,
    send: (text: string) => (socket ? socket.send(text) : early.push(text)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of server.clients) c.terminate();
        server.close(() => resolve());
      }),
  };
}

/** What is kept of a client's latest co-signed state, in memory and in its store, to tell whether it changed. */
export interface Held {
  readonly memory: string;
  readonly store: string;
  readonly round: bigint | undefined;
}

/** One client facing the scripted node: what it signed, heard and sent. */
export interface Session {
  readonly actor: Role;
  readonly config: ClientConfig;
  readonly client: ChannelClient;
  readonly store: ChannelStore;
  /** Every tx (bytes) the client's signer was asked to sign. */
  readonly signed: readonly Uint8Array[];
  readonly events: readonly ChannelEvent[];
  /** Every frame the client sent. */
  readonly sent: readonly Frame[];
  /** Our request ids for the recorded client's (results carry the recorded ids). */
  readonly ids: Map<string, unknown>;
  /** The app's calls that have not settled. */
  readonly calls: Map<string, { settled: boolean; value?: unknown; error?: unknown }>;
  deliver(message: unknown): void;
  /** Waits until the client has taken in all that was delivered, and its signing decisions have come back. */
  settle(): Promise<void>;
  /** Makes an app call, tracked by name. */
  track(name: string, p: Promise<unknown>): void;
  held(): Promise<Held>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The client config for `actor` of a transcript (network id from its signatures), with a fee limit as the README's example has. */
export async function configOf(t: Transcript, actor: Role): Promise<ClientConfig> {
  const p = connectParams(t.steps.find((s) => s.kind === 'connect' && s.actor === actor)!);
  const initiator = p.initiator_id as AccountAddress;
  const responder = p.responder_id as AccountAddress;
  const num = (k: string) => BigInt(p[k] ?? '0');
  return {
    role: actor,
    initiator,
    responder,
    networkId: await transcriptNetworkId(t.steps, [initiator, responder]),
    initiatorAmount: num('initiator_amount'),
    responderAmount: num('responder_amount'),
    pushAmount: num('push_amount'),
    channelReserve: num('channel_reserve'),
    lockPeriod: num('lock_period'),
    // the fee an app gives its create tx in the connect parameters is its own: signed as given
    maxFee: p.fee !== undefined && BigInt(p.fee) > MAX_FEE ? BigInt(p.fee) : MAX_FEE,
  };
}

/** The fee limit the suite's clients run with: above every fee the node chose in the corpus, below the channels' balances. */
export const MAX_FEE = 10n ** 14n;

/**
 * Connects a client for `actor` of transcript `t` to a scripted node: its signer gives the recorded
 * client's signatures (the corpus holds no secret keys) and counts what it is asked to sign; its
 * store is in memory; its policy is `policy`.
 */
export async function openSession(t: Transcript, actor: Role, policy: PolicyName, extra: Partial<ClientConfig> = {}, store: ChannelStore = memoryStore()): Promise<Session> {
  const config = { ...(await configOf(t, actor)), ...extra };
  const self = actor === 'initiator' ? config.initiator : config.responder;
  const signer = await recordedSigner(t.steps, actor, self, config.networkId);
  const node = await scriptedNode();
  const { webSocketConnector } = await import('@aesc/rpc');
  const policies: Record<PolicyName, SigningPolicy> = { 'approve-all': approveAll, safe: safePolicy(self) };
  // Frames the client sent, counted as they leave it: settling waits until the node has them all.
  let sentByClient = 0;
  const connect: TransportConnector = async (handlers, signal) => {
    const t = await webSocketConnector(node.url)(handlers, signal);
    return {
      ...t,
      send: (text: string) => {
        sentByClient++;
        t.send(text);
      },
    };
  };
  const client = await connectChannel({ connect, config, signer, store, policy: policies[policy] });
  const events: ChannelEvent[] = [];
  client.on((e) => events.push(e));
  let delivered = 0;
  const calls = new Map<string, { settled: boolean; value?: unknown; error?: unknown }>();
  const session: Session = {
    actor,
    config,
    client,
    store,
    signed: signer.signed,
    events,
    sent: node.frames,
    ids: new Map(),
    calls,
    deliver(message) {
      node.send(typeof message === 'string' ? message : stringifyJson(message));
      delivered++;
    },
    async settle() {
      for (let i = 0; i < 2000 && client.framesReceived() < delivered; i++) await sleep(1);
      // Signing decisions (policy, signer, the check of the signature) run beside the machine and
      // come back as events: until then its round waits for this client's signature.
      for (let i = 0; i < 5000; i++) {
        await client.idle();
        if (client.state().round?.awaitingSignature !== true && node.frames.length >= sentByClient) return;
        await sleep(1);
      }
    },
    track(name, p) {
      const entry: { settled: boolean; value?: unknown; error?: unknown } = { settled: false };
      calls.set(name, entry);
      p.then(
        (value) => Object.assign(entry, { settled: true, value }),
        (error: unknown) => Object.assign(entry, { settled: true, error }),
      );
    },
    async held() {
      const last = client.state().last;
      const id = client.state().channelId;
      const record = id === undefined ? undefined : await store.load(id);
      return {
        memory: last === undefined ? 'none' : `${last.state.round} ${encodedOffchainStateHash(last.state)} ${encodeTx(last.tx)}`,
        store: record === undefined ? 'none' : JSON.stringify(recordToJson(record)),
        round: last?.state.round,
      };
    },
    async close() {
      client.close();
      await node.close();
    },
  };
  return session;
}

/** The steps of `actor` in a transcript, up to its first reconnect. */
export function actorSteps(t: Transcript, actor: Role): Step[] {
  const mine = t.steps.filter((s) => s.actor === actor);
  const again = mine.findIndex((s, i) => i > 0 && s.kind === 'connect');
  return again < 0 ? mine : mine.slice(0, again);
}

/**
 * Replays the honest steps `[from, to)` of the session's actor: delivers the node's frames as
 * recorded (byte-exact, request ids mapped to ours), makes the recorded client's API calls, and
 * checks that the client sent what the recorded client sent (the same methods; a sign reply with a
 * tx where the recorded client signed). The client signs as soon as its policy lets it, so its
 * frames are matched in the order of each method, not across methods. Returns how many sign
 * requests it signed on the way.
 */
export async function replay(s: Session, steps: readonly Step[], from: number, to: number): Promise<number> {
  let signedReplies = 0;
  for (let i = from; i < to; i++) {
    const step = steps[i]!;
    if (step.kind === 'recv') {
      const m = step.message as Frame;
      const ours = m.id !== undefined && m.id !== null ? s.ids.get(String(m.id)) : undefined;
      s.deliver(ours === undefined ? m : { ...m, id: ours });
      continue;
    }
    if (step.kind !== 'send') continue;
    const m = step.message as Frame;
    const c = apiCallOf(m as never);
    if (c === null) continue; // an input the typed API cannot express (the recorded client's negative tests)
    await s.settle();
    if (c !== undefined) s.track(`#${i} ${c.kind}`, call(s.client, c));
    else if (m.params?.error !== undefined) throw new Error(`#${i}: the recorded client aborted; an honest replay signs everything`);
    const signs = typeof m.params?.signed_tx === 'string';
    const sent = await nextSent(s, (f) => sameMethod(f.method, m.method) && (!signs || typeof f.params?.signed_tx === 'string'));
    if (sent === undefined) {
      const unmatched = s.sent.filter((_, j) => !consumed(s).has(j)).map((f) => `${f.method} ${stringifyJson(f.params)}`);
      throw new Error(`honest step #${i}: the recorded client sent ${m.method}${signs ? ' (signed)' : ''}, ours did not (it sent ${unmatched.join('; ') || 'nothing more'})`);
    }
    if (signs) signedReplies++;
    if (m.id !== undefined && sent.id !== undefined) s.ids.set(String(m.id), sent.id);
  }
  await s.settle();
  return signedReplies;
}

const consumedFrames = new WeakMap<Session, Set<number>>();
const consumed = (s: Session) => {
  let set = consumedFrames.get(s);
  if (set === undefined) {
    set = new Set();
    consumedFrames.set(s, set);
  }
  return set;
};

/** The client's first frame not matched yet that `matches` (waiting up to 5 s for it). */
async function nextSent(s: Session, matches: (f: Frame) => boolean): Promise<Frame | undefined> {
  const taken = consumed(s);
  for (let tries = 0; tries < 1000; tries++) {
    const j = s.sent.findIndex((f, k) => !taken.has(k) && matches(f));
    if (j >= 0) {
      taken.add(j);
      return s.sent[j];
    }
    await sleep(5);
  }
  return undefined;
}

/** The frames the client sent that no recorded send step matched (what it sent beyond the recorded client). */
export function unmatchedSent(s: Session): Frame[] {
  const taken = consumed(s);
  return s.sent.filter((_, j) => !taken.has(j));
}

/** Whether a frame is this client's abort of the sign request `tag` with `code`. */
export function isAbort(f: Frame, tag: string, code: number): boolean {
  const reply = SIGN_TAGS[tag]?.reply;
  return reply !== undefined && sameMethod(f.method, reply) && f.params?.error === code && f.params.signed_tx === undefined;
}

/** A node notification on the session's channel, shaped as the node sends them. */
export function notification(s: Session, method: string, data: Record<string, unknown>, channelId: ChannelId | string | null = s.client.state().channelId ?? null): Frame {
  return { jsonrpc: '2.0', method, params: { channel_id: channelId, data }, version: 1 } as Frame;
}

/** Where in an actor's steps a case starts: the index of the n-th recorded node message matching. */
export function nth(steps: readonly Step[], method: string, n = 1, event?: string): number {
  let seen = 0;
  for (const [i, s] of steps.entries()) {
    const m = s.message as Frame | undefined;
    if (s.kind !== 'recv' || m?.method !== method) continue;
    if (event !== undefined && m.params?.data?.event !== event) continue;
    if (++seen === n) return i;
  }
  throw new Error(`no ${n}th ${method} ${event ?? ''}`);
}
