import { type RlpItem, bytesToUint, rlpDecode, rlpEncode, uintToBytes } from '@aesc/encoding';
import { AESC_ERROR__STATE__MALFORMED_STATE_TREES, AescError } from '@aesc/errors';

// Account values of the accounts tree (aec_accounts.erl): tag 10, version 1 [nonce, balance],
// version 2 [flags, nonce, balance, ga_contract, ga_auth_fun], version 3 [flags, nonce, balance].

const ACCOUNT_TAG = 10;
const BALANCE_INDEX: Readonly<Record<number, number>> = { 1: 3, 2: 4, 3: 4 };
const FIELD_COUNT: Readonly<Record<number, number>> = { 1: 4, 2: 7, 3: 5 };

function malformed(reason: string): AescError {
  return new AescError(AESC_ERROR__STATE__MALFORMED_STATE_TREES, { path: 'account', reason });
}

function fieldsOf(value: Uint8Array): { items: Uint8Array[]; balanceAt: number } {
  let item: RlpItem;
  try {
    item = rlpDecode(value);
  } catch (cause) {
    throw new AescError(AESC_ERROR__STATE__MALFORMED_STATE_TREES, { path: 'account', reason: 'not RLP' }, { cause });
  }
  if (item instanceof Uint8Array || !item.every((i) => i instanceof Uint8Array)) throw malformed('not a list of fields');
  const items = item as Uint8Array[];
  const tag = items[0] && bytesToUint(items[0]);
  const version = items[1] && bytesToUint(items[1]);
  if (tag !== BigInt(ACCOUNT_TAG)) throw malformed(`tag ${tag}, expected ${ACCOUNT_TAG}`);
  const v = Number(version);
  const balanceAt = BALANCE_INDEX[v];
  if (balanceAt === undefined || items.length !== FIELD_COUNT[v]) throw malformed(`unsupported version ${version}`);
  return { items, balanceAt };
}

/** A new account as the node creates it (`aec_accounts:new/2`): version 1, nonce 0. */
export function newAccountValue(balance: bigint): Uint8Array {
  return rlpEncode([uintToBytes(BigInt(ACCOUNT_TAG)), uintToBytes(1n), uintToBytes(0n), uintToBytes(balance)]);
}

/** A serialized account (any version) opened for a balance change. */
export interface AccountFields {
  readonly balance: bigint;
  /** The account serialized again with a new balance; every other field kept byte for byte. */
  withBalance(balance: bigint): Uint8Array;
}

/** Reads a serialized account's balance, ready to write it back with another one. */
export function accountFields(value: Uint8Array): AccountFields {
  const { items, balanceAt } = fieldsOf(value);
  const balance = bytesToUint(items[balanceAt]!);
  if (balance === undefined) throw malformed('non-canonical balance');
  return {
    balance,
    withBalance(next) {
      const out = items.slice();
      out[balanceAt] = uintToBytes(next);
      return rlpEncode(out);
    },
  };
}

/** The balance of a serialized account (any version). */
export function accountBalance(value: Uint8Array): bigint {
  return accountFields(value).balance;
}

/** The serialized account with a new balance; every other field is kept byte for byte. */
export function withAccountBalance(value: Uint8Array, balance: bigint): Uint8Array {
  return accountFields(value).withBalance(balance);
}
