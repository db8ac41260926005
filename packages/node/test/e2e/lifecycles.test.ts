
import { afterEach, describe, expect, it } from 'vitest';
import { type NodeHandle, startNode } from '../dev-node.js';
import { openPair, staleCloseSolo, withBlocks } from './clients.js';

// Issue 6, must-show 3: full lifecycles over our own client, with the balances on chain.

let node: NodeHandle | undefined;
afterEach(async () => {
  await node?.close();
  node = undefined;
});

const balanceOf = (n: NodeHandle, who: string) => n.chain!.chain.account(who as never)!.balance;

describe('channel lifecycles against our node', () => {
  it('open → transfers → deposit → withdraw → mutual close pays out the final balances', async () => {
    node = await startNode({ port: 0 });
    const { initiator, responder, accounts } = await openPair(node, { port: 14001 });
    const [a, b] = accounts;
    await withBlocks(node, () => Promise.all([initiator.waitFor('open'), responder.waitFor('open')]));
    expect(await initiator.transfer(b.address, 1_000n)).toBe(2n);
    expect(await responder.transfer(a.address, 400n)).toBe(3n);
    expect(await initiator.transfer(b.address, 5n, { meta: ['coffee'] })).toBe(4n);
    expect(await withBlocks(node, () => initiator.deposit(50_000n))).toBe(5n);
    expect(await withBlocks(node, () => responder.withdraw(7_000n))).toBe(6n);
    const ch = initiator.state().channelId!;
    const onChain = node.chain!.chain.channel(ch)!;
    expect(onChain.round).toBe(6n);
    expect(onChain.channelAmount).toBe(70_000_000_000_000n + 40_000_000_000_000n + 50_000n - 7_000n);

    const beforeA = balanceOf(node, a.address);
    const beforeB = balanceOf(node, b.address);
    const closed = new Promise<void>((resolve) => initiator.on((e) => e.type === 'info' && e.event === 'closed_confirmed' && resolve()));
    await initiator.shutdown();
    await withBlocks(node, () => closed);
    expect(node.chain!.chain.channel(ch)).toBeUndefined();
    // Final off-chain balances: I 70e12 - 1 - 1000 + 400 - 5 + 50000, R 40e12 + 1 + 1000 - 400 + 5 - 7000; the fee split evenly.
    const i = 70_000_000_000_000n - 1n - 1_000n + 400n - 5n + 50_000n;
    const r = 40_000_000_000_000n + 1n + 1_000n - 400n + 5n - 7_000n;
    const gainA = balanceOf(node, a.address) - beforeA;
    const gainB = balanceOf(node, b.address) - beforeB;
    const fee = i + r - gainA - gainB;
    expect(fee).toBeGreaterThan(0n);
    expect(gainA).toBe(i - (fee + 1n) / 2n);
    expect(gainB).toBe(r - fee / 2n);
  }, 60_000);

  it('open → transfers → the peer’s stale close_solo → slash → settle pays out the latest state', async () => {
    node = await startNode({ port: 0 });
    const { initiator, responder, accounts } = await openPair(node, { port: 14002, amounts: { lockPeriod: 3n } });
    const [a, b] = accounts;
    await withBlocks(node, () => Promise.all([initiator.waitFor('open'), responder.waitFor('open')]));
    await initiator.transfer(b.address, 10_000n); // round 2: the state the responder will cheat with
    const stale = responder.state().last!;
    await responder.transfer(a.address, 9_000n); // round 3 — worse for the responder
    expect(initiator.state().last!.state.round).toBe(3n);

    // The responder posts a close_solo with round 2 straight to the chain.
    const chain = node.chain!.chain;
    const ch = initiator.state().channelId!;
    const closeSolo = await staleCloseSolo({ channelId: ch, from: b, accounts, stale, nonce: chain.nextNonce(b.address), networkId: node.node.chainInfo.networkId });
    const canSlash = new Promise<void>((resolve) => initiator.on((e) => e.type === 'on-chain-tx' && e.info === 'can_slash' && resolve()));
    await chain.postTx(closeSolo);
    await canSlash;
    expect(chain.channel(ch)!.round).toBe(2n);

    await initiator.slash();
    await expect.poll(() => chain.channel(ch)?.round).toBe(3n);

    const beforeA = balanceOf(node, a.address);
    const beforeB = balanceOf(node, b.address);
    const closed = new Promise<void>((resolve) => initiator.on((e) => e.type === 'info' && e.event === 'closed_confirmed' && resolve()));
    await withBlocks(node, async () => {
      await initiator.settle();
      await closed;
    });
    expect(chain.channel(ch)).toBeUndefined();
    // Settle pays out round 3 (the slash), the initiator pays the fee.
    const i = 70_000_000_000_000n - 1n - 10_000n + 9_000n;
    const r = 40_000_000_000_000n + 1n + 10_000n - 9_000n;
    expect(balanceOf(node, b.address) - beforeB).toBe(r);
    const paidFees = i - (balanceOf(node, a.address) - beforeA);
    expect(paidFees).toBeGreaterThan(0n);
    expect(paidFees).toBeLessThan(10n ** 15n);
  }, 60_000);
});
