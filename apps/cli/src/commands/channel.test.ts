import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeApi } from '@aesc/encoding';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runChild, spawnChild, stopChild, stopChildren } from '../../../../tooling/vitest/processes.js';
import { agentProcess } from '../../test/agent-process.js';

// `aesc account` and `aesc channel` end to end: processes of the built CLI against a node it
// starts, as a user would run them — two keystores, two agents, commands from a third terminal.

const bin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const AE = 10n ** 18n;
const FEES = AE / 1000n; // every fee of these channels together stays far below 0.001 AE

let home: string;
let node: ChildProcess;
let base: string;
const env = () => ({ ...process.env, AESC_HOME: home, AESC_PASSWORD: 'correct horse' });

const cli = (args: string[], extraEnv: Record<string, string> = {}) => runChild(process.execPath, [bin, ...args], { env: { ...env(), ...extraEnv } });

async function json(args: string[]): Promise<Record<string, unknown>> {
  const r = await cli([...args, '--json']);
  if (r.code !== 0) throw new Error(`aesc ${args.join(' ')} → ${r.code}: ${r.err}`);
  return JSON.parse(r.out) as Record<string, unknown>;
}

/** The agents a test started: each test stops those still running, whatever its outcome. */
const agents = new Set<ChildProcess>();

/** A channel agent in the foreground, with its JSON events. */
const agent = (args: string[]) => agentProcess(bin, args, env(), agents);

const balanceOf = async (name: string) => BigInt((await json(['account', 'balance', name, '--chain', base])).balance as string);

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'aesc-cli-'));
  node = spawnChild(process.execPath, [bin, 'node', 'start', '--port', '0', '--block-interval', '100'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  base = await new Promise<string>((resolve, reject) => {
    node.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      const m = /listening on ws:\/\/(127\.0\.0\.1:\d+)\/channel/.exec(output);
      if (m) resolve(`http://${m[1]}`);
    });
    node.on('exit', () => reject(new Error(`node exited: ${output}`)));
  });
}, 30_000);

afterEach(async () => {
  await Promise.all([...agents].map((a) => stopChild(a)));
  agents.clear();
});

afterAll(async () => {
  await stopChildren();
  if (home !== undefined) await rm(home, { recursive: true, force: true });
});

describe('aesc account', () => {
  it('makes keystore accounts, lists them, funds them on the dev chain and reads their balances', async () => {
    // Commands that do not depend on each other run at once: each derives a key (argon2id, about
    // 2 s of CPU) or starts a process, and one after the other they took a loaded machine minutes.
    const [alice, bob] = await Promise.all([json(['account', 'new', 'alice']), json(['account', 'new', 'bob'])]);
    expect(alice.address).toMatch(/^ak_/);
    expect(await json(['account', 'list'])).toEqual([
      { name: 'alice', address: alice.address },
      { name: 'bob', address: bob.address },
    ]);
    expect(await json(['account', 'balance', 'alice', '--chain', base])).toMatchObject({ address: alice.address, balance: '0', nonce: '0' });
    const funded = await json(['account', 'fund', 'alice', '100ae', '--chain', base]);
    expect(funded).toMatchObject({ balance: (100n * AE).toString() });
    await json(['account', 'fund', 'bob', '100ae', '--chain', base]);
    expect(await balanceOf('bob')).toBe(100n * AE);
  }, 60_000);

  it('refuses what a user gets wrong with one coded line and a stable exit status', async () => {
    const keystore = join(home, 'accounts', 'alice.json');
    // none of these depends on another: they run at once
    const [again, noPassword, noFile, wrong, unknown, offline, noAgent] = await Promise.all([
      cli(['account', 'new', 'alice']),
      cli(['account', 'new', 'carol'], { AESC_PASSWORD: '' }),
      cli(['account', 'import', 'dave', '--secret-key-file', '/nonexistent']),
      cli(['account', 'import', 'alice2', '--keystore', keystore], { AESC_PASSWORD: 'wrong' }),
      cli(['account', 'balance', 'nobody']),
      cli(['account', 'balance', 'alice', '--chain', 'http://127.0.0.1:1']),
      cli(['channel', 'transfer', 'bob', '1ae', '--account', 'alice']),
    ]);
    expect([again.code, again.err.trim()]).toEqual([2, 'aesc: error 10004: An account named "alice" exists already']);
    expect([noPassword.code, noPassword.err]).toEqual([2, expect.stringMatching(/^aesc: error 10006: No password for account "carol"/)]);
    expect(noFile.err).toMatch(/^aesc: error 10001: Cannot read \/nonexistent/);
    expect([wrong.code, wrong.err]).toEqual([2, expect.stringMatching(/^aesc: error 6000: /)]);
    expect(wrong.err).not.toContain('wrong');
    expect([unknown.code, unknown.err.trim()]).toEqual([2, 'aesc: error 10005: No account named "nobody" (see "aesc account list")']);
    expect([offline.code, offline.err]).toEqual([3, expect.stringMatching(/^aesc: error 10009: Cannot reach http:\/\/127\.0\.0\.1:1/)]);
    expect([noAgent.code, noAgent.err]).toEqual([2, expect.stringMatching(/^aesc: error 10010: Session "alice" has no channel/)]);
  }, 60_000);
});

