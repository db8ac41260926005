/**
 * `pnpm bench:node`: how fast and how big the channel node `@aesc/node` is, measured in one run
 * against a node started in this process (`startDevnet({ port: 0 })`, embedded dev chain, state
 * cache in memory) and driven over loopback WebSocket by bare JSON-RPC clients that sign what the
 * node asks them to sign, as any client written for the æternity node would.
 *
 * What is measured:
 *
 * 1. **One channel, sequential transfers.** The initiator's client sends `channels.update.new`
 *    (initiator → responder, amount 1) and signs `channels.sign.update`; the responder's client signs
 *    `channels.sign.update_ack`; a transfer is done when both clients got `channels.update`. After a
 *    warm-up, {@link SINGLE_TRANSFERS} transfers one after the other: transfers/s, and the latency of
 *    each (from `update.new` sent to the initiator's `channels.update`), p50 / p99, and the process's
 *    CPU time per transfer. Then as many again, in blocks that alternate with run 4's rounds, so
 *    that the share of the floor compares figures taken on the same machine at the same time. The clients sign
 *    with a key prepared once (see {@link Signing}); the same run is repeated on a second channel
 *    with clients that call `signTransaction` per signature, to show what the clients' own signing
 *    costs the shared thread.
 * 2. **100 concurrent channels.** Each channel between its own pair of accounts, each doing
 *    sequential transfers as in 1, all at once for {@link CONCURRENT_SECONDS} seconds: aggregate
 *    transfers/s and the per-transfer latency under that load. Busy with many channels, the node
 *    checks signatures on another thread (see `signatureCheck` in @aesc/node), so this run uses a
 *    second core where run 1 uses one.
 * 3. **Resident memory per open channel.** Channels opened in batches (to 100, 1000, … up to
 *    `--channels N`, default 1000; `--channels 10000` for the target) with `minimum_depth=0`,
 *    `minimum_depth_strategy=plain` so no key blocks are needed; after each step, a full GC, then
 *    (RSS − RSS before the first batch) / channels open. The clients run in this same process, so the
 *    figure includes their two WebSockets per channel (both ends of every socket live here) and the
 *    embedded chain's growth (one micro block per channel_create_tx): it is an upper bound on what
 *    the node itself needs. Opening stops after `--open-budget` seconds (default 600), and the count
 *    reached is printed. Each channel costs 4 file descriptors here, so `ulimit -n` caps the run
 *    (20,000 gives about 4,900 channels). `--via session` connects the clients to node sessions in
 *    this process (`ChannelNode.connect`, what the WebSocket endpoint calls per socket) instead:
 *    no sockets, no descriptors, so 10,000 channels are measured rather than projected; the figure
 *    then leaves out the two WebSockets per channel, whose cost the default run shows.
 *    `--only-1` runs run 1's first channel alone (for `--cpu-prof`). `--durable` gives the node a
 *    data dir: its state cache (and the chain) in SQLite, each write on disk before the round is
 *    acknowledged, as `aesc node start --data-dir` runs; by default the state cache is in memory.
 * 4. **The crypto floor of a round** (measured between run 1's blocks, printed after run 2).
 *    What one co-signed update needs at minimum, done with `@aesc/crypto`'s `signTransaction` /
 *    `verifyTransactionSignature` on the bytes of a real `channel_offchain_tx` from run 1: 2 ed25519
 *    signatures (one per client) and 4 verifications, one per check a round has: the node checks
 *    each client's signature when its sign reply comes in (`#onSignReply`), and each FSM checks its
 *    peer's (`#onUpdate`, `#onUpdateAck`). Printed as rounds/s, and run 1's transfers/s as a share
 *    of it (over all blocks, and block by block: the median and range show how far the machine's
 *    drift moves the share within one run). (The node hosting both FSMs makes only the first two: its signature check remembers
 *    what it verified, and skips a co-signed tx's signature it knows to be the other party's.) The
 *    same 6 operations are timed again with key objects prepared once (`Ed25519.signerFor` /
 *    `verifierFor`). Last, a signature and a check as they take inside run 1's rounds (the
 *    clients' signing calls, and the node's checks through `startDevnet({ ed25519 })`) against the
 *    same calls in that loop: on our VMs the ones inside rounds are slower (see DEVELOPERS.md).
 * 5. **The message floor of a round** (measured in the same blocks as 4, printed after it): the
 *    frames of one recorded transfer passed again over loopback WebSockets between a bare `ws`
 *    server and two clients, with no work in between ({@link messageFloor}); then a round of run 1
 *    split into the crypto floor, the message floor and the rest (what the node's own code costs);
 *    and, in the same blocks, transfers on a channel whose clients talk to node sessions in this
 *    process (no sockets: frames handed over on the next turn of the event loop), to show what
 *    the sockets add to a round.
 *
 * Accounts: the embedded chain's genesis is a temporary file with 6 + 200 + 2 × `--channels`
 * accounts (`devAccounts(n)`, each with the dev balance), so every channel has its own pair.
 *
 * The targets (≥ 1,000 transfers/s on one channel, ≥ 50 % of the floor, 10,000 open channels in
 * ≤ 2 GiB) are printed next to the figures for information; the script never fails on them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DevAccount, devAccounts } from '@aesc/chain';
import { buildConnectUrl } from '@aesc/channel-api';
import { type Ed25519, addSignature, defaultEd25519, publicKeyOf, seedOf, signTransaction, signingMessage, verifyTransactionSignature } from '@aesc/crypto';
import { decodeTx, encodeObject, encodeTx, fromHex } from '@aesc/encoding';
import { type DevnetHandle as NodeHandle, startDevnet } from '@aesc/devnet';
import WebSocket from 'ws';
import { argInt } from './arg-int.js';
import { writeGenesisFile } from './genesis-file.js';
import { type TraceFrame, messageFloor } from './message-floor.js';

// ----- settings -------------------------------------------------------------------------------

/** Transfers on one channel before measuring (JIT, caches): fewer leave run 1 still warming up. */
const WARMUP_TRANSFERS = 1000;
/** Unmeasured transfers at the start of each block of run 1's second part (after the floor's rounds). */
const RE_WARM = 50;
/** Transfers measured on one channel. */
const SINGLE_TRANSFERS = 2000;
/** Channels transferring at once in run 2. */
const CONCURRENT_CHANNELS = 100;
/** How long run 2 transfers (after a short warm-up). */
const CONCURRENT_SECONDS = 5;
/** Rounds of the crypto floor. */
const FLOOR_ROUNDS = 2000;
/** Run 1's transfers and run 4's floor rounds alternate in this many blocks. */
const BLOCKS = 10;
/** Channels opened at once while opening in bulk (runs 2 and 3). */
const OPEN_CONCURRENCY = 50;
/** The memory steps: channel counts at which RSS is read (capped by `--channels`). */
const MEMORY_STEPS = [100, 1000, 2000, 4000, 10000, 20000, 50000];
/** An opening that takes longer than this is reported and ends run 3 early. */
const OPEN_TIMEOUT_MS = 60_000;
/**
 * Run 3 stops opening (and reads RSS at the count reached) after this long: opening slows down as
 * channels accumulate (see the report), so `--channels 10000` may not get there in reasonable time.
 * `--open-budget SECONDS` changes it.
 */
