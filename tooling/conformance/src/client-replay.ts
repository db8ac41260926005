import {
  type ChannelClient,
  type ChannelSigner,
  type ClientConfig,
  type Command,
  SIGN_TAGS,
  connectChannel,
  memoryStore,
  resumeFrom,
} from '@aesc/channel';
import { type Step, type Transcript, connectParams } from '@aesc/corpus';
import { defaultEd25519, generateKeyPair, publicKeyOf, signTransaction, signingMessage, verifyTransactionSignature } from '@aesc/crypto';
import { type AccountAddress, type ChannelId, bytesEqual, decodeTx, encodeObject, isEncoded, toHex } from '@aesc/encoding';
import { AESC_ERROR__CHANNEL__NOT_ALLOWED_NOW, isAescError } from '@aesc/errors';
import { innerTx } from '@aesc/protocol';
import { type Transport, type TransportConnector, parseJson, stringifyJson } from '@aesc/rpc';

type Sent = { method?: string; id?: unknown; params?: Record<string, unknown> };

// Reply methods the node accepts under two names (?METHOD_SIGNED in sc_ws_api_jsonrpc.erl).
export const REPLY_ALIASES: Readonly<Record<string, string>> = {
  'channels.slash_tx': 'slash',
  'channels.slash_sign': 'slash',
  'channels.close_solo_tx': 'close_solo',
  'channels.close_solo_sign': 'close_solo',
  'channels.settle_tx': 'settle',
  'channels.settle_sign': 'settle',
};
/** Whether two methods are the same, or two names of the same sign reply. */
export const sameMethod = (a?: string, b?: string) =>
  a === b || (a !== undefined && b !== undefined && REPLY_ALIASES[a] !== undefined && REPLY_ALIASES[a] === REPLY_ALIASES[b]);
const keysOf = (x: Record<string, unknown> | undefined) => Object.keys(x ?? {}).sort().join(',');

/**
 * Params whose values differ between what our client sent and what the recorded client sent, other
 * than signed txs (signed with fresh keys here): amounts, accounts, codes, meta, fees, nonces…
 * Numbers compare by value (the recording's JSON numbers against our bigints).
 */
function differingValues(ours: Record<string, unknown> | undefined, recorded: Record<string, unknown> | undefined): string[] {
  const norm = (v: unknown): string =>
    JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' || (typeof x === 'number' && Number.isInteger(x)) ? `${x}n` : x)) ?? 'undefined';
  const out: string[] = [];
  for (const [k, v] of Object.entries(recorded ?? {})) {
    if (k === 'signed_tx') continue;
    if (norm(ours?.[k]) !== norm(v)) out.push(`${k} ${norm(ours?.[k])} ≠ recorded ${norm(v)}`);
  }
  return out;
}

const big = (v: unknown) => (typeof v === 'bigint' ? v : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : undefined);
const validAk = (v: unknown): v is AccountAddress => typeof v === 'string' && isEncoded(v, 'ak');
/** A recorded `block_hash`: absent, or a key or micro block hash (else the typed API cannot express it). */
const pinnedOf = (p: Record<string, unknown>): { blockHash?: `kh_${string}` | `mh_${string}` } | null => {
  if (p.block_hash === undefined) return {};
  return typeof p.block_hash === 'string' && (isEncoded(p.block_hash, 'kh') || isEncoded(p.block_hash, 'mh')) ? { blockHash: p.block_hash as `kh_${string}` } : null;
};
const onChain = (p: Record<string, unknown>) => ({
  ...(big(p.fee) === undefined ? {} : { fee: big(p.fee)! }),
  ...(big(p.gas_price) === undefined ? {} : { gasPrice: big(p.gas_price)! }),
  ...(big(p.nonce) === undefined ? {} : { nonce: big(p.nonce)! }),
});

/**
 * The typed API call an app would make for the recorded client request `m`; null when the
 * recorded input is invalid (the typed API cannot even express it), undefined for sign replies.
 */