describe('aesc channel, two keystores against the node', () => {
  const open = async (port: number, extra: string[] = []) => {
    const common = ['--node', `${base.replace('http', 'ws')}/channel`, '--port', String(port), '--lock-period', '3', ...extra];
    const bob = agent(['open', '--account', 'bob', '--role', 'responder', '--peer', 'alice', '--amount', '30ae', '--peer-amount', '50ae', ...common]);
    await bob.waitFor({ event: 'agent' });
    expect(await bob.waitFor({ event: 'waiting' })).toMatchObject({ for: 'initiator', port });
    const alice = agent(['open', '--account', 'alice', '--role', 'initiator', '--peer', 'bob', '--amount', '50ae', '--peer-amount', '30ae', ...common]);
    await alice.waitFor({ event: 'phase', phase: 'open' });
    await bob.waitFor({ event: 'phase', phase: 'open' });
    // each agent says who it is before anything of the channel happens
    expect(alice.events[0]).toMatchObject({ event: 'agent', role: 'initiator' });
    expect(bob.events[0]).toMatchObject({ event: 'agent', role: 'responder' });
    return { alice, bob };
  };

  it('open, transfer, close mutual: the balances on chain are the channel’s', async () => {
    const before = { alice: await balanceOf('alice'), bob: await balanceOf('bob') };
    // (key blocks come every 100 ms here: a block picked by the test stays within the peer's bh_delta window)
    const window = ['--connect', 'bh_delta_not_newer_than=0', '--connect', 'bh_delta_not_older_than=100000', '--connect', 'bh_delta_pick=0'];
    const { alice, bob } = await open(15_431, ['--msg-forwarding', ...window]);
    const address = async (n: string) => ((await json(['account', 'list'])) as unknown as { name: string; address: string }[]).find((a) => a.name === n)!.address;
    const [a, b] = [await address('alice'), await address('bob')];
    // while the create tx got deep enough, the agent said how deep it was (key blocks every 100 ms)
    expect(alice.events.find((e) => e.event === 'depth')).toMatchObject({ tx: 'channel_create_tx', depth: expect.any(Number) });

    const t = await json(['channel', 'transfer', 'bob', '5ae', '--account', 'alice']);
    expect(t).toEqual({ round: '2', balances: { [a]: (45n * AE).toString(), [b]: (35n * AE).toString() } });
    // Bob's agent co-signed and stored the same round.
    expect(await json(['channel', 'balances', '--account', 'bob'])).toEqual(t);
    const back = await json(['channel', 'transfer', 'alice', '1ae', '--account', 'bob']);
    expect(back).toEqual({ round: '3', balances: { [a]: (46n * AE).toString(), [b]: (34n * AE).toString() } });
    expect(await json(['channel', 'status', '--account', 'alice'])).toMatchObject({ phase: 'open', role: 'initiator', round: '3' });

    // A round pinned to a block (--block-hash); one the chain does not know is refused by the node.
    const kh = ((await (await fetch(`${base}/v3/key-blocks/current`)).json()) as { hash: string }).hash;
    const pinned = await json(['channel', 'transfer', 'bob', '1ae', '--block-hash', kh, '--account', 'alice']);
    expect(pinned).toMatchObject({ round: '4' });
    const unknown = await cli(['channel', 'transfer', 'bob', '1ae', '--block-hash', encodeApi('kh', new Uint8Array(32).fill(9)), '--account', 'alice']);
    expect([unknown.code, unknown.err]).toEqual([1, expect.stringMatching(/^aesc: error 7202: The node rejected channels.update.new/)]);
    const badConnect = await cli(['channel', 'open', '--account', 'alice', '--role', 'initiator', '--peer', 'bob', '--amount', '1ae', '--peer-amount', '1ae', '--session', 'x', '--network-id', 'ae_dev', '--connect', 'role=responder']);
    expect([badConnect.code, badConnect.err]).toEqual([2, expect.stringMatching(/^aesc: error 10000: --connect takes name=value of an optional connect param/)]);
    const badValue = await cli(['channel', 'open', '--account', 'alice', '--role', 'initiator', '--peer', 'bob', '--amount', '1ae', '--peer-amount', '1ae', '--session', 'x', '--network-id', 'ae_dev', '--connect', 'timeout_sign=soon']);
    expect([badValue.code, badValue.err]).toEqual([2, expect.stringMatching(/^aesc: error 10000: .*timeout_sign/)]);
    const badHash = await cli(['channel', 'deposit', '1ae', '--block-hash', 'kh_nope', '--account', 'alice']);
    expect([badHash.code, badHash.err]).toEqual([2, expect.stringMatching(/^aesc: error 10000: --block-hash takes a key or micro block hash/)]);
    const back2 = await json(['channel', 'transfer', 'alice', '1ae', '--account', 'bob']);
    expect(back2).toMatchObject({ round: '5' });

    // The node's event log of a party's channel, newest first.
    const history = (await json(['channel', 'history', '--n', '3', '--account', 'alice'])).entries as { type: string; tag: string; time: string }[];
    expect(history).toHaveLength(3);
    expect((await json(['channel', 'history', '--type', 'rpt', '--tag', 'update', '--n', '1', '--account', 'bob'])).entries).toMatchObject([
      { type: 'report', tag: 'update', info: { state: expect.stringMatching(/^tx_/) } },
    ]);
    const human = await cli(['channel', 'history', '--n', '2', '--type', 'snd,rcv', '--account', 'alice']);
    expect(human.out.trim().split('\n')).toEqual([expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z {2}(send|receive) +\w+$/), expect.any(String)]);
    const badType = await cli(['channel', 'history', '--type', 'nope', '--account', 'alice']);
    expect([badType.code, badType.err]).toEqual([2, expect.stringMatching(/^aesc: error 10000: --type takes a comma-separated list of rpt, req, snd, rcv/)]);

    // A message from another account (the channel forwards messages): Bob's agent prints it.
    const relayed = encodeApi('ak', new Uint8Array(32).fill(3));
    expect(await json(['channel', 'message', 'bob', 'relayed', '--from', relayed, '--account', 'alice'])).toEqual({ sent: true });
    expect(await bob.waitFor({ event: 'message', text: 'relayed' })).toMatchObject({ from: relayed });
    // Alice proposes that Bob pays her: Bob's agent declines (abort 128); Alice sees the conflict.
    const grab = await cli(['channel', 'transfer', 'alice', '20ae', '--from', 'bob', '--account', 'alice']);
    expect([grab.code, grab.err]).toEqual([1, expect.stringMatching(/^aesc: error 7203: /)]);
    await bob.waitFor({ event: 'declined', code: 128 });
    expect(await json(['channel', 'balances', '--account', 'bob'])).toEqual(back2);

    const closed = await json(['channel', 'close', '--account', 'alice']);
    expect(closed).toMatchObject({ closed: true, round: '5' });
    expect(await alice.exited).toBe(0);
    expect(await bob.exited).toBe(0);

    const after = { alice: await balanceOf('alice'), bob: await balanceOf('bob') };
    // Alice put in 50 and got 46 back, Bob put in 30 and got 34; fees are all that is missing.
    expect(before.alice - after.alice - 4n * AE).toBeGreaterThan(0n);
    expect(before.alice - after.alice - 4n * AE).toBeLessThan(FEES);
    expect(after.bob - before.bob - 4n * AE).toBeLessThanOrEqual(0n);
    expect(before.bob - after.bob + 4n * AE).toBeLessThan(FEES);
  }, 120_000);

  it('open, transfer, close solo, settle after the lock period (with a progress line)', async () => {
    const before = { alice: await balanceOf('alice'), bob: await balanceOf('bob') };
    const { alice, bob } = await open(15_432);
    await json(['channel', 'transfer', 'bob', '10ae', '--account', 'alice']);
    const solo = await json(['channel', 'close-solo', '--account', 'alice']);
    expect(solo).toMatchObject({ soloClosing: true, round: '2' });
    const settle = await cli(['channel', 'settle', '--account', 'alice', '--json']);
    expect(settle.code).toBe(0);
    const result = JSON.parse(settle.out) as { closed: boolean; balances: Record<string, string> };
    expect(result.closed).toBe(true);
    expect(Object.values(result.balances)).toEqual([(40n * AE).toString(), (40n * AE).toString()]);
    expect(settle.err).toMatch(/^lock period: height \d+ of \d+$/m);
    expect(settle.err).toContain('waiting for the settle to be confirmed');
    expect(await alice.exited).toBe(0);
    expect(await bob.exited).toBe(0);
    const after = { alice: await balanceOf('alice'), bob: await balanceOf('bob') };
    // Alice: 50 in, 40 out, and the fees of create, close_solo and settle.
    expect(before.alice - after.alice - 10n * AE).toBeGreaterThan(0n);
    expect(before.alice - after.alice - 10n * AE).toBeLessThan(FEES);
    expect(after.bob - before.bob).toBe(10n * AE);
    // The session is offline now, and says so.
    expect(await json(['channel', 'status', '--account', 'alice'])).toMatchObject({ phase: 'offline', round: '2' });
  }, 120_000);

  it('leave, then reestablish from the stores: the channel goes on from the round both kept', async () => {
    const { alice, bob } = await open(15_433);
    await json(['channel', 'transfer', 'bob', '2ae', '--account', 'alice']);
    const left = await cli(['channel', 'leave', '--account', 'alice']);
    // the way back it names is the README's: by --account
    expect([left.code, left.out.trim()]).toEqual([0, expect.stringMatching(/^left at round 2: .*; come back with "aesc channel reestablish --account alice"$/)]);
    expect(await alice.exited).toBe(0);
    // The node ends both parties' connections on a leave and keeps the channel in its state cache.
    expect(await bob.exited).toBe(0);
    expect(await json(['channel', 'status', '--account', 'alice'])).toMatchObject({ phase: 'offline', round: '2' });
    const noAgent = await cli(['channel', 'transfer', 'bob', '1ae', '--account', 'alice']);
    expect([noAgent.code, noAgent.err]).toEqual([3, expect.stringMatching(/^aesc: error 10007: No channel agent runs for session "alice"/)]);

    const bob2 = agent(['reestablish', '--account', 'bob']);
    // the agent line comes first; "waiting" once it is at the node
    await bob2.waitFor({ event: 'waiting' });
    expect(bob2.events[0]).toMatchObject({ event: 'agent' });
    const alice2 = agent(['reestablish', '--account', 'alice']);
    await alice2.waitFor({ event: 'phase', phase: 'open' });
    await bob2.waitFor({ event: 'phase', phase: 'open' });
    expect(await json(['channel', 'status', '--account', 'bob'])).toMatchObject({ phase: 'open', round: '2' });
    const t = await json(['channel', 'transfer', 'alice', '1ae', '--account', 'bob']);
    expect(t).toMatchObject({ round: '3' });
    expect(Object.values(t.balances as Record<string, string>)).toEqual([(49n * AE).toString(), (31n * AE).toString()]);
    await json(['channel', 'close', '--account', 'bob']);
    expect(await alice2.exited).toBe(0);
    expect(await bob2.exited).toBe(0);
  }, 120_000);
});
