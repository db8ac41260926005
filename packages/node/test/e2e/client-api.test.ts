import type { ChannelClient, ChannelEvent } from '@aesc/channel';
import { CLIENT_METHODS } from '@aesc/channel-api';
import { type AccountAddress, type SignedTx, decodeApi, encodeApi } from '@aesc/encoding';
import { AESC_ERROR__CHANNEL__REJECTED_BY_NODE, isAescError } from '@aesc/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { type NodeHandle, startNode } from '../dev-node.js';
import { openPair, recording, staleCloseSolo, withBlocks } from './clients.js';

// @aesc/channel's typed API reaches every method and parameter of the node's channel API that
// needs no contract VM (our node has none): block_hash on a transfer, deposit and withdrawal, a
// message's from, channels.history.fetch and channels.clean_contract_calls, each against our node.

let node: NodeHandle | undefined;
const clients: ChannelClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await node?.close();
  node = undefined;
});

type Frame = { method?: string; params?: Record<string, unknown> };
const third = encodeApi('ak', new Uint8Array(32).fill(3)) as AccountAddress;

/**
 * The block hash window of both FSMs: a block the test pins a round to stays acceptable to the peer
 * however many key blocks `withBlocks` makes meanwhile (the node's default takes 10).
 */
const WIDE_WINDOW = { bh_delta_not_newer_than: 0, bh_delta_not_older_than: 100_000, bh_delta_pick: 0 };

/** Opens a pair whose frames (both parties') are recorded. */
async function open(port: number, connectParams: Record<string, string | number | boolean> = {}, policy?: Parameters<typeof openPair>[1]['policy']) {
  node ??= await startNode({ port: 0 });
  const n = node;
  const sent: Frame[] = [];
  const pair = await openPair(n, { port, connectParams: { ...WIDE_WINDOW, ...connectParams }, wrap: (_role, c) => recording(c, sent), ...(policy ? { policy } : {}) });
  clients.push(pair.initiator, pair.responder);
  await withBlocks(n, () => Promise.all([pair.initiator.waitFor('open'), pair.responder.waitFor('open')]));
  return { ...pair, sent, n, chain: n.chain!.chain };
}

const rejection = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  return isAescError(e, AESC_ERROR__CHANNEL__REJECTED_BY_NODE) ? { method: e.context.method, code: e.context.code } : e;
};

