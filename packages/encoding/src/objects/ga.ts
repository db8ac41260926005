import { bytes, encoded, id, int } from '../field.js';
import { nested } from '../nested.js';
import { defineObject } from '../object-def.js';
import type { GaAttachTx, GaMetaTxV1, GaMetaTxV2, PayingForTx } from './transaction.js';

// Field orders: apps/aega/src/aega_attach_tx.erl, aega_meta_tx.erl, apps/aetx/src/aec_paying_for_tx.erl.
// The types are in transaction.ts.

export const gaAttachTxV1 = defineObject<GaAttachTx>('ga_attach_tx', 1, {
  ownerId: id('account'),
  nonce: int,
  code: encoded('cb'),
  authFun: bytes,
  ctVersion: int,
  fee: int,
  ttl: int,
  gas: int,
  gasPrice: int,
  callData: encoded('cb'),
});

export const gaMetaTxV1 = defineObject<GaMetaTxV1>('ga_meta_tx', 1, {
  gaId: id('account'),
  authData: encoded('cb'),
  abiVersion: int,
  fee: int,
  gas: int,
  gasPrice: int,
  ttl: int,
  tx: nested('signed_tx'),
});

export const gaMetaTxV2 = defineObject<GaMetaTxV2>('ga_meta_tx', 2, {
  gaId: id('account'),
  authData: encoded('cb'),
  abiVersion: int,
  fee: int,
  gas: int,
  gasPrice: int,
  tx: nested('signed_tx'),
});

export const payingForTxV1 = defineObject<PayingForTx>('paying_for_tx', 1, {
  payerId: id('account'),
  nonce: int,
  fee: int,
  tx: nested('signed_tx'),
});
