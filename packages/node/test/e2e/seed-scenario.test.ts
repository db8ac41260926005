import { afterEach, describe, expect, it } from 'vitest';
import { type NodeHandle, startNode } from '../dev-node.js';
import { openPair, withBlocks } from './clients.js';

// Issue 6, must-show 2: the seed scenario (abort_updates/sc_ws_abort_settle) end to end — two
// @aesc/channel clients against our node on the embedded chain.

let node: NodeHandle | undefined;
afterEach(async () => {
  await node?.close();
  node = undefined;
});

describe('the seed scenario against our node', () => {
  it('opens, exchanges messages, reads balances, closes solo, aborts settle with 42 on both sides, stops', async () => {
    node = await startNode({ port: 0 });
    const { initiator, responder, accounts, config } = await openPair(node, {
      port: 13179,
      // The seed's story: both decline to sign the settle tx, with abort code 42.
      policy: async (req) => (req.tag === 'settle_sign' ? { abort: 42, reason: 'the seed aborts settle' } : true),
    });
    const [a, b] = accounts;
    const messages: string[] = [];
    responder.on((e) => e.type === 'message' && messages.push(`R got ${e.info}`));
    initiator.on((e) => e.type === 'message' && messages.push(`I got ${e.info}`));
    await withBlocks(node, () => Promise.all([initiator.waitFor('open'), responder.waitFor('open')]));

    await initiator.sendMessage(b.address, 'Hello');
    await responder.sendMessage(a.address, 'Hello back');
    await expect.poll(() => messages.length).toBe(2);
    expect(messages).toEqual(['R got Hello', 'I got Hello back']);

    const balances = (await initiator.balances([a.address, b.address])) as { account: string; balance: number | bigint }[];
    expect(balances.map((x) => [x.account, BigInt(x.balance)])).toEqual([
      [a.address, config.initiatorAmount - config.pushAmount],
      [b.address, config.responderAmount + config.pushAmount],
    ]);

    const closing: string[] = [];
    for (const [who, c] of [['I', initiator], ['R', responder]] as const) {
      c.on((e) => {
        if (e.type === 'on-chain-tx') closing.push(`${who} ${e.info}`);
        if (e.type === 'info' && e.event === 'closing') closing.push(`${who} closing`);
      });
    }
    await initiator.closeSolo();
    await expect.poll(() => closing.length).toBe(4);
    expect(closing.sort()).toEqual(['I closing', 'I solo_closing', 'R closing', 'R solo_closing']);

    // Both ask to settle and abort the signing with 42: the node reports aborted_update to each.
    const aborted: string[] = [];
    initiator.on((e) => e.type === 'info' && e.event === 'aborted_update' && aborted.push('I'));
    responder.on((e) => e.type === 'info' && e.event === 'aborted_update' && aborted.push('R'));
    await initiator.settle().catch((e) => e);
    await responder.settle().catch((e) => e);
    await expect.poll(() => aborted.sort().join()).toBe('I,R');

    // Stop: the responder's FSM stops; the initiator's (keep_running does not apply to it) goes
    // with its peer, so its own stop may find it gone already.
    await responder.stop();
    await initiator.stop().catch(() => undefined);
    await expect.poll(() => [initiator.state().phase, responder.state().phase]).toEqual(['terminated', 'terminated']);

    // On chain: the channel is solo-closing at the round of the create tx.
    const ch = node.chain!.chain.channel(initiator.state().channelId!);
    expect(ch).toBeDefined();
    expect(ch!.lockedUntil).toBeGreaterThan(0n);
    expect(ch!.round).toBe(1n);
    expect(initiator.state().last?.tx.tx.tag).toBe('channel_create_tx');
  }, 60_000);
});
