import {
  type AccountAddress,
  type ChannelOffchainUpdate,
  type ContractAddress,
  type ContractBytearray,
  decodeApi,
  isEncoded,
} from '@aesc/encoding';
import {
  AESC_ERROR__STATE__ACCOUNT_NOT_FOUND,
  AESC_ERROR__STATE__INSUFFICIENT_BALANCE,
  AESC_ERROR__STATE__INVALID_UPDATE,
  AESC_ERROR__STATE__NEGATIVE_AMOUNT,
  AESC_ERROR__STATE__UPDATE_NEEDS_VM,
  AescError,
} from '@aesc/errors';
import { type AccountFields, accountFields } from './account.js';
import { mptGet, mptPut } from './mpt.js';
import { type TreeSet, withTree } from './tree-set.js';

// Update rules: aesc_offchain_update:apply_on_trees/6 (add_tokens, remove_tokens with the channel
// reserve) and the amount checks of aesc_fsm (upd_transfer/4, upd_deposit/2, upd_withdraw/2).

/** An off-chain update as the node serializes it (tags 570–576); see `@aesc/encoding`. */
export type OffchainUpdate = ChannelOffchainUpdate;

/** Options of the update rules. */
export interface ApplyOptions {
  /**
   * The channel reserve: a transfer or withdrawal may not leave the paying account below it
   * (`remove_tokens/4`). Default 0.
   */
  readonly channelReserve?: bigint;
}

function checkAmount(op: string, amount: bigint): void {
  if (typeof amount !== 'bigint') {
    throw new AescError(AESC_ERROR__STATE__INVALID_UPDATE, { reason: `${op} amount is not an integer` });
  }
  if (amount < 0n) throw new AescError(AESC_ERROR__STATE__NEGATIVE_AMOUNT, { op, amount: amount.toString() });
}

function pubkey(account: AccountAddress): Uint8Array {
  try {
    return decodeApi(account, 'ak');
  } catch (cause) {
    throw new AescError(AESC_ERROR__STATE__INVALID_UPDATE, { reason: `bad account id ${String(account)}` }, { cause });
  }
}

function accountAt(trees: TreeSet, account: AccountAddress, key: Uint8Array): AccountFields {
  const value = mptGet(trees.accounts, key);
  if (value === undefined) throw new AescError(AESC_ERROR__STATE__ACCOUNT_NOT_FOUND, { account });
  return accountFields(value);
}

/** `add_tokens/3`: the account must exist. */
function addTokens(trees: TreeSet, account: AccountAddress, amount: bigint): TreeSet {
  const key = pubkey(account);
  const acc = accountAt(trees, account, key);
  return withTree(trees, 'accounts', mptPut(trees.accounts, key, acc.withBalance(acc.balance + amount)));
}

/** `remove_tokens/4`: the account must exist and keep at least the reserve; the nonce is not bumped. */
function removeTokens(trees: TreeSet, account: AccountAddress, amount: bigint, reserve: bigint): TreeSet {
  const key = pubkey(account);
  const acc = accountAt(trees, account, key);
  const balance = acc.balance;
  if (balance - amount < reserve) {
    throw new AescError(AESC_ERROR__STATE__INSUFFICIENT_BALANCE, {
      account,
      balance: balance.toString(),
      amount: amount.toString(),
      reserve: reserve.toString(),
    });
  }
  return withTree(trees, 'accounts', mptPut(trees.accounts, key, acc.withBalance(balance - amount)));
}

/**
 * Applies one update to the trees with the node's rules and returns the new trees (the given
 * ones are never modified):
 * - transfer: `from` pays `amount` to `to`; `from` must keep the channel reserve;
 * - deposit: `from` gains `amount`; withdrawal: `to` loses it and must keep the reserve;
 * - meta: no change (the data is carried for the record only).
 *
 * Amounts must not be negative, accounts must exist. Contract creation and calls need a VM and
 * are refused with `AESC_ERROR__STATE__UPDATE_NEEDS_VM`. Violations throw a coded {@link AescError}.
 */
