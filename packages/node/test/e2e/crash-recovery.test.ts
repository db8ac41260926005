import { devAccounts, emitKeyBlocksViaHttp } from '@aesc/chain';
import { buildConnectUrl } from '@aesc/channel-api';
import { type SignedTx, decodeTx, encodeTx } from '@aesc/encoding';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { stopChildren } from '../../../../tooling/vitest/processes.js';
import { type NodeHandle, startNode } from '../dev-node.js';
import { type NodeProcess, nodeProcessDir } from './node-process.js';
import { type Frame, RawClient, info, method, rawConnectUrl, reply } from './raw-client.js';

// Issue 24: every kill point of a round converges. The node keeps the round in flight in its state
// cache before it asks its client to co-sign the peer's round, and before it sends its own to the
// peer; after a crash it adopts that round when the client (its `offchain_tx`) or the peer's FSM
// (at reestablish) presents it co-signed, checked. A client that comes back to a running FSM gets
// the latest state and the sign request again, or answers that request with the tx it co-signed.

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(() => stopChildren());

let nextPort = 16400;
const AMOUNT = 1_000_000n;

const stateOf = (f: Frame) => f.params!.data!.state as string;
const roundOf = (tx: string) => {
  const inner = decodeTx(tx).tx as { round?: bigint };
  return inner.round;
};

interface Party {
  client: RawClient;
  readonly role: 'initiator' | 'responder';
  readonly address: string;
  readonly secretKey: string;
  fsmId: string;
  /** The latest co-signed state this client saw (`channels.update`). */
  latest: string;
}

interface Channel {
  readonly channelUrl: string;
  readonly networkId: string;
  readonly port: number;
  readonly channelId: string;
  readonly i: Party;
  readonly r: Party;
}

/**
 * Opens a channel between two dev accounts with bare clients that sign everything (minimum depth
 * 0; or `depth.blocks` key blocks, made through `depth.chainUrl` until both are open, so that a
 * deposit or withdrawal then stays unlocked until the test makes blocks).
 */
