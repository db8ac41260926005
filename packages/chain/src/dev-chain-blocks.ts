import type { BlockSource } from '@aesc/chain-api';
import { decodeApi, encodeApi } from '@aesc/encoding';
import type { DevChain } from './dev-chain.js';

/** A {@link BlockSource} over an embedded {@link DevChain} (which has no forks: every block it stores is on the main chain). */
export function devChainBlocks(chain: DevChain): BlockSource {
  return Object.freeze({
    async keyBlockHashAt(height: bigint) {
      const b = chain.keyBlockAt(height);
      return b === undefined ? undefined : decodeApi(b.hash as `kh_${string}`, 'kh');
    },
    async blockPlace(hash: Uint8Array) {
      const b = chain.block(encodeApi('kh', hash)) ?? chain.block(encodeApi('mh', hash));
      return b === undefined ? undefined : { height: b.height, inMainChain: true };
    },
  });
}
