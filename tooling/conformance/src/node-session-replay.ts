import { DevChain, inProcessAdapter, serveChainHttp } from '@aesc/chain';
import { type Step, type Transcript, connectParams } from '@aesc/corpus';
import { type KeyPair, accountAddress, addSignature, generateKeyPair, publicKeyOf, signTransaction } from '@aesc/crypto';
import { type AccountAddress, decodeTx, encodeObject, encodeTx } from '@aesc/encoding';
import { ChannelNode, type ClientSession, serveChannelEndpoint } from '@aesc/node';
import { withMinimumFee } from '@aesc/protocol';
import { parseJson, stringifyJson } from '@aesc/rpc';
import { buildPoi, initialState } from '@aesc/state';
import WebSocket from 'ws';
import { continuationSteps, needsVm } from './client-replay.js';
import { type CompareCounts, IdMap, compareFrame } from './frame-compare.js';
import { type Frame, OLDER_NODE } from './older-node.js';

export { OLDER_NODE, type OlderNodeDifference } from './older-node.js';

/** The outcome of one transcript replayed against our node. */
export interface NodeTranscriptResult {
  readonly file: string;
  readonly group: string;
  /** Recorded node → client frames found in what our node sent and compared with it. */
  readonly framesCompared: number;
  /** Values held to the recorded ones in those frames (see `compareFrame`). */
  readonly valuesCompared: number;
  /** Replies of the WebSocket handler found past reports of ours (see `isReply`): their own order held, not their place among reports. */
  readonly repliesReordered: number;
  /** Answers of ours to requests the client sent after its FSM's `died`, which the recording does not have (the node closed the socket first). */
  readonly answersAfterDied: number;
  /** Frames our node sent that the recording does not have (the replay stops at the first). */
  readonly extraFrames: readonly string[];
  /** Every other difference (the replay stops at the first). */
  readonly mismatches: readonly string[];
  /** Known differences of an older node's recording met on the way (see {@link OLDER_NODE}); the replay goes on past them. */
  readonly olderNode: readonly string[];
}

/** Whether a transcript replayed exactly (an older node's documented differences aside). */
export const replayedExactly = (r: NodeTranscriptResult) => r.mismatches.length === 0 && r.extraFrames.length === 0;

type Json = Record<string, unknown>;

const NETWORK_ID = 'local_iris_testnet';
const NO_ACCOUNT = 'ak_11111111111111111111111111111115rHyByZ';
/** The longest one recorded frame may take (the chain makes blocks meanwhile, only while the node has nothing else to do). */
const RECV_BUDGET_MS = 20_000;
/** How long the node must have been idle before the replay makes a key block for a frame that has not come (an initiator retries its responder every 50 ms). */
const KEY_BLOCK_AFTER_MS = 60;

/**
 * A client's end of its connection to the node: a WebSocket, or (`transport: 'memory'`) the
 * node's client session called directly, with no socket.
 */
interface ClientEnd {
  readonly open: boolean;
  /** Bytes sent and not yet taken by the node. */
  readonly buffered: number;
  send(text: string): void;
  /** Closes the connection; resolves once it is closed (or after a second). */
  close(): Promise<void>;
  terminate(): void;
}

/** How the replay reaches the node: WebSockets on its `/channel` endpoint, or its sessions called directly. */
export type ReplayTransport = 'websocket' | 'memory';

/** A client connected over a WebSocket to the node's endpoint. */
async function websocketEnd(url: string, onFrame: (text: string) => void, onClose: () => void): Promise<ClientEnd> {
  const ws = new WebSocket(url);
  ws.on('message', (d) => onFrame(d.toString()));
  ws.on('close', onClose);
  await new Promise<void>((resolve) => {
    ws.once('open', () => resolve());
    ws.once('error', () => resolve());
  });
  return {
    get open() {
      return ws.readyState === WebSocket.OPEN;
    },
    get buffered() {
      return ws.bufferedAmount;
    },
    send: (text) => ws.send(text),
    close: async () => {
      const gone = new Promise<void>((r) => {
        if (ws.readyState === WebSocket.CLOSED) r();
        else ws.once('close', () => r());
      });
      ws.close();
      await Promise.race([gone, new Promise<void>((r) => setTimeout(r, 1000))]);
    },
    terminate: () => ws.terminate(),
  };
}