export function apiCallOf(m: Sent): Command | null | undefined {
  const p = m.params ?? {};
  const amount = big(p.amount);
  switch (m.method) {
    case 'channels.update.new': {
      const pinned = pinnedOf(p);
      if (amount === undefined || amount < 0n || !validAk(p.from) || !validAk(p.to) || pinned === null) return null;
      if (p.meta !== undefined && !(Array.isArray(p.meta) && p.meta.every((x) => typeof x === 'string'))) return null;
      return { kind: 'transfer', from: p.from, to: p.to, amount, ...(p.meta === undefined ? {} : { meta: p.meta as string[] }), ...pinned };
    }
    case 'channels.deposit':
    case 'channels.withdraw': {
      const pinned = pinnedOf(p);
      if (amount === undefined || pinned === null) return null;
      if (p.meta !== undefined && !(Array.isArray(p.meta) && p.meta.every((x) => typeof x === 'string'))) return null;
      const meta = p.meta === undefined ? {} : { meta: p.meta as string[] };
      return m.method === 'channels.deposit'
        ? { kind: 'deposit', amount, ...meta, ...pinned, ...onChain(p) }
        : { kind: 'withdraw', amount, ...meta, ...pinned, ...onChain(p) };
    }
    case 'channels.shutdown':
      return { kind: 'shutdown', ...onChain(p) };
    case 'channels.close_solo':
      return { kind: 'close-solo', ...onChain(p) };
    case 'channels.slash':
      return { kind: 'slash', ...onChain(p) };
    case 'channels.settle':
      return { kind: 'settle', ...onChain(p) };
    case 'channels.snapshot_solo':
      return { kind: 'snapshot-solo', ...onChain(p) };
    case 'channels.message':
      if (p.from !== undefined && !validAk(p.from)) return null;
      return validAk(p.to) && typeof p.info === 'string' ? { kind: 'message', to: p.to, info: p.info, ...(p.from === undefined ? {} : { from: p.from }) } : null;
    case 'channels.history.fetch': {
      const n = big(p.n);
      const list = (v: unknown) => (v === undefined ? [] : Array.isArray(v) && v.every((x) => typeof x === 'string') ? [v] : null);
      const [type, tag] = [list(p.type), list(p.tag)];
      if ((p.n !== undefined && n === undefined) || type === null || tag === null) return null;
      return {
        kind: 'history',
        query: { ...(n === undefined ? {} : { n: Number(n) }), ...(type[0] ? { type: type[0] as never } : {}), ...(tag[0] ? { tag: tag[0] as never } : {}) },
      };
    }
    case 'channels.clean_contract_calls':
      return { kind: 'clean-contract-calls' };
    case 'channels.get.balances':
      return Array.isArray(p.accounts) && p.accounts.every(validAk) ? { kind: 'balances', accounts: p.accounts } : null;
    case 'channels.get.poi': {
      const c = p.contracts;
      if (!Array.isArray(p.accounts) || !p.accounts.every(validAk)) return null;
      if (c !== undefined && !(Array.isArray(c) && c.every((x) => typeof x === 'string' && isEncoded(x, 'ct')))) return null;
      return { kind: 'poi', accounts: p.accounts, ...(c === undefined ? {} : { contracts: c as string[] }) };
    }
    case 'channels.assume_minimum_depth':
      return typeof p.tx_hash === 'string' ? { kind: 'assume-minimum-depth', txHash: p.tx_hash } : null;
    case 'channels.get.offchain_state':
      return { kind: 'offchain-state' };
    case 'channels.leave':
      return { kind: 'leave' };
    case 'channels.system':
      return p.action === 'ping' ? { kind: 'ping' } : p.action === 'stop' ? { kind: 'stop' } : null;
    default:
      return undefined;
  }
}

/** Makes the typed API call for a command, as an app would. */
export function call(client: ChannelClient, c: Command): Promise<unknown> {
  switch (c.kind) {
    case 'transfer':
      return client.transfer(c.to, c.amount, { from: c.from, ...(c.meta === undefined ? {} : { meta: c.meta }), ...(c.blockHash === undefined ? {} : { blockHash: c.blockHash }) });
    case 'deposit':
      return client.deposit(c.amount, c);
    case 'withdraw':
      return client.withdraw(c.amount, c);
    case 'shutdown':
      return client.shutdown(c);
    case 'close-solo':
      return client.closeSolo(c);
    case 'slash':
      return client.slash(c);
    case 'settle':
      return client.settle(c);
    case 'snapshot-solo':
      return client.snapshotSolo(c);
    case 'message':
      return client.sendMessage(c.to, c.info, c.from === undefined ? {} : { from: c.from });
    case 'history':
      return client.history(c.query);
    case 'clean-contract-calls':
      return client.cleanContractCalls();
    case 'balances':
      return client.balances(c.accounts);
    case 'poi':
      return client.poi(c.accounts, c.contracts);
    case 'offchain-state':
      return client.offchainState();
    case 'leave':
      return client.leave();
    case 'ping':
      return client.ping();
    case 'stop':
      return client.stop();
    case 'abort':
      return client.abort(c.code);
    case 'assume-minimum-depth':
      return client.assumeMinimumDepth(c.txHash);
  }
}

