/**
 * `pnpm fuzz:node`: a seeded, bounded fuzzer against a real `aesc node start --port 0 --peers`
 * process (the built CLI). Each case is one hostile input:
 *
 * - `url`: a connect request seeded from the corpus's 293 connect URLs and mutated (params dropped,
 *   doubled, given hostile values; other paths), on a fresh connection;
 * - `frame`: a hostile text frame (broken JSON, JSON that is no request, deep nesting, requests of
 *   every method with hostile params and ids, batches, near-1 MiB frames) on connections of waiting
 *   responders, each checked alive (a ping answered) every 25 frames;
 * - `ws`: a WebSocket protocol violation on a fresh connection (it must be closed with a code);
 * - `open`: a hostile request on one of two open channels whose parties also answer sign requests
 *   with spoiled replies before they sign or abort; the two sides' states are compared after it;
 * - `peer-raw`: bytes on a waiting responder's peer port, before or after a Noise handshake;
 * - `peer`: a Noise peer that opens a channel with a waiting responder and then sends messages of
 *   any type with broken contents;
 * - `mitm`: a transfer on a channel whose FSMs talk through a man in the middle that drops or
 *   spoils one message of the round (it must end: a new state or a conflict).
 *
 * It keeps a sentinel channel it never touches. At the end: the node never exited, a fresh channel
 * opens and transfers, the sentinel is at its round with its balances, and the node's resident
 * memory (/proc/PID/status VmRSS) stayed within bounds after a warm-up. It prints the cases tried,
 * the answers by error and close code, the crashes and violations, and exits 1 on any.
 *
 *   node tooling/fuzz-node/dist/fuzz.js --cases 100000 --seed 1 [--seconds S] [--lanes 8]
 *     [--rss-growth-mb 256] [--rss-limit-mb 2048] [--cli apps/cli/dist/bin.js]
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { devAccounts } from '@aesc/chain';
import { decodeTx } from '@aesc/encoding';
import type { PeerMessage } from '@aesc/node';
import { type Account, type Channel, connectUrl, openChannel, states } from './channels.js';
import { corpusQueries, mutatedTarget } from './connect-urls.js';
import { ENDING, METHOD_PARAMS, hostileFrame, hostileRequest, hostileValue } from './hostile-json.js';
import { type NodeProcess, startNodeProcess } from './node-process.js';
import { type Frame, Party, isInfo, isMethod } from './party.js';
import { channelOpen, linkTo, randomMessage, rawPeerCase } from './peer-cases.js';
import { RawWs, Rng, wsFrame } from '@aesc/test-support';
import { violation } from './ws-violations.js';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '0' },
    seed: { type: 'string', default: 'aesc' },
    lanes: { type: 'string', default: '16' },
    'rss-growth-mb': { type: 'string', default: '256' },
    'rss-limit-mb': { type: 'string', default: '2048' },
    cli: { type: 'string', default: fileURLToPath(new URL('../../../apps/cli/dist/bin.js', import.meta.url)) },
  },
});
const CASES = Number(values.cases);
const SECONDS = Number(values.seconds);
const LANES = Number(values.lanes);
const MB = 1024 * 1024;

const KINDS = [
  [800, 'frame'],
  [70, 'url'],
  [50, 'ws'],
  [30, 'open'],
  [30, 'peer-raw'],
  [15, 'peer'],
  [5, 'mitm'],
] as const;
type Kind = (typeof KINDS)[number][1];

/** Counts by key, printed sorted. */
class Tally {
  readonly #counts = new Map<string, number>();
  add(key: string, n = 1): void {
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + n);
  }
  get(key: string): number {
    return this.#counts.get(key) ?? 0;
  }
  lines(prefix: string): string[] {
    return [...this.#counts.entries()].filter(([k]) => k.startsWith(prefix)).sort((x, y) => y[1] - x[1]).map(([k, n]) => `  ${String(n).padStart(8)}  ${k.slice(prefix.length)}`);
  }
}

/** An answer frame as a tally key: its error code (and reason codes), or its method. */
function answerKey(f: Frame): string {
  if (f.error) {
    const data = f.error.data?.map((d) => d.code).join(',');
    return `error ${f.error.code}${data ? ` [${data}]` : ''}`;
  }
  if (f.method === 'channels.info') return `info ${String(f.params?.data?.event)}`;
  return f.method ?? ('result' in f ? 'result' : 'other');
}

