import { accountAddress, blake2b256, keyPairFromSecretKey } from '@aesc/crypto';
import type { AccountAddress } from '@aesc/encoding';

/** A deterministic dev account, derived in the browser. */
export interface DevAccountKeys {
  readonly index: number;
  readonly address: AccountAddress;
  /** The 64-byte secret key (seed ‖ public key). */
  readonly secretKey: Uint8Array;
}

/**
 * Dev account `i`, derived exactly as `devAccounts` of @aesc/chain does (seed i =
 * blake2b256("aesc-dev-account-" + i)): the node's embedded chain funds these in its default
 * genesis. The keys come from a public seed: for local development only.
 */
export async function devAccount(index: number): Promise<DevAccountKeys> {
  const seed = blake2b256(new TextEncoder().encode(`aesc-dev-account-${index}`));
  const keys = await keyPairFromSecretKey(seed);
  return { index, address: accountAddress(keys.publicKey), secretKey: keys.secretKey };
}

/** The first `count` dev accounts. */
export function devAccountList(count = 10): Promise<DevAccountKeys[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => devAccount(i)));
}