/** The network ids the corpus was recorded on (its README: nine files on Lima, the rest on Iris). */
export const CORPUS_NETWORK_IDS = ['local_iris_testnet', 'local_lima_testnet'] as const;

/** The signed txs (`tx_…` strings) the steps carry, with where each came from. */
function signedTxs(steps: readonly Step[]): { readonly step: Step; readonly tx: string }[] {
  const out: { step: Step; tx: string }[] = [];
  for (const step of steps) {
    const m = step.message as { params?: Record<string, unknown> & { data?: Record<string, unknown> } } | undefined;
    for (const v of [m?.params?.signed_tx, m?.params?.data?.signed_tx, m?.params?.data?.state]) if (typeof v === 'string') out.push({ step, tx: v });
  }
  return out;
}

/** The network id a transcript's signatures were made for (the first that a participant's signature verifies under). */
export async function transcriptNetworkId(steps: readonly Step[], participants: readonly AccountAddress[]): Promise<string> {
  for (const { tx } of signedTxs(steps)) {
    const signed = decodeTx(tx);
    if (signed.tx.tag === 'ga_meta_tx') continue;
    const bytes = encodeObject(signed.tx);
    for (const signature of signed.signatures) {
      for (const networkId of CORPUS_NETWORK_IDS) {
        for (const p of participants) if ((await verifyTransactionSignature(signature, bytes, networkId, publicKeyOf(p))) !== null) return networkId;
      }
    }
  }
  return CORPUS_NETWORK_IDS[0];
}

/**
 * The signatures the recorded client made, by the hex of the tx bytes each signs: those of
 * `address` on the signed txs `actor` sent.
 */
export async function recordedSignatures(steps: readonly Step[], actor: string, address: AccountAddress, networkId: string): Promise<Map<string, Uint8Array>> {
  const recorded = new Map<string, Uint8Array>();
  const verify = defaultEd25519().verifierFor(publicKeyOf(address));
  for (const { step, tx } of signedTxs(steps)) {
    if (step.actor !== actor || step.kind !== 'send') continue;
    const signed = decodeTx(tx);
    const bytes = encodeObject(signed.tx);
    const key = toHex(bytes);
    if (recorded.has(key)) continue;
    for (const signature of signed.signatures) {
      if ((await verify(signature, signingMessage(bytes, networkId, 'raw'))) || (await verify(signature, signingMessage(bytes, networkId, 'hash')))) recorded.set(key, signature);
    }
  }
  return recorded;
}

/**
 * A signer standing in for the recorded client, whose secret key the corpus does not hold: for the
 * tx bytes the recorded client signed, it gives the recorded client's signature (so what our client
 * stores and sends verifies as the recorded client's did); for any other bytes, a signature of a
 * fresh key, which verifies for no participant. `signed` lists the bytes it was asked to sign.
 */
export async function recordedSigner(steps: readonly Step[], actor: string, address: AccountAddress, networkId: string): Promise<ChannelSigner & { readonly signed: Uint8Array[] }> {
  const recorded = await recordedSignatures(steps, actor, address, networkId);
  const stranger = await generateKeyPair();
  const signed: Uint8Array[] = [];
  return {
    address,
    signed,
    signTransaction: async (tx, o) => {
      signed.push(tx);
      return recorded.get(toHex(tx)) ?? signTransaction(tx, o.networkId, stranger.secretKey);
    },
  };
}

/** How the harness talks to the client: in memory, or through a scripted WebSocket server on 127.0.0.1. */
export type ReplayWire = 'memory' | 'websocket';

interface Scripted {
  readonly connect: TransportConnector;
  next(timeoutMs: number): Promise<string | undefined>;
  deliver(text: string): void;
  pending(): number;
  close(): Promise<void>;
}

/** A queue of the client's frames, with a waiter for the next one. */
function inbox() {
  const frames: string[] = [];
  let waiter: ((text: string) => void) | undefined;
  return {
    push(text: string) {
      if (waiter) {
        const w = waiter;
        waiter = undefined;
        w(text);
      } else frames.push(text);
    },
    next(timeoutMs: number) {
      return new Promise<string | undefined>((resolve) => {
        const queued = frames.shift();
        if (queued !== undefined) {
          resolve(queued);
          return;
        }
        const timer = setTimeout(() => {
          waiter = undefined;
          resolve(undefined);
        }, timeoutMs);
        waiter = (text) => {
          clearTimeout(timer);
          resolve(text);
        };
      });
    },
    size: () => frames.length,
  };
}

/**
 * A scripted WebSocket server on 127.0.0.1 (random port): it sends the node's frames the harness
 * gives it and hands over what the client sends; the client connects with @aesc/rpc's
 * `webSocketConnector`, as it would to a real node.
 */