describe('@aesc/channel against our node: what the node takes beyond æternity’s SDK', () => {
  it('pins a transfer, a deposit and a withdrawal to a block (block_hash); a block the node does not know is refused and the channel goes on', async () => {
    const { initiator, responder, accounts, sent, n, chain } = await open(14_201);
    const [a, b] = accounts;
    await chain.emitKeyBlocks(2);
    const kh = chain.topKeyBlock.hash as `kh_${string}`;
    expect(await initiator.transfer(b.address, 10n, { blockHash: kh })).toBe(2n);
    expect(sent.find((f) => f.method === 'channels.update.new')?.params).toMatchObject({ block_hash: kh, amount: 10 });
    // The responder's FSM received the update pinned to that block (its event log: the peer message).
    const received = (await responder.history({ n: 10, type: ['rcv'] })).find((e) => e.tag === 'update');
    expect(received?.info).toMatchObject({ block_hash: encodeApi('mh', decodeApi(kh, 'kh')) });

    // A block the chain does not know: the node's `unknown_block_hash` (Internal error), nothing signed.
    const unknown = encodeApi('kh', new Uint8Array(32).fill(9)) as `kh_${string}`;
    expect(await rejection(initiator.transfer(b.address, 10n, { blockHash: unknown }))).toEqual({ method: 'channels.update.new', code: -32603 });
    expect(initiator.state().last?.state.round).toBe(2n);
    expect(await rejection(responder.withdraw(5n, { blockHash: unknown }))).toEqual({ method: 'channels.withdraw', code: -32603 });

    const kh2 = chain.topKeyBlock.hash as `kh_${string}`;
    expect(await withBlocks(n, () => initiator.deposit(1_000n, { blockHash: kh2 }))).toBe(3n);
    expect(sent.find((f) => f.method === 'channels.deposit')?.params).toMatchObject({ block_hash: kh2, amount: 1_000 });
    const kh3 = chain.topKeyBlock.hash as `kh_${string}`;
    expect(await withBlocks(n, () => responder.withdraw(500n, { blockHash: kh3 }))).toBe(4n);
    expect(sent.filter((f) => f.method === 'channels.withdraw').map((f) => f.params?.block_hash)).toEqual([unknown, kh3]);
    expect(chain.channel(initiator.state().channelId!)).toMatchObject({ round: 4n });
    expect(await responder.transfer(a.address, 1n)).toBe(5n);
  }, 60_000);

  it('sends a message with from: with msg_forwarding, from or to others; without, from another account is refused as an error event and fails nothing else', async () => {
    const forwarding = await open(14_202, { msg_forwarding: true });
    const [a, b] = forwarding.accounts;
    const heard: ChannelEvent[] = [];
    forwarding.responder.on((e) => e.type === 'message' && heard.push(e));
    await forwarding.initiator.sendMessage(b.address, 'forwarded to you', { from: third });
    await forwarding.initiator.sendMessage(third, 'please pass on', { from: a.address });
    await expect.poll(() => heard.length).toBe(2);
    expect(heard.map((e) => e.type === 'message' && [e.from, e.to, e.info])).toEqual([
      [third, b.address, 'forwarded to you'],
      [a.address, third, 'please pass on'],
    ]);
    expect(forwarding.sent.filter((f) => f.method === 'channels.message').map((f) => f.params?.from)).toEqual([third, a.address]);

    // Without msg_forwarding: the node refuses a message from another account (Internal error). It
    // comes while the initiator's transfer waits for the responder's signature, and fails only
    // itself (an error event naming channels.message), not the transfer.
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    const plain = await open(14_203, {}, async (req) => {
      if (req.peerProposal) await held;
      return true;
    });
    const errors: ChannelEvent[] = [];
    plain.initiator.on((e) => e.type === 'error' && errors.push(e));
    const transfer = plain.initiator.transfer(plain.accounts[1].address, 7n);
    await expect.poll(() => plain.initiator.state().phase).toBe('signing');
    await plain.initiator.sendMessage(plain.accounts[1].address, 'as someone else', { from: third });
    await expect.poll(() => errors.length).toBe(1);
    const [error] = errors;
    expect(error?.type === 'error' && isAescError(error.error, AESC_ERROR__CHANNEL__REJECTED_BY_NODE) && error.error.context).toMatchObject({ method: 'channels.message', code: -32603 });
    release();
    expect(await transfer).toBe(2n);
  }, 60_000);

  it('reads the node’s event log (channels.history.fetch) with n, type and tag, and prunes the calls tree (channels.clean_contract_calls)', async () => {
    const { initiator, accounts } = await open(14_204);
    expect(await initiator.transfer(accounts[1].address, 1n)).toBe(2n);
    const all = await initiator.history();
    expect(all.length).toBeGreaterThanOrEqual(4);
    expect(all.length).toBeLessThanOrEqual(10); // the node's default n
    expect(await initiator.history({ n: 2 })).toHaveLength(2);
    const [update] = await initiator.history({ n: 1, type: ['rpt'], tag: ['update'] });
    expect(update).toMatchObject({ type: 'report', tag: 'update', info: { state: expect.stringMatching(/^tx_/) } });
    expect(update!.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(await initiator.history({ n: 1, type: ['snd'] })).toMatchObject([{ type: 'send', tag: 'update' }]);
    // A filter the node's API does not take: its invalid-params answer, and the client goes on.
    expect(await rejection(initiator.history({ tag: ['nope' as never] }))).toMatchObject({ method: 'channels.history.fetch' });
    expect(await initiator.cleanContractCalls()).toEqual({ action: 'calls_pruned' });
    expect(await initiator.transfer(accounts[1].address, 1n)).toBe(3n);
  }, 60_000);
});

/** The methods of the node's channel API that need a contract VM (our node answers them "Method not found" or "not found"). */
const VM_METHODS = new Set([
  'channels.update.new_contract',
  'channels.update.call_contract',
  'channels.dry_run.call_contract',
  'channels.get.contract',
  'channels.get.contract_call',
  'channels.force_progress',
]);

describe('@aesc/channel reaches every method and parameter of the node’s channel API that needs no VM', () => {
  it('sends each of them, with each of its params, through its typed API', async () => {
    // Channel 1: queries, transfers and on-chain rounds with every option, a snapshot, a mutual close.
    const one = await open(14_205);
    const [a, b] = one.accounts;
    const { chain, n } = one;
    const opts = (who: AccountAddress) => ({ fee: 10n ** 14n, gasPrice: 2_000_000_000n, nonce: chain.nextNonce(who) });
    expect(await one.initiator.transfer(b.address, 5n, { meta: ['coffee'], blockHash: chain.topKeyBlock.hash as `kh_${string}` })).toBe(2n);
    await one.initiator.balances([a.address, b.address]);
    await rejection(one.initiator.poi([a.address, b.address], [encodeApi('ct', new Uint8Array(32).fill(4))]));
    await one.initiator.offchainState();
    await one.initiator.history({ n: 3, type: ['rpt'], tag: ['update'] });
    await one.initiator.cleanContractCalls();
    await one.initiator.sendMessage(b.address, 'hello', { from: a.address });
    await one.initiator.ping();
    await rejection(one.initiator.assumeMinimumDepth(encodeApi('th', new Uint8Array(32).fill(5))));
    expect(await withBlocks(n, () => one.initiator.deposit(100n, { meta: ['in'], blockHash: chain.topKeyBlock.hash as `kh_${string}`, ...opts(a.address) }))).toBe(3n);
    expect(await withBlocks(n, () => one.responder.withdraw(50n, { meta: ['out'], blockHash: chain.topKeyBlock.hash as `kh_${string}`, ...opts(b.address) }))).toBe(4n);
    // (a snapshot takes an off-chain state: the node refuses one of a withdrawal, 1012)
    expect(await one.responder.transfer(a.address, 1n)).toBe(5n);
    await one.initiator.snapshotSolo(opts(a.address)); // (resolves once signed: the next nonce is the one after its tx)
    await expect.poll(() => chain.channel(one.initiator.state().channelId!)?.round).toBe(5n);
    const closed = new Promise<void>((r) => one.initiator.on((e) => e.type === 'info' && e.event === 'closed_confirmed' && r()));
    await one.initiator.shutdown(opts(a.address));
    await withBlocks(n, () => closed);

    // Channel 2: a stale solo close by the responder, the initiator's slash, its settle.
    const two = await open(14_206);
    expect(await two.initiator.transfer(b.address, 5n)).toBe(2n);
    const stale = { tx: two.initiator.state().last!.tx as SignedTx, state: two.initiator.state().last!.state };
    expect(await two.initiator.transfer(b.address, 5n)).toBe(3n);
    const ch = two.initiator.state().channelId!;
    const canSlash = new Promise<void>((r) => two.initiator.on((e) => e.type === 'on-chain-tx' && e.info === 'can_slash' && r()));
    await chain.postTx(await staleCloseSolo({ channelId: ch, from: b, accounts: two.accounts, stale, nonce: chain.nextNonce(b.address), networkId: n.node.chainInfo.networkId }));
    await canSlash;
    await two.initiator.slash(opts(a.address));
    const settled = new Promise<void>((r) => two.initiator.on((e) => e.type === 'info' && e.event === 'closed_confirmed' && r()));
    await withBlocks(n, async () => {
      await two.initiator.settle(opts(a.address));
      await settled;
    });
    // Channel 3: a close solo, a leave and a stop.
    const three = await open(14_207);
    await three.responder.closeSolo(opts(b.address));
    await rejection(three.initiator.leave());
    await three.responder.stop();

    const sent = [...one.sent, ...two.sent, ...three.sent];
    const paramsOf = (method: string) => new Set(sent.filter((f) => f.method === method).flatMap((f) => Object.keys(f.params ?? {})));
    for (const [method, spec] of Object.entries(CLIENT_METHODS)) {
      if (VM_METHODS.has(method)) continue;
      expect(sent.some((f) => f.method === method), method).toBe(true);
      expect([...paramsOf(method)].sort(), method).toEqual(Object.keys(spec.params).sort());
    }
    expect(new Set(sent.filter((f) => f.method === 'channels.system').map((f) => f.params?.action))).toEqual(new Set(['ping', 'stop']));
  }, 120_000);
});
