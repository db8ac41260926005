import type { ContractAddress } from '../api-prefixes.js';
import { bytes, id, int } from '../field.js';
import { defineObject } from '../object-def.js';

// Field orders: apps/aecore/src/aec_accounts.erl serialization_template/1 in the node.

/** An account (tag 10) v1: nonce and balance. The channel's off-chain accounts are of this version. */
export interface AccountV1 {
  readonly tag: 'account';
  readonly version: 1;
  readonly nonce: bigint;
  readonly balance: bigint;
}

/** An account (tag 10) v2: a generalized account with its contract and auth function. */
export interface AccountV2 {
  readonly tag: 'account';
  readonly version: 2;
  readonly flags: bigint;
  readonly nonce: bigint;
  readonly balance: bigint;
  readonly gaContract: ContractAddress;
  readonly gaAuthFun: Uint8Array;
}

/** An account (tag 10) v3: with flags. */
export interface AccountV3 {
  readonly tag: 'account';
  readonly version: 3;
  readonly flags: bigint;
  readonly nonce: bigint;
  readonly balance: bigint;
}

export const accountV1 = defineObject<AccountV1>('account', 1, { nonce: int, balance: int });
export const accountV2 = defineObject<AccountV2>('account', 2, {
  flags: int,
  nonce: int,
  balance: int,
  gaContract: id('contract'),
  gaAuthFun: bytes,
});
export const accountV3 = defineObject<AccountV3>('account', 3, { flags: int, nonce: int, balance: int });