async function webSocketScripted(): Promise<Scripted> {
  const { WebSocketServer } = await import('ws');
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as { port: number };
  const box = inbox();
  let socket: import('ws').WebSocket | undefined;
  const early: string[] = [];
  server.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data) => box.push(data.toString()));
    for (const text of early.splice(0)) ws.send(text);
  });
  const { webSocketConnector } = await import('@aesc/rpc');
  return {
    connect: webSocketConnector(`ws://127.0.0.1:${port}/channel`),
    next: (ms) => box.next(ms),
    deliver: (text) => (socket ? socket.send(text) : early.push(text)),
    pending: () => box.size(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of server.clients) c.terminate();
        server.close(() => resolve());
      }),
  };
}

/** An in-memory connection: what the client sends is queued for the harness; the harness delivers node frames. */
function scriptedConnector(): Scripted {
  const box = inbox();
  let deliver: ((text: string) => void) | undefined;
  const connect: TransportConnector = async (handlers) => {
    deliver = handlers.onMessage;
    const transport: Transport = { send: (text) => box.push(text), close: () => undefined };
    return transport;
  };
  return {
    connect,
    next: (ms) => box.next(ms),
    deliver: (text) => deliver?.(text),
    pending: () => box.size(),
    close: async () => undefined,
  };
}

/** Where each step of one client's side of a transcript goes: the session (socket) it belongs to. */
export interface SessionPlan {
  /** Each session's connect step, in order. */
  readonly connects: readonly Step[];
  /** For each of the client's steps (in order), the index of its session. */
  readonly sessionOf: readonly number[];
  /** The client's steps. */
  readonly steps: readonly Step[];
}

const channelIdOf = (m: Sent & { channel_id?: unknown }) => {
  const id = m.method === undefined ? m.channel_id : (m.params as { channel_id?: unknown } | undefined)?.channel_id;
  return typeof id === 'string' ? id : undefined;
};

/**
 * Splits one client's steps into its sessions, one per connect, as its sockets carried them. A
 * session lasts until its close step (close steps pair with connects in order: the oldest session
 * still open is the one closed). While two are open (a client that opened a second channel before
 * the first socket closed), a frame from the node goes to the session of its channel id (the newest
 * session that has none yet takes a new one; a frame without channel id goes to the newest), and
 * what the client sends goes out on its newest socket.
 */
export function planSessions(steps: readonly Step[], actor: string): SessionPlan {
  const mine = steps.filter((s) => s.actor === actor);
  const connects: Step[] = [];
  const channelOf: (string | undefined)[] = [];
  const open: number[] = [];
  const sessionOf: number[] = [];
  for (const s of mine) {
    if (s.kind === 'connect') {
      connects.push(s);
      channelOf.push(connectParams(s).existing_channel_id);
      open.push(connects.length - 1);
      sessionOf.push(connects.length - 1);
      continue;
    }
    if (s.kind === 'close') {
      sessionOf.push(open.shift() ?? connects.length - 1);
      continue;
    }
    const newest = open.at(-1) ?? connects.length - 1;
    if (s.kind !== 'recv' || open.length < 2) {
      sessionOf.push(newest);
      if (s.kind === 'recv') {
        const id = channelIdOf(s.message as Sent);
        if (id !== undefined && newest >= 0) channelOf[newest] ??= id;
      }
      continue;
    }
    const id = channelIdOf(s.message as Sent);
    let target = id === undefined ? newest : open.find((i) => channelOf[i] === id);
    if (target === undefined) {
      target = [...open].reverse().find((i) => channelOf[i] === undefined) ?? newest;
      channelOf[target] = id;
    }
    sessionOf.push(target);
  }
  return { connects, sessionOf, steps: mine };
}

/** The outcome of replaying one client's side of a transcript. */
export interface SessionResult {
  readonly file: string;
  readonly group: string;
  readonly actor: 'initiator' | 'responder';
  /** The session (1 = the client's first connect). */
  readonly session: number;
  /** Recorded client frames our client sent, method, param keys and values the same. */
  matched: number;
  /** Deliberately invalid recorded input, checked as refused by the typed API. */
  refused: number;
  /** The recorded client frames of this session (sends). */
  readonly sends: number;
  /** Why the session was not replayed, when it was not (it sends nothing: a connect the node refused). */
  skipped?: string;
  readonly mismatches: string[];
}

