import { type ChannelClient, type ChannelStore, type DisputeProgress, connectChannel, memoryStore, resumeFrom } from '@aesc/channel';
import { buildConnectUrl } from '@aesc/channel-api';
import { signTransaction } from '@aesc/crypto';
import { type ChannelId, fromHex } from '@aesc/encoding';
import { webSocketConnector } from '@aesc/rpc';
import type { DevAccount } from '@aesc/chain';
import { afterEach, describe, expect, it } from 'vitest';
import { type NodeHandle, startNode } from '../dev-node.js';
import { type Pair, openPair, staleCloseSolo, withBlocks } from './clients.js';

// Disputes without the user (issue 24, must-show 2): the peer posts a stale close_solo straight to
// the chain; a client with `autoDispute` slashes it with its latest co-signed state and settles,
// whether it was connected when the close landed or came back within the lock period.

let node: NodeHandle | undefined;
afterEach(async () => {
  await node?.close();
  node = undefined;
});

const balanceOf = (n: NodeHandle, who: string) => n.chain!.chain.account(who as never)!.balance;

/** The initiator back from its store (leave → reestablish) with `autoDispute`, its steps into `progress`. */
async function comeBack(
  n: NodeHandle,
  store: ChannelStore,
  ch: ChannelId,
  port: number,
  config: Pair['config'],
  a: DevAccount,
  progress: DisputeProgress['type'][],
): Promise<ChannelClient> {
  const { resume, connectParams } = resumeFrom((await store.load(ch))!);
  return connectChannel({
    connect: webSocketConnector(buildConnectUrl(n.channelUrl, { protocol: 'json-rpc', role: 'initiator', host: '127.0.0.1', port, ...connectParams })),
    config: { role: 'initiator', ...config, resume },
    signer: { address: a.address, signTransaction: (tx, o) => signTransaction(tx, o.networkId, fromHex(a.secretKey)!) },
    store,
    autoDispute: { onProgress: (p) => progress.push(p.type) },
  });
}