const OPEN_BUDGET_S = 600;

let only1 = false;

// ----- time in the crypto calls themselves ---------------------------------------------------------

/**
 * Time spent inside Ed25519 calls, while switched on: node:crypto signs or checks before the call
 * returns its promise, so timing the call times the crypto alone. Run 1's blocks time the
 * clients' signatures and the node's checks inside rounds ({@link inRounds}); the floor's blocks
 * time the same calls in its tight loop ({@link inLoop}).
 */
class CryptoClock {
  on = false;
  readonly signs = new CallTime(this);
  readonly checks = new CallTime(this);
}

/** One kind of call under a {@link CryptoClock}: the µs spent in it while the clock is on, and how many calls. */
class CallTime {
  us = 0;
  calls = 0;
  constructor(readonly clock: { readonly on: boolean }) {}
  time<T>(call: () => T): T {
    if (!this.clock.on) return call();
    const t0 = performance.now();
    const out = call();
    this.us += (performance.now() - t0) * 1000;
    this.calls++;
    return out;
  }
  /** µs per call. */
  get mean(): number {
    return this.us / Math.max(this.calls, 1);
  }
}
const inRounds = new CryptoClock();
const inLoop = new CryptoClock();

/** `ed` with its prepared checks timed by `clock` (the node is given this one: `startDevnet({ ed25519 })`). */
function timedChecks(ed: Ed25519, clock: CryptoClock): Ed25519 {
  return {
    ...ed,
    verifierFor: (pk) => {
      const verify = ed.verifierFor(pk);
      return (signature, message) => clock.checks.time(() => verify(signature, message));
    },
  };
}

// ----- a bare JSON-RPC client that signs what it is asked to --------------------------------------

/**
 * How the bench's clients sign: `prepared` (default) with a key object made once per client
 * (`Ed25519.signerFor`, ~40 µs a signature with node:crypto), so that the clients, which share
 * this process's one JS thread with the node, take as little of it as they can; `api` with
 * `signTransaction` per signature (as the node's test client does: it imports the key each time).
 */
type Signing = 'prepared' | 'api';

/** Sign requests and the reply method for each (the ones a transfer and an opening use). */
const SIGN_REPLY: Record<string, string> = {
  'channels.sign.initiator_sign': 'channels.initiator_sign',
  'channels.sign.responder_sign': 'channels.responder_sign',
  'channels.sign.update': 'channels.update',
  'channels.sign.update_ack': 'channels.update_ack',
};