/** The parts of a signed tx that must match the recorded one: the tx itself; signatures are by the replay's own keys. */
function differingSignedTx(ours: unknown, recorded: unknown, asked: string | undefined): string[] {
  if (typeof ours !== 'string' || typeof recorded !== 'string') return ours === recorded ? [] : ['signed_tx differs'];
  try {
    const o = decodeTx(ours);
    const r = decodeTx(recorded);
    if (!bytesEqual(encodeObject(o.tx), encodeObject(r.tx))) return ['signed_tx: another tx than the recorded client signed'];
    // one signature added to what the node asked to sign (the recorded client sometimes added the
    // peer's too: the node's test suite holds both keys, an app holds its own)
    const before = asked === undefined ? undefined : decodeTx(asked).signatures.length;
    if (before !== undefined && o.signatures.length !== before + 1) return [`signed_tx: ${o.signatures.length} signatures, the request had ${before}`];
    if (before === undefined && o.signatures.length !== r.signatures.length) return [`signed_tx: ${o.signatures.length} signatures ≠ recorded ${r.signatures.length}`];
    return [];
  } catch {
    return ['signed_tx does not decode'];
  }
}

/** The error codes of a node frame refusing a connect (`error.data[].code`), or undefined when the frame is no such refusal. */
const refusalCodes = (m: Sent & { error?: { data?: { code?: number }[] } }) => (m.method === undefined && m.error !== undefined ? (m.error.data ?? []).map((d) => d.code) : undefined);

/**
 * Replays the node's side of every session of one client of a transcript: delivers each node frame
 * to its session, makes the typed API call the recorded client made, and compares what our client
 * sends with what the recorded client sent (method, param keys and values, the tx of each signed
 * reply). A session that resumes a channel (`existing_channel_id`) starts from the client's store,
 * as an app would (`resumeFrom`): the fsm id the client kept must be the one the recorded client
 * came back with, and so must its latest co-signed tx (`offchain_tx`) where the recorded URL has
 * one. A session whose connect the typed API cannot express (an open with broken params, a resume
 * without or with another fsm id, which the node refused) sends nothing and is noted as skipped.
 */
export async function replayClientActor(
  steps: readonly Step[],
  file: string,
  group: string,
  actor: 'initiator' | 'responder',
  wireKind: ReplayWire = 'memory',
): Promise<SessionResult[]> {
  const plan = planSessions(steps, actor);
  if (plan.connects.length === 0) return [];
  const store = memoryStore();
  /** The channel config of the client's last open (a resumed session carries it on). */
  let base: ClientConfig | undefined;
  /** Signs with the recorded client's signatures (see `recordedSigner`), for the network the transcript was recorded on. */
  let signer: ChannelSigner | undefined;
  const results: SessionResult[] = plan.connects.map((_, i) => ({
    file,
    group,
    actor,
    session: i + 1,
    matched: 0,
    refused: 0,
    sends: plan.steps.filter((s, k) => s.kind === 'send' && plan.sessionOf[k] === i).length,
    mismatches: [],
  }));
  const live = new Map<number, Awaited<ReturnType<typeof openSession>>>();
  const refusedByNode = (i: number) => {
    const first = plan.steps.find((s, k) => s.kind === 'recv' && plan.sessionOf[k] === i);
    return first === undefined ? undefined : refusalCodes(first.message as Sent);
  };
  try {
    for (const [k, s] of plan.steps.entries()) {
      const i = plan.sessionOf[k]!;
      const out = results[i]!;
      if (s.kind === 'connect') {
        const p = connectParams(s);
        if (p.existing_channel_id === undefined) {
          if (!validAk(p.initiator_id) || !validAk(p.responder_id)) {
            out.skipped = 'an open with params the typed API cannot express (the node refused it)';
            continue;
          }
          const num = (key: string) => BigInt(p[key] ?? '0');
          const networkId = await transcriptNetworkId(steps, [p.initiator_id, p.responder_id]);
          signer ??= await recordedSigner(steps, actor, actor === 'initiator' ? p.initiator_id : p.responder_id, networkId);
          base = {
            role: actor,
            initiator: p.initiator_id,
            responder: p.responder_id,
            networkId,
            initiatorAmount: num('initiator_amount'),
            responderAmount: num('responder_amount'),
            pushAmount: num('push_amount'),
            channelReserve: num('channel_reserve'),
            lockPeriod: num('lock_period'),
          };
          live.set(i, await openSession(base, signer, wireKind, store, out));
          continue;
        }
        const record = await store.load(p.existing_channel_id as ChannelId);
        const refused = refusedByNode(i);
        if (record === undefined || base === undefined || signer === undefined) {
          if (refused !== undefined) out.skipped = 'a resume of a channel the client does not have (the node refused it)';
          else out.mismatches.push(`session ${i + 1}: the recorded client resumes ${p.existing_channel_id}, which our client did not keep`);
          continue;
        }
        const { resume, connectParams: resumeParams } = resumeFrom(record);
        if (resumeParams.existing_fsm_id !== p.existing_fsm_id) {
          // The recorded client came back without its fsm id, or with another one, on purpose:
          // the node refused it. Otherwise ours kept a stale fsm id.
          if (refused !== undefined) out.skipped = `a resume with ${p.existing_fsm_id === undefined ? 'no' : 'another'} fsm id (the node refused it: ${refused.join(', ')})`;
          else out.mismatches.push(`session ${i + 1}: our client would come back with fsm id ${resumeParams.existing_fsm_id}, the recorded one came with ${p.existing_fsm_id}`);
          continue;
        }
        // The latest co-signed tx the client comes back with (`offchain_tx`) is the recorded client's.
        if (p.offchain_tx !== undefined && resumeParams.offchain_tx !== p.offchain_tx) {
          out.mismatches.push(`session ${i + 1}: our client would come back with another offchain_tx than the recorded one`);
        }
        live.set(i, await openSession({ ...base, resume }, signer, wireKind, store, out));
        continue;
      }
      // A session that went astray twice is failed: the report shows its first two differences, and
      // each message it no longer sends would cost the wait for it.
      if (out.mismatches.length >= 2 && (s.kind === 'send' || s.kind === 'recv')) continue;
      const session = live.get(i);
      if (session === undefined) {
        if (s.kind === 'send' && !out.mismatches.some((x) => x.startsWith('a send in a session'))) out.mismatches.push(`a send in a session that was not replayed (#${k})`);
        continue;
      }
      if (s.kind === 'close') {
        await session.finish();
        live.delete(i);
        continue;
      }
      if (s.kind === 'recv') session.deliver(s.message as Sent);
      else if (s.kind === 'send') await session.send(s.message as Sent, k);
    }
  } finally {
    for (const session of live.values()) await session.finish();
  }
  return results;
}

