import { type SignedTx, encodeObject } from '@aesc/encoding';
import type { Block } from './block.js';
import { feeGas, feeGasPrice } from './protocol.js';

/** The gas one block may use (`aec_governance:block_gas_limit/0`). */
export const BLOCK_GAS_LIMIT = 6_000_000n;

/** The windows the node reports, in minutes back from now (`GetRecentGasPrices`). */
export const RECENT_GAS_PRICE_MINUTES = [1, 5, 15, 60] as const;

/** One window of `GET /v3/recent-gas-prices`, as the node writes it. */
export interface RecentGasPrice {
  readonly minutes: number;
  /** The lowest gas price a tx in the window's micro blocks paid; 0 with no tx. */
  readonly min_gas_price: bigint;
  /** Percent of the window's micro blocks' gas the txs used, rounded. */
  readonly utilization: number;
}

/** What {@link recentGasPrices} reads of the chain: blocks by hash, the top one, and a mined tx. */
export interface GasPriceSource {
  readonly topBlock: Block;
  block(hash: string): Block | undefined;
  minedTx(hash: string): SignedTx | undefined;
}

/**
 * `GET /v3/recent-gas-prices` (`aehttp_logic:get_top_blocks_gas_price_summary/1`): from the top
 * block back, the micro blocks of each window (made at or after `now` minus its minutes), with the
 * lowest gas price any of their txs paid (`aetx:min_gas_price/3`: ⌈fee ÷ fee gas⌉ for the txs this
 * chain takes, which carry no gas price of their own) and the share of the blocks' gas limit their
 * txs used (a spend or channel tx uses its fee gas). Windows nest: each counts the blocks of the
 * ones before it.
 */
export function recentGasPrices(chain: GasPriceSource, now: number): RecentGasPrice[] {
  const out: RecentGasPrice[] = [];
  let min: bigint | undefined;
  let used = 0n;
  let total = 0n;
  let block: Block | undefined = chain.topBlock;
  for (const minutes of RECENT_GAS_PRICE_MINUTES) {
    const cutOff = now - minutes * 60_000;
    for (; block !== undefined && block.time >= cutOff; block = chain.block(block.prevHash)) {
      if (block.kind !== 'micro') continue;
      total += BLOCK_GAS_LIMIT;
      for (const hash of block.txs) {
        const signed = chain.minedTx(hash);
        if (signed === undefined) continue;
        const size = encodeObject(signed.tx).length;
        const price = feeGasPrice((signed.tx as { fee: bigint }).fee, size);
        if (min === undefined || price < min) min = price;
        used += feeGas(size);
      }
    }
    // (The node counts a window without micro blocks as 0 % of one block's worth of gas.)
    const utilization = total === 0n ? 0 : Math.round(Number(used * 100n) / Number(total));
    out.push({ minutes, min_gas_price: min ?? 0n, utilization });
  }
  return out;
}
