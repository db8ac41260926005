import type { AddressInfo } from 'node:net';
import type { ChainAdapter } from '@aesc/chain-api';
import { devChainBlocks, inProcessAdapter, startChain } from '@aesc/chain';
import type { ChannelEvent } from '@aesc/channel';
import { afterEach, describe, expect, it } from 'vitest';
import { ChannelNode } from '../../src/channel-node.js';
import type { NodeHandle } from '../dev-node.js';
import { serveChannelEndpoint } from '../../src/ws/channel-endpoint.js';
import { openPair, withBlocks } from './clients.js';

// A chain may bring a tx to its minimum depth before (or without) saying that the channel
// changed: the HTTP adapter used to tell a poll's new height before the channel's change. The FSMs
// must still report a watched tx as mined before they act on its depth: the create tx
// (`channel_changed`) before `own_funding_locked`, a close (`channel_closed`) before
// `closed_confirmed`.

/** The adapter, minus every `channel` event: only new heights reach the FSMs. */
function heightsOnly(adapter: ChainAdapter): ChainAdapter {
  return {
    ...adapter,
    subscribe: (listener, options) =>
      adapter.subscribe((e) => {
        if (e.type === 'height') listener(e);
      }, options),
  };
}

let handle: NodeHandle | undefined;
afterEach(async () => {
  await handle?.close();
  handle = undefined;
});

describe('a chain that reports heights only', () => {
  it('the funding and a mutual close are reported mined before their depth is acted on, to both clients', async () => {
    const chain = await startChain({ port: 0 });
    const adapter = heightsOnly(inProcessAdapter(chain.chain));
    const node = await ChannelNode.start({ chain: adapter, blocks: devChainBlocks(chain.chain) });
    const detach = serveChannelEndpoint(node, chain.http.server);
    const port = (chain.http.server.address() as AddressInfo).port;
    handle = {
      node,
      chain,
      url: `http://127.0.0.1:${port}`,
      channelUrl: `ws://127.0.0.1:${port}/channel`,
      async close() {
        await detach();
        await node.close();
        await adapter.close();
        await chain.close();
      },
    };
    const h = handle;
    const { initiator, responder, accounts } = await openPair(h, { port: 14101 });
    // (the funding reaches its depth only in the key blocks below: nothing of it is missed here)
    const seen = { initiator: [] as string[], responder: [] as string[] };
    const record = (who: keyof typeof seen) => (e: ChannelEvent) => {
      if (e.type === 'on-chain-tx' && (e.info === 'channel_changed' || e.info === 'channel_closed')) seen[who].push(e.info);
      if (e.type === 'info' && (e.event === 'own_funding_locked' || e.event === 'closed_confirmed')) seen[who].push(e.event);
    };
    initiator.on(record('initiator'));
    responder.on(record('responder'));
    await withBlocks(h, () => Promise.all([initiator.waitFor('open'), responder.waitFor('open')]));
    expect(await initiator.transfer(accounts[1].address, 1_000n)).toBe(2n);
    const confirmed = (c: typeof initiator) => new Promise<void>((resolve) => c.on((e) => e.type === 'info' && e.event === 'closed_confirmed' && resolve()));
    const both = Promise.all([confirmed(initiator), confirmed(responder)]);
    // without channel events the client hears of the close only from the FSM's watch: blocks throughout
    await withBlocks(h, async () => {
      await initiator.shutdown();
      await both;
    });
    expect(chain.chain.channel(initiator.state().channelId!)).toBeUndefined();
    const expected = ['channel_changed', 'own_funding_locked', 'channel_closed', 'closed_confirmed'];
    expect(seen.initiator).toEqual(expected);
    expect(seen.responder).toEqual(expected);
  }, 30_000);
});