export function applyUpdate(trees: TreeSet, update: OffchainUpdate, options: ApplyOptions = {}): TreeSet {
  const reserve = options.channelReserve ?? 0n;
  switch (update.tag) {
    case 'channel_offchain_update_transfer':
      checkAmount('transfer', update.amount);
      return addTokens(removeTokens(trees, update.from, update.amount, reserve), update.to, update.amount);
    case 'channel_offchain_update_deposit':
      checkAmount('deposit', update.amount);
      return addTokens(trees, update.from, update.amount);
    case 'channel_offchain_update_withdraw':
      checkAmount('withdrawal', update.amount);
      return removeTokens(trees, update.to, update.amount, reserve);
    case 'channel_offchain_update_meta':
      return trees;
    case 'channel_offchain_update_create_contract':
      throw new AescError(AESC_ERROR__STATE__UPDATE_NEEDS_VM, { op: 'OffChainNewContract' });
    case 'channel_offchain_update_call_contract':
      throw new AescError(AESC_ERROR__STATE__UPDATE_NEEDS_VM, { op: 'OffChainCallContract' });
    default:
      throw new AescError(AESC_ERROR__STATE__INVALID_UPDATE, {
        reason: `unknown update ${String((update as { tag?: unknown }).tag)}`,
      });
  }
}

/**
 * The account whose coins an update moves, or undefined for one that moves none (meta): a
 * transfer's payer, a deposit's depositor (its coins on chain), a withdrawal's withdrawer, a
 * contract's owner (its deposit) or caller (the call's amount). What a signing policy asks before
 * it signs the peer's proposal.
 */
export function payerOf(update: OffchainUpdate): AccountAddress | undefined {
  switch (update.tag) {
    case 'channel_offchain_update_transfer':
    case 'channel_offchain_update_deposit':
      return update.from;
    case 'channel_offchain_update_withdraw':
      return update.to;
    case 'channel_offchain_update_create_contract':
      return update.owner;
    case 'channel_offchain_update_call_contract':
      return update.caller;
    case 'channel_offchain_update_meta':
      return undefined;
    default:
      return update satisfies never;
  }
}

// -- The JSON-RPC form of updates (aesc_offchain_update:for_client/1) --

/** An update as the channel WebSocket API carries it (`updates` of `channels.sign.*`). */
export type OffchainUpdateJson =
  | { readonly op: 'OffChainTransfer'; readonly from: string; readonly to: string; readonly amount: bigint | number }
  | { readonly op: 'OffChainDeposit'; readonly from: string; readonly amount: bigint | number }
  | { readonly op: 'OffChainWithdrawal'; readonly to: string; readonly amount: bigint | number }
  | {
      readonly op: 'OffChainNewContract';
      readonly owner: string;
      readonly vm_version: bigint | number;
      readonly abi_version: bigint | number;
      readonly code: string;
      readonly deposit: bigint | number;
      readonly call_data: string;
    }
  | {
      readonly op: 'OffChainCallContract';
      readonly caller_id: string;
      readonly contract_id: string;
      readonly abi_version: bigint | number;
      readonly amount: bigint | number;
      readonly gas: bigint | number;
      readonly gas_price: bigint | number;
      readonly call_data: string;
      readonly call_stack: readonly (bigint | number)[];
    }
  | { readonly op: 'OffChainMeta'; readonly data: string };

function invalid(reason: string): AescError {
  return new AescError(AESC_ERROR__STATE__INVALID_UPDATE, { reason });
}

function intValue(v: unknown, what: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  throw invalid(`${what} is not an integer`);
}

function int(json: Record<string, unknown>, field: string): bigint {
  return intValue(json[field], `${String(json.op)}.${field}`);
}

function enc<P extends 'ak' | 'ct' | 'cb'>(json: Record<string, unknown>, field: string, prefix: P): `${P}_${string}` {
  const v = json[field];
  if (!isEncoded(v, prefix)) throw invalid(`${String(json.op)}.${field} is not a valid ${prefix}_ value`);
  return v;
}

/** The `ct_version` field of a contract creation: VM and ABI versions packed (`aect_contracts:pack_vm_abi/1`). */
export function packVmAbi(vm: bigint, abi: bigint): bigint {
  return vm === abi && abi <= 2n ? abi : (vm << 16n) | abi;
}

