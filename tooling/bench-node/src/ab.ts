/**
 * `pnpm bench:node:ab --base DIR`: how much faster (or slower) the working tree's channel node
 * runs a round than another build of it, measured so that a difference of 1–2 % shows, on one
 * channel or (`--channels N`) on N channels transferring at once.
 *
 * Why not two runs of `pnpm bench:node`: on a shared machine the speed of one process drifts by
 * ±15 % from one minute to the next (see the Performance section of packages/node/README.md), far
 * more than most changes move it. Here both builds run in one process at the same time: a node of
 * each (`startNode`, embedded chain, state cache in memory), one channel on each, and their
 * transfers alternate in blocks of {@link PER_BLOCK} (which build goes first alternates too), so
 * that both see the same machine. With `--channels N`, each node has N channels, and in a block
 * all N of one build transfer at once, each at least {@link MIN_PER_CHANNEL} times one after the
 * other (as `bench:node`'s run 2 does): the figure is then the block's time per transfer, the
 * inverse of the aggregate rate, and shows what a change does to a node kept busy by many
 * channels (where it checks signatures on a second thread). Each run is a fresh child process (`--runs`, default 4), and
 * every other run opens the working tree's channel first, since the order of opening moves the
 * figures by a percent or two.
 *
 * The clients sign with node:crypto and `@ethereumjs/rlp` ({@link bareSignTx}) and talk over Node's
 * own WebSocket (`--experimental-websocket`): a client that ran the working tree's codec or `ws`
 * would warm the JIT code of that build only and flatter it (5 %, measured once with a throwaway
 * variant of this script).
 *
 * `--ref REF` checks REF out in a temporary git worktree, installs it (from pnpm's store) and
 * builds the node there, then removes it after the runs:
 *
 *     pnpm bench:node:ab --ref main
 *
 * `--base DIR` takes a checkout made beforehand, installed and built, e.g.
 *
 *     git worktree add ../aesc-base main
 *     (cd ../aesc-base && npx pnpm@10.34.9 install --frozen-lockfile && npx pnpm@10.34.9 run build)
 *     pnpm bench:node:ab --base ../aesc-base
 *
 * With the base at the same commit as the working tree, the run measures its own noise (an A/A run).
 * The figure to go by is the median of all blocks' ratios, printed first: a block in which the
 * machine stalled moves a run's total by several percent, and the median hardly at all.
 *
 * `--apart N` runs each build in a process of its own instead, N pairs of processes one after the
 * other (which build goes first alternates), each the same warm-up and blocks on its one node.
 * Two builds in one heap share their garbage collections: a change to what the GC has to do (say,
 * fewer objects promoted to the old generation) hardly shows in the default mode, and shows here.
 * The price is that the two processes of a pair run a few seconds apart, so the machine's drift
 * is in each pair's ratio; the figure to go by is the median pair.
 * The figures are printed for information; the script never fails on them.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type DevAccount, devAccounts } from '@aesc/chain';
import { buildConnectUrl } from '@aesc/channel-api';
import type { KeyObject } from 'node:crypto';
import { argInt } from './arg-int.js';
import { bareSignTx, bareSigningKey } from './bare-signer.js';
import { writeGenesisFile } from './genesis-file.js';

/** Transfers on each channel before measuring. */
const WARMUP = 1500;
/** Transfers in one block. */
const PER_BLOCK = 200;
/** With `--channels N`, the fewest transfers each channel makes in a block (and in the warm-up, {@link WARMUP} ÷ N at least this). */
const MIN_PER_CHANNEL = 10;
/** Each channel's part of `total` transfers shared by `channels` channels (all of it for one channel). */
function perChannel(total: number, channels: number): number {
  return Math.max(MIN_PER_CHANNEL, Math.ceil(total / channels));
}
/** Channels opened at once. */
const OPEN_BATCH = 50;

/** The part of `startNode`'s handle this run uses (the same in both builds). */
interface NodeHandleLike {
  readonly channelUrl: string;
  readonly node: { readonly chainInfo: { readonly networkId: string } };
  close(): Promise<void>;
}
type StartNode = (options: { port: number; genesis: string }) => Promise<NodeHandleLike>;

/** Node 20's WebSocket client (behind `--experimental-websocket`), as far as it is used here. */
interface BareSocket {
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(text: string): void;
  close(): void;
}
type BareSocketClass = new (url: string) => BareSocket;