/**
 * A client connected to the node with no socket: its frames go to the node's session as the
 * `/channel` endpoint hands them over, and the node's frames come back as its sink gets them;
 * a connect the node refuses answers its error frame and closes, as the endpoint does.
 */
async function memoryEnd(node: ChannelNode, url: string, onFrame: (text: string) => void, onClose: () => void): Promise<ClientEnd> {
  let open = true;
  let session: ClientSession | undefined;
  const closed = () => {
    if (!open) return;
    open = false;
    onClose();
  };
  const result = await node.connect(url, { send: (frame) => open && onFrame(frame), close: closed });
  if (result.ok) session = result.session;
  else {
    onFrame(result.frame);
    closed();
  }
  const end = () => {
    if (!open) return;
    session?.onClose();
    closed();
  };
  return {
    get open() {
      return open;
    },
    buffered: 0,
    send: (text) => {
      if (open) session?.onFrame(text);
    },
    close: async () => end(),
    terminate: end,
  };
}

/** A client end not connected yet. */
const NOT_YET: ClientEnd = { open: false, buffered: 0, send: () => undefined, close: async () => undefined, terminate: () => undefined };

interface Socket {
  ws: ClientEnd;
  /** Frames received and not matched yet, in order. */
  readonly queue: Frame[];
  received: number;
  closed: boolean;
  /** The transcript's `close` step for this socket has been replayed (close steps pair with connect steps, in order). */
  closeStepSeen?: boolean;
  /** The last sign request on this socket: its tx. */
  lastSign?: string;
  /** The last recorded frame matched on this socket. */
  lastMatched?: Frame;
  /** The state of the last `channels.update` matched on this socket (ours). */
  lastState?: string;
  /** The client saw its FSM's `died` on this socket. */
  died?: boolean;
  /** Requests with an id the client sent after it saw `died`. */
  requestsAfterDied: number;
}

const dataOf = (m: Frame) => (m.params?.data ?? {}) as Json;
const kindOf = (m: Frame) => (m.method !== undefined ? 'notification' : 'error' in m ? 'error' : 'result');

function describe(m: Frame): string {
  if (m.method === undefined) return 'error' in m ? `error ${(m.error as Json).code}` : `result ${stringifyJson(m.result).slice(0, 40)}`;
  const d = dataOf(m);
  const detail = d.event ?? d.info ?? '';
  return `${m.method}${detail ? ` ${detail}` : ''}`;
}

/**
 * Frames the node's WebSocket handler makes itself: replies (results, errors) and pongs. They race
 * with the FSM's reports (the handler answers a ping, a cast's "ok", a refused request at once, while
 * reports come from the FSM), in the recordings as in ours, so they are matched in their own order
 * and may pass the reports or be passed by them; reports keep theirs.
 */
const isReply = (m: Frame) => m.method === undefined || m.method === 'channels.system.pong';

/** The next frame of the same stream as `expected` on a socket: its index in the queue, or -1. */
const nextOfStream = (queue: readonly Frame[], expected: Frame) => queue.findIndex((m) => isReply(m) === isReply(expected));

/** Whether a frame of ours is the one the transcript recorded at this place (the same kind, method and event / info). */
function sameFrame(expected: Frame, actual: Frame): boolean {
  if (kindOf(expected) !== kindOf(actual)) return false;
  if (expected.method !== actual.method) return false;
  const e = dataOf(expected);
  const a = dataOf(actual);
  return e.event === a.event && e.info === a.info;
}