/** One session of a client: its connection to the scripted node, and the app driving it. */
async function openSession(config: ClientConfig, signer: ChannelSigner, wireKind: ReplayWire, store: ReturnType<typeof memoryStore>, out: SessionResult) {
  const wire = wireKind === 'websocket' ? await webSocketScripted() : scriptedConnector();
  // The app decides on each sign request when the recorded client answered it (sign or abort), so
  // that whatever the recorded client sent meanwhile goes out first, as it did. A decision goes to
  // the open sign request whose reply method is the one the recorded client used; a request the
  // recorded client never answered is dropped when a newer one arrives or a conflict ends it (the
  // client holds one round at a time).
  type Verdict = true | { abort: number; reason: string };
  interface Waiting {
    readonly reply: string;
    readonly decide: (v: Verdict) => void;
  }
  let waiting: Waiting[] = [];
  const early: { reply: string; verdict: Verdict }[] = [];
  // Resolves whenever the client stops to wait for the app's decision on a sign request.
  let onDecisionWait: (() => void) | undefined;
  const policy = (req: { readonly tag: string }) =>
    new Promise<Verdict>((decide) => {
      const reply = SIGN_TAGS[req.tag as keyof typeof SIGN_TAGS]?.reply ?? `channels.${req.tag}`;
      waiting = [];
      const i = early.findIndex((e) => sameMethod(e.reply, reply));
      if (i >= 0) {
        decide(early.splice(i, 1)[0]!.verdict);
        return;
      }
      waiting.push({ reply, decide });
      onDecisionWait?.();
    });
  const answer = (method: string, verdict: Verdict) => {
    const i = waiting.findIndex((w) => sameMethod(w.reply, method));
    if (i >= 0) waiting.splice(i, 1)[0]!.decide(verdict);
    else early.push({ reply: method, verdict });
  };
  const client = await connectChannel({ connect: wire.connect, config, signer, store, policy });
  client.on((e) => {
    if (e.type === 'conflict') waiting = [];
    if (process.env.AESC_DEBUG && (e.type === 'refused' || e.type === 'error')) console.log(`  ${config.role}: ${e.type} ${String((e as { error?: unknown }).error)}`);
  });
  const ids = new Map<string, unknown>();
  let delivered = 0;
  /** The last sign request delivered: the tx our client's signed reply must add its signature to. */
  let asked: string | undefined;
  // Before the app acts, the client must have taken in every message the node sent before (over a
  // real socket they may still be in flight).
  const settle = async () => {
    for (let i = 0; i < 500 && client.framesReceived() < delivered; i++) await new Promise((r) => setTimeout(r, 2));
    // idle, or stopped at a sign request waiting for the app (the harness answers it later)
    if (waiting.length > 0) return;
    await Promise.race([client.idle(), new Promise<void>((r) => (onDecisionWait = r))]);
    onDecisionWait = undefined;
  };
  return {
    deliver(m: Sent & { id?: unknown }) {
      const ours = m.id !== undefined && m.id !== null ? ids.get(String(m.id)) : undefined;
      if (m.method?.startsWith('channels.sign.')) asked = String((m.params as { data?: { signed_tx?: unknown } } | undefined)?.data?.signed_tx);
      wire.deliver(stringifyJson(ours === undefined ? m : { ...m, id: ours }));
      delivered++;
    },
    async send(m: Sent, i: number) {
      const c = apiCallOf(m);
      if (c === null) {
        out.refused++;
        return;
      }
      await settle();
      if (c !== undefined) call(client, c).catch(() => undefined);
      else if (m.params?.error !== undefined && !waiting.some((w) => sameMethod(w.reply, m.method))) {
        // An abort with no signing round to abort: refused by the API, as the node refuses it (1018).
        // (An abort answering a sign request goes out through the signing policy above.)
        try {
          await client.abort(Number(m.params.error));
        } catch (e) {
          if (isAescError(e, AESC_ERROR__CHANNEL__NOT_ALLOWED_NOW)) {
            out.refused++;
            return;
          }
          throw e;
        }
      }
      if (m.params?.signed_tx !== undefined || m.params?.error !== undefined) {
        const code = m.params.error;
        answer(m.method ?? '', code === undefined ? true : { abort: Number(code), reason: 'the recorded client aborted' });
      }
      const text = await wire.next(2000);
      if (text === undefined) {
        out.mismatches.push(`#${i} expected ${m.method}(${keysOf(m.params)}), sent nothing`);
        return;
      }
      const sent = parseJson(text) as Sent;
      if (!sameMethod(sent.method, m.method) || keysOf(sent.params) !== keysOf(m.params)) {
        out.mismatches.push(`#${i} expected ${m.method}(${keysOf(m.params)}), sent ${sent.method}(${keysOf(sent.params)})`);
        return;
      }
      const differing = [...differingValues(sent.params, m.params), ...(m.params?.signed_tx === undefined ? [] : differingSignedTx(sent.params?.signed_tx, m.params.signed_tx, asked))];
      if (differing.length > 0) {
        out.mismatches.push(`#${i} ${m.method}: ${differing.join('; ')}`);
        return;
      }
      out.matched++;
      if ((m as { id?: unknown }).id !== undefined && sent.id !== undefined) ids.set(String((m as { id?: unknown }).id), sent.id);
    },
    /** The session's socket closes: our client must have sent nothing more. */
    async finish() {
      await settle();
      if (wire.pending() > 0) out.mismatches.push(`sent ${wire.pending()} more message(s)`);
      client.close();
      await wire.close();
    },
  };
}

