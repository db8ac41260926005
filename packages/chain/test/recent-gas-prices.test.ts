import { type AccountAddress, type SignedTx, type Transaction, encodeApi, encodeObject } from '@aesc/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import type { Block } from '../src/block.js';
import { accountsP } from './fixtures.js';
import { DevChain } from '../src/dev-chain.js';
import { devGenesis } from '../src/genesis.js';
import { serveChainHttp } from '../src/http-server.js';
import { BLOCK_GAS_LIMIT, recentGasPrices } from '../src/recent-gas-prices.js';
import { signedSpendTx } from '../src/spend.js';

const MINUTE = 60_000;
const NOW = 1_700_000_000_000;
const ak = (n: number) => encodeApi('ak', new Uint8Array(32).fill(n)) as AccountAddress;

/** A spend whose fee is `fee` and whose payload makes it `payload` bytes bigger. */
const spend = (fee: bigint, payload: number): SignedTx => ({
  tag: 'signed_tx',
  version: 1,
  signatures: [],
  tx: { tag: 'spend_tx', version: 1, senderId: ak(1), recipientId: ak(2), amount: 1n, fee, ttl: 0n, nonce: 1n, payload: new Uint8Array(payload) } as Transaction,
});
/** The gas the node charges a spend of this size (15,000 base + 20 a byte), and the price its fee pays (rounded up). */
const gasOf = (s: SignedTx) => 15_000n + 20n * BigInt(encodeObject(s.tx).length);
const priceOf = (s: SignedTx) => {
  const gas = gasOf(s);
  return ((s.tx as { fee: bigint }).fee + gas - 1n) / gas;
};

/** A chain of blocks, newest first, each `at` minutes before NOW; `txs` in micro blocks. */
function chainOf(blocks: readonly { kind: 'key' | 'micro'; at: number; txs?: readonly SignedTx[] }[]) {
  const txs = new Map<string, SignedTx>();
  const byHash = new Map<string, Block>();
  const all = [...blocks, { kind: 'key' as const, at: Number.POSITIVE_INFINITY }]; // genesis: time 0
  all.forEach((b, i) => {
    const hashes = (b.txs ?? []).map((t, k) => {
      const h = `th_${i}_${k}`;
      txs.set(h, t);
      return h;
    });
    const block = { kind: b.kind, hash: `h${i}`, prevHash: `h${i + 1}`, time: b.at === Number.POSITIVE_INFINITY ? 0 : NOW - b.at * MINUTE, txs: hashes } as unknown as Block;
    byHash.set(block.hash, block);
  });
  return { topBlock: byHash.get('h0')!, block: (h: string) => byHash.get(h), minedTx: (h: string) => txs.get(h) };
}

describe('recent gas prices (GET /v3/recent-gas-prices)', () => {
  it('gives, for the last 1, 5, 15 and 60 minutes, the lowest gas price paid and the share of the micro blocks’ gas used', () => {
    const big = spend(4_000_000_000_000_000n, 100_000); // about 2 M gas at about 2e9
    const cheap = spend(20_000_000_000_000n, 0); // the lowest price
    const mid = spend(25_000_000_000_000n, 0);
    const chain = chainOf([
      { kind: 'micro', at: 0.5, txs: [big, mid] },
      { kind: 'key', at: 0.7 },
      { kind: 'micro', at: 3, txs: [cheap] },
      { kind: 'micro', at: 20, txs: [] },
      { kind: 'micro', at: 90, txs: [cheap] }, // older than every window
    ]);
    const pct = (used: bigint, blocks: bigint) => Math.round((Number(used) * 100) / Number(blocks * BLOCK_GAS_LIMIT));
    expect(priceOf(cheap)).toBeLessThan(priceOf(mid));
    expect(priceOf(mid)).toBeLessThan(priceOf(big));
    expect(recentGasPrices(chain, NOW)).toEqual([
      { minutes: 1, min_gas_price: priceOf(mid), utilization: pct(gasOf(big) + gasOf(mid), 1n) },
      { minutes: 5, min_gas_price: priceOf(cheap), utilization: pct(gasOf(big) + gasOf(mid) + gasOf(cheap), 2n) },
      { minutes: 15, min_gas_price: priceOf(cheap), utilization: pct(gasOf(big) + gasOf(mid) + gasOf(cheap), 2n) },
      { minutes: 60, min_gas_price: priceOf(cheap), utilization: pct(gasOf(big) + gasOf(mid) + gasOf(cheap), 3n) },
    ]);
    expect(recentGasPrices(chain, NOW)[0]!.utilization).toBeGreaterThan(30); // the big one is about a third of a block
  });

  it('reports 0 and 0 % where no micro block or no tx is', () => {
    const quiet = chainOf([{ kind: 'key', at: 0.2 }, { kind: 'micro', at: 2, txs: [] }]);
    expect(recentGasPrices(quiet, NOW)).toEqual([1, 5, 15, 60].map((minutes) => ({ minutes, min_gas_price: 0n, utilization: 0 })));
  });
});

describe('GET /v3/recent-gas-prices on the dev chain', () => {
  let chain: DevChain | undefined;
  afterEach(async () => chain?.close());

  it('answers as the node does, with the price of the txs the chain mined', async () => {
    let clock = NOW;
    chain = DevChain.open({ genesis: devGenesis(await accountsP), now: () => clock });
    const server = await serveChainHttp(chain);
    try {
      const [a, b] = await accountsP;
      const get = async () => (await (await fetch(`${server.url}/v3/recent-gas-prices`)).text()) as string;
      expect(JSON.parse(await get())).toEqual([1, 5, 15, 60].map((minutes) => ({ minutes, min_gas_price: 0, utilization: 0 })));
      const send = async (nonce: bigint, gasPrice: bigint) =>
        chain!.postTx(await signedSpendTx({ sender: a!.address, recipient: b!.address, amount: 1n, nonce, networkId: 'ae_dev', secretKey: Buffer.from(a!.secretKey, 'hex'), gasPrice }));
      await send(1n, 3_000_000_000n);
      clock += 10 * MINUTE;
      await send(2n, 1_000_000_000n);
      clock += 4 * MINUTE;
      await send(3n, 2_000_000_000n);
      clock += MINUTE / 2;
      const windows = JSON.parse(await get()) as { minutes: number; min_gas_price: number; utilization: number }[];
      expect(windows.map((w) => [w.minutes, w.min_gas_price])).toEqual([
        [1, 2_000_000_000],
        [5, 1_000_000_000],
        [15, 1_000_000_000],
        [60, 1_000_000_000],
      ]);
      expect(windows.every((w) => w.utilization === 0)).toBe(true); // three spends are far below 1 % of a block
    } finally {
      await server.close();
    }
  });
});