/** How many leading hex digits (nibbles) two keys share: where their paths part in a Merkle Patricia tree. */
export function sharedNibbles(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < a.length && i < b.length; i++) {
    if (a[i] === b[i]) {
      n += 2;
      continue;
    }
    return (a[i]! >> 4) === (b[i]! >> 4) ? n + 1 : n;
  }
  return n;
}

/**
 * A fresh key pair for the recorded account `recorded`, whose public key shares as many leading
 * nibbles with each account already given a fresh key (`fresh`: recorded → fresh) as the recorded
 * keys share. Account trees are keyed by public key, so the two participants' keys decide the shape
 * of the channel's state tree, hence the size of a proof of inclusion in a close_solo or slash tx,
 * and the minimum fee the node asks for.
 */
async function freshKeyLike(recorded: string, fresh: ReadonlyMap<string, string>): Promise<KeyPair> {
  const want = [...fresh].map(([r, f]) => ({ fresh: publicKeyOf(f), shared: sharedNibbles(publicKeyOf(recorded), publicKeyOf(r)) }));
  for (let attempt = 0; ; attempt++) {
    const keys = await generateKeyPair();
    // (Up to 3 shared nibbles takes ~4,096 tries at most; beyond, a recording would need more than it is worth.)
    if (attempt > 20_000 || want.every((w) => sharedNibbles(keys.publicKey, w.fresh) === w.shared)) return keys;
  }
}

/**
 * The roles of a transcript's accounts by the connect URLs of the whole corpus: initiator and
 * responder of the first connect that names them.
 */
function rolesInCorpus(transcripts: readonly Transcript[]): Map<string, 'initiator' | 'responder'> {
  const roles = new Map<string, 'initiator' | 'responder'>();
  for (const t of transcripts) {
    for (const s of t.steps) {
      const p = connectParams(s);
      if (p.initiator_id !== undefined && !roles.has(p.initiator_id)) roles.set(p.initiator_id, 'initiator');
      if (p.responder_id !== undefined && !roles.has(p.responder_id)) roles.set(p.responder_id, 'responder');
    }
  }
  return roles;
}

/**
 * Recorded values of a transcript that continues its group's channel under other names: a run of
 * the same group recorded with other accounts (`continuous/sc_ws_update_conflict`, recorded with
 * the accounts of the `set_fee` recordings, its channel opened by no transcript). Its accounts stand
 * for the accounts of the group's opening transcript in the same roles, and its channel for that
 * channel. Empty when the transcript uses the group's own accounts.
 */
export function continuationAliases(t: Transcript, steps: readonly Step[], transcripts: readonly Transcript[]): Map<string, string> {
  const aliases = new Map<string, string>();
  if (t.steps.some((s) => s.kind === 'connect')) return aliases;
  const open = steps.find((s) => s.kind === 'connect' && connectParams(s).initiator_id !== undefined);
  if (open === undefined) return aliases;
  const { initiator_id: initiator, responder_id: responder } = connectParams(open);
  const text = stringifyJson(t.steps);
  const accounts = new Set(text.match(/ak_[1-9A-HJ-NP-Za-km-z]{40,}/g) ?? []);
  if (accounts.has(initiator!) || accounts.has(responder!)) return aliases;
  const roles = rolesInCorpus(transcripts);
  for (const a of accounts) {
    const role = roles.get(a);
    if (role !== undefined) aliases.set(a, role === 'initiator' ? initiator! : responder!);
  }
  const opened = (stringifyJson(steps.slice(0, steps.length - t.steps.length)).match(/"channel_id":"(ch_[1-9A-HJ-NP-Za-km-z]+)"/) ?? [])[1];
  const mine = (text.match(/"channel_id":"(ch_[1-9A-HJ-NP-Za-km-z]+)"/) ?? [])[1];
  if (opened !== undefined && mine !== undefined && opened !== mine) aliases.set(mine, opened);
  return aliases;
}

