import { channelIdFromCreateTx, txHash as txHashOf } from '@aesc/crypto';
import { type ChannelId, encodeApi } from '@aesc/encoding';
import { AESC_ERROR__CHAIN__TX_REJECTED, isAescError } from '@aesc/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { type AdapterEvent, type ChainAdapter, httpAdapter } from '@aesc/chain-api';
import { accountsP, createTx, spendTx } from './fixtures.js';
import { DevChain } from '../src/dev-chain.js';
import { devGenesis } from '../src/genesis.js';
import { serveChainHttp } from '../src/http-server.js';
import { inProcessAdapter } from '../src/in-process-adapter.js';

interface Setup {
  readonly adapter: ChainAdapter;
  readonly chain: DevChain;
  /**
   * Resolves once a subscription made before the call has taken its first look at its channels
   * (what it compares later looks with): at once in process, where it listens to the chain
   * itself; over HTTP once its first poll is over, which its next read of a channel shows.
   */
  firstLook(): Promise<void>;
  close(): Promise<void>;
}

// A bound on waiting for what will come, not a guess at how soon: a loaded machine is slow.
async function waitFor<T>(f: () => T | undefined, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A fetch that counts the channel reads an HTTP adapter starts, and `firstLook`: a poll's reads
 * run one after the other, so the second read after a subscription is the next poll's, and the
 * first poll is over (no guess at how long a poll takes on a loaded machine).
 */
function channelReadCounter(): { fetch: typeof fetch; firstLook(): Promise<void> } {
  let reads = 0;
  return {
    fetch: (input, init) => {
      if (String(input instanceof Request ? input.url : input).includes('/channels/')) reads++;
      return fetch(input, init);
    },
    async firstLook() {
      const from = reads;
      await waitFor(() => (reads >= from + 2 ? true : undefined));
    },
  };
}

const setups: Record<string, () => Promise<Setup>> = {
  'in-process': async () => {
    const chain = DevChain.open({ genesis: devGenesis(await accountsP) });
    const adapter = inProcessAdapter(chain);
    return { adapter, chain, firstLook: async () => {}, close: async () => { await adapter.close(); await chain.close(); } };
  },
  http: async () => {
    const chain = DevChain.open({ genesis: devGenesis(await accountsP) });
    const server = await serveChainHttp(chain);
    const { fetch: counting, firstLook } = channelReadCounter();
    const adapter = httpAdapter(server.url, { pollMs: 20, fetch: counting });
    return { adapter, chain, firstLook, close: async () => { await adapter.close(); await server.close(); await chain.close(); } };
  },
};

describe.each(Object.keys(setups))('ChainAdapter suite: %s', (name) => {
  let setup: Setup | undefined;
  afterEach(async () => {
    await setup?.close();
    setup = undefined;
  });

  it('posts a spend, reads accounts, nonces, height and depth', async () => {
    setup = await setups[name]!();
    const { adapter, chain } = setup;
    const [a, b] = await accountsP;
    expect(await adapter.height()).toBe(0n);
    expect(await adapter.nextNonce(a!.address)).toBe(1n);
    const before = (await adapter.account(b!.address))!.balance;
    const hash = await adapter.postTx(await spendTx(a!, b!.address, 1234n, 1n));
    expect(hash).toMatch(/^th_/);
    expect((await adapter.account(b!.address))!.balance).toBe(before + 1234n);
    expect(await adapter.nextNonce(a!.address)).toBe(2n);
    expect(await adapter.txDepth(hash)).toBe(0n);
    await chain.emitKeyBlocks(3);
    expect(await adapter.height()).toBe(3n);
    expect(await adapter.txDepth(hash)).toBe(3n);
    expect(await adapter.txDepth(encodeApi('th', new Uint8Array(32).fill(7)))).toBeNull();
    expect(await adapter.account(encodeApi('ak', new Uint8Array(32).fill(3)))).toBeNull();
    const info = await adapter.info();
    expect(info.networkId).toBe(chain.rules.networkId);
    expect(info.genesisHash).toBe(chain.keyBlockAt(0n)!.hash);
    expect(info.protocolVersion).toBe(6);
    expect(info.minMinerGasPrice).toBe(1_000_000_000n);
    // Both give the tx back (the HTTP adapter rebuilds it from the API's JSON, checked by its hash).
    const tx = await adapter.transaction(hash);
    expect(tx && txHashOf(tx)).toBe(hash);
  });

  it('rejects with the node’s reason', async () => {
    setup = await setups[name]!();
    const [a, b] = await accountsP;
    await setup.adapter.postTx(await spendTx(a!, b!.address, 1n, 1n));
    const err = await setup.adapter.postTx(await spendTx(a!, b!.address, 2n, 1n)).catch((e: unknown) => e);
    expect(isAescError(err, AESC_ERROR__CHAIN__TX_REJECTED) && err.context.reason).toBe('nonce_too_low');
    const wrongNet = await setup.adapter.postTx(await spendTx(a!, b!.address, 2n, 2n, 'ae_mainnet')).catch((e: unknown) => e);
    expect(isAescError(wrongNet, AESC_ERROR__CHAIN__TX_REJECTED) && wrongNet.context.reason).toBe('signature_check_failed');
  });

  it('reads a channel object and notifies heights and channel changes', async () => {
    setup = await setups[name]!();
    const { adapter, chain } = setup;
    const [, , c, d] = await accountsP;
    const create = await createTx(c!, d!, 1n);
    const id = channelIdFromCreateTx(create) as ChannelId;
    expect(await adapter.channel(id)).toBeNull();
    const events: AdapterEvent[] = [];
    const first = setup.firstLook();
    const stop = adapter.subscribe((e) => events.push(e), { channels: [id] });
    // The channel must be absent at the subscription's first look for its creation to be a change.
    await first;
    await adapter.postTx(create);
    const ch = await adapter.channel(id);
    expect(ch).toMatchObject({ id, initiatorId: c!.address, responderId: d!.address, channelAmount: 2n * 10n ** 18n, round: 1n, lockPeriod: 3n, lockedUntil: 0n });
    const changed = await waitFor(() => events.find((e) => e.type === 'channel'));
    // Over HTTP too the event names the tx that changed the channel (found in the micro blocks).
    expect(changed).toMatchObject({ type: 'channel', channelId: id, channel: { round: 1n }, txHash: txHashOf(create) });
    await chain.emitKeyBlocks(1);
    const h = await waitFor(() => events.find((e) => e.type === 'height'));
    expect(h).toEqual({ type: 'height', height: 1n });
    stop();
  });
});

describe('httpAdapter, a channel change and new key blocks in one poll', () => {
  it('tells the channel change before the new height', async () => {
    const chain = DevChain.open({ genesis: devGenesis(await accountsP) });
    const server = await serveChainHttp(chain);
    const { fetch: counting, firstLook } = channelReadCounter();
    const adapter = httpAdapter(server.url, { pollMs: 300, fetch: counting });
    try {
      const [, , c, d] = await accountsP;
      const create = await createTx(c!, d!, 1n);
      const id = channelIdFromCreateTx(create) as ChannelId;
      const events: AdapterEvent[] = [];
      const first = firstLook();
      adapter.subscribe((e) => events.push(e), { channels: [id] });
      await first; // the first poll has read the height and the (absent) channel
      await chain.postTx(create);
      await chain.emitKeyBlocks(2);
      await waitFor(() => (events.some((e) => e.type === 'height') && events.some((e) => e.type === 'channel') ? true : undefined));
      expect(events.map((e) => e.type)).toEqual(['channel', 'height']);
      expect(events[1]).toEqual({ type: 'height', height: 2n });
    } finally {
      await adapter.close();
      await server.close();
      await chain.close();
    }
  });
});