const roundOfState = (tx: string): bigint => {
  const inner = decodeTx(tx as `tx_${string}`).tx;
  return inner.tag === 'channel_offchain_tx' ? inner.round : 1n;
};

async function main(): Promise<number> {
  const rng = new Rng(values.seed!);
  const tally = new Tally();
  const violations: string[] = [];
  const violate = (what: string) => {
    if (violations.length < 50) violations.push(what);
  };
  const started = Date.now();
  const node: NodeProcess = await startNodeProcess(values.cli!);
  const status = (await (await fetch(`http://${node.host}:${node.port}/v3/status`)).json()) as { network_id: string; genesis_key_block_hash: string };
  const networkId = status.network_id;
  const dev = (await devAccounts(10)).map((d) => ({ address: d.address, secretKey: d.secretKey }) as Account);
  const addresses = dev.map((d) => d.address);
  const queries = corpusQueries();
  // Responders' peer ports, below the kernel's ephemeral range (32768–60999 here), where the
  // fuzzer's own outgoing connections would hold some of them.
  let nextPort = 12_000 + rng.int(0, 20_000);
  const port = () => {
    nextPort = nextPort >= 32_000 ? 12_000 : nextPort + 1;
    return nextPort;
  };
  // The channels the fuzzer keeps must outlive the run: no idle timeout of 10 minutes.
  const LONG = { timeout_idle: 7 * 24 * 3600 * 1000, timeout_awaiting_open: 7 * 24 * 3600 * 1000 };
  let ids = 1_000;

  // RSS, sampled while it runs.
  const rss: number[] = [];
  const sampler = setInterval(() => {
    const v = node.rss();
    if (v > 0) rss.push(v);
  }, 250);

  const open = async (a: Account, b: Account, options: Parameters<typeof openChannel>[5] = {}): Promise<Channel> => {
    for (let tries = 0; tries < 5; tries++) {
      const c = await openChannel(node.channelUrl, networkId, a, b, port(), options);
      if (c !== undefined) return c;
    }
    throw new Error('could not open a channel');
  };
  const transfer = async (c: Channel, amount = 1): Promise<Frame | undefined> => {
    c.i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: c.a.address, to: c.b.address, amount } });
    return c.i.next((f) => f.method === 'channels.update' || f.method === 'channels.conflict' || (f.error !== undefined && f.id === null), 15_000);
  };

  // The sentinel: opened, one transfer, then never touched.
  const sentinel = await open(dev[0]!, dev[1]!, { extra: LONG });
  const died = (c: Channel) => [c.i, c.r].some((p) => p.frames.some(isInfo('died')));
  if ((await transfer(sentinel))?.method !== 'channels.update') throw new Error('the sentinel did not transfer');
  await sentinel.r.next(isMethod('channels.update'), 5000);
  const sentinelBefore = await states(sentinel, ids++);
  const sentinelBalances = async () =>
    JSON.stringify((await sentinel.i.ask({ method: 'channels.get.balances', params: { accounts: [sentinel.a.address, sentinel.b.address] } }, ids++))?.result, (_k, v) =>
      typeof v === 'bigint' ? v.toString() : v,
    );
  const balancesBefore = await sentinelBalances();

  // Two victims for hostile requests and spoiled sign replies.
  const spoilingPolicy = (r: Rng): Party['policy'] => async (tag, tx, reply, party) => {
    for (let n = r.chance(0.5) ? r.int(1, 3) : 0; n > 0; n--) {
      const bad = r.int(0, 7);
      if (bad === 0) reply({ signed_tx: tx }); // not signed by this party
      else if (bad === 1) reply({ signed_tx: `${tx.slice(0, -6)}${tx.slice(-6).split('').reverse().join('')}` });
      else if (bad === 2) reply({ signed_tx: await party.signed(tx, r.pick(dev).secretKey) });
      else if (bad === 3) reply({ signed_tx: r.int(0, 10) });
      else if (bad === 4) reply({ error: r.pick([0, -1, 65_536, 1.5, 'x', null]) });
      else if (bad === 5) reply({});
      else if (bad === 6) party.send(`{"jsonrpc":"2.0","method":"channels.${tag}","params":{"signed_tx":${hostileValue(r, addresses)}}}`);
      else reply({ signed_tx: 'tx_' });
      await new Promise((res) => setTimeout(res, 1));
    }
    if (r.chance(0.8)) reply({ signed_tx: await party.signed(tx) });
    else reply({ error: r.int(1, 65_535) });
  };
  const victims: { c: Channel; busy: boolean; cases: number }[] = [];
  for (const [x, y] of [
    [2, 3],
    [4, 5],
  ] as const) {
    const c = await open(dev[x]!, dev[y]!, { extra: { ...LONG, timeout_sign: 20_000 } });
    const r = rng.fork();
    c.i.policy = spoilingPolicy(r);
    c.r.policy = spoilingPolicy(r);
    victims.push({ c, busy: false, cases: 0 });
  }

  // A channel whose FSMs talk through a man in the middle: one message of a round spoiled a case.
  let spoil: ((m: PeerMessage) => PeerMessage | undefined) | undefined;
  const tamper = (m: PeerMessage) => {
    if (spoil === undefined || m.type === 'channel_open' || m.type === 'channel_accept') return m;
    const s = spoil;
    spoil = undefined;
    return s(m);
  };
  const mitm = { c: await open(dev[6]!, dev[7]!, { tamper, extra: { ...LONG, timeout_accept: 250, timeout_initialized: 60_000, timeout_sign: 5000 } }), busy: false };

  // Waiting responders for frames (and their peer ports for raw bytes).
  const pool: { p: Party; port: number; sent: number }[] = [];
  const responder = (p: number) => {
    const party = new Party(connectUrl(node.channelUrl, 'responder', dev[0]!, dev[1]!, p, LONG), dev[1]!.secretKey, networkId);
    party.listener = (f) => tally.add(`frame: ${answerKey(f)}`);
    return party;
  };
  for (let k = 0; k < 8; k++) {
    const p = port();
    const party = responder(p);
    await party.next(isInfo('fsm_up'), 5000);
    pool.push({ p: party, port: p, sent: 0 });
  }
  let poolAt = 0;

  const warmupCases = Math.floor(CASES / 10);
  let warmRss = 0;
  let done = 0;
  let nextCase = 0;
  const deadline = SECONDS > 0 ? started + SECONDS * 1000 : Number.POSITIVE_INFINITY;
  const take = () => {
    if (nextCase >= CASES || Date.now() > deadline || node.exit !== undefined) return undefined;
    return nextCase++;
  };

  const cases: Record<Kind, (r: Rng) => Promise<void>> = {
    async frame(r) {
      const slot = pool[poolAt++ % pool.length]!;
      if (slot.p.closed || slot.p.frames.some(isInfo('died'))) {
        slot.p.close();
        slot.port = port();
        slot.p = responder(slot.port);
        slot.sent = 0;
        const up = await slot.p.next((f) => isInfo('fsm_up')(f) || f.error !== undefined, 5000);
        if (up === undefined) return violate('frame: a new responder got no answer to its connect');
      }
      slot.p.send(hostileFrame(r, addresses));
      tally.add('cases: frame');
      if (++slot.sent % 25 === 0) {
        // alive: the ping after 25 hostile frames is answered (pong, or the error of an FSM that was stopped)
        slot.p.send('{"jsonrpc":"2.0","method":"channels.system","params":{"action":"ping"}}');
        const answered = await slot.p.next((f) => f.method === 'channels.system.pong' || (f.error !== undefined && (f.error.data ?? []).some((d) => d.code === 1018)), 10_000);
        if (answered === undefined) violate(`frame: a connection did not answer a ping after ${slot.sent} frames`);
      }
    },

    async url(r) {
      const target = mutatedTarget(r, queries, addresses, port());
      const ws = new RawWs(node.host, node.port, target, { decode: (text) => text });
      const got = ws.received;
      const answered = await ws.within((x) => x.closed || (x.status !== 0 && (x.status !== 101 || x.frames.length > 0 || x.closeCode !== undefined)), 5000);
      tally.add('cases: url');
      if (!answered) {
        violate(`url: no answer to ${target.slice(0, 200)}`);
      } else if (got.status !== 101) tally.add(`url: http ${got.status || 'closed'}`);
      else if (got.frames.length > 0) {
        let f: Frame;
        try {
          f = JSON.parse(got.frames[0]!) as Frame;
        } catch {
          f = { method: 'unparsable' };
        }
        tally.add(`url: ${f.error ? `connect ${answerKey(f)}` : answerKey(f)}`);
      } else tally.add(`url: closed ${got.closeCode ?? ''}`);
      if (r.chance(0.5)) ws.write(wsFrame(Uint8Array.of(0x03, 0xe8), { opcode: 8 }));
      ws.destroy();
    },

    async ws(r) {
      const u = new URL(connectUrl(node.channelUrl, 'responder', dev[0]!, dev[1]!, port()));
      const ws = new RawWs(node.host, node.port, `${u.pathname}${u.search}`, { decode: (text) => text });
      if (!(await ws.within((x) => x.frames.length > 0 || x.closed, 5000))) {
        ws.destroy();
        return violate('ws: no fsm_up on a valid connect URL');
      }
      const v = violation(r);
      ws.write(v.bytes);
      const closed = await ws.within((x) => x.closeCode !== undefined || x.closed, v.name === 'truncated frame' || v.name === 'random header bytes' ? 300 : 5000);
      tally.add('cases: ws');
      tally.add(`ws: ${closed ? `close ${ws.received.closeCode ?? '(no close frame)'}` : 'left open (an incomplete frame)'}`);
      if (!closed && v.name !== 'truncated frame' && v.name !== 'random header bytes') violate(`ws: ${v.name} did not close the connection`);
      ws.destroy();
    },

    async open(r) {
      const v = victims.find((x) => !x.busy);
      if (v === undefined) return cases.frame(r);
      v.busy = true;
      try {
        const party = r.chance(0.5) ? v.c.i : v.c.r;
        const me = party === v.c.i ? v.c.a.address : v.c.b.address;
        const other = party === v.c.i ? v.c.b.address : v.c.a.address;
        const methods = Object.keys(METHOD_PARAMS).filter((m) => !ENDING.includes(m));
        const id = ids++;
        const amount = hostileValue(r, addresses);
        const near = [
          `{"jsonrpc":"2.0","id":${id},"method":"channels.update.new","params":{"from":"${r.chance(0.8) ? me : other}","to":"${r.chance(0.8) ? other : me}","amount":${amount}}}`,
          `{"jsonrpc":"2.0","id":${id},"method":"channels.deposit","params":{"amount":${amount}${r.chance(0.3) ? `,"nonce":${hostileValue(r, addresses)}` : ''}${r.chance(0.3) ? `,"fee":${hostileValue(r, addresses)}` : ''}}}`,
          `{"jsonrpc":"2.0","id":${id},"method":"channels.withdraw","params":{"amount":${amount}${r.chance(0.3) ? `,"fee":${hostileValue(r, addresses)}` : ''}}}`,
          `{"jsonrpc":"2.0","id":${id},"method":"channels.update.new","params":{"from":"${me}","to":"${other}","amount":${r.int(0, 3)},"meta":${hostileValue(r, addresses)},"block_hash":${hostileValue(r, addresses)}}}`,
        ];
        party.send(r.chance(0.6) ? r.pick(near) : hostileRequest(r, addresses, methods));
        // the request's answer, or the end of the round it started
        const end = await party.next(
          (f) => f.id === id || f.id === BigInt(id) || f.method === 'channels.update' || f.method === 'channels.conflict' || isInfo('aborted_update')(f) || f.error !== undefined,
          1000,
        );
        tally.add('cases: open');
        tally.add(`open: ${end === undefined ? 'no direct answer' : answerKey(end)}`);
        if (++v.cases % 10 === 0) {
          // Quiet, both sides hold the same co-signed state, and a transfer goes through.
          let same = false;
          for (let k = 0; k < 40 && !same; k++) {
            const s = await states(v.c, ids++);
            same = s !== undefined && s[0] === s[1];
            if (!same) await new Promise((res) => setTimeout(res, 250));
          }
          if (!same) violate('open: the two sides of a channel hold different states');
          const policies = [v.c.i.policy, v.c.r.policy];
          v.c.i.policy = undefined;
          v.c.r.policy = undefined;
          const t = await transfer(v.c);
          [v.c.i.policy, v.c.r.policy] = policies;
          tally.add(`open: check transfer ${t === undefined ? 'no answer' : answerKey(t)}`);
          if (t === undefined) violate('open: a transfer on a victim channel got no answer (wedged)');
        }
        if (died(v.c)) violate('open: a victim channel’s FSM died');
      } finally {
        v.busy = false;
      }
    },

    async 'peer-raw'(r) {
      const slot = pool[r.int(0, pool.length - 1)]!;
      tally.add('cases: peer-raw');
      tally.add(`peer-raw: ${await rawPeerCase(r, slot.port, 30)}`);
    },

    async peer(r) {
      const p = port();
      const party = responder(p);
      party.listener = undefined;
      try {
        const up = await party.next((f) => isInfo('fsm_up')(f) || f.error !== undefined, 5000);
        // (a port the node cannot listen on, held by another process: its -32603 at connect)
        if (up?.error !== undefined) return void tally.add(`peer: responder refused at connect ${answerKey(up)}`);
        if (up === undefined) return violate('peer: a responder got no answer to its connect');
        const link = await linkTo(p);
        tally.add('cases: peer');
        if (link === undefined) return void tally.add('peer: the listener did not come up');
        const temp = r.bytes(32);
        let closed = false;
        link.onClose(() => (closed = true));
        const genuine = r.chance(0.8);
        link.send(genuine ? channelOpen(status.genesis_key_block_hash, dev[0]!.address, dev[1]!.address, temp, 1_000_000n) : randomMessage(r, temp));
        for (let n = r.int(1, 3); n > 0; n--) {
          await new Promise((res) => setTimeout(res, r.int(0, 20)));
          link.send(randomMessage(r, temp));
        }
        await party.next(isInfo('died'), 60);
        tally.add(`peer: ${party.frames.some(isInfo('died')) ? 'the responder’s FSM died' : party.frames.some(isInfo('channel_open')) ? 'opened, messages dropped' : 'not taken'}${closed ? ', link closed' : ''}`);
        link.close();
      } finally {
        party.close();
      }
    },

    async mitm(r) {
      if (mitm.busy) return cases.frame(r);
      mitm.busy = true;
      try {
        if (died(mitm.c) || mitm.c.i.closed || mitm.c.r.closed) {
          await mitm.c.close();
          mitm.c = await open(dev[6]!, dev[7]!, { tamper, extra: { ...LONG, timeout_accept: 250, timeout_initialized: 60_000, timeout_sign: 5000 } });
          tally.add('mitm: channel reopened');
        }
        const which = r.int(0, 5);
        spoil = (m) => {
          if (which === 0) return undefined; // dropped
          if (which === 1 && 'tx' in m) return { ...m, tx: r.bytes(r.int(0, 200)) } as PeerMessage;
          if (which === 2 && 'channelId' in m) return { ...m, channelId: r.bytes(32) } as PeerMessage;
          if (which === 3 && 'tx' in m) {
            const tx = Uint8Array.from(m.tx);
            tx[r.int(0, tx.length - 1)]! ^= 1 << r.int(0, 7);
            return { ...m, tx } as PeerMessage;
          }
          if (which === 4) return randomMessage(r, r.bytes(32));
          return m;
        };
        const t = await transfer(mitm.c);
        spoil = undefined;
        tally.add('cases: mitm');
        tally.add(`mitm: ${t === undefined ? 'no end' : answerKey(t)}`);
        if (t === undefined && !died(mitm.c)) violate('mitm: a round with a spoiled message never ended (wedged)');
      } finally {
        mitm.busy = false;
      }
    },
  };

  const lane = async (r: Rng) => {
    for (let c = take(); c !== undefined; c = take()) {
      const kind = r.weighted(KINDS);
      const t0 = Date.now();
      try {
        await cases[kind](r);
        tally.add(`ms: ${kind}`, Date.now() - t0);
      } catch (e) {
        violate(`${kind}: the fuzzer's case threw: ${e instanceof Error ? e.message : String(e)}`);
      }
      done++;
      if (done === warmupCases) warmRss = Math.max(0, ...rss);
      if (done % 10_000 === 0) console.log(`… ${done} cases, ${((Date.now() - started) / 1000).toFixed(0)} s, RSS ${(node.rss() / MB).toFixed(0)} MiB`);
    }
  };
  await Promise.all(Array.from({ length: LANES }, () => lane(rng.fork())));
  const elapsed = (Date.now() - started) / 1000;

  // The end: the node alive, the sentinel as it was, a fresh channel open and transferring.
  const alive = node.exit === undefined;
  let sentinelOk = false;
  let sentinelWhy = '';
  let freshOk = false;
  if (alive) {
    const after = await states(sentinel, ids++);
    const balancesAfter = await sentinelBalances();
    sentinelWhy = died(sentinel)
      ? 'an FSM of it died'
      : after === undefined || sentinelBefore === undefined
        ? 'it did not answer'
        : after[0] !== sentinelBefore[0] || after[1] !== sentinelBefore[1]
          ? 'its co-signed state changed'
          : roundOfState(after[0]) !== 2n
            ? 'its round changed'
            : balancesAfter !== balancesBefore
              ? 'its balances changed'
              : '';
    sentinelOk = sentinelWhy === '';
    try {
      const fresh = await open(dev[8]!, dev[9]!);
      const t = await transfer(fresh);
      freshOk = t?.method === 'channels.update' && roundOfState(t.params!.data!.state as string) === 2n;
      await fresh.close();
    } catch {
      freshOk = false;
    }
  }
  clearInterval(sampler);
  const peak = Math.max(0, ...rss);
  const peakAfter = Math.max(0, ...rss.slice(Math.floor(rss.length / 10)));
  const rssOk = peak <= Number(values['rss-limit-mb']) * MB && (warmRss === 0 || peakAfter <= warmRss + Number(values['rss-growth-mb']) * MB);

  for (const s of pool) s.p.close();
  for (const v of victims) await v.c.close();
  await mitm.c.close();
  await sentinel.close();
  await node.stop();

  const tried = KINDS.reduce((n, [, k]) => n + tally.get(`cases: ${k}`), 0);
  console.log(`\nfuzz:node — seed ${values.seed}, ${tried} cases in ${elapsed.toFixed(0)} s (${(tried / elapsed).toFixed(0)}/s), ${LANES} lanes`);
  console.log('cases by kind (and the time their lanes spent on them):');
  for (const l of KINDS.map(([, k]) => `  ${String(tally.get(`cases: ${k}`)).padStart(8)}  ${k.padEnd(9)} ${(tally.get(`ms: ${k}`) / 1000).toFixed(1)} s`)) console.log(l);
  for (const [title, prefix] of [
    ['answers to hostile frames (error code [reason codes], or what came)', 'frame: '],
    ['connect requests (HTTP status, connect error, or fsm_up)', 'url: '],
    ['WebSocket protocol violations (close codes)', 'ws: '],
    ['requests and spoiled sign replies on open channels', 'open: '],
    ['raw bytes on peer ports', 'peer-raw: '],
    ['hostile Noise peers', 'peer: '],
    ['rounds through a man in the middle', 'mitm: '],
  ] as const) {
    console.log(`${title}:`);
    for (const l of tally.lines(prefix).slice(0, 25)) console.log(l);
  }
  console.log(`node process: ${alive ? 'never exited' : `EXITED (${JSON.stringify(node.exit)})`}`);
  console.log(`crashes: ${alive ? 0 : 1}`);
  console.log(`sentinel channel: ${sentinelOk ? 'at round 2, balances and states unchanged' : `BROKEN: ${sentinelWhy}`}`);
  console.log(`fresh channel after the run: ${freshOk ? 'opened and transferred (round 2)' : 'FAILED'}`);
  console.log(
    `node RSS: start ${((rss[0] ?? 0) / MB).toFixed(0)} MiB, after warm-up ${(warmRss / MB).toFixed(0)} MiB, peak ${(peak / MB).toFixed(0)} MiB, end ${((rss[rss.length - 1] ?? 0) / MB).toFixed(0)} MiB (${rss.length} samples) — ${rssOk ? 'bounded' : 'NOT BOUNDED'}`,
  );
  console.log(`violations: ${violations.length}`);
  for (const v of violations) console.log(`  ${v}`);
  if (!alive) console.log(`node stderr (last lines):\n${node.stderr().split('\n').slice(-30).join('\n')}`);
  return alive && sentinelOk && freshOk && rssOk && violations.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