/**
 * Replays the clients' side of one transcript against a fresh node of ours (embedded Iris chain,
 * the corpus' network id, fresh keys for the participants) and compares, strictly, every frame our
 * node sends with the recorded ones:
 * - each recorded client frame is sent at its place (a sign reply signed with the fresh key over
 *   what our node asked to sign);
 * - each recorded node → client frame must be the next frame of ours on one of that client's
 *   sockets, and is compared value by value (`compareFrame`), ids through what the replay learned;
 * - a frame of ours the recording does not have where it came, or left over when a socket closes or
 *   the transcript ends, is an extra frame;
 * - blocks are made only when the node has nothing left to do and the recorded frame has not come,
 *   so that what the recording shows came before a block comes before it here too; a transcript
 *   runs once.
 */
export async function replayTranscriptAgainstNode(
  t: Transcript,
  steps: readonly Step[] = t.steps,
  aliases: ReadonlyMap<string, string> = new Map(),
  transport: ReplayTransport = 'websocket',
): Promise<NodeTranscriptResult> {
  const mismatches: string[] = [];
  const extraFrames: string[] = [];
  const olderNode: string[] = [];
  const older = OLDER_NODE[t.file];
  const counts: CompareCounts = { values: 0 };
  let framesCompared = 0;
  /** Replies matched before reports of ours the recording has after them, or after reports it has before them. */
  let reordered = 0;
  /** Answers of ours to requests sent after `died` that the recording does not have (see `leftOver`). */
  let afterDied = 0;
  const ids = new IdMap();
  for (const [from, to] of aliases) ids.alias(from, to);
  // Fresh keys for every participant named in a connect URL, shaped as the recorded ones (see freshKeyLike).
  const fresh = new Map<string, string>();
  const secret = new Map<string, Uint8Array>();
  for (const s of steps) {
    for (const k of ['initiator_id', 'responder_id']) {
      const id = connectParams(s)[k];
      // The all-zero key stands for an account that does not exist (sc_ws_broken_open_params).
      if (id === undefined || fresh.has(id) || !id.startsWith('ak_') || id === NO_ACCOUNT) continue;
      const keys = await freshKeyLike(id, fresh);
      const ours = accountAddress(keys.publicKey);
      fresh.set(id, ours);
      ids.bind(id, ours);
      secret.set(ours, keys.secretKey);
    }
  }
  // The recorded accounts had made txs before: start ours at the same nonces, so that the txs our
  // node builds have the recorded sizes (and fees).
  const firstNonce = new Map<string, bigint>();
  let createVersion: 1 | 2 = 1;
  for (const s of steps) {
    const m = s.message as Frame | undefined;
    if (s.kind !== 'recv' || !m?.method?.startsWith('channels.sign.')) continue;
    try {
      const tx = decodeTx(String(dataOf(m).signed_tx)).tx as unknown as Json;
      if (tx.tag === 'channel_create_tx' && m.method === 'channels.sign.initiator_sign') createVersion = tx.version === 2 ? 2 : 1;
      const origin = (tx.tag === 'channel_create_tx' ? tx.initiatorId : (tx.fromId ?? tx.toId)) as string | undefined;
      if (origin === undefined || typeof tx.nonce !== 'bigint') continue;
      const prev = firstNonce.get(origin);
      if (prev === undefined || tx.nonce < prev) firstNonce.set(origin, tx.nonce);
    } catch {
      // not a tx
    }
  }
  const genesisNonce = (ours: string) => {
    const recorded = [...fresh].find(([, v]) => v === ours)?.[0];
    const n = recorded === undefined ? undefined : firstNonce.get(recorded);
    return n !== undefined && n > 0n ? n - 1n : 0n;
  };
  const chain = DevChain.open({
    genesis: [...secret.keys()].map((address) => ({ address: address as AccountAddress, balance: 10n ** 24n, nonce: genesisNonce(address) })),
    rules: { protocol: 'iris', networkId: NETWORK_ID, acceptCreateV1: true },
    // Txs wait in the mempool until the replay makes blocks, as on the node the corpus was recorded with.
    autoMine: false,
  });
  const http = transport === 'websocket' ? await serveChainHttp(chain) : undefined;
  const node = await ChannelNode.start({ chain: inProcessAdapter(chain), createTxVersion: createVersion, connectTimeoutMs: 10_000 });
  const detach = http === undefined ? async () => undefined : serveChannelEndpoint(node, http.server);
  const sockets = new Map<string, Socket[]>();
  const all = () => [...sockets.values()].flat();
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of [...waiters]) w();
  };
  /** Resolves after `ms`, or at once when a frame comes or a socket closes. */
  const pause = (ms: number) =>
    new Promise<void>((r) => {
      const done = () => {
        waiters.delete(done);
        r();
      };
      waiters.add(done);
      setTimeout(done, ms);
    });
  const turn = (ms = 0) => new Promise<void>((r) => setTimeout(r, ms));
  /** Everything the replay can see move: frames in and out, FSMs, blocks, the mempool. */
  const activity = () => `${all().reduce((n, s) => n + s.received, 0)}/${sent}/${node.fsms.length}/${chain.height}/${chain.pendingCount}/${all().reduce((n, s) => n + s.ws.buffered, 0)}`;
  let sent = 0;
  let lastChange = Date.now();
  let lastActivity = '';
  /**
   * Waits until the node has nothing left to do: every FSM's inputs handled, every frame in
   * either direction delivered (three turns of the event loop in a row with nothing moving).
   */
  const quiet = async () => {
    for (let still = 0; still < 3; ) {
      await Promise.all(node.fsms.map((f) => f.settled()));
      await turn(1);
      const now = activity();
      if (now === lastActivity) still++;
      else {
        still = 0;
        lastActivity = now;
        lastChange = Date.now();
      }
    }
  };
  const current = (actor: string) => sockets.get(actor)?.at(-1);
  /**
   * The first nonce the recording shows for a recorded account in a tx after step `from` (of a
   * sign request: the account's own txs).
   */
  const recordedNonceAfter = (account: string, from: number): bigint | undefined => {
    for (const s of steps.slice(from)) {
      const m = s.message as Frame | undefined;
      if (s.kind !== 'recv' || !m?.method?.startsWith('channels.sign.')) continue;
      try {
        const tx = decodeTx(String(dataOf(m).signed_tx)).tx as unknown as Json;
        const origin = (tx.tag === 'channel_create_tx' ? tx.initiatorId : (tx.fromId ?? tx.toId)) as string | undefined;
        if (origin !== undefined && ids.get(origin) === ids.get(account) && typeof tx.nonce === 'bigint') return tx.nonce;
      } catch {
        // not a tx
      }
    }
    return undefined;
  };
  // The stale close_solo the node's test suite posted itself before `can_slash` (sc_ws_slash,
  // sc_ws_abort_slash), of the channel's first state, by one participant or the other: the one
  // whose next recorded tx skips a nonce.
  let staleClosePosted = false;
  let stepIndex = 0;
  const postStaleClose = async () => {
    staleClosePosted = true;
    const open = steps.slice(0, stepIndex).filter((s) => s.kind === 'connect' && s.actor === 'initiator' && connectParams(s).initiator_id !== undefined).at(-1);
    if (open === undefined) return;
    const p = connectParams(open);
    const initiator = ids.get(p.initiator_id!) as AccountAddress;
    const responder = ids.get(p.responder_id!) as AccountAddress;
    const channelId = [...ids.entries()].map(([, v]) => v).filter((v) => v.startsWith('ch_')).at(-1);
    if (channelId === undefined) return;
    const skips = (recorded: string, ours: AccountAddress) => {
      const next = recordedNonceAfter(recorded, stepIndex);
      return next !== undefined && next > chain.nextNonce(ours);
    };
    const poster = !skips(p.initiator_id!, initiator) && skips(p.responder_id!, responder) ? responder : initiator;
    const state = initialState({
      initiator,
      initiatorAmount: BigInt(p.initiator_amount!),
      responder,
      responderAmount: BigInt(p.responder_amount!),
      pushAmount: BigInt(p.push_amount ?? 0),
    });
    const nonce = chain.nextNonce(poster);
    const built = withMinimumFee(
      (fee) =>
        ({ tag: 'channel_close_solo_tx', version: 1, channelId, fromId: poster, payload: null, poi: buildPoi(state.trees, { accounts: [initiator, responder] }), ttl: 0n, fee, nonce }) as never,
      {},
      1_000_000_000n,
    );
    if (!built.ok) return;
    const sig = await signTransaction(encodeObject(built.tx), NETWORK_ID, secret.get(poster)!);
    await chain.postTx(encodeTx({ tag: 'signed_tx', version: 1, signatures: [sig], tx: built.tx })).catch(() => undefined);
  };
  /**
   * The height whose generation holds the last micro block the replay made. Each micro block goes
   * into a generation of its own (a key block first when the current one has one already): txs
   * posted at different times then reach their minimum depths one after the other, as on the
   * recording node, whose chain went on in real time between them.
   */
  let microAt: bigint | undefined;
  /** Makes the block a recorded frame waits for: a micro block with what the mempool holds, else a key block. */
  const makeBlock = async () => {
    if (chain.pendingCount > 0) {
      if (microAt === chain.height) await chain.emitKeyBlocks(1);
      await chain.emitMicroBlock();
      microAt = chain.height;
      return;
    }
    await chain.emitKeyBlocks(1);
  };
  /**
   * Notes the frames left on a socket as extra: ours, and not in the recording. Except answers to
   * what the client sent after it saw its FSM's `died`: the node's WebSocket handler closes the
   * socket once the FSM is down (sc_ws_handler, `'DOWN'` → `stop`), which races with such a request
   * (in `assume_min_depth` the stop sent after `died` got its "ok"; in `sc_ws_update_conflict` the
   * socket closed first). Ours keeps the socket until the client closes it and answers.
   */
  const leftOver = (actor: string, s: Socket, where: string) => {
    for (const m of s.queue.splice(0)) {
      if (older?.extra?.(m, s) === true) {
        olderNode.push(`${where}: ${describe(m)}, which the recording does not have`);
        continue;
      }
      if (isReply(m) && s.requestsAfterDied > 0) {
        s.requestsAfterDied--;
        afterDied++;
        continue;
      }
      extraFrames.push(`${where}: ${actor} got ${describe(m)}, which the recording does not have`);
    }
  };

  try {
    for (const [index, step] of steps.entries()) {
      if (mismatches.length > 0 || extraFrames.length > 0) break;
      stepIndex = index;
      if (step.kind === 'connect') staleClosePosted = false;
      const where = `step ${index} (${step.actor} ${step.kind})`;
      if (step.kind === 'connect') {
        const url = new URL(step.url!);
        const local = new URL(`${http === undefined ? 'ws://localhost' : http.url.replace('http', 'ws')}/channel`);
        for (const [k, v] of url.searchParams) local.searchParams.set(k, (ids.substitute(v) as string) ?? v);
        const socket: Socket = { ws: NOT_YET, queue: [], received: 0, closed: false, requestsAfterDied: 0 };
        const onFrame = (text: string) => {
          const m = parseJson(text) as Frame;
          if (process.env.AESC_DEBUG) console.log(`  ${step.actor} <- ${describe(m)}`);
          socket.queue.push(m);
          socket.received++;
          if (m.method?.startsWith('channels.sign.')) socket.lastSign = String(dataOf(m).signed_tx);
          wake();
        };
        const onClose = () => {
          socket.closed = true;
          wake();
        };
        socket.ws = http === undefined ? await memoryEnd(node, local.toString(), onFrame, onClose) : await websocketEnd(local.toString(), onFrame, onClose);
        sockets.set(step.actor, [...(sockets.get(step.actor) ?? []), socket]);
        continue;
      }
      if (step.kind === 'close') {
        // The recording logs a close where the client noticed it, sometimes after it had opened a
        // new session: the socket closed is the actor's oldest one still open. What our node sent
        // it that the recording does not have is extra.
        const s = (sockets.get(step.actor) ?? []).find((x) => !x.closeStepSeen);
        if (s !== undefined) {
          s.closeStepSeen = true;
          await quiet();
          leftOver(step.actor, s, where);
          await s.ws.close();
        }
        continue;
      }
      if (step.kind === 'send') {
        const s = current(step.actor);
        if (s === undefined || !s.ws.open) {
          mismatches.push(`${where}: the recorded client sends ${(step.message as Frame).method ?? 'a frame'} on a socket our node has closed`);
          break;
        }
        const m = ids.substitute(step.message) as Frame;
        const params = m.params as Json | undefined;
        if (m.method !== undefined && params && typeof params.signed_tx === 'string' && s.lastSign !== undefined) {
          const me = ids.get(roleAccount(steps, step.actor));
          if (me !== undefined && secret.has(me)) {
            let signed = decodeTx(s.lastSign);
            // The recorded client sometimes sent a tx signed by both parties (the test suite holds
            // both keys): do the same with ours.
            const recorded = decodeTx(String((step.message as Frame).params?.signed_tx));
            const signers = recorded.signatures.length > signed.signatures.length + 1 ? [...secret.values()] : [secret.get(me)!];
            for (const key of signers) signed = addSignature(signed, await signTransaction(encodeObject(signed.tx), NETWORK_ID, key));
            params.signed_tx = encodeTx(signed);
          }
        }
        if (process.env.AESC_DEBUG) console.log(`  ${step.actor} -> ${m.method}`);
        if (s.died && m.id !== undefined) s.requestsAfterDied++;
        s.ws.send(stringifyJson(m));
        sent++;
        continue;
      }
      if (step.kind !== 'recv') continue;
      const expected = step.message as Frame;
      const seen = current(step.actor);
      if (seen !== undefined && older?.missing?.(expected, seen) === true) {
        olderNode.push(`${where}: ${describe(expected)}, which only the older node sent`);
        seen.lastMatched = expected;
        continue;
      }
      const deadline = Date.now() + RECV_BUDGET_MS;
      let found: { socket: Socket; msg: Frame } | undefined;
      let idleChecked = false;
      for (;;) {
        // The recorded frame must be the next of ours, of its stream, on one of this client's sockets.
        const mine = sockets.get(step.actor) ?? [];
        for (const s of mine) {
          for (let k = nextOfStream(s.queue, expected); k >= 0 && !sameFrame(expected, s.queue[k]!) && older?.extra?.(s.queue[k]!, s) === true; k = nextOfStream(s.queue, expected)) {
            olderNode.push(`${where}: ${describe(s.queue[k]!)} before ${describe(expected)}, which the recording does not have`);
            s.queue.splice(k, 1);
          }
          const k = nextOfStream(s.queue, expected);
          if (k >= 0 && sameFrame(expected, s.queue[k]!)) {
            if (k > 0) reordered++;
            found = { socket: s, msg: s.queue.splice(k, 1)[0]! };
            break;
          }
        }
        if (found !== undefined) break;
        const heads = mine.filter((s) => nextOfStream(s.queue, expected) >= 0);
        if (heads.length > 0 || Date.now() > deadline) {
          // Another frame came first. Once the node is idle, that stands (nothing may come before
          // it on another socket of this client).
          if (!idleChecked && Date.now() <= deadline) {
            await quiet();
            idleChecked = true;
            continue;
          }
          const got = mine.map((s) => (s.queue.length > 0 ? s.queue.slice(0, 3).map(describe).join(', ') : s.closed ? '(closed)' : '(nothing)'));
          if (heads.length > 0) extraFrames.push(`${where}: expected ${describe(expected)}, got ${got.join(' | ')} first`);
          else mismatches.push(`${where}: expected ${describe(expected)}, got nothing in ${RECV_BUDGET_MS / 1000} s`);
          break;
        }
        idleChecked = false;
        // Nothing yet. Once the node has nothing left to do, what the frame waits for is the chain
        // (or a timer): a micro block with what the mempool holds, else, after a while, a key block.
        await pause(5);
        if (mine.some((s) => nextOfStream(s.queue, expected) >= 0)) continue;
        await quiet();
        if (mine.some((s) => nextOfStream(s.queue, expected) >= 0)) continue;
        if (!staleClosePosted && dataOf(expected).info === 'can_slash') {
          await postStaleClose();
          continue;
        }
        if (chain.pendingCount > 0 || Date.now() - lastChange >= KEY_BLOCK_AFTER_MS) await makeBlock();
        else await pause(KEY_BLOCK_AFTER_MS);
      }
      if (found === undefined) break;
      const seenBefore = { lastMatched: found.socket.lastMatched, lastState: found.socket.lastState };
      found.socket.lastMatched = expected;
      if (dataOf(expected).event === 'died') found.socket.died = true;
      if (found.msg.method === 'channels.update') found.socket.lastState = String(dataOf(found.msg).state);
      framesCompared++;
      const asOlder = older?.asOlder?.(expected, found.msg, seenBefore);
      const diffs = compareFrame(expected, asOlder ?? found.msg, ids, counts);
      if (diffs.length > 0) {
        mismatches.push(`${where} ${describe(expected)}: ${diffs.slice(0, 4).join('; ')}`);
        break;
      }
      if (asOlder !== undefined) olderNode.push(`${where} ${describe(expected)}: as the older node sent it`);
    }
    if (mismatches.length === 0 && extraFrames.length === 0) {
      // The transcript is over: whatever our node sent that the recording does not have is extra.
      await quiet();
      for (const [actor, list] of sockets) for (const s of list) leftOver(actor, s, 'at the end');
    }
  } catch (e) {
    mismatches.push(`harness error: ${String(e)}`);
  } finally {
    for (const s of all()) s.ws.terminate();
    await detach();
    await node.close();
    await http?.close();
    await chain.close();
  }
  return { file: t.file, group: t.group, framesCompared, valuesCompared: counts.values, repliesReordered: reordered, answersAfterDied: afterDied, extraFrames, mismatches, olderNode };
}

