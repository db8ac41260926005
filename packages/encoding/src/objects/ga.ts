import type { AccountAddress, ContractBytearray } from '../api-prefixes.js';
import { bytes, encoded, id, int } from '../field.js';
import { nested } from '../nested.js';
import { defineObject } from '../object-def.js';
import type { SignedTx } from './signed-tx.js';

// Field orders: apps/aega/src/aega_attach_tx.erl, aega_meta_tx.erl, apps/aetx/src/aec_paying_for_tx.erl.

/** `ga_attach_tx` (tag 80) v1: makes an account generalized. */
export interface GaAttachTx {
  readonly tag: 'ga_attach_tx';
  readonly version: 1;
  readonly ownerId: AccountAddress;
  readonly nonce: bigint;
  readonly code: ContractBytearray;
  readonly authFun: Uint8Array;
  readonly ctVersion: bigint;
  readonly fee: bigint;
  readonly ttl: bigint;
  readonly gas: bigint;
  readonly gasPrice: bigint;
  readonly callData: ContractBytearray;
}

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

/** `ga_meta_tx` (tag 81) v1 (before Iris): with a ttl. `tx` is the wrapped (signed) transaction. */
export interface GaMetaTxV1 {
  readonly tag: 'ga_meta_tx';
  readonly version: 1;
  readonly gaId: AccountAddress;
  readonly authData: ContractBytearray;
  readonly abiVersion: bigint;
  readonly fee: bigint;
  readonly gas: bigint;
  readonly gasPrice: bigint;
  readonly ttl: bigint;
  readonly tx: SignedTx;
}

/** `ga_meta_tx` (tag 81) v2 (from Iris): no ttl. */
export interface GaMetaTxV2 {
  readonly tag: 'ga_meta_tx';
  readonly version: 2;
  readonly gaId: AccountAddress;
  readonly authData: ContractBytearray;
  readonly abiVersion: bigint;
  readonly fee: bigint;
  readonly gas: bigint;
  readonly gasPrice: bigint;
  readonly tx: SignedTx;
}

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

/** `paying_for_tx` (tag 82) v1: the payer covers the fee of the inner transaction. */
export interface PayingForTx {
  readonly tag: 'paying_for_tx';
  readonly version: 1;
  readonly payerId: AccountAddress;
  readonly nonce: bigint;
  readonly fee: bigint;
  readonly tx: SignedTx;
}

export const payingForTxV1 = defineObject<PayingForTx>('paying_for_tx', 1, {
  payerId: id('account'),
  nonce: int,
  fee: int,
  tx: nested('signed_tx'),
});
