import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emitKeyBlocksViaHttp } from '@aesc/chain';
import { parseJson } from '@aesc/rpc';
import { ClientProcess, CommandFailed } from './client-process.js';
import type { ClientStatus, NodeView } from './lines.js';
import { type NodeProcess, startNodeProcess } from './node-process.js';
import { disagreement, roundsLost, settleTotal } from './checks.js';
import { OPEN_AMOUNTS, amountsToJson } from './open-params.js';
import { Rng } from '@aesc/test-support';
import type { SpawnFn } from './spawn.js';

/** What a kill hits: the node, one client (drawn), both clients, or the node and both clients together. */
export type Target = 'node' | 'client' | 'both' | 'all';
export const TARGETS: readonly Target[] = ['node', 'client', 'both', 'all'];

type Role = 'initiator' | 'responder';
const ROLES: readonly Role[] = ['responder', 'initiator']; // the responder comes back first

/** Options of {@link runKills}. */
export interface KillRunOptions {
  readonly seed: string;
  readonly target: Target;
  readonly kills: number;
  /** The built CLI (`apps/cli/dist/bin.js`): its `aesc node start --data-dir` is the node. */
  readonly cli: string;
  /** The built client script (`tooling/kill-test/dist/client-main.js`). */
  readonly clientScript: string;
  readonly spawn: SpawnFn;
  /** How long a kill may take to recover (from the kill to both clients and the node at one round, open and idle). */
  readonly boundMs?: number;
  /** The random delay into the stream of rounds before each kill, in ms. */
  readonly delayMs?: readonly [number, number];
  /** Where the run's data dirs go (a fresh temporary directory in it, removed at the end). */
  readonly workDir?: string;
  /** Progress lines. */
  readonly log?: (line: string) => void;
}

/** A failed check: which kill (1-based; 0 while opening), what was checked, what was found. */
export interface KillFailure {
  readonly seed: string;
  readonly target: Target;
  readonly kill: number;
  readonly check: 'opened' | 'stream' | 'recovered' | 'rounds-lost' | 'same-round' | 'balances' | 'transfer';
  readonly detail: string;
}