/**
 * One participant's client: a WebSocket to `/channel` that answers every sign request with its
 * signature added and counts the frames it got by kind (`channels.update`, `info:open`, …), so a
 * caller can wait for the n-th one without keeping frames around. Frames are parsed with
 * `JSON.parse` (the fields read here are strings; lossless parsing is the node's job, not ours).
 */
class Client {
  /** How frames go to the node: a WebSocket, or a session of the node in this process. */
  readonly #link: Link;
  /** Signs a signing message with this client's key, prepared once (`Ed25519.signerFor`); undefined: `signTransaction` per signature. */
  readonly #signer: ((message: Uint8Array) => Promise<Uint8Array>) | undefined;
  /** The last `channels.update` frame's `state` (a co-signed offchain tx). */
  lastState: string | undefined;
  /** Where this client notes the frames it gets and sends, while a round is recorded (see {@link messageFloor}). */
  #trace: { frames: TraceFrame[]; client: 'i' | 'r' } | undefined;
  #counts = new Map<string, number>();
  #waiters: { key: string; n: number; resolve: () => void; reject: (e: Error) => void }[] = [];
  #error: Error | undefined;

  constructor(
    url: string,
    readonly secretKey: Uint8Array,
    readonly networkId: string,
    signing: Signing,
    via: NodeHandle | undefined = undefined,
  ) {
    this.#signer = signing === 'prepared' ? defaultEd25519().signerFor(seedOf(secretKey)) : undefined;
    this.#link = via === undefined ? wsLink(url, this) : sessionLink(via, url, this);
  }

  /** A frame from the node. */
  receive(text: string): void {
    this.#trace?.frames.push({ client: this.#trace.client, fromNode: true, text });
    this.#onMessage(text);
  }

  /** Notes every frame this client gets or sends in `frames` (as `client`), until called with undefined. */
  record(frames: TraceFrame[] | undefined, client: 'i' | 'r'): void {
    this.#trace = frames === undefined ? undefined : { frames, client };
  }

  /** The link failed or closed. */
  fail(e: Error): void {
    this.#fail(e);
  }

