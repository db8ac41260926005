import { startChain } from '@aesc/chain';
import type { SignedTx } from '@aesc/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import { type NodeHandle, startNode } from '../dev-node.js';
import { openPair, staleCloseSolo } from './clients.js';

/** Key blocks on the chain every 100 ms while `f` runs (lock periods and minimum depths pass). */
async function withKeyBlocks<T>(c: Awaited<ReturnType<typeof startChain>>, f: () => Promise<T>): Promise<T> {
  let stop = false;
  const blocks = (async () => {
    while (!stop) {
      await c.chain.emitKeyBlocks(1);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  try {
    return await f();
  } finally {
    stop = true;
    await blocks;
  }
}

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
    const n = node;
    await withKeyBlocks(c, async () => {
      const { initiator, responder, accounts } = await openPair({ ...n, chain: undefined } as NodeHandle, { port: 17001 });
      const [, b] = accounts;
      await Promise.all([initiator.waitFor('open'), responder.waitFor('open')]);
      const changed: string[] = [];
      let finalR: bigint | undefined;
      // Each client hears of the close on its own socket: the initiator's report may come after
      // the responder's closed_confirmed.
      let sawClosed: () => void = () => {};
      const initiatorSawClosed = new Promise<void>((resolve) => {
        sawClosed = resolve;
      });
      initiator.on((e) => {
        if (e.type !== 'on-chain-tx') return;
        changed.push(e.info);
        if (e.info === 'channel_closed') sawClosed();
        if (e.tx.tx.tag === 'channel_close_mutual_tx') finalR = e.tx.tx.responderAmountFinal;
      });
      expect(await initiator.transfer(b.address, 1_000n)).toBe(2n);
      const closed = new Promise<void>((resolve) => responder.on((e) => e.type === 'info' && e.event === 'closed_confirmed' && resolve()));
      const before = c.chain.account(b.address)!.balance;
      await initiator.shutdown();
      await closed;
      await initiatorSawClosed;
      expect(c.chain.channel(initiator.state().channelId!)).toBeUndefined();
      // The responder gets its final amount (its balance minus half the fee), exactly.
      expect(finalR).toBeDefined();
      expect(finalR).toBeLessThan(40_000_000_000_000n + 1n + 1_000n);
      expect(c.chain.account(b.address)!.balance - before).toBe(finalR);
      expect(changed).toContain('channel_closed');
    });
  }, 60_000);

  it('sees the peer’s stale close_solo through the HTTP API, slashes it and settles', async () => {
    chain = await startChain({ port: 0 });
    node = await startNode({ port: 0, chainUrl: chain.url });
    const c = chain;
    const n = node;
    await withKeyBlocks(c, async () => {
      const { initiator, responder, accounts } = await openPair({ ...n, chain: undefined } as NodeHandle, { port: 17002, amounts: { lockPeriod: 3n } });
      const [a, b] = accounts;
      await Promise.all([initiator.waitFor('open'), responder.waitFor('open')]);
      await initiator.transfer(b.address, 10_000n); // round 2: the state the responder will cheat with
      const stale = responder.state().last!;
      await responder.transfer(a.address, 9_000n); // round 3 — worse for the responder
      const ch = initiator.state().channelId!;

      // The responder posts a close_solo of round 2 to the chain's HTTP API, not through the node.
      const nonce = BigInt(((await (await fetch(`${c.url}/v3/accounts/${b.address}/next-nonce`)).json()) as { next_nonce: number }).next_nonce);
      const closeSolo = await staleCloseSolo({ channelId: ch, from: b, accounts, stale, nonce, networkId: n.node.chainInfo.networkId });
      // As the node does (see sc_ws_slash), `can_slash` hands over the latest co-signed state to slash with.
      let slashWith: SignedTx | undefined;
      const canSlash = new Promise<void>((resolve) =>
        initiator.on((e) => {
          if (e.type !== 'on-chain-tx' || e.info !== 'can_slash') return;
          slashWith = e.tx;
          resolve();
        }),
      );
      const posted = await fetch(`${c.url}/v3/transactions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tx: closeSolo }),
      });
      expect(posted.status).toBe(200);
      await canSlash;
      expect(slashWith?.tx).toMatchObject({ tag: 'channel_offchain_tx', round: 3n, channelId: ch });
      expect(c.chain.channel(ch)!.round).toBe(2n);

      await initiator.slash();
      await expect.poll(() => c.chain.channel(ch)?.round, { timeout: 10_000 }).toBe(3n);
      const beforeB = c.chain.account(b.address)!.balance;
      const closed = new Promise<void>((resolve) => initiator.on((e) => e.type === 'info' && e.event === 'closed_confirmed' && resolve()));
      await initiator.settle();
      await closed;
      expect(c.chain.channel(ch)).toBeUndefined();
      // Settle pays out round 3, the slashed-in state: the responder gets exactly its round-3 balance.
      expect(c.chain.account(b.address)!.balance - beforeB).toBe(40_000_000_000_000n + 1n + 10_000n - 9_000n);
    });
  }, 60_000);
});
