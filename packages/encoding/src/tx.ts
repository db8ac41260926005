import { AESC_ERROR__ENCODING__UNEXPECTED_TAG, AescError } from '@aesc/errors';
import { decodeApi, encodeApi } from './api-encoding.js';
import type { EncodedTx } from './api-prefixes.js';
import type { ChainObject } from './objects/chain-object.js';
import type { SignedTx } from './objects/transaction.js';
import { decodeObject, encodeObject } from './registry.js';

/** Decodes a `tx_…` string into its signed tx (with the inner transaction decoded). */
export function decodeTx(encoded: string): SignedTx {
  const obj = decodeObject(decodeApi(encoded, 'tx'));
  if (obj.tag !== 'signed_tx') {
    throw new AescError(AESC_ERROR__ENCODING__UNEXPECTED_TAG, { path: '$', name: obj.tag, allowed: 'signed_tx' });
  }
  return obj;
}

/** Encodes a signed tx (or any chain object) as a `tx_…` string. */
export function encodeTx(tx: SignedTx | ChainObject): EncodedTx {
  return encodeApi('tx', encodeObject(tx));
}