describe('auto-dispute: a stale solo close is slashed and settled without the user', () => {
  it('while the client is connected: the slash lands at its latest round and the settle pays that state out', async () => {
    node = await startNode({ port: 0 });
    const progress: DisputeProgress['type'][] = [];
    const { initiator, responder, accounts } = await openPair(node, {
      port: 14101,
      amounts: { lockPeriod: 3n },
      initiatorAutoDispute: { onProgress: (p) => progress.push(p.type) },
    });
    const [a, b] = accounts;
    await withBlocks(node, () => Promise.all([initiator.waitFor('open'), responder.waitFor('open')]));
    await initiator.transfer(b.address, 10_000n); // round 2: the state the responder cheats with
    const stale = responder.state().last!;
    await responder.transfer(a.address, 9_000n); // round 3: worse for the responder
    const chain = node.chain!.chain;
    const ch = initiator.state().channelId!;
    const beforeA = balanceOf(node, a.address);
    await chain.postTx(await staleCloseSolo({ channelId: ch, from: b, accounts, stale, nonce: chain.nextNonce(b.address), networkId: node.node.chainInfo.networkId }));
    const beforeB = balanceOf(node, b.address); // after the cheat's own fee
    // Nobody calls slash or settle: the initiator's client does both.
    await expect.poll(() => chain.channel(ch)?.round).toBe(3n);
    expect(chain.channel(ch)!.lockedUntil).toBeGreaterThan(0n); // still closing: the slash restarted the lock period
    await withBlocks(node, () => expect.poll(() => chain.channel(ch), { timeout: 30_000 }).toBeUndefined());
    await expect.poll(() => progress).toEqual(['slashing', 'slashed', 'settling', 'settled']);

    const i = 70_000_000_000_000n - 1n - 10_000n + 9_000n;
    const r = 40_000_000_000_000n + 1n + 10_000n - 9_000n;
    expect(balanceOf(node, b.address) - beforeB).toBe(r);
    const paidByA = i - (balanceOf(node, a.address) - beforeA);
    expect(paidByA).toBeGreaterThan(0n); // the slash's and the settle's fees
    expect(paidByA).toBeLessThan(10n ** 15n);
  }, 60_000);

  it('while the client is away: it comes back within the lock period, slashes and settles', async () => {
    node = await startNode({ port: 0 });
    const store = memoryStore();
    const { initiator, responder, accounts, config } = await openPair(node, { port: 14102, amounts: { lockPeriod: 20n }, initiatorStore: store });
    const [a, b] = accounts;
    await withBlocks(node, () => Promise.all([initiator.waitFor('open'), responder.waitFor('open')]));
    await initiator.transfer(b.address, 10_000n);
    const stale = responder.state().last!;
    await responder.transfer(a.address, 9_000n);
    const ch = initiator.state().channelId!;
    // The initiator leaves (its FSM stops; the responder's keeps running), and the responder cheats.
    await initiator.leave();
    await expect.poll(() => node!.node.fsms.length).toBe(1);
    const chain = node.chain!.chain;
    await chain.postTx(await staleCloseSolo({ channelId: ch, from: b, accounts, stale, nonce: chain.nextNonce(b.address), networkId: node.node.chainInfo.networkId }));
    expect(chain.channel(ch)!.round).toBe(2n);
    const beforeA = balanceOf(node, a.address);
    const beforeB = balanceOf(node, b.address);

    // Back within the lock period (no key block was made meanwhile), from its store.
    const progress: DisputeProgress['type'][] = [];
    const back = await comeBack(node, store, ch, 14102, config, a, progress);
    try {
      await expect.poll(() => chain.channel(ch)?.round).toBe(3n);
      await withBlocks(node, () => expect.poll(() => chain.channel(ch), { timeout: 30_000 }).toBeUndefined());
      await expect.poll(() => progress).toEqual(['slashing', 'slashed', 'settling', 'settled']);
      const i = 70_000_000_000_000n - 1n - 10_000n + 9_000n;
      const r = 40_000_000_000_000n + 1n + 10_000n - 9_000n;
      expect(balanceOf(node, b.address) - beforeB).toBe(r);
      const paidByA = i - (balanceOf(node, a.address) - beforeA);
      expect(paidByA).toBeGreaterThan(0n);
      expect(paidByA).toBeLessThan(10n ** 15n);
    } finally {
      back.close();
    }
  }, 60_000);

  it('while the peer is gone for good: the client comes back alone, slashes, and settles after the lock period', async () => {
    // The initiator's FSM gives up reaching its peer after 300 ms: the channel closing on chain keeps it.
    node = await startNode({ port: 0, connectTimeoutMs: 300 });
    const store = memoryStore();
    const { initiator, responder, accounts, config } = await openPair(node, { port: 14103, amounts: { lockPeriod: 20n }, initiatorStore: store });
    const [a, b] = accounts;
    await withBlocks(node, () => Promise.all([initiator.waitFor('open'), responder.waitFor('open')]));
    await initiator.transfer(b.address, 10_000n);
    const stale = responder.state().last!;
    await responder.transfer(a.address, 9_000n);
    const ch = initiator.state().channelId!;
    await initiator.leave();
    await expect.poll(() => node!.node.fsms.length).toBe(1);
    // The responder's FSM stops too: nobody answers the initiator's reestablish.
    await responder.stop();
    await expect.poll(() => node!.node.fsms.length).toBe(0);
    const chain = node.chain!.chain;
    await chain.postTx(await staleCloseSolo({ channelId: ch, from: b, accounts, stale, nonce: chain.nextNonce(b.address), networkId: node.node.chainInfo.networkId }));
    const beforeB = balanceOf(node, b.address);

    const progress: DisputeProgress['type'][] = [];
    const back = await comeBack(node, store, ch, 14103, config, a, progress);
    try {
      await expect.poll(() => chain.channel(ch)?.round).toBe(3n);
      // Well past the FSM's connect timeout, the lock period ends and the settle lands.
      await new Promise((r) => setTimeout(r, 600));
      await withBlocks(node, () => expect.poll(() => chain.channel(ch), { timeout: 30_000 }).toBeUndefined());
      await expect.poll(() => progress).toEqual(['slashing', 'slashed', 'settling', 'settled']);
      expect(balanceOf(node, b.address) - beforeB).toBe(40_000_000_000_000n + 1n + 10_000n - 9_000n);
    } finally {
      back.close();
    }
  }, 60_000);
});