/** What a run of one target found. */
export interface KillSummary {
  readonly seed: string;
  readonly target: Target;
  /** Kills made. */
  readonly kills: number;
  /** Kills after which both clients and the node came back to one round within the bound. */
  readonly recovered: number;
  /** Kills that landed while a command (a round) was under way. */
  readonly midStream: number;
  /** Rounds a client had reported co-signed and did not hold after a kill, summed over kills. */
  readonly roundsLost: number;
  /** Recovery times of the recovered kills (ms, from the kill to one round everywhere). */
  readonly recoveryMs: readonly number[];
  /** Rounds co-signed over the run (the workload's and the checks' transfers). */
  readonly rounds: number;
  /** Kills after which the channel did not work any more, so the run went on with a fresh channel. */
  readonly freshChannels: number;
  readonly failures: readonly KillFailure[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Op = { readonly role: Role; readonly kind: 'transfer' | 'deposit' | 'withdraw'; readonly amount: bigint };

/** One channel under test: the node process, its two client processes, their data, the money in it. */
interface Setup {
  readonly dir: string;
  node: NodeProcess;
  readonly clients: Record<Role, ClientProcess>;
  readonly channelId: string;
  /** The channel's total: the opening amounts plus deposits minus withdrawals that completed. */
  total: bigint;
  /** Deposits (+) and withdrawals (−) that a kill interrupted: each may or may not have happened. */
  uncertain: bigint[];
}

/**
 * Runs `kills` seeded kills of `target` against two clients of one channel on a node with a data
 * dir (see the package README) and returns what each check found. Every process it started is
 * stopped before it returns or throws.
 */
export async function runKills(options: KillRunOptions): Promise<KillSummary> {
  const bound = options.boundMs ?? 20_000;
  const [minDelay, maxDelay] = options.delayMs ?? [30, 1_500];
  const log = options.log ?? (() => undefined);
  const rng = new Rng(`${options.seed}:${options.target}`);
  const failures: KillFailure[] = [];
  const fail = (kill: number, check: KillFailure['check'], detail: string) => {
    failures.push({ seed: options.seed, target: options.target, kill, check, detail });
    log(`  FAIL kill ${kill} ${check}: ${detail}`);
  };
  const reported: Record<Role, bigint> = { initiator: -1n, responder: -1n };
  const dirs: string[] = [];
  const live = new Set<{ stop(): Promise<void> }>();
  let rounds = 0;
  let blocks: { stop(): Promise<void> } | undefined;

  const spawnClient = (s: { dir: string; node: NodeProcess }, role: Role, resume: boolean): ClientProcess => {
    const args = ['--node', s.node.channelUrl, '--role', role, '--store', join(s.dir, role), '--peer-port', '14100', '--amounts', JSON.stringify(amountsToJson(OPEN_AMOUNTS))];
    const c = new ClientProcess({
      role,
      spawn: options.spawn,
      script: options.clientScript,
      args: resume ? [...args, '--resume'] : args,
      onRound: (r) => {
        if (r > reported[role]) reported[role] = r;
      },
    });
    live.add(c);
    return c;
  };
  const startNode = async (dir: string, port: number): Promise<NodeProcess> => {
    const node = await startNodeProcess({ cli: options.cli, dataDir: join(dir, 'node'), port, spawn: options.spawn, timeoutMs: 30_000 });
    live.add(node);
    return node;
  };
  /** Key blocks every 100 ms while the node is up (minimum depths of the create tx, deposits, withdrawals). */
  const keyBlocks = (s: { node: NodeProcess }) => {
    let stopped = false;
    const loop = (async () => {
      while (!stopped) {
        await emitKeyBlocksViaHttp(s.node.httpUrl, 1).catch(() => undefined);
        await sleep(100);
      }
    })();
    return {
      stop: async () => {
        stopped = true;
        await loop;
      },
    };
  };

  const open = async (k: number): Promise<Setup | undefined> => {
    const dir = await mkdtemp(join(options.workDir ?? tmpdir(), 'aesc-kill-'));
    dirs.push(dir);
    const node = await startNode(dir, 0);
    const half = { dir, node };
    await blocks?.stop();
    blocks = keyBlocks(half);
    reported.initiator = -1n;
    reported.responder = -1n;
    const responder = spawnClient(half, 'responder', false);
    await responder.until((r) => r.event === 'ready', bound, 'ready');
    const initiator = spawnClient(half, 'initiator', false);
    await initiator.until((r) => r.event === 'ready', bound, 'ready');
    const clients = { initiator, responder };
    try {
      await Promise.all([initiator, responder].map((c) => (c.phase === 'open' ? undefined : c.until((r) => r.event === 'phase' && r.phase === 'open', 3 * bound, 'open'))));
    } catch (e) {
      fail(k, 'opened', `${(e as Error).message}; ${recentOf(clients)}`);
      return undefined;
    }
    const status = (await initiator.request('status', {}, bound)) as ClientStatus;
    const setup: Setup = { dir, node, clients, channelId: status.channelId!, total: OPEN_AMOUNTS.initiatorAmount + OPEN_AMOUNTS.responderAmount, uncertain: [] };
    // blocks follow the node through restarts
    await blocks.stop();
    blocks = keyBlocks(setup);
    return setup;
  };

  const teardown = async (s: Setup | undefined) => {
    await blocks?.stop();
    blocks = undefined;
    if (s === undefined) return;
    await Promise.all([s.clients.initiator.stop(), s.clients.responder.stop(), s.node.stop()]);
    for (const p of [s.clients.initiator, s.clients.responder, s.node]) live.delete(p);
  };

  let kills = 0;
  let recovered = 0;
  let midStream = 0;
  let lostTotal = 0;
  let freshChannels = 0;
  const recoveryMs: number[] = [];
  let setup: Setup | undefined;
  try {
    setup = await open(0);
    if (setup === undefined) throw new Error(`the channel did not open: ${failures.map((f) => f.detail).join('; ')}`);
    log(`${options.target}: channel ${setup.channelId} open, node on ${setup.node.channelUrl}`);
    for (let k = 1; k <= options.kills; k++) {
      const s: Setup = setup;
      const draw = rng.fork();
      const victims: Role[] = options.target === 'client' ? [draw.pick(['initiator', 'responder'] as const)] : options.target === 'node' ? [] : ['initiator', 'responder'];
      const nodeDies = options.target === 'node' || options.target === 'all';
      const delay = draw.int(minDelay, maxDelay);
      const stream = workload(draw.fork(), s, bound, (op) => fail(k, 'stream', op));
      // The delay runs from the stream's first round, not its start: on a loaded machine a first
      // deposit can take longer than the whole delay, and a kill before any round tests no stream.
      await Promise.race([stream.first, sleep(bound)]);
      await sleep(delay);
      const killedAt = performance.now();
      const busy = stream.inflight;
      stream.stop();
      await Promise.all([...(nodeDies ? [s.node.kill()] : []), ...victims.map((r) => s.clients[r].kill())]);
      kills++;
      if (busy !== undefined) midStream++;
      log(`kill ${k}: ${[...(nodeDies ? ['node'] : []), ...victims].join(' + ')} after ${delay} ms${busy ? `, during a ${busy.kind} by the ${busy.role}` : ', between rounds'}`);
      const ok = await recover(k, s, nodeDies, victims, killedAt, stream);
      rounds += stream.done();
      if (ok === undefined) {
        await teardown(s);
        freshChannels++;
        setup = await open(k);
        if (setup === undefined) break;
        continue;
      }
      recovered++;
      recoveryMs.push(ok.recoveryMs);
      lostTotal += ok.lost;
      if (!ok.usable) {
        await teardown(s);
        freshChannels++;
        setup = await open(k);
        if (setup === undefined) break;
      } else rounds += 2;
    }
  } finally {
    await blocks?.stop();
    await Promise.all([...live].map((p) => p.stop().catch(() => undefined)));
    for (const d of dirs) await rm(d, { recursive: true, force: true }).catch(() => undefined);
  }
  return { seed: options.seed, target: options.target, kills, recovered, midStream, roundsLost: lostTotal, recoveryMs, rounds, freshChannels, failures };

  /**
   * Brings back what was killed (the node on its data dir and port; clients from their stores,
   * responder first), waits until both clients and the node hold one round, open and idle, then
   * checks it. Undefined: not recovered within the bound.
   */
  async function recover(
    k: number,
    s: Setup,
    nodeDies: boolean,
    victims: readonly Role[],
    killedAt: number,
    stream: Workload,
  ): Promise<{ readonly recoveryMs: number; readonly lost: number; readonly usable: boolean } | undefined> {
    const deadline = killedAt + bound;
    const left = () => Math.max(1, deadline - performance.now());
    let stage = 'restart';
    try {
      if (nodeDies) {
        live.delete(s.node);
        s.node = await startNode(s.dir, s.node.port);
      }
      for (const role of ROLES) {
        if (victims.includes(role)) {
          stage = `${role} process restart`;
          live.delete(s.clients[role]);
          s.clients[role] = spawnClient(s, role, true);
          await s.clients[role].until((r) => r.event === 'ready', left(), 'ready');
        } else if (nodeDies) {
          stage = `${role} resume`;
          await s.clients[role].request('resume', {}, left());
        } else continue;
        stage = `${role} open`;
        await waitStatus(s.clients[role], (st) => st.phase === 'open', left());
      }
      stage = 'the interrupted command';
      await stream.settled(left());
      stage = 'one round everywhere';
      for (;;) {
        const wait = Math.max(left(), 2_000);
        const [i, r] = (await Promise.all([s.clients.initiator.request('status', {}, wait), s.clients.responder.request('status', {}, wait)])) as ClientStatus[];
        if (i!.phase === 'open' && r!.phase === 'open' && !i!.busy && !r!.busy && i!.round === r!.round) {
          const [ni, nr] = (await Promise.all([s.clients.initiator.request('node-state', {}, wait), s.clients.responder.request('node-state', {}, wait)])) as NodeView[];
          if (ni!.round === i!.round && nr!.round === i!.round) break;
          stage = `one round everywhere (clients at ${i!.round}, the node's FSMs at ${ni!.round} and ${nr!.round})`;
        } else {
          stage = `one round everywhere (initiator ${i!.phase}${i!.busy ? ', busy' : ''} at ${i!.round}, responder ${r!.phase}${r!.busy ? ', busy' : ''} at ${r!.round})`;
        }
        if (performance.now() > deadline) throw new CommandFailed('out of time', null);
        await sleep(100);
      }
    } catch (e) {
      fail(k, 'recovered', `not recovered within ${bound} ms, at ${stage}: ${(e as Error).message}; ${recentOf(s.clients)}`);
      return undefined;
    }
    const recoveryMs = Math.round(performance.now() - killedAt);
    let transferred = false;
    let usable = false;
    let lost = 0;
    let before = -1n;
    try {
      // 0 rounds lost: each client holds at least the highest round it ever reported co-signed.
      const statuses = (await Promise.all([s.clients.initiator.request('status', {}, bound), s.clients.responder.request('status', {}, bound)])) as ClientStatus[];
      for (const [role, st] of [['initiator', statuses[0]!], ['responder', statuses[1]!]] as const) {
        const n = roundsLost(reported[role], st.round === null ? null : BigInt(st.round));
        lost += n;
        if (n > 0) fail(k, 'rounds-lost', `the ${role} reported round ${reported[role]} co-signed and holds round ${st.round}`);
      }
      // a channel whose balances disagree, here or with the chain, cannot go on
      const balanced = await checkBalances(k, s, statuses);
      // a transfer each way
      before = BigInt(statuses[0]!.round!);
      transferred = true;
      for (const [n, role] of [[1n, 'initiator'], [2n, 'responder']] as const) {
        try {
          const round = BigInt((await s.clients[role].request('transfer', { amount: '1' }, bound)) as string);
          if (round !== before + n) fail(k, 'transfer', `the ${role}'s transfer after the restart made round ${round}, not ${before + n}`);
        } catch (e) {
          transferred = false;
          fail(k, 'transfer', `the ${role}'s transfer after the restart failed: ${(e as Error).message}; ${recentOf(s.clients)}`);
          break;
        }
      }
      usable = balanced && transferred;
      if (usable) {
        const after = (await Promise.all([s.clients.initiator.request('status', {}, bound), s.clients.responder.request('status', {}, bound)])) as ClientStatus[];
        usable = await checkBalances(k, s, after);
        if (usable && after[0]!.round !== String(before + 2n)) {
          fail(k, 'same-round', `after the two transfers both hold round ${after[0]!.round}, not ${before + 2n}`);
        }
      }
    } catch (e) {
      // a client that stops answering while it is checked
      fail(k, 'same-round', `the checks after the recovery failed: ${(e as Error).message}; ${recentOf(s.clients)}`);
      usable = false;
    }
    log(`  recovered in ${recoveryMs} ms at round ${before}${transferred ? `, transfers each way to round ${before + 2n}` : ''}`);
    return { recoveryMs, lost, usable };
  }

  /**
   * Both clients hold the same round and balances, the node's two FSMs the same, summing to the
   * channel's total and to its amount on chain. False (and a failure) otherwise.
   */
  async function checkBalances(k: number, s: Setup, statuses: readonly ClientStatus[]): Promise<boolean> {
    const [i, r] = statuses as [ClientStatus, ClientStatus];
    const views = (await Promise.all([s.clients.initiator.request('node-state', {}, bound), s.clients.responder.request('node-state', {}, bound)]).catch((e: Error) => e)) as NodeView[] | Error;
    if (views instanceof Error) {
      fail(k, 'balances', `the node's balances could not be read: ${views.message}`);
      return false;
    }
    const differs = disagreement([
      { who: 'the initiator', round: i.round, balances: i.balances },
      { who: 'the responder', round: r.round, balances: r.balances },
      { who: "the initiator's FSM", round: views[0]!.round, balances: views[0]!.balances },
      { who: "the responder's FSM", round: views[1]!.round, balances: views[1]!.balances },
    ]);
    if (differs !== undefined) {
      fail(k, 'same-round', differs);
      return false;
    }
    const sum = BigInt(i.balances![0]) + BigInt(i.balances![1]);
    // A deposit or withdrawal a kill interrupted may or may not have happened: the sum says which.
    const total = settleTotal(s.total, s.uncertain, sum);
    if (total === undefined) {
      fail(k, 'balances', `the balances sum to ${sum}, the channel holds ${s.total}${s.uncertain.length > 0 ? ` (or that with some of ${s.uncertain.join(', ')}, interrupted)` : ''}`);
      return false;
    }
    s.total = total;
    s.uncertain = [];
    const chain = await onChain(s);
    if (typeof chain === 'string' || chain.amount !== sum) {
      const found = typeof chain === 'string' ? chain : `${chain.amount} (its last on-chain tx of round ${chain.round})`;
      fail(k, 'balances', `the balances sum to ${sum} at round ${i.round}, the channel's amount on chain is ${found}`);
      return false;
    }
    return true;
  }
}

/** The channel's amount on chain and the round of its last on-chain tx (`GET /v3/channels/:id`). */
async function onChain(s: Setup): Promise<{ readonly amount: bigint; readonly round: string } | string> {
  try {
    const res = await fetch(`${s.node.httpUrl}/v3/channels/${s.channelId}`);
    const json = parseJson(await res.text()) as { channel_amount?: unknown; round?: unknown };
    return { amount: BigInt(String(json.channel_amount)), round: String(json.round) };
  } catch (e) {
    return `unreadable (${(e as Error).message})`;
  }
}

function recentOf(clients: Record<Role, ClientProcess>): string {
  return ROLES.map((r) => `${r}: [${clients[r].recent.slice(-8).join(' | ')}]${clients[r].stderr() ? ` stderr: ${clients[r].stderr().slice(-400)}` : ''}`).join('; ');
}

async function waitStatus(c: ClientProcess, pred: (s: ClientStatus) => boolean, timeoutMs: number): Promise<ClientStatus> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const st = (await c.request('status', {}, Math.max(1, deadline - performance.now()))) as ClientStatus;
    if (pred(st)) return st;
    if (performance.now() > deadline) throw new CommandFailed(`the ${c.role} stayed ${st.phase} at round ${st.round}`, null);
    await sleep(50);
  }
}