  #onMessage(text: string): void {
    const f = JSON.parse(text) as { method?: string; error?: unknown; params?: { data?: Record<string, unknown> } };
    if (f.error !== undefined) {
      this.#fail(new Error(`node error: ${text}`));
      return;
    }
    const m = f.method;
    if (m === undefined) return; // a reply ("ok") to a request with an id
    const reply = SIGN_REPLY[m];
    if (reply !== undefined) void this.#sign(reply, f.params!.data!.signed_tx as string);
    if (m === 'channels.update') this.lastState = f.params!.data!.state as string;
    if (m === 'channels.conflict') {
      this.#fail(new Error(`conflict: ${text}`));
      return;
    }
    this.#count(m === 'channels.info' ? `info:${String(f.params?.data?.event)}` : m);
  }

  /** Adds this client's signature to the tx the node sent and replies with it. */
  async #sign(method: string, tx: string): Promise<void> {
    const s = decodeTx(tx);
    const bytes = encodeObject(s.tx);
    const signer = this.#signer;
    const message = signingMessage(bytes, this.networkId);
    const sig = signer ? await inRounds.signs.time(() => signer(message)) : await signTransaction(bytes, this.networkId, this.secretKey);
    this.send({ jsonrpc: '2.0', method, params: { signed_tx: encodeTx(addSignature(s, sig)) } });
  }

  #count(key: string): void {
    const n = (this.#counts.get(key) ?? 0) + 1;
    this.#counts.set(key, n);
    if (this.#waiters.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => {
      if (w.key !== key || w.n > n) return true;
      w.resolve();
      return false;
    });
  }

  #fail(e: Error): void {
    this.#error ??= e;
    for (const w of this.#waiters.splice(0)) w.reject(e);
  }

  count(key: string): number {
    return this.#counts.get(key) ?? 0;
  }

  /** Resolves once `key` was seen `n` times in all. */
  waitFor(key: string, n: number): Promise<void> {
    if (this.#error) return Promise.reject(this.#error);
    if (this.count(key) >= n) return Promise.resolve();
    return new Promise((resolve, reject) => this.#waiters.push({ key, n, resolve, reject }));
  }

  send(message: unknown): void {
    const text = JSON.stringify(message);
    this.#trace?.frames.push({ client: this.#trace.client, fromNode: false, text });
    this.#link.send(text);
  }

  close(): void {
    this.#link.close();
  }
}

/** A client's way to the node. */
interface Link {
  send(text: string): void;
  close(): void;
}

/** Over a WebSocket to the node's `/channel` endpoint (2 descriptors per client in this process: both ends). */
function wsLink(url: string, client: Client): Link {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  ws.on('message', (data) => client.receive(data.toString()));
  ws.on('error', (e) => client.fail(e));
  ws.on('close', () => client.fail(new Error('socket closed')));
  return {
    send: (text) => ws.send(text),
    close: () => {
      ws.removeAllListeners('close');
      ws.close();
    },
  };
}

/**
 * Straight to a session of the node in this process (`ChannelNode.connect`, what its WebSocket
 * endpoint does for each socket), with frames handed over on the next tick both ways: no sockets,
 * so no descriptors — the memory run can go past the `ulimit -n` a socket per client meets.
 */
function sessionLink(node: NodeHandle, url: string, client: Client): Link {
  const queue: string[] = [];
  let session: { onFrame(text: string): void; onClose(): void } | undefined;
  let closed = false;
  void node.node
    .connect(url, {
      send: (frame) => setImmediate(() => client.receive(frame)),
      close: () => client.fail(new Error('session closed')),
    })
    .then((r) => {
      if (!r.ok) return client.fail(new Error(`node refused: ${r.frame}`));
      session = r.session;
      for (const text of queue.splice(0)) session.onFrame(text);
      if (closed) session.onClose();
    });
  return {
    send: (text) => {
      if (session === undefined) queue.push(text);
      else setImmediate(() => session!.onFrame(text));
    },
    close: () => {
      closed = true;
      session?.onClose();
    },
  };
}

/** An open channel: both clients and their accounts. */
interface Channel {
  readonly i: Client;
  readonly r: Client;
  readonly a: DevAccount;
  readonly b: DevAccount;
}

let nextPort = 20000;

/** Opens a channel between `a` (initiator) and `b` (responder) and waits until both clients have its first state. */
async function openChannel(node: NodeHandle, a: DevAccount, b: DevAccount, signing: Signing = 'prepared', via: 'ws' | 'session' = 'ws'): Promise<Channel> {
  const port = nextPort++; // the responder's "listen port": only a rendezvous key inside one node
  const url = (role: string) =>
    buildConnectUrl(node.channelUrl, {
      protocol: 'json-rpc',
      role,
      host: '127.0.0.1',
      port,
      initiator_id: a.address,
      responder_id: b.address,
      initiator_amount: 10 ** 12,
      responder_amount: 10 ** 12,
      push_amount: 0,
      channel_reserve: 1,
      lock_period: 2,
      minimum_depth: 0,
      minimum_depth_strategy: 'plain',
    });
  const networkId = node.node.chainInfo.networkId;
  const session = via === 'session' ? node : undefined;
  const r = new Client(url('responder'), fromHex(b.secretKey)!, networkId, signing, session);
  const i = new Client(url('initiator'), fromHex(a.secretKey)!, networkId, signing, session);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`channel not open after ${OPEN_TIMEOUT_MS} ms`)), OPEN_TIMEOUT_MS);
  });
  try {
    await Promise.race([Promise.all([i.waitFor('channels.update', 1), r.waitFor('channels.update', 1)]), timeout]);
  } finally {
    clearTimeout(timer);
  }
  return { i, r, a, b };
}

/** Opens one channel per pair, at most {@link OPEN_CONCURRENCY} at a time, in order; stops early (between groups) once past `deadline` (ms, performance.now()). */
async function openChannels(node: NodeHandle, pairs: readonly (readonly [DevAccount, DevAccount])[], deadline = Number.POSITIVE_INFINITY, via: 'ws' | 'session' = 'ws'): Promise<Channel[]> {
  const out: Channel[] = [];
  for (let k = 0; k < pairs.length && performance.now() < deadline; k += OPEN_CONCURRENCY) {
    out.push(...(await Promise.all(pairs.slice(k, k + OPEN_CONCURRENCY).map(([a, b]) => openChannel(node, a, b, 'prepared', via)))));
  }
  return out;
}

/** One co-signed transfer of 1 aetto from initiator to responder; resolves with its latency (ms) once both clients got `channels.update`. */
async function transfer(ch: Channel): Promise<number> {
  const iDone = ch.i.waitFor('channels.update', ch.i.count('channels.update') + 1);
  const rDone = ch.r.waitFor('channels.update', ch.r.count('channels.update') + 1);
  const t0 = performance.now();
  ch.i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: ch.a.address, to: ch.b.address, amount: 1 } });
  await iDone;
  const latency = performance.now() - t0;
  await rDone;
  return latency;
}

/**
 * The crypto floor of a round (run 4) on the bytes of the channel's latest `channel_offchain_tx`:
 * `round` with `signTransaction` / `verifyTransactionSignature`, `prepared` with key objects made
 * once (`Ed25519.signerFor` / `verifierFor`): 2 signatures and 4 verifications each.
 */