/** The account a transcript's actor opens with (from its first connect step). */
function roleAccount(steps: readonly Step[], actor: string): string {
  const open = steps.find((s) => s.kind === 'connect' && s.actor === actor && connectParams(s).initiator_id !== undefined);
  const p = open ? connectParams(open) : {};
  return (actor === 'initiator' ? p.initiator_id : p.responder_id) ?? '';
}

/** What {@link replayCorpusAgainstNode} found. */
export interface NodeCorpusReport {
  readonly results: readonly NodeTranscriptResult[];
  readonly leftOut: readonly string[];
}

/** Replays every transcript that needs no contract VM against fresh nodes, one at a time, each once. */
export async function replayCorpusAgainstNode(
  transcripts: readonly Transcript[],
  onResult?: (r: NodeTranscriptResult) => void,
  only?: (t: Transcript) => boolean,
  transport: ReplayTransport = 'websocket',
): Promise<NodeCorpusReport> {
  const results: NodeTranscriptResult[] = [];
  const leftOut: string[] = [];
  for (const t of transcripts) {
    if (only !== undefined && !only(t)) continue;
    const vm = needsVm(t);
    if (vm !== undefined) {
      leftOut.push(`${t.file}: needs the contract VM (${vm})`);
      continue;
    }
    const steps = t.steps.some((s) => s.kind === 'connect') ? t.steps : continuationSteps(t, transcripts);
    const r = await replayTranscriptAgainstNode(t, steps, continuationAliases(t, steps, transcripts), transport);
    results.push(r);
    onResult?.(r);
  }
  return { results, leftOut };
}