/** The stream of rounds between kills: one command at a time, by either client, back to back. */
interface Workload {
  /** The command under way, if any. */
  readonly inflight: Op | undefined;
  /** Resolves once the first command has settled (made its round or failed). */
  readonly first: Promise<void>;
  /** Stops issuing commands (the one under way goes on). */
  stop(): void;
  /** Resolves once the command under way has settled; rejects after `timeoutMs`. */
  settled(timeoutMs: number): Promise<void>;
  /** Rounds it made. */
  done(): number;
}

function workload(rng: Rng, s: Setup, bound: number, failed: (detail: string) => void): Workload {
  let stopped = false;
  let inflight: Op | undefined;
  let made = 0;
  let current: Promise<void> = Promise.resolve();
  let firstSettled: () => void = () => undefined;
  const first = new Promise<void>((r) => {
    firstSettled = r;
  });
  const loop = async () => {
    while (!stopped) {
      const role = rng.pick(['initiator', 'responder'] as const);
      const kind = rng.weighted([
        [6, 'transfer'],
        [1, 'deposit'],
        [1, 'withdraw'],
      ] as const);
      const amount = BigInt(kind === 'transfer' ? rng.int(1, 1_000) : rng.int(1_000, 100_000));
      const op: Op = { role, kind, amount };
      inflight = op;
      const delta = kind === 'deposit' ? amount : kind === 'withdraw' ? -amount : 0n;
      const client = s.clients[role];
      current = client.request(kind, { amount: amount.toString() }, bound).then(
        () => {
          made++;
          s.total += delta;
        },
        (e: Error) => {
          if (delta !== 0n) s.uncertain.push(delta);
          if (!stopped) failed(`the ${role}'s ${kind} of ${amount} failed with no kill: ${e.message}`);
        },
      );
      await current;
      firstSettled();
      inflight = undefined;
    }
  };
  void loop();
  return {
    get inflight() {
      return inflight;
    },
    first,
    stop() {
      stopped = true;
    },
    async settled(timeoutMs: number) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new CommandFailed(`the ${inflight?.role}'s ${inflight?.kind} never settled`, null)), timeoutMs);
      });
      try {
        await Promise.race([current, late]);
      } finally {
        clearTimeout(timer);
      }
    },
    done: () => made,
  };
}