/**
 * Transcripts where a client that verifies what it signs must differ from the recorded one, and
 * why. They are counted as failed; `pnpm conformance:client` fails on any other failure.
 */
const SIGNED_FOR_THE_ABSENT_CLIENT =
  'while this client was away, the node’s test suite signed a round for it (it holds both keys: the peer’s sign reply carries both signatures), and its FSM took that round in; reconnected, the client is told nothing of it (fsm_up only) and is asked to sign a close_mutual paying out that round’s balances. The recorded client signed blindly; ours, which checks the amounts against the last state it co-signed, cannot, and declines (abort code 1)';
export const KNOWN_CLIENT_DIFFERENCES: Readonly<Record<string, string>> = {
  'continuous/sc_ws_update_conflict.json':
    'recorded by an older node (January 2020, Lima network) for another channel than the one its group opens, with other accounts: its sign requests are for that channel’s state, which no transcript opens, so a client holding the group’s channel refuses them (abort code 1) where the recorded client signed',
  'reconnect/sc_ws_basic_client_reconnect_i.json': SIGNED_FOR_THE_ABSENT_CLIENT,
  'reconnect/sc_ws_basic_client_reconnect_i_w_reestablish.json': SIGNED_FOR_THE_ABSENT_CLIENT,
  'reconnect/sc_ws_basic_client_reconnect_r.json': SIGNED_FOR_THE_ABSENT_CLIENT,
};

