import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ChannelRecord, fileStore } from '@aesc/channel';
import { accountAddress, generateKeyPair, signTransaction } from '@aesc/crypto';
import { type ChannelId, encodeObject, encodeTx, toHex } from '@aesc/encoding';
import { buildPoi } from '@aesc/state';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runChild, spawnChild, stopChild, stopChildren } from '../../../../tooling/vitest/processes.js';
import { agentProcess } from '../../test/agent-process.js';

// Issue 24, must-show 2, through the CLI: the peer posts a stale close_solo straight to the chain's
// HTTP API; the agent, unasked, slashes it with its latest co-signed round and settles after the
// lock period, connected or coming back with `aesc channel reestablish` within the lock period.

const bin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const AE = 10n ** 18n;

let home: string;
let node: ChildProcess;
let base: string;
/** The agents a test started: each test stops those still running, whatever its outcome. */
const agents = new Set<ChildProcess>();
const env = () => ({ ...process.env, AESC_HOME: home, AESC_PASSWORD: 'correct horse' });

const cli = (args: string[]) => runChild(process.execPath, [bin, ...args], { env: env() });

async function json(args: string[]): Promise<Record<string, unknown>> {
  const r = await cli([...args, '--json']);
  if (r.code !== 0) throw new Error(`aesc ${args.join(' ')} → ${r.code}: ${r.err}`);
  return JSON.parse(r.out) as Record<string, unknown>;
}

/** An agent in the foreground with its JSON events; stopped after the tests whatever happens. */
const agent = (args: string[]) => agentProcess(bin, args, env(), agents);

const balanceOf = async (name: string) => BigInt((await json(['account', 'balance', name, '--chain', base])).balance as string);
const storeOf = (session: string) => fileStore(join(home, 'channels', session, 'store'));

/** Mallory's close_solo of an old co-signed round, signed with her key (a fee well above the minimum). */
async function staleCloseSolo(record: ChannelRecord, from: string, secretKey: Uint8Array): Promise<string> {
  const nonce = BigInt((await json(['account', 'balance', from, '--chain', base])).nonce as string) + 1n;
  const tx = {
    tag: 'channel_close_solo_tx' as const,
    version: 1 as const,
    channelId: record.channelId,
    fromId: accountAddress(secretKey.subarray(32)),
    payload: record.lastCoSigned.tx,
    poi: buildPoi(record.lastCoSigned.state.trees, { accounts: [record.initiator, record.responder] }),
    ttl: 0n,
    fee: 10n ** 14n,
    nonce,
  };
  const status = (await (await fetch(`${base}/v3/status`)).json()) as { network_id: string };
  const signature = await signTransaction(encodeObject(tx), status.network_id, secretKey);
  return encodeTx({ tag: 'signed_tx', version: 1, signatures: [signature], tx });
}

async function post(tx: string): Promise<void> {
  const res = await fetch(`${base}/v3/transactions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tx }) });
  expect(res.status, await res.clone().text()).toBe(200);
}

let mallorySecret: Uint8Array;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'aesc-slash-'));
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
  const keys = await generateKeyPair();
  mallorySecret = keys.secretKey;
  const keyFile = join(home, 'mallory.key');
  await writeFile(keyFile, toHex(keys.secretKey), { mode: 0o600 });
  await Promise.all([json(['account', 'new', 'alice']), json(['account', 'import', 'mallory', '--secret-key-file', keyFile])]);
  for (const who of ['alice', 'mallory']) await json(['account', 'fund', who, '100ae', '--chain', base]);
}, 60_000);

afterEach(async () => {
  await Promise.all([...agents].map((a) => stopChild(a)));
  agents.clear();
});

afterAll(async () => {
  await stopChildren(); // the node, waited for before its home directory goes
  if (home !== undefined) await rm(home, { recursive: true, force: true });
});

describe('aesc channel: the agent disputes a stale solo close unasked', () => {
  // 50 key blocks at one every 100 ms: five seconds to answer the cheat.
  // Each test has sessions of its own (a session holds one channel).
  const open = async (port: number, tag: string) => {
    const [as, ms] = [`alice-${tag}`, `mallory-${tag}`];
    const common = ['--node', `${base.replace('http', 'ws')}/channel`, '--port', String(port), '--lock-period', '50'];
    // Mallory's own agent is honest but takes no dispute on itself (her cheat comes from outside it).
    const mallory = agent(['open', '--account', 'mallory', '--session', ms, '--role', 'responder', '--peer', 'alice', '--amount', '30ae', '--peer-amount', '50ae', '--no-auto-slash', ...common]);
    await mallory.waitFor({ event: 'waiting' });
    const alice = agent(['open', '--account', 'alice', '--session', as, '--role', 'initiator', '--peer', 'mallory', '--amount', '50ae', '--peer-amount', '30ae', ...common]);
    await alice.waitFor({ event: 'phase', phase: 'open' });
    await mallory.waitFor({ event: 'phase', phase: 'open' });
    await json(['channel', 'transfer', 'mallory', '10ae', '--session', as]); // round 2: Mallory's cheat
    const channelId = (await json(['channel', 'status', '--session', as])).channelId as ChannelId;
    const stale = (await (await storeOf(ms)).load(channelId))!;
    expect(stale.lastCoSigned.tx.tx).toMatchObject({ round: 2n });
    await json(['channel', 'transfer', 'alice', '9ae', '--session', ms]); // round 3: worse for her
    return { alice, mallory, channelId, stale };
  };

  it('connected: the agent slashes with round 3 and settles; the chain pays out round 3', async () => {
    const { alice, mallory, stale } = await open(15_531, 'here');
    await post(await staleCloseSolo(stale, 'mallory', mallorySecret));
    const before = await balanceOf('mallory'); // after her cheat's fee
    expect(await alice.waitFor({ event: 'dispute', step: 'slashing' })).toMatchObject({ round: '3' });
    await alice.waitFor({ event: 'dispute', step: 'slashed' });
    await alice.waitFor({ event: 'dispute', step: 'settled' });
    expect(await alice.exited).toBe(0);
    expect(await mallory.exited).toBe(0);
    // Round 3: Alice 50 - 10 + 9 = 49, Mallory 30 + 10 - 9 = 31; Alice paid the slash and settle fees.
    expect((await balanceOf('mallory')) - before).toBe(31n * AE);
    expect(mallory.events.some((e) => e.event === 'dispute')).toBe(false);
  }, 180_000);

  it('away: the cheat lands after a leave; "aesc channel reestablish" within the lock period slashes and settles', async () => {
    const { alice, stale } = await open(15_532, 'away');
    const left = await cli(['channel', 'leave', '--session', 'alice-away']);
    expect(left.code).toBe(0);
    expect(await alice.exited).toBe(0);
    await post(await staleCloseSolo(stale, 'mallory', mallorySecret));
    const before = await balanceOf('mallory');
    // Mallory's agent is gone (the leave ended both sessions); Alice comes back.
    const back = agent(['reestablish', '--session', 'alice-away']);
    expect(await back.waitFor({ event: 'dispute', step: 'slashing' })).toMatchObject({ round: '3' });
    await back.waitFor({ event: 'dispute', step: 'settled' });
    expect(await back.exited).toBe(0);
    expect((await balanceOf('mallory')) - before).toBe(31n * AE);
  }, 180_000);
});