/** Splits a `ct_version` into VM and ABI versions (`aect_contracts:split_vm_abi/1`). */
export function splitVmAbi(ctVersion: bigint): { vm: bigint; abi: bigint } {
  const vm = (ctVersion >> 16n) & 0xffffn;
  const abi = ctVersion & 0xffffn;
  return vm === 0n ? { vm: abi, abi } : { vm, abi };
}

/** Parses an update from its JSON-RPC form. Throws `AESC_ERROR__STATE__INVALID_UPDATE` for a malformed one. */
export function updateFromJson(json: unknown): OffchainUpdate {
  if (typeof json !== 'object' || json === null) throw invalid('an update is an object');
  const j = json as Record<string, unknown>;
  switch (j.op) {
    case 'OffChainTransfer':
      return {
        tag: 'channel_offchain_update_transfer',
        version: 1,
        from: enc(j, 'from', 'ak'),
        to: enc(j, 'to', 'ak'),
        amount: int(j, 'amount'),
      };
    case 'OffChainDeposit':
      return { tag: 'channel_offchain_update_deposit', version: 1, from: enc(j, 'from', 'ak'), amount: int(j, 'amount') };
    case 'OffChainWithdrawal':
      return { tag: 'channel_offchain_update_withdraw', version: 1, to: enc(j, 'to', 'ak'), amount: int(j, 'amount') };
    case 'OffChainMeta': {
      if (typeof j.data !== 'string') throw invalid('OffChainMeta.data is not a string');
      return { tag: 'channel_offchain_update_meta', version: 2, data: new TextEncoder().encode(j.data) };
    }
    case 'OffChainNewContract':
      return {
        tag: 'channel_offchain_update_create_contract',
        version: 1,
        owner: enc(j, 'owner', 'ak'),
        ctVersion: packVmAbi(int(j, 'vm_version'), int(j, 'abi_version')),
        code: enc(j, 'code', 'cb') as ContractBytearray,
        deposit: int(j, 'deposit'),
        callData: enc(j, 'call_data', 'cb') as ContractBytearray,
      };
    case 'OffChainCallContract': {
      if (!Array.isArray(j.call_stack)) throw invalid('OffChainCallContract.call_stack is not a list');
      return {
        tag: 'channel_offchain_update_call_contract',
        version: 1,
        caller: enc(j, 'caller_id', 'ak'),
        contract: enc(j, 'contract_id', 'ct') as ContractAddress,
        abiVersion: int(j, 'abi_version'),
        amount: int(j, 'amount'),
        gas: int(j, 'gas'),
        gasPrice: int(j, 'gas_price'),
        callData: enc(j, 'call_data', 'cb') as ContractBytearray,
        callStack: (j.call_stack as unknown[]).map((v, i) => intValue(v, `OffChainCallContract.call_stack[${i}]`)),
      };
    }
    default:
      throw invalid(`unknown op ${String(j.op)}`);
  }
}

/** The JSON-RPC form of an update (`aesc_offchain_update:for_client/1`); amounts stay bigint. */
export function updateToJson(update: OffchainUpdate): OffchainUpdateJson {
  switch (update.tag) {
    case 'channel_offchain_update_transfer':
      return { op: 'OffChainTransfer', from: update.from, to: update.to, amount: update.amount };
    case 'channel_offchain_update_deposit':
      return { op: 'OffChainDeposit', from: update.from, amount: update.amount };
    case 'channel_offchain_update_withdraw':
      return { op: 'OffChainWithdrawal', to: update.to, amount: update.amount };
    case 'channel_offchain_update_meta':
      return { op: 'OffChainMeta', data: new TextDecoder().decode(update.data) };
    case 'channel_offchain_update_create_contract': {
      const { vm, abi } = splitVmAbi(update.ctVersion);
      return {
        op: 'OffChainNewContract',
        owner: update.owner,
        vm_version: vm,
        abi_version: abi,
        code: update.code,
        deposit: update.deposit,
        call_data: update.callData,
      };
    }
    case 'channel_offchain_update_call_contract':
      return {
        op: 'OffChainCallContract',
        caller_id: update.caller,
        contract_id: update.contract,
        abi_version: update.abiVersion,
        amount: update.amount,
        gas: update.gas,
        gas_price: update.gasPrice,
        call_data: update.callData,
        call_stack: update.callStack,
      };
  }
}
