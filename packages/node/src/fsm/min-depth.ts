/** How the minimum depth of the channel's on-chain txs is chosen (`minimum_depth_strategy`). */
export type MinimumDepthStrategy = 'txfee' | 'plain';

/** The default `minimum_depth` of a strategy: the factor 10 for txfee, 3 blocks for plain (`default_minimum_depth/1`). */
export function defaultMinimumDepth(strategy: MinimumDepthStrategy): number {
  return strategy === 'txfee' ? 10 : 3;
}

/**
 * The number of key blocks a tx waits for (`aesc_fsm:min_depth/3`): the given depth for `plain`;
 * for `txfee`, ⌈(fee / miners' minimum gas price)^(1/factor)⌉, 1 when the factor is 0.
 */
export function minimumDepthOf(strategy: MinimumDepthStrategy, value: number, fee: bigint, minMinerGasPrice: bigint): number {
  if (strategy === 'plain') return value;
  if (value <= 0) return 1;
  return Math.ceil((Number(fee) / Number(minMinerGasPrice)) ** (1 / value));
}