/** Why a transcript needs a contract VM (undefined when it needs none). */
export function needsVm(t: Transcript): string | undefined {
  const text = JSON.stringify(t.steps, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  if (text.includes('channels.update.new_contract')) return 'creates an off-chain contract';
  if (text.includes('channels.update.call_contract') || text.includes('channels.dry_run')) return 'calls an off-chain contract';
  if (text.includes('channels.force_progress')) return 'forces progress of a contract call';
  if (t.group.startsWith('generalized_accounts')) {
    return 'a generalized account signs through its auth contract, which the node runs in the VM';
  }
  return undefined;
}

/** The lowest round of any off-chain, deposit or withdraw tx a transcript carries (its place in its group). */
function firstRound(t: Transcript): bigint {
  let min: bigint | undefined;
  const text = JSON.stringify(t.steps, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  for (const m of text.matchAll(/"(tx_[A-Za-z0-9+/=]+)"/g)) {
    try {
      const inner = innerTx(decodeTx(m[1]!)).tx;
      if ('round' in inner && (min === undefined || inner.round < min)) min = inner.round;
    } catch {
      // not a tx
    }
  }
  return min ?? 0n;
}

/**
 * The steps of a transcript that continues its group's channel: the group's init_per_group, the
 * group's other continuations that came before it (by the rounds they carry — the corpus does not
 * record the test order), then its own steps.
 */
export function continuationSteps(t: Transcript, transcripts: readonly Transcript[]): Step[] {
  const parent = t.group.split('/').slice(0, -1).join('/');
  const init =
    transcripts.find((o) => o.name === 'init_per_group' && o.group === t.group) ??
    transcripts.find((o) => o.name === 'init_per_group' && o.group === parent);
  if (init === undefined) return [...t.steps];
  const mine = firstRound(t);
  const before = transcripts
    .filter((o) => o !== t && o.group === t.group && o.name !== 'init_per_group' && !o.steps.some((s) => s.kind === 'connect'))
    .map((o) => [o, firstRound(o)] as const)
    .filter(([, r]) => r < mine)
    .sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([o]) => o);
  return [...init.steps, ...before.flatMap((o) => o.steps), ...t.steps];
}

/** What {@link replayCorpusClients} found. */
export interface CorpusClientReport {
  readonly passed: number;
  readonly failed: number;
  readonly groups: Map<string, { passed: number; failed: number }>;
  readonly failures: string[];
  readonly leftOut: string[];
  /** Every session of every client replayed. */
  readonly sessions: readonly SessionResult[];
  /** Client frames of the replayed transcripts (their continuations' earlier steps included). */
  readonly sends: number;
  /** Of those, the ones replayed: sent by our client as recorded, or refused by the typed API as the deliberately invalid input they are. */
  readonly replayed: number;
}

/**
 * Replays every transcript that needs no contract VM: every session of both clients (a transcript
 * without a connect step continues the channel of its group's init_per_group, which is replayed
 * first).
 */
export async function replayCorpusClients(transcripts: readonly Transcript[], wire: ReplayWire = 'memory'): Promise<CorpusClientReport> {
  const groups = new Map<string, { passed: number; failed: number }>();
  const failures: string[] = [];
  const leftOut: string[] = [];
  const sessions: SessionResult[] = [];
  let passed = 0;
  let failed = 0;
  let sends = 0;
  for (const t of transcripts) {
    const vm = needsVm(t);
    if (vm !== undefined) {
      leftOut.push(`${t.file}: needs the contract VM (${vm})`);
      continue;
    }
    const steps = t.steps.some((s) => s.kind === 'connect') ? t.steps : continuationSteps(t, transcripts);
    sends += steps.filter((s) => s.kind === 'send').length;
    const results = (await Promise.all([replayClientActor(steps, t.file, t.group, 'initiator', wire), replayClientActor(steps, t.file, t.group, 'responder', wire)])).flat();
    sessions.push(...results);
    const ok = results.some((r) => r.skipped === undefined) && results.every((r) => r.mismatches.length === 0);
    const key = t.group || '(root)';
    const g = groups.get(key) ?? { passed: 0, failed: 0 };
    if (ok) {
      passed++;
      g.passed++;
    } else {
      failed++;
      g.failed++;
      const why = results.every((r) => r.skipped !== undefined)
        ? 'no client session to replay'
        : results.flatMap((r) => r.mismatches.map((x) => `${r.actor}${r.session > 1 ? ` (session ${r.session})` : ''} ${x}`)).slice(0, 2).join('; ');
      failures.push(`${t.file}: ${why}`);
    }
    groups.set(key, g);
  }
  const replayed = sessions.reduce((n, r) => n + (r.skipped === undefined ? r.matched + r.refused : 0), 0);
  return { passed, failed, groups, failures, leftOut, sessions, sends, replayed };
}
