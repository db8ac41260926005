import { startChain } from '@aesc/chain';
import { afterEach, describe, expect, it } from 'vitest';
import { type NodeHandle, startNode } from '../start-node.js';
import { openPair } from './clients.js';

// The node on a chain it reaches through the node's HTTP API (`aesc node start --chain URL`): the
// same lifecycle as on the embedded chain.

let node: NodeHandle | undefined;
let chain: Awaited<ReturnType<typeof startChain>> | undefined;
afterEach(async () => {
  await node?.close();
  await chain?.close();
  node = undefined;
  chain = undefined;
});

describe('the node on a chain over HTTP', () => {
  it('opens, transfers and closes mutually; the chain pays out', async () => {
    chain = await startChain({ port: 0 });
    node = await startNode({ port: 0, chainUrl: chain.url });
    const c = chain;
    let stop = false;
    const blocks = (async () => {
      while (!stop) {
        await c.chain.emitKeyBlocks(1);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    try {
      const { initiator, responder, accounts } = await openPair({ ...node, chain: undefined } as NodeHandle, { port: 17001 });
      const [, b] = accounts;
      await Promise.all([initiator.waitFor('open'), responder.waitFor('open')]);
      const changed: string[] = [];
      let finalR: bigint | undefined;
      initiator.on((e) => {
        if (e.type !== 'on-chain-tx') return;
        changed.push(e.info);
        if (e.tx.tx.tag === 'channel_close_mutual_tx') finalR = e.tx.tx.responderAmountFinal;
      });
      expect(await initiator.transfer(b.address, 1_000n)).toBe(2n);
      const closed = new Promise<void>((resolve) => responder.on((e) => e.type === 'info' && e.event === 'closed_confirmed' && resolve()));
      const before = c.chain.account(b.address)!.balance;
      await initiator.shutdown();
      await closed;
      expect(c.chain.channel(initiator.state().channelId!)).toBeUndefined();
      // The responder gets its final amount (its balance minus half the fee), exactly.
      expect(finalR).toBeDefined();
      expect(finalR).toBeLessThan(40_000_000_000_000n + 1n + 1_000n);
      expect(c.chain.account(b.address)!.balance - before).toBe(finalR);
      expect(changed).toContain('channel_closed');
    } finally {
      stop = true;
      await blocks;
    }
  }, 60_000);
});