function cryptoFloor(ch: Channel, networkId: string): { round: () => Promise<void>; prepared: () => Promise<void> } {
  const txBytes = encodeObject(decodeTx(ch.i.lastState!).tx);
  const ska = fromHex(ch.a.secretKey)!;
  const skb = fromHex(ch.b.secretKey)!;
  const pka = publicKeyOf(ch.a.address);
  const pkb = publicKeyOf(ch.b.address);
  const ed = defaultEd25519();
  const msg = signingMessage(txBytes, networkId);
  const [signA, signB] = [ed.signerFor(seedOf(ska)), ed.signerFor(seedOf(skb))];
  const [verA, verB] = [ed.verifierFor(pka), ed.verifierFor(pkb)];
  return {
    round: async () => {
      const sa = await signTransaction(txBytes, networkId, ska); // initiator's client
      if ((await verifyTransactionSignature(sa, txBytes, networkId, pka)) === null) throw new Error('bad sig'); // node: initiator's sign reply
      if ((await verifyTransactionSignature(sa, txBytes, networkId, pka)) === null) throw new Error('bad sig'); // responder FSM: peer's half
      const sb = await signTransaction(txBytes, networkId, skb); // responder's client
      if ((await verifyTransactionSignature(sb, txBytes, networkId, pkb)) === null) throw new Error('bad sig'); // node: responder's sign reply
      if ((await verifyTransactionSignature(sb, txBytes, networkId, pkb)) === null) throw new Error('bad sig'); // initiator FSM: update_ack
    },
    prepared: async () => {
      const { signs, checks } = inLoop;
      const sa = await signs.time(() => signA(msg));
      if (!(await checks.time(() => verA(sa, msg))) || !(await checks.time(() => verA(sa, msg)))) throw new Error('bad sig');
      const sb = await signs.time(() => signB(msg));
      if (!(await checks.time(() => verB(sb, msg))) || !(await checks.time(() => verB(sb, msg)))) throw new Error('bad sig');
    },
  };
}

// ----- figures --------------------------------------------------------------------------------

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const MiB = 1024 * 1024;

/** Rows of the final table: what, figure, target. */
const rows: [string, string, string][] = [];

function row(what: string, figure: string, target = ''): void {
  rows.push([what, figure, target]);
  console.log(`  ${what}: ${figure}`);
}

