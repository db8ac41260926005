import { type KeyObject, createHash, createPrivateKey, sign } from 'node:crypto';
import { RLP } from '@ethereumjs/rlp';

/**
 * A client's signing of what a channel node asks it to sign, written without `@aesc/*` code: the
 * A/B run ({@link ./ab.ts}) drives two builds of the node in one process, and a client that ran the
 * working tree's codec would warm the JIT code of one of them only (in a one-off measurement that
 * build then looked 5 % faster than the same code loaded from another directory). RLP is `@ethereumjs/rlp`;
 * the rest is `node:crypto` and `Buffer`.
 */

// DER prefix that wraps a raw Ed25519 seed as PKCS#8.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** A node:crypto key for an account's 64-byte secret key (hex, as the dev accounts give it): its first 32 bytes are the seed. */
export function bareSigningKey(secretKeyHex: string): KeyObject {
  const seed = Buffer.from(secretKeyHex, 'hex').subarray(0, 32);
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

function checksum(payload: Uint8Array): Buffer {
  const once = createHash('sha256').update(payload).digest();
  return createHash('sha256').update(once).digest().subarray(0, 4);
}

/**
 * Adds `key`'s signature to a `tx_…` signed tx (a `signed_tx` RLP list: tag, version, the
 * signatures, the tx's bytes) for `networkId`: the signature covers network_id ‖ tx bytes, and the
 * signatures stay in byte order, as the node keeps them.
 */
export function bareSignTx(tx: string, key: KeyObject, networkId: string): string {
  if (!tx.startsWith('tx_')) throw new Error(`not a tx_ string: ${tx.slice(0, 12)}`);
  const data = Buffer.from(tx.slice(3), 'base64');
  const payload = data.subarray(0, data.length - 4);
  if (!checksum(payload).equals(data.subarray(data.length - 4))) throw new Error('bad tx_ checksum');
  const [tag, version, signatures, txBytes] = RLP.decode(payload) as [Uint8Array, Uint8Array, Uint8Array[], Uint8Array];
  const signature = sign(null, Buffer.concat([Buffer.from(networkId), txBytes]), key);
  const sorted = [...signatures, signature].sort((a, b) => Buffer.compare(a, b));
  const out = RLP.encode([tag, version, sorted, txBytes]);
  return `tx_${Buffer.concat([out, checksum(out)]).toString('base64')}`;
}