async function openChannel(channelUrl: string, networkId: string, depth?: { readonly blocks: number; readonly chainUrl: string }): Promise<Channel> {
  const [a, b] = await devAccounts(2);
  const port = nextPort++;
  const node = { channelUrl } as NodeHandle;
  const url = (role: 'initiator' | 'responder') =>
    rawConnectUrl(node, a!, b!, role, port, { minimum_depth: depth?.blocks ?? 0, minimum_depth_strategy: 'plain' });
  const r = new RawClient(url('responder'), b!.secretKey, networkId);
  const i = new RawClient(url('initiator'), a!.secretKey, networkId);
  const party = async (client: RawClient, role: 'initiator' | 'responder', who: { address: string; secretKey: string }): Promise<Party> => {
    const up = await client.next(info('fsm_up'));
    await client.next(info('open'));
    const update = await client.next(method('channels.update'));
    return { client, role, address: who.address, secretKey: who.secretKey, fsmId: up.params!.data!.fsm_id as string, latest: stateOf(update) };
  };
  let opened = false;
  const blocks = (async () => {
    while (depth !== undefined && !opened) {
      await emitKeyBlocksViaHttp(depth.chainUrl, 1);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
  })();
  const [pi, pr] = await Promise.all([party(i, 'initiator', a!), party(r, 'responder', b!)]).finally(() => {
    opened = true;
  });
  await blocks;
  cleanups.push(async () => {
    pi.client.close();
    pr.client.close();
  });
  return { channelUrl, networkId, port, channelId: pr.client.frames.find((f) => f.params?.channel_id)!.params!.channel_id!, i: pi, r: pr };
}

let requestId = 100;

/** `channels.update.new` from `from` to the other party; resolves once both clients saw the co-signed round. */
async function transfer(ch: Channel, from: Party, amount: number): Promise<bigint> {
  const to = from === ch.i ? ch.r : ch.i;
  const id = requestId++;
  from.client.send({ jsonrpc: '2.0', id, method: 'channels.update.new', params: { from: from.address, to: to.address, amount } });
  const [u1, u2] = await Promise.all([from.client.next(method('channels.update')), to.client.next(method('channels.update'))]);
  from.latest = stateOf(u1);
  to.latest = stateOf(u2);
  expect(u1.params!.data!.state).toBe(u2.params!.data!.state);
  return roundOf(from.latest)!;
}

/** The client of `p` comes back (a new socket) with its fsm id and its latest co-signed tx. */
function comeBack(ch: Channel, p: Party, offchainTx: string | undefined = p.latest): RawClient {
  const url = buildConnectUrl(ch.channelUrl, {
    protocol: 'json-rpc',
    role: p.role,
    host: '127.0.0.1',
    port: ch.port,
    existing_channel_id: ch.channelId,
    existing_fsm_id: p.fsmId,
    ...(offchainTx === undefined ? {} : { offchain_tx: offchainTx }),
  });
  p.client.close();
  p.client = new RawClient(url, p.secretKey, ch.networkId);
  return p.client;
}

/** Both balances as the client of `p` gets them from its FSM. */
async function balances(ch: Channel, p: Party): Promise<bigint[]> {
  const id = requestId++;
  p.client.send({ jsonrpc: '2.0', id, method: 'channels.get.balances', params: { accounts: [ch.i.address, ch.r.address] } });
  const f = await p.client.next(reply(id));
  return (f.result as { balance: number | bigint }[]).map((x) => BigInt(x.balance));
}

/** A round whose sign request `p`'s client holds: resolves with the co-signed tx once it has signed it (it does not answer). */
function holdSignature(p: Party, sign: boolean): Promise<string> {
  return new Promise((resolve) => {
    p.client.onSign = async (_tag, tx) => {
      resolve(sign ? await p.client.signed(tx) : tx);
      return undefined;
    };
  });
}

/**
 * `from` proposes a transfer of `amount` to the other party while the client of `holder` (either
 * party) holds the sign request it gets; resolves with the tx it holds, co-signed by it if `sign`.
 */
async function heldRound(ch: Channel, from: Party, holder: Party, amount: number, sign: boolean): Promise<string> {
  const held = holdSignature(holder, sign);
  const to = from === ch.i ? ch.r : ch.i;
  from.client.send({ jsonrpc: '2.0', id: requestId++, method: 'channels.update.new', params: { from: from.address, to: to.address, amount } });
  return held;
}

/** Reestablishes both after a node restart, responder first; each then has `round` (checked in its `channels.update`). */
async function reestablish(ch: Channel, offchain: { i?: string; r?: string }, round: bigint): Promise<void> {
  for (const p of [ch.r, ch.i]) {
    const c = comeBack(ch, p, p === ch.i ? offchain.i : offchain.r);
    p.fsmId = (await c.next(info('fsm_up'))).params!.data!.fsm_id as string;
  }
  for (const p of [ch.r, ch.i]) {
    await p.client.next(info('open'), 20_000);
    p.latest = stateOf(await p.client.next(method('channels.update')));
    expect(roundOf(p.latest), p.role).toBe(round);
    expect(decodeTx(p.latest).signatures, p.role).toHaveLength(2);
  }
  expect(ch.i.latest).toBe(ch.r.latest);
}

describe('a node killed in the middle of a round', () => {
  let dir: Awaited<ReturnType<typeof nodeProcessDir>>;
  let proc: NodeProcess;
  const start = async () => {
    dir = await nodeProcessDir();
    proc = await dir.start();
    cleanups.push(async () => {
      await dir.kill(proc);
      await dir.dispose();
    });
    return openChannel(proc.channelUrl, 'ae_dev');
  };
  const killAndRestart = async () => {
    await dir.kill(proc);
    proc = await dir.start(proc.port);
  };

  it.each(['responder', 'initiator'] as const)('after the acknowledging client (%s) co-signed: both FSMs and both clients come back at the new round', async (ackerRole) => {
    const ch = await start();
    const [proposer, acker] = ackerRole === 'responder' ? [ch.i, ch.r] : [ch.r, ch.i];
    expect(await transfer(ch, ch.i, 10)).toBe(2n);
    const before = proposer.latest;
    const round3 = await heldRound(ch, proposer, acker, 7, true);
    await killAndRestart();
    // The acker's client kept round 3 (it co-signed it); the proposer's saw only round 2. The
    // acker's FSM adopts round 3 from its client, the proposer's from the acker's FSM.
    await reestablish(ch, ackerRole === 'responder' ? { i: before, r: round3 } : { i: round3, r: before }, 3n);
    expect(acker.latest).toBe(round3);
    const moved = ackerRole === 'responder' ? 17n : 3n;
    for (const p of [ch.i, ch.r]) expect(await balances(ch, p)).toEqual([AMOUNT - moved, AMOUNT + moved]);
    expect(await transfer(ch, ch.i, 1)).toBe(4n);
    expect(await transfer(ch, ch.r, 2)).toBe(5n);
  }, 90_000);

  it('after the acknowledging client co-signed a deposit: both come back at the deposit round, and the deposit is on chain', async () => {
    const ch = await start();
    const before = ch.i.latest;
    const coSigned = holdSignature(ch.r, true);
    ch.i.client.send({ jsonrpc: '2.0', id: requestId++, method: 'channels.deposit', params: { amount: 500 } });
    const round2 = await coSigned;
    expect(decodeTx(round2).tx.tag).toBe('channel_deposit_tx');
    await killAndRestart();
    await reestablish(ch, { i: before, r: round2 }, 2n);
    for (const p of [ch.i, ch.r]) expect(await balances(ch, p)).toEqual([AMOUNT + 500n, AMOUNT]);
    // posted again by the FSMs that adopted it (the originator never got to post it)
    await expect
      .poll(async () => {
        await emitKeyBlocksViaHttp(proc.url, 1);
        const onChain = (await (await fetch(`${proc.url}/v3/channels/${ch.channelId}`)).json()) as { round?: number; channel_amount?: number };
        return [onChain.round, onChain.channel_amount];
      }, { timeout: 20_000, interval: 200 })
      .toEqual([2, 2_000_500]);
    expect(await transfer(ch, ch.i, 1)).toBe(3n);
    expect(await transfer(ch, ch.r, 2)).toBe(4n);
  }, 90_000);

  it.each(['initiator', 'responder'] as const)(
    'after the originator (%s) posted its co-signed deposit, before it locked: its FSM comes back at the deposit round by itself, and the peer’s follows',
    async (originatorRole) => {
      dir = await nodeProcessDir();
      proc = await dir.start();
      cleanups.push(async () => {
        await dir.kill(proc);
        await dir.dispose();
      });
      const ch = await openChannel(proc.channelUrl, 'ae_dev', { blocks: 2, chainUrl: proc.url });
      const originator = originatorRole === 'initiator' ? ch.i : ch.r;
      originator.client.send({ jsonrpc: '2.0', id: requestId++, method: 'channels.deposit', params: { amount: 500 } });
      // On chain (a micro block per tx), and no key block since: neither FSM has seen it locked,
      // neither client has heard of round 2. The originator posts only once it has kept the round.
      const onChain = async () => ((await (await fetch(`${proc.url}/v3/channels/${ch.channelId}`)).json()) as { round?: number }).round;
      await expect.poll(onChain, { timeout: 20_000, interval: 100 }).toBe(2);
      expect([ch.i.latest, ch.r.latest].map((t) => decodeTx(t).tx.tag)).toEqual(['channel_create_tx', 'channel_create_tx']);
      await killAndRestart();
      // Both clients come back with round 1: nobody presents the deposit round to the originator.
      await reestablish(ch, { i: ch.i.latest, r: ch.r.latest }, 2n);
      expect(decodeTx(ch.i.latest).tx.tag).toBe('channel_deposit_tx');
      const deposited = originatorRole === 'initiator' ? [AMOUNT + 500n, AMOUNT] : [AMOUNT, AMOUNT + 500n];
      for (const p of [ch.i, ch.r]) expect(await balances(ch, p)).toEqual(deposited);
      expect(await transfer(ch, ch.i, 1)).toBe(3n);
      expect(await transfer(ch, ch.r, 2)).toBe(4n);
    },
    90_000,
  );

  it('before the acknowledging client signed: the round is dropped on both sides, and the channel goes on', async () => {
    const ch = await start();
    expect(await transfer(ch, ch.r, 3)).toBe(2n);
    await heldRound(ch, ch.r, ch.i, 5, false);
    await killAndRestart();
    await reestablish(ch, { i: ch.i.latest, r: ch.r.latest }, 2n);
    for (const p of [ch.i, ch.r]) expect(await balances(ch, p)).toEqual([AMOUNT + 3n, AMOUNT - 3n]);
    expect(await transfer(ch, ch.r, 5)).toBe(3n);
    expect(await transfer(ch, ch.i, 1)).toBe(4n);
  }, 90_000);

  it('a client that comes back with a round it did not co-sign, or not the pending one, is not followed', async () => {
    const ch = await start();
    expect(await transfer(ch, ch.i, 10)).toBe(2n);
    const half = await heldRound(ch, ch.i, ch.r, 7, false);
    await killAndRestart();
    // The peer's signature only (not co-signed), then one with the responder's signature twice.
    const mine = decodeTx(await ch.r.client.signed(half));
    const twice: SignedTx = { ...mine, signatures: [mine.signatures[1]!, mine.signatures[1]!] };
    await reestablish(ch, { i: ch.i.latest, r: half }, 2n);
    await killAndRestart();
    await reestablish(ch, { i: ch.i.latest, r: encodeTx(twice) }, 2n);
    for (const p of [ch.i, ch.r]) expect(await balances(ch, p)).toEqual([AMOUNT - 10n, AMOUNT + 10n]);
    expect(await transfer(ch, ch.i, 1)).toBe(3n);
  }, 120_000);
});

describe('a client gone in the middle of a round, on a running node', () => {
  let node: NodeHandle;
  const start = async () => {
    node = await startNode({ port: 0 });
    cleanups.push(() => node.close());
    return openChannel(node.channelUrl, node.node.chainInfo.networkId);
  };

  it('the acknowledging client co-signed and died before its answer got through: coming back with that round answers the request', async () => {
    const ch = await start();
    const round2 = await heldRound(ch, ch.i, ch.r, 4, true);
    const back = comeBack(ch, ch.r, round2);
    await back.next(info('fsm_up'));
    expect(stateOf(await ch.i.client.next(method('channels.update')))).toBe(round2);
    ch.i.latest = round2;
    ch.r.latest = round2;
    // it was not asked again, and it is at the round it has
    expect(back.frames.some((f) => f.method?.startsWith('channels.sign.'))).toBe(false);
    expect(await balances(ch, ch.r)).toEqual([AMOUNT - 4n, AMOUNT + 4n]);
    expect(await transfer(ch, ch.r, 1)).toBe(3n);
    expect(await transfer(ch, ch.i, 1)).toBe(4n);
  }, 60_000);

  it('the proposing client died after it signed: coming back with the round before, it gets the new one', async () => {
    const ch = await start();
    const before = ch.i.latest;
    ch.i.client.onSign = async (_tag, tx) => {
      const signed = await ch.i.client.signed(tx);
      ch.i.client.send({ jsonrpc: '2.0', method: 'channels.update', params: { signed_tx: signed } });
      ch.i.client.close();
      return undefined;
    };
    ch.i.client.send({ jsonrpc: '2.0', id: requestId++, method: 'channels.update.new', params: { from: ch.i.address, to: ch.r.address, amount: 6 } });
    ch.r.latest = stateOf(await ch.r.client.next(method('channels.update')));
    const back = comeBack(ch, ch.i, before);
    await back.next(info('fsm_up'));
    ch.i.latest = stateOf(await back.next(method('channels.update')));
    expect(ch.i.latest).toBe(ch.r.latest);
    expect(roundOf(ch.i.latest)).toBe(2n);
    expect(await transfer(ch, ch.i, 1)).toBe(3n);
  }, 60_000);

  it.each([
    ['the acknowledging client died before it signed: it is asked again when it comes back', 'responder', 'channels.sign.update_ack', 4],
    ['the proposing client died before it signed its own round: it is asked again when it comes back', 'initiator', 'channels.sign.update', 2],
  ] as const)('%s', async (_name, role, request, amount) => {
    const ch = await start();
    const [gone, other] = role === 'responder' ? [ch.r, ch.i] : [ch.i, ch.r];
    const held = await heldRound(ch, ch.i, gone, amount, false);
    const back = comeBack(ch, gone);
    const again = await back.next(method(request));
    expect(again.params!.data!.signed_tx).toBe(held);
    expect(again.params!.data!.updates).toHaveLength(1);
    const [u1, u2] = await Promise.all([back.next(method('channels.update')), other.client.next(method('channels.update'))]);
    expect(stateOf(u1)).toBe(stateOf(u2));
    expect(roundOf(stateOf(u1))).toBe(2n);
    gone.latest = stateOf(u1);
    other.latest = stateOf(u2);
    expect(await transfer(ch, gone, 1)).toBe(3n);
  }, 60_000);
});
