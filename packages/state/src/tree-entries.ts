import {
  type AccountObject,
  type ContractAddress,
  type ContractCallObject,
  type ContractV1,
  type ContractV2,
  decodeObject,
  encodeApi,
} from '@aesc/encoding';
import { AESC_ERROR__STATE__MALFORMED_STATE_TREES, AescError } from '@aesc/errors';
import { type Mpt, mptEntries } from './mpt.js';

// Keys and values of the accounts, contracts and calls trees: aec_accounts_trees (pubkey →
// account), aect_state_tree (contract pubkey → contract; pubkey ++ <<16>> → <<0>> marking the
// store; pubkey ++ <<16>> ++ key → store value), aect_call_state_tree (contract pubkey ++ call id
// → call). Decoding them needs no VM.

function unexpected(path: string, reason: string): AescError {
  return new AescError(AESC_ERROR__STATE__MALFORMED_STATE_TREES, { path, reason });
}

/** An entry of the accounts tree. */
export interface AccountEntry {
  /** The key: an account's (or a contract account's) public key. */
  readonly pubkey: Uint8Array;
  readonly account: AccountObject;
}

/** The accounts of an accounts tree, in key order. */
export function accountEntries(accounts: Mpt): AccountEntry[] {
  return [...mptEntries(accounts)].map(([pubkey, value]) => {
    const account = decodeObject(value, 'accounts');
    if (account.tag !== 'account') throw unexpected('accounts', `a ${account.tag} in the accounts tree`);
    return { pubkey, account };
  });
}

/** An entry of the contracts tree: a contract, the marker of its store, or one store value. */
export type ContractsTreeEntry =
  | { readonly kind: 'contract'; readonly contract: ContractAddress; readonly value: ContractV1 | ContractV2 }
  | { readonly kind: 'store'; readonly contract: ContractAddress }
  | { readonly kind: 'store-value'; readonly contract: ContractAddress; readonly key: Uint8Array; readonly value: Uint8Array };

/** The entries of a contracts tree, in key order, decoded. */
export function contractsTreeEntries(contracts: Mpt): ContractsTreeEntry[] {
  return [...mptEntries(contracts)].map(([key, value]): ContractsTreeEntry => {
    if (key.length < 32) throw unexpected('contracts', `a key of ${key.length} bytes`);
    const contract = encodeApi('ct', key.subarray(0, 32));
    if (key.length === 32) {
      const obj = decodeObject(value, 'contracts');
      if (obj.tag !== 'contract') throw unexpected('contracts', `a ${obj.tag} under a contract key`);
      return { kind: 'contract', contract, value: obj };
    }
    if (key[32] !== 16) throw unexpected('contracts', 'a key that is neither a contract nor a store key');
    if (key.length === 33) return { kind: 'store', contract };
    return { kind: 'store-value', contract, key: key.subarray(33), value };
  });
}

/** The store of one contract: its keys and values in key order. */
export function contractStoreEntries(contracts: Mpt, contract: ContractAddress): { key: Uint8Array; value: Uint8Array }[] {
  const out: { key: Uint8Array; value: Uint8Array }[] = [];
  for (const e of contractsTreeEntries(contracts)) {
    if (e.kind === 'store-value' && e.contract === contract) out.push({ key: e.key, value: e.value });
  }
  return out;
}

/** An entry of the calls tree: the call result of one call of a contract. */
export interface CallEntry {
  readonly contract: ContractAddress;
  /** The call id (the rest of the key). */
  readonly callId: Uint8Array;
  readonly call: ContractCallObject;
}

/** The calls of a calls tree, in key order, decoded. */
export function callEntries(calls: Mpt): CallEntry[] {
  return [...mptEntries(calls)].map(([key, value]) => {
    if (key.length <= 32) throw unexpected('calls', `a key of ${key.length} bytes`);
    const call = decodeObject(value, 'calls');
    if (call.tag !== 'contract_call') throw unexpected('calls', `a ${call.tag} in the calls tree`);
    return { contract: encodeApi('ct', key.subarray(0, 32)), callId: key.subarray(32), call };
  });
}
