/** The mempool's default minimum miner gas price (`aec_tx_pool`, `mining.min_miner_gas_price`). */
export const DEFAULT_MIN_MINER_GAS_PRICE = 1_000_000_000n;