const SIGN_REPLY: Record<string, string> = {
  'channels.sign.initiator_sign': 'channels.initiator_sign',
  'channels.sign.responder_sign': 'channels.responder_sign',
  'channels.sign.update': 'channels.update',
  'channels.sign.update_ack': 'channels.update_ack',
};

/** One participant: answers every sign request and counts `channels.update` frames. */
class BareClient {
  readonly #ws: BareSocket;
  updates = 0;
  #waiter: { n: number; resolve: () => void } | undefined;
  #error: Error | undefined;

  constructor(url: string, readonly key: KeyObject, readonly networkId: string) {
    const Socket = (globalThis as { WebSocket?: BareSocketClass }).WebSocket;
    if (Socket === undefined) throw new Error('no global WebSocket: run node with --experimental-websocket');
    this.#ws = new Socket(url);
    this.#ws.onmessage = (event) => this.#onFrame(String(event.data));
    this.#ws.onerror = () => (this.#error ??= new Error('socket error'));
  }

  #onFrame(text: string): void {
    const f = JSON.parse(text) as { method?: string; error?: unknown; params?: { data?: { signed_tx?: string } } };
    if (f.error !== undefined) throw new Error(`node error: ${text}`);
    const reply = f.method === undefined ? undefined : SIGN_REPLY[f.method];
    if (reply !== undefined) this.send({ jsonrpc: '2.0', method: reply, params: { signed_tx: bareSignTx(f.params!.data!.signed_tx!, this.key, this.networkId) } });
    if (f.method === 'channels.update') {
      this.updates++;
      if (this.#waiter !== undefined && this.updates >= this.#waiter.n) {
        const w = this.#waiter;
        this.#waiter = undefined;
        w.resolve();
      }
    }
  }

  /** Resolves once `n` `channels.update` frames came in all. */
  waitFor(n: number): Promise<void> {
    if (this.#error) return Promise.reject(this.#error);
    if (this.updates >= n) return Promise.resolve();
    return new Promise((resolve) => (this.#waiter = { n, resolve }));
  }

  send(message: unknown): void {
    this.#ws.send(JSON.stringify(message));
  }

  close(): void {
    this.#ws.close();
  }
}

/** An open channel: one transfer (resolves when both clients have the new state), and closing its sockets. */
interface Channel {
  transfer(): Promise<void>;
  close(): void;
}

/** Opens a channel between `a` and `b` on a node. */
async function channelOn(node: NodeHandleLike, a: DevAccount, b: DevAccount, port: number): Promise<Channel> {
  const url = (role: string) =>
    buildConnectUrl(node.channelUrl, {
      protocol: 'json-rpc', role, host: '127.0.0.1', port, initiator_id: a.address, responder_id: b.address,
      initiator_amount: 10 ** 12, responder_amount: 10 ** 12, push_amount: 0, channel_reserve: 1, lock_period: 2,
      minimum_depth: 0, minimum_depth_strategy: 'plain',
    }); // prettier-ignore
  const networkId = node.node.chainInfo.networkId;
  const r = new BareClient(url('responder'), bareSigningKey(b.secretKey), networkId);
  const i = new BareClient(url('initiator'), bareSigningKey(a.secretKey), networkId);
  await Promise.all([i.waitFor(1), r.waitFor(1)]);
  const request = { jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 1 } };
  return {
    transfer: async () => {
      const iDone = i.waitFor(i.updates + 1);
      const rDone = r.waitFor(r.updates + 1);
      i.send(request);
      await iDone;
      await rDone;
    },
    close: () => {
      i.close();
      r.close();
    },
  };
}

/** What a child with `--alone` prints: µs per round (or per transfer, with `--channels`) of its one build. */
interface AloneResult {
  readonly us: number;
}

/** One run's figures: µs per round of each build, and each block's base time ÷ new time. */
interface RunResult {
  readonly baseUs: number;
  readonly newUs: number;
  readonly blockRatios: readonly number[];
}

/** The median of some numbers (the mean of the middle two for an even count). */
function median(values: readonly number[]): number {
  const s = [...values].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** "4.2 % faster" / "1.3 % slower" for a ratio base time ÷ new time. */
function speedup(ratio: number): string {
  const pct = (ratio - 1) * 100;
  return `${Math.abs(pct).toFixed(1)} % ${pct >= 0 ? 'faster' : 'slower'}`;
}

/**
 * The base build's node on the embedded chain: `startDevnet` of its `@aesc/devnet`, or in a checkout
 * from before that package, `startNode` of its `@aesc/node` (and a check that it is not this checkout's).
 */
async function baseStartNode(baseDir: string): Promise<StartNode> {
  const devnetEntry = join(baseDir, 'packages/devnet/dist/index.js');
  if (existsSync(devnetEntry)) {
    if (realpathSync(devnetEntry) === realpathSync(fileURLToPath(import.meta.resolve('@aesc/devnet')))) throw new Error('--base is this checkout: give a separate checkout (a git worktree)');
    return ((await import(pathToFileURL(devnetEntry).href)) as { startDevnet: StartNode }).startDevnet;
  }
  const baseEntry = join(baseDir, 'packages/node/dist/index.js');
  const newEntry = fileURLToPath(import.meta.resolve('@aesc/node'));
  if (realpathSync(baseEntry) === realpathSync(newEntry)) throw new Error('--base is this checkout: give a separate checkout (a git worktree)');
  return ((await import(pathToFileURL(baseEntry).href)) as { startNode: StartNode }).startNode;
}

/** This checkout's node on the embedded chain (`startDevnet`). */
async function newStartNode(): Promise<StartNode> {
  return ((await import('@aesc/devnet')) as unknown as { startDevnet: StartNode }).startDevnet;
}

/**
 * `channels` channels on a node, each between its own pair of `accounts`, opened {@link OPEN_BATCH}
 * at a time; `port` is the responders' rendezvous key inside one node, so each channel has its own.
 */
async function openChannels(node: NodeHandleLike, accounts: readonly DevAccount[], channels: number, port: number): Promise<Channel[]> {
  const opened: Channel[] = [];
  for (let k = 0; k < channels; k += OPEN_BATCH) {
    const batch = Array.from({ length: Math.min(OPEN_BATCH, channels - k) }, (_, j) => channelOn(node, accounts[2 * (k + j)]!, accounts[2 * (k + j) + 1]!, port + k + j));
    opened.push(...(await Promise.all(batch)));
  }
  return opened;
}

/** Every channel of `on` transfers `n` times one after the other, all channels at once. */
async function transfers(on: readonly Channel[], n: number): Promise<void> {
  await Promise.all(
    on.map(async (c) => {
      for (let k = 0; k < n; k++) await c.transfer();
    }),
  );
}

/** The child: both nodes in this process, blocks alternated; prints one JSON line ({@link RunResult}). */
async function child(baseDir: string, newFirst: boolean, blocks: number, channels: number): Promise<void> {
  const baseStart = await baseStartNode(baseDir);
  const newStart = await newStartNode();
  const accounts = await devAccounts(2 * channels);
  const dir = mkdtempSync(join(tmpdir(), 'aesc-bench-ab-'));
  const genesis = writeGenesisFile(dir, accounts);
  const nodes: NodeHandleLike[] = [];
  try {
    const open = async (start: StartNode, port: number) => {
      const node = await start({ port: 0, genesis });
      nodes.push(node);
      return openChannels(node, accounts, channels, port);
    };
    let onBase: Channel[];
    let onNew: Channel[];
    if (newFirst) {
      onNew = await open(newStart, 30000);
      onBase = await open(baseStart, 20000);
    } else {
      onBase = await open(baseStart, 20000);
      onNew = await open(newStart, 30000);
    }
    const perBlock = perChannel(PER_BLOCK, channels);
    const warmup = perChannel(WARMUP, channels);
    for (let k = 0; k < warmup; k++) {
      await transfers(onBase, 1);
      await transfers(onNew, 1);
    }
    const time = async (on: readonly Channel[]) => {
      const t0 = performance.now();
      await transfers(on, perBlock);
      return performance.now() - t0;
    };
    let baseMs = 0;
    let newMs = 0;
    const blockRatios: number[] = [];
    for (let b = 0; b < blocks; b++) {
      let x: number;
      let y: number;
      if (b % 2 === 0) {
        x = await time(onBase);
        y = await time(onNew);
      } else {
        y = await time(onNew);
        x = await time(onBase);
      }
      baseMs += x;
      newMs += y;
      blockRatios.push(x / y);
    }
    for (const c of [...onBase, ...onNew]) c.close();
    const perBuild = blocks * perBlock * channels;
    const result: RunResult = { baseUs: (baseMs * 1000) / perBuild, newUs: (newMs * 1000) / perBuild, blockRatios };
    console.log(JSON.stringify(result));
  } finally {
    await Promise.all(nodes.map((n) => n.close()));
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The child of `--apart`: one build's node alone in this process (`build`), the same warm-up and
 * blocks as {@link child}; prints one JSON line ({@link AloneResult}).
 */
async function childAlone(baseDir: string, build: 'base' | 'new', blocks: number, channels: number): Promise<void> {
  const startNode = build === 'base' ? await baseStartNode(baseDir) : await newStartNode();
  const accounts = await devAccounts(2 * channels);
  const dir = mkdtempSync(join(tmpdir(), 'aesc-bench-ab-'));
  const node = await startNode({ port: 0, genesis: writeGenesisFile(dir, accounts) });
  try {
    const on = await openChannels(node, accounts, channels, 20000);
    const perBlock = perChannel(PER_BLOCK, channels);
    await transfers(on, perChannel(WARMUP, channels));
    let ms = 0;
    for (let b = 0; b < blocks; b++) {
      const t0 = performance.now();
      await transfers(on, perBlock);
      ms += performance.now() - t0;
    }
    for (const c of on) c.close();
    const result: AloneResult = { us: (ms * 1000) / (blocks * perBlock * channels) };
    console.log(JSON.stringify(result));
  } finally {
    await node.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs one child of the default mode (both builds in it) and returns its result. */
function runChild(baseDir: string, newFirst: boolean, blocks: number, channels: number): Promise<RunResult> {
  return runChildWith<RunResult>(baseDir, blocks, channels, newFirst ? ['--new-first'] : []);
}

/** Runs one child process, with `extra` arguments, and returns the JSON line it printed last. */
function runChildWith<T>(baseDir: string, blocks: number, channels: number, extra: readonly string[]): Promise<T> {
  const args = ['--experimental-websocket', '--no-warnings', fileURLToPath(import.meta.url), '--child', '--base', baseDir, '--blocks', String(blocks), '--channels', String(channels), ...extra];
  return new Promise((resolveRun, reject) => {
    const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`run failed (exit ${code}): ${out.trim()}`));
      else resolveRun(JSON.parse(line) as T);
    });
  });
}

/** Runs a command in `cwd`, its output to this process's stderr; rejects on a non-zero exit. */
function run(command: string, args: readonly string[], cwd: string): Promise<void> {
  return new Promise((done, fail) => {
    const p = spawn(command, args, { cwd, stdio: ['ignore', process.stderr, process.stderr] });
    p.on('error', fail);
    p.on('close', (code) => (code === 0 ? done() : fail(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

/**
 * `--ref REF`: a checkout of REF in a temporary git worktree, installed (from pnpm's store, as
 * this checkout was) and with the node and what it needs built. Returns its directory and how to
 * remove it.
 */
async function checkoutRef(ref: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { packageManager?: string };
  const pnpm = pkg.packageManager?.split('+')[0] ?? 'pnpm';
  const dir = join(mkdtempSync(join(tmpdir(), 'aesc-ab-')), 'base');
  console.log(`checking out ${ref} in ${dir}, installing and building it (a minute or two)…`);
  await run('git', ['worktree', 'add', '--detach', dir, ref], root);
  const remove = () => run('git', ['worktree', 'remove', '--force', dir], root);
  try {
    await run('npx', ['-y', pnpm, 'install', '--frozen-lockfile', '--prefer-offline'], dir);
    await run('npx', ['-y', pnpm, 'exec', 'turbo', 'run', 'build', '--filter=@aesc/node...'], dir);
  } catch (e) {
    await remove();
    throw e;
  }
  return { dir, remove };
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--base');
  const refAt = process.argv.indexOf('--ref');
  const blocks = argInt('--blocks', 20);
  const channels = argInt('--channels', 1);
  let baseArg = at >= 0 ? process.argv[at + 1] : undefined;
  let cleanUp: (() => Promise<void>) | undefined;
  if (baseArg === undefined && refAt >= 0 && process.argv[refAt + 1] !== undefined && !process.argv.includes('--child')) {
    const checkout = await checkoutRef(process.argv[refAt + 1]!);
    baseArg = checkout.dir;
    cleanUp = checkout.remove;
  }
  if (baseArg === undefined || !existsSync(join(resolve(baseArg), 'packages/node/dist/index.js'))) {
    console.error('usage: pnpm bench:node:ab (--ref REF | --base DIR) [--runs N | --apart N] [--blocks N] [--channels N]\n  REF: a git ref to check out, install and build in a temporary worktree\n  DIR: another checkout of this repository, installed and built (see the head of tooling/bench-node/src/ab.ts)');
    process.exitCode = 2;
    return;
  }
  const baseDir = resolve(baseArg);
  const aloneAt = process.argv.indexOf('--alone');
  if (process.argv.includes('--child')) {
    const alone = aloneAt >= 0 ? process.argv[aloneAt + 1] : undefined;
    if (alone === 'base' || alone === 'new') return childAlone(baseDir, alone, blocks, channels);
    return child(baseDir, process.argv.includes('--new-first'), blocks, channels);
  }
  try {
    if (process.argv.includes('--apart')) await compareApart(baseDir, blocks, channels, argInt('--apart', 10));
    else await compare(baseDir, blocks, channels);
  } finally {
    await cleanUp?.();
  }
}

/** What one block of one build is, for the headline. */
function blockLabel(channels: number): string {
  return channels === 1 ? `${PER_BLOCK} transfers on one channel` : `${channels} channels × ${perChannel(PER_BLOCK, channels)} transfers at once`;
}

/** The parent: runs the children and prints each run and the summary. */
async function compare(baseDir: string, blocks: number, channels: number): Promise<void> {
  const runs = argInt('--runs', 4);
  const what = blockLabel(channels);
  console.log(`bench:node:ab — Node ${process.version}: the working tree against ${baseDir}, ${runs} runs × ${blocks} blocks × ${what}, on each build`);
  const results: RunResult[] = [];
  for (let r = 0; r < runs; r++) {
    const newFirst = r % 2 === 1;
    const res = await runChild(baseDir, newFirst, blocks, channels);
    results.push(res);
    const lo = Math.min(...res.blockRatios);
    const hi = Math.max(...res.blockRatios);
    console.log(
      `  run ${r + 1} (${newFirst ? 'working tree' : 'base'} opened first): base ${res.baseUs.toFixed(1)} µs, working tree ${res.newUs.toFixed(1)} µs a ${channels === 1 ? 'round' : 'transfer (block time ÷ transfers)'}: ${speedup(res.baseUs / res.newUs)}; blocks: median ${speedup(median(res.blockRatios))} (${((lo - 1) * 100).toFixed(1)} … ${((hi - 1) * 100).toFixed(1)} %)`,
    );
  }
  const perRun = results.map((x) => x.baseUs / x.newUs);
  const mean = perRun.reduce((s, x) => s + x, 0) / perRun.length;
  console.log(
    `\nworking tree against base: ${speedup(median(results.flatMap((x) => x.blockRatios)))} (the median block; the mean of the runs: ${speedup(mean)}, runs from ${speedup(Math.min(...perRun))} to ${speedup(Math.max(...perRun))})`,
  );
  // A block the machine stalled in moves a run's total by several percent (an A/A run's runs gave up to 5.5 %), and its median block hardly at all.
  console.log('(an A/A run, --base at the same commit, shows the noise: on the machine this was written on, its median block stayed within ±1 %, its runs within ±6 %)');
}

/** The parent of `--apart`: `pairs` pairs of processes, one build each, and the summary. */
async function compareApart(baseDir: string, blocks: number, channels: number, pairs: number): Promise<void> {
  const what = blockLabel(channels);
  console.log(`bench:node:ab --apart — Node ${process.version}: the working tree against ${baseDir}, ${pairs} pairs of processes, each one build's node alone, ${blocks} blocks × ${what}`);
  const unit = channels === 1 ? 'round' : 'transfer (block time ÷ transfers)';
  const ratios: number[] = [];
  for (let r = 0; r < pairs; r++) {
    const newFirst = r % 2 === 1;
    const us: Record<'base' | 'new', number> = { base: 0, new: 0 };
    for (const build of newFirst ? (['new', 'base'] as const) : (['base', 'new'] as const)) {
      us[build] = (await runChildWith<AloneResult>(baseDir, blocks, channels, ['--alone', build])).us;
    }
    ratios.push(us.base / us.new);
    console.log(`  pair ${r + 1} (${newFirst ? 'working tree' : 'base'} first): base ${us.base.toFixed(1)} µs, working tree ${us.new.toFixed(1)} µs a ${unit}: ${speedup(us.base / us.new)}`);
  }
  const faster = ratios.filter((x) => x > 1).length;
  const mean = ratios.reduce((s, x) => s + x, 0) / ratios.length;
  console.log(`\nworking tree against base: ${speedup(median(ratios))} (the median pair; faster in ${faster} of ${pairs} pairs; the mean: ${speedup(mean)})`);
}

await main();
