/**
 * Consensus protocol settings of the dev chain: the protocol version, the network id, and the fee
 * rules of `aec_governance` / `aetx` that depend on them.
 */
import { DEFAULT_MIN_MINER_GAS_PRICE } from '@aesc/chain-api';

/** The protocols the dev chain can run: Iris (5, as the corpus was recorded) and Ceres (6, today's mainnet). */
export type ProtocolName = 'iris' | 'ceres';

/** Consensus protocol version numbers (`aec_hard_forks`). */
export const PROTOCOL_VERSIONS: Readonly<Record<ProtocolName, number>> = Object.freeze({ iris: 5, ceres: 6 });

/** Base gas of every spend and channel tx except force_progress (`aec_governance:tx_base_gas/2`). */
export const TX_BASE_GAS = 15000n;
/** Gas per byte of the serialized tx (`aec_governance:byte_gas/0`). */
export const BYTE_GAS = 20n;
/** Minimum gas price of the consensus from Minerva on (`aec_governance:minimum_gas_price/1`). */
export const MIN_GAS_PRICE = 1_000_000n;
/** The mempool's default minimum miner gas price (`aec_tx_pool`, `mining.min_miner_gas_price`). */
export { DEFAULT_MIN_MINER_GAS_PRICE };
/** How far above the account's nonce the mempool accepts a tx (`mempool.nonce_offset`). */
export const DEFAULT_NONCE_OFFSET = 5n;
/** The highest nonce the mempool accepts from an account the chain does not know yet (`mempool.nonce_baseline`). */
export const DEFAULT_NONCE_BASELINE = 1n;

/** Settings that fix the rules a chain runs by. */
export interface ChainRules {
  readonly protocol: ProtocolName;
  readonly networkId: string;
  /** The mempool's minimum gas price (default 1e9). */
  readonly minMinerGasPrice: bigint;
  /**
   * Accept `channel_create_tx` v1 at Iris. The node stopped accepting v1 at Iris, but the corpus
   * was recorded by an Iris-labelled node that still made v1 create txs; the corpus replay turns
   * this on. Off by default.
   */
  readonly acceptCreateV1: boolean;
}

/** The default rules: Ceres, `ae_dev`, miner gas price 1e9, create v2 only. */
export function defaultRules(overrides: Partial<ChainRules> = {}): ChainRules {
  return Object.freeze({
    protocol: 'ceres',
    networkId: 'ae_dev',
    minMinerGasPrice: DEFAULT_MIN_MINER_GAS_PRICE,
    acceptCreateV1: false,
    ...overrides,
  });
}

/** The gas a tx's fee has to cover (`aetx:fee_gas/3` for spend and channel txs): base gas + 20 per byte. */
export function feeGas(txByteSize: number): bigint {
  return TX_BASE_GAS + BYTE_GAS * BigInt(txByteSize);
}

/** The consensus minimum fee (`aetx:min_fee/3`): fee gas × minimum gas price. */
export function minFee(txByteSize: number): bigint {
  return feeGas(txByteSize) * MIN_GAS_PRICE;
}

/** The gas price a fee pays for (`aetx:min_gas_price/4`): ⌈fee / fee gas⌉. */
export function feeGasPrice(fee: bigint, txByteSize: number): bigint {
  const gas = feeGas(txByteSize);
  return (fee + gas - 1n) / gas;
}

/** The node version the chain's HTTP API reports (the SDK wants one in [7.1.0, 8.0.0)). */
export const NODE_VERSION = '7.3.0';

/**
 * The `info` a node of that version writes into the key blocks it makes after genesis
 * (`aeu_info:block_info/0`: the digits of major, minor and patch, 7.3.0 → 730).
 */
export const KEY_BLOCK_INFO = Number(NODE_VERSION.split('.').join(''));
