/** A block as the channel node's checks see it: its height and whether it is on the main chain. */
export interface BlockPlace {
  readonly height: bigint;
  readonly inMainChain: boolean;
}

/**
 * What the FSMs read about blocks to pin their proposals and check the peer's (`bh_delta`): the
 * key block at a height, and where a block (key or micro) is. Hashes are the raw 32 bytes the
 * peer protocol carries.
 */
export interface BlockSource {
  /** The hash of the main-chain key block at `height`, or undefined when there is none. */
  keyBlockHashAt(height: bigint): Promise<Uint8Array | undefined>;
  /** A block's height and whether it is on the main chain, or undefined when the chain does not know it. */
  blockPlace(hash: Uint8Array): Promise<BlockPlace | undefined>;
}