function printTable(): void {
  const head: [string, string, string] = ['measure', 'figure', 'target (information only)'];
  const all = [head, ...rows];
  const w = [0, 1, 2].map((c) => Math.max(...all.map((r) => r[c]!.length)));
  const line = (r: readonly string[]) => `| ${r.map((cell, c) => cell.padEnd(w[c]!)).join(' | ')} |`;
  console.log();
  console.log(line(head));
  console.log(`|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

/** RSS after a full GC (twice: the first pass can leave finalizer-held objects for the second). */
function rssAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return process.memoryUsage().rss;
}

const met = (ok: boolean) => (ok ? 'met' : 'NOT met');

// ----- the runs -------------------------------------------------------------------------------

async function main(): Promise<void> {
  const maxChannels = argInt('--channels', 1000);
  // --only-1: run 1's first channel alone (for profiling with --cpu-prof), no table.
  only1 = process.argv.includes('--only-1');
  // --heap-snapshot: write a V8 heap snapshot after the memory run (where the bytes per channel go).
  const openBudgetS = argInt('--open-budget', OPEN_BUDGET_S);
  // --via session: run 3's clients talk to node sessions in this process instead of WebSockets.
  const viaArg = process.argv.indexOf('--via');
  const via = viaArg >= 0 ? process.argv[viaArg + 1] : 'ws';
  if (via !== 'ws' && via !== 'session') throw new Error('--via ws|session');
  if ((globalThis as { gc?: unknown }).gc === undefined) console.log('note: run with node --expose-gc for GC before RSS readings');
  console.log(`bench:node — Node ${process.version}, --channels ${maxChannels}`);

  // Accounts: 2 pairs for run 1, 100 pairs for run 2, maxChannels pairs for run 3, in one genesis file.
  let t = performance.now();
  const accounts = await devAccounts(2 * (3 + CONCURRENT_CHANNELS + maxChannels));
  const pairs: [DevAccount, DevAccount][] = [];
  for (let k = 0; k < accounts.length; k += 2) pairs.push([accounts[k]!, accounts[k + 1]!]);
  const dir = mkdtempSync(join(tmpdir(), 'aesc-bench-node-'));
  const genesisPath = writeGenesisFile(dir, accounts);
  // --durable: the node keeps its state cache in SQLite under a temporary data dir (an fsync per
  // write, rounds that write in one turn share it), as `aesc node start --data-dir` does.
  const durable = process.argv.includes('--durable');
  const node = await startDevnet({ port: 0, genesis: genesisPath, ed25519: timedChecks(defaultEd25519(), inRounds), ...(durable ? { dataDir: join(dir, 'node') } : {}) });
  if (durable) console.log(`durable: state cache and chain in SQLite under ${join(dir, 'node')}`);
  const networkId = node.node.chainInfo.networkId;
  console.log(`node at ${node.channelUrl} (${networkId}), ${fmt(accounts.length)} funded accounts, ready in ${fmt(performance.now() - t)} ms`);
  const open: Channel[] = [];

  try {
    // 1. One channel, sequential transfers.
    console.log(`\n1. one channel: ${WARMUP_TRANSFERS} warm-up + ${SINGLE_TRANSFERS} sequential co-signed transfers`);
    /** Warm-up, then SINGLE_TRANSFERS sequential transfers: transfers/s and sorted latencies. */
    /** A channel's rate: the warm-up, then SINGLE_TRANSFERS in a row (with the process's CPU time per transfer). */
    const sequential = async (ch: Channel) => {
      for (let k = 0; k < WARMUP_TRANSFERS; k++) await transfer(ch);
      const lat: number[] = [];
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      for (let k = 0; k < SINGLE_TRANSFERS; k++) lat.push(await transfer(ch));
      const rate = (SINGLE_TRANSFERS * 1000) / (performance.now() - t0);
      const cpu = process.cpuUsage(cpu0);
      return { rate, lat: lat.sort((x, y) => x - y), cpuUs: (cpu.user + cpu.system) / SINGLE_TRANSFERS };
    };
    const one = await openChannel(node, ...pairs[0]!);
    open.push(one);
    const { rate: singleRate, lat, cpuUs } = await sequential(one);
    row('1 channel: transfers/s', fmt(singleRate), `≥ 1,000/s: ${met(singleRate >= 1000)}`);
    row('1 channel: latency p50 / p99', `${fmt(percentile(lat, 50), 2)} / ${fmt(percentile(lat, 99), 2)} ms`);
    // CPU time of this process per transfer (node and both clients, user + system, every thread:
    // V8's GC and compiler threads too): a second view of the cost on a machine shared with others.
    row('1 channel: process CPU per transfer (all threads)', `${fmt(cpuUs)} µs`);
    if (only1) return;
    // For the share of the crypto floor (run 4), transfers and floor rounds alternate in BLOCKS
    // blocks, so that both see the same machine: on a shared machine the speed drifts within a
    // minute, and a ratio of two figures taken a minute apart would measure the drift. Each block
    // of transfers starts after RE_WARM unmeasured ones, but still runs slower than the row above
    // (the floor's rounds leave garbage behind): the share is, if anything, understated.
    const floor = cryptoFloor(one, networkId);
    for (let k = 0; k < 200; k++) await floor.round();
    for (let k = 0; k < 200; k++) await floor.prepared();
    // The message floor (run 5) passes the frames of one recorded transfer again, with no work.
    const trace: TraceFrame[] = [];
    one.i.record(trace, 'i');
    one.r.record(trace, 'r');
    await transfer(one);
    one.i.record(undefined, 'i');
    one.r.record(undefined, 'r');
    const messages = await messageFloor(trace);
    for (let k = 0; k < 500; k++) await messages.round();
    // The same transfers without sockets (run 5): a channel whose clients talk to node sessions in
    // this process, frames handed over on the next turn of the event loop.
    const direct = await openChannel(node, ...pairs[2]!, 'prepared', 'session');
    open.push(direct);
    for (let k = 0; k < WARMUP_TRANSFERS; k++) await transfer(direct);
    let blockTransferMs = 0;
    let floorMs = 0;
    /** Each block's transfers/s ÷ floor rounds/s: how far the machine's drift moves the share. */
    const blockShares: number[] = [];
    let preparedMs = 0;
    let messagesMs = 0;
    let directMs = 0;
    for (let b = 0; b < BLOCKS; b++) {
      for (let k = 0; k < RE_WARM; k++) await transfer(one);
      let t0 = performance.now();
      inRounds.on = true;
      for (let k = 0; k < SINGLE_TRANSFERS / BLOCKS; k++) await transfer(one);
      inRounds.on = false;
      const transfersMs = performance.now() - t0;
      blockTransferMs += transfersMs;
      t0 = performance.now();
      for (let k = 0; k < FLOOR_ROUNDS / BLOCKS; k++) await floor.round();
      const roundsMs = performance.now() - t0;
      floorMs += roundsMs;
      blockShares.push((SINGLE_TRANSFERS / transfersMs) / (FLOOR_ROUNDS / roundsMs));
      t0 = performance.now();
      inLoop.on = true;
      for (let k = 0; k < FLOOR_ROUNDS / BLOCKS; k++) await floor.prepared();
      inLoop.on = false;
      preparedMs += performance.now() - t0;
      t0 = performance.now();
      for (let k = 0; k < FLOOR_ROUNDS / BLOCKS; k++) await messages.round();
      messagesMs += performance.now() - t0;
      for (let k = 0; k < RE_WARM; k++) await transfer(direct);
      t0 = performance.now();
      for (let k = 0; k < SINGLE_TRANSFERS / BLOCKS; k++) await transfer(direct);
      directMs += performance.now() - t0;
    }
    await messages.close();
    const blockRate = (SINGLE_TRANSFERS * 1000) / blockTransferMs;
    // The same with clients that sign through signTransaction (a key import per signature), as a
    // naive client would: shows how much of the thread the clients' signing took above.
    const naive = await openChannel(node, ...pairs[1]!, 'api');
    open.push(naive);
    const api = await sequential(naive);
    row('1 channel, clients sign via signTransaction', `${fmt(api.rate)}/s, p50 / p99 ${fmt(percentile(api.lat, 50), 2)} / ${fmt(percentile(api.lat, 99), 2)} ms`);

    // 2. 100 concurrent channels.
    console.log(`\n2. ${CONCURRENT_CHANNELS} channels transferring at once for ${CONCURRENT_SECONDS} s`);
    t = performance.now();
    const many = await openChannels(node, pairs.slice(3, 3 + CONCURRENT_CHANNELS));
    open.push(...many);
    console.log(`  (opened ${many.length} channels in ${fmt(performance.now() - t)} ms)`);
    await Promise.all(many.map(async (ch) => { for (let k = 0; k < 10; k++) await transfer(ch); })); // prettier-ignore
    const lat2: number[] = [];
    let done = 0;
    t = performance.now();
    const end = t + CONCURRENT_SECONDS * 1000;
    await Promise.all(
      many.map(async (ch) => {
        while (performance.now() < end) {
          lat2.push(await transfer(ch));
          done++;
        }
      }),
    );
    const aggRate = (done * 1000) / (performance.now() - t);
    lat2.sort((x, y) => x - y);
    row(`${CONCURRENT_CHANNELS} channels: aggregate transfers/s`, `${fmt(aggRate)} (${fmt(done)} transfers)`);
    row(`${CONCURRENT_CHANNELS} channels: latency p50 / p99`, `${fmt(percentile(lat2, 50), 2)} / ${fmt(percentile(lat2, 99), 2)} ms`);

    // 4. The crypto floor, measured in blocks between run 1's blocks of transfers (see run 1).
    console.log(`\n4. crypto floor: ${FLOOR_ROUNDS} × (2 signatures + 4 verifications) on a real channel_offchain_tx, in ${BLOCKS} blocks between run 1's`);
    const floorRate = (FLOOR_ROUNDS * 1000) / floorMs;
    row('crypto floor: rounds/s (µs per round)', `${fmt(floorRate)} (${fmt((floorMs * 1000) / FLOOR_ROUNDS, 1)} µs)`);
    const share = blockRate / floorRate;
    row('1 channel transfers/s ÷ floor rounds/s (same blocks)', `${fmt(blockRate)}/s ÷ ${fmt(floorRate)}/s = ${fmt(share * 100, 1)} %`, `≥ 50 %: ${met(share >= 0.5)}`);
    blockShares.sort((x, y) => x - y);
    row(
      'the same, block by block: median (lowest–highest)',
      `${fmt(percentile(blockShares, 50) * 100, 1)} % (${fmt(blockShares[0]! * 100, 1)}–${fmt(blockShares.at(-1)! * 100, 1)} %)`,
    );
    row(`${CONCURRENT_CHANNELS} channels transfers/s ÷ floor rounds/s`, `${fmt((aggRate / floorRate) * 100, 1)} % (signature checks on a second thread; the floor is one thread's)`);
    const preparedRate = (FLOOR_ROUNDS * 1000) / preparedMs;
    row('floor with keys prepared once: rounds/s (µs)', `${fmt(preparedRate)} (${fmt((preparedMs * 1000) / FLOOR_ROUNDS, 1)} µs); 1 channel = ${fmt((blockRate / preparedRate) * 100, 1)} % of it`);
    // The round's own crypto (the clients' 2 signatures, the node's 2 checks) against the same calls in the floor's loop.
    const [rs, rv, ls, lv] = [inRounds.signs.mean, inRounds.checks.mean, inLoop.signs.mean, inLoop.checks.mean];
    row(
      'a signature / a check inside rounds vs in the floor\'s loop',
      `${fmt(rs, 1)} / ${fmt(rv, 1)} µs vs ${fmt(ls, 1)} / ${fmt(lv, 1)} µs: a round's 2 + 2 take ${fmt(2 * (rs - ls) + 2 * (rv - lv), 1)} µs more than in the loop`,
    );

    // 5. The message floor, measured in the same blocks (see messageFloor).
    const fromNode = trace.filter((f) => f.fromNode).length;
    console.log(`\n5. message floor: ${FLOOR_ROUNDS} × one transfer's ${trace.length} frames (${trace.length - fromNode} from the clients, ${fromNode} from the node) over loopback WebSockets with no work, in the same blocks`);
    const roundUs = 1e6 / blockRate;
    const floorUs = (floorMs * 1000) / FLOOR_ROUNDS;
    const messagesUs = (messagesMs * 1000) / FLOOR_ROUNDS;
    row('message floor: rounds/s (µs per round)', `${fmt((FLOOR_ROUNDS * 1000) / messagesMs)} (${fmt(messagesUs, 1)} µs)`);
    row('1 channel round (same blocks) = crypto + message floors + rest', `${fmt(roundUs, 1)} = ${fmt(floorUs, 1)} + ${fmt(messagesUs, 1)} + ${fmt(roundUs - floorUs - messagesUs, 1)} µs`);
    console.log("  (the rest: JSON-RPC, FSM, codecs, state cache, GC; it is larger than this, as a node hosting both FSMs makes 2 of the floor's 4 verifications)");
    const directUs = (directMs * 1000) / SINGLE_TRANSFERS;
    row('1 channel round without sockets (node sessions, same blocks)', `${fmt(directUs, 1)} µs (${fmt(1e6 / directUs)}/s): the sockets add ${fmt(roundUs - directUs, 1)} µs to a round`);

    // 3. Resident memory per open channel.
    const steps = [...MEMORY_STEPS.filter((n) => n < maxChannels), maxChannels];
    const how = via === 'ws' ? 'clients over WebSockets' : 'clients on in-process node sessions, no sockets';
    console.log(`\n3. memory: open channels to ${steps.join(', ')} (${OPEN_CONCURRENCY} at a time, for at most ${openBudgetS} s, ${how}), RSS after GC`);
    const memPairs = pairs.slice(3 + CONCURRENT_CHANNELS);
    const base = rssAfterGc();
    console.log(`  RSS before: ${fmt(base / MiB, 1)} MiB (with runs 1–2's ${open.length} channels still open)`);
    let reached = 0;
    let perChannelAtMax = Number.NaN;
    t = performance.now();
    const deadline = t + openBudgetS * 1000;
    for (const step of steps) {
      let stopped = false;
      try {
        const batch = await openChannels(node, memPairs.slice(reached, step), deadline, via);
        open.push(...batch);
        reached += batch.length;
        if (reached < step) {
          console.log(`  stopped opening at ${fmt(reached)} channels: the ${openBudgetS} s budget is spent (--open-budget)`);
          stopped = true;
        }
      } catch (e) {
        // A group failed part-way: its channels are not counted (some of them may be open).
        // Every channel costs this process 4 file descriptors (both ends of two WebSockets): a
        // connection reset here is usually the descriptor limit (ulimit -n).
        console.log(`  stopped opening at about ${fmt(reached)} channels: ${(e as Error).message} (file descriptors: 4 per channel in this process; ulimit -n)`);
        break;
      }
      if (reached === 0) break;
      const rss = rssAfterGc();
      const per = (rss - base) / reached;
      perChannelAtMax = per;
      const secs = (performance.now() - t) / 1000;
      // Early steps can read below the base: the heap runs 1–2 grew gives pages back meanwhile.
      const growth = rss >= base ? `RSS +${fmt((rss - base) / MiB, 1)} MiB, ${fmt(per / 1024, 1)} KiB/channel` : `RSS ${fmt((rss - base) / MiB, 1)} MiB (below the base: runs 1–2's heap shrank)`;
      row(`memory (${via}): ${fmt(reached)} channels open`, `${growth} (opened in ${fmt(secs, 1)} s, ${fmt(reached / secs)}/s)`);
      if (stopped) break;
    }
    if (process.argv.includes('--heap-snapshot')) {
      // Where the memory goes, for a closer look (Chrome DevTools → Memory → Load).
      const { writeHeapSnapshot } = await import('node:v8');
      console.log(`  heap snapshot at ${fmt(reached)} channels: ${writeHeapSnapshot(join(tmpdir(), `aesc-bench-node-${process.pid}.heapsnapshot`))}`);
    }
    if (reached > 0 && !(perChannelAtMax > 0)) {
      // RSS fell below the base (runs 1–2's heap shrank more than the channels grew it): too few
      // channels to say anything per channel.
      row(`memory (${via}): RSS for 10,000 channels`, `no projection from ${fmt(reached)} channels: RSS fell below the base`, '≤ 2 GiB: not measured');
    } else if (reached > 0) {
      const projected = (perChannelAtMax * 10_000 + base) / (1024 * MiB);
      const at = reached >= 10_000 ? `at ${fmt(reached)} channels` : `projected from ${fmt(reached)}`;
      row(`memory (${via}): RSS for 10,000 channels (${at})`, `${fmt(projected, 2)} GiB`, `≤ 2 GiB: ${met(projected <= 2)}`);
    }
  } finally {
    for (const ch of open) {
      ch.i.close();
      ch.r.close();
    }
    await node.close();
    rmSync(dir, { recursive: true, force: true });
  }
  if (only1) return;
  printTable();
  console.log(
    via === 'ws'
      ? '\nThe clients run in the node’s process: memory includes both ends of every WebSocket; throughput shares the one JS thread with the clients’ signing.'
      : '\nThe clients run in the node’s process: throughput shares the one JS thread with the clients’ signing; run 3’s clients used node sessions, not sockets.',
  );
}

await main();
