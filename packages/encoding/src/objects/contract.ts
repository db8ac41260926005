import type { AccountAddress, ContractAddress, ContractBytearray } from '../api-prefixes.js';
import { bool, bytes, encoded, id, int, list, record } from '../field.js';
import { nested, optionalNested } from '../nested.js';
import { defineObject } from '../object-def.js';

// Field orders: apps/aecontract/src/aect_contracts.erl, aect_call.erl, aect_create_tx.erl,
// aect_call_tx.erl in the node; aeser_contract_code.erl in aeserialization.

/** A contract (tag 40) v1 (before Iris). `code` is the serialized code object. */
export interface ContractV1 {
  readonly tag: 'contract';
  readonly version: 1;
  readonly ownerId: AccountAddress;
  readonly ctVersion: bigint;
  readonly code: CompilerSophia;
  readonly log: Uint8Array;
  readonly active: boolean;
  readonly referrerIds: readonly (AccountAddress | ContractAddress)[];
  readonly deposit: bigint;
}

/** A contract (tag 40) v2 (from Iris): `code` is empty when `codeRef` names the contract whose code it uses. */
export interface ContractV2 {
  readonly tag: 'contract';
  readonly version: 2;
  readonly ownerId: AccountAddress;
  readonly ctVersion: bigint;
  readonly code: CompilerSophia | null;
  readonly codeRef: readonly ContractAddress[];
  readonly log: Uint8Array;
  readonly active: boolean;
  readonly referrerIds: readonly (AccountAddress | ContractAddress)[];
  readonly deposit: bigint;
}

export const contractV1 = defineObject<ContractV1>('contract', 1, {
  ownerId: id('account'),
  ctVersion: int,
  code: nested('compiler_sophia'),
  log: bytes,
  active: bool,
  referrerIds: list(id('account', 'contract')),
  deposit: int,
});

export const contractV2 = defineObject<ContractV2>('contract', 2, {
  ownerId: id('account'),
  ctVersion: int,
  code: optionalNested('compiler_sophia'),
  codeRef: list(id('contract')),
  log: bytes,
  active: bool,
  referrerIds: list(id('account', 'contract')),
  deposit: int,
});

/** One event of a call's log: the emitting contract, its topics and data. */
export interface CallLogEntry {
  readonly address: Uint8Array;
  readonly topics: readonly Uint8Array[];
  readonly data: Uint8Array;
}

const logEntry = record({ address: bytes, topics: list(bytes), data: bytes });

/** A contract call result (tag 41) v2. */
export interface ContractCallV2 {
  readonly tag: 'contract_call';
  readonly version: 2;
  readonly callerId: AccountAddress | ContractAddress;
  readonly callerNonce: bigint;
  readonly height: bigint;
  readonly contractId: ContractAddress;
  readonly gasPrice: bigint;
  readonly gasUsed: bigint;
  readonly returnValue: Uint8Array;
  readonly returnType: bigint;
  readonly log: readonly CallLogEntry[];
}

/** A contract call result (tag 41) v3: with the id of the call. */
export interface ContractCallV3 {
  readonly tag: 'contract_call';
  readonly version: 3;
  readonly callerId: AccountAddress | ContractAddress;
  readonly callerNonce: bigint;
  readonly height: bigint;
  readonly contractId: ContractAddress;
  readonly ctCallId: Uint8Array;
  readonly gasPrice: bigint;
  readonly gasUsed: bigint;
  readonly returnValue: Uint8Array;
  readonly returnType: bigint;
  readonly log: readonly CallLogEntry[];
}

export const contractCallV2 = defineObject<ContractCallV2>('contract_call', 2, {
  callerId: id('account', 'contract'),
  callerNonce: int,
  height: int,
  contractId: id('contract'),
  gasPrice: int,
  gasUsed: int,
  returnValue: bytes,
  returnType: int,
  log: list(logEntry),
});

export const contractCallV3 = defineObject<ContractCallV3>('contract_call', 3, {
  callerId: id('account', 'contract'),
  callerNonce: int,
  height: int,
  contractId: id('contract'),
  ctCallId: bytes,
  gasPrice: int,
  gasUsed: int,
  returnValue: bytes,
  returnType: int,
  log: list(logEntry),
});

/** A function's type info in a v1/v2 code object. */
export interface TypeInfoV1 {
  readonly typeHash: Uint8Array;
  readonly name: Uint8Array;
  readonly argType: Uint8Array;
  readonly outType: Uint8Array;
}

/** A function's type info in a v3 code object (with its payable flag). */
export interface TypeInfoV3 {
  readonly typeHash: Uint8Array;
  readonly name: Uint8Array;
  readonly payable: boolean;
  readonly argType: Uint8Array;
  readonly outType: Uint8Array;
}

/** Sophia code object (tag 70) v1. */
export interface CompilerSophiaV1 {
  readonly tag: 'compiler_sophia';
  readonly version: 1;
  readonly sourceHash: Uint8Array;
  readonly typeInfo: readonly TypeInfoV1[];
  readonly byteCode: Uint8Array;
}

/** Sophia code object (tag 70) v2: with the compiler version. */
export interface CompilerSophiaV2 {
  readonly tag: 'compiler_sophia';
  readonly version: 2;
  readonly sourceHash: Uint8Array;
  readonly typeInfo: readonly TypeInfoV1[];
  readonly byteCode: Uint8Array;
  readonly compilerVersion: Uint8Array;
}

/** Sophia code object (tag 70) v3: with payable flags. */
export interface CompilerSophiaV3 {
  readonly tag: 'compiler_sophia';
  readonly version: 3;
  readonly sourceHash: Uint8Array;
  readonly typeInfo: readonly TypeInfoV3[];
  readonly byteCode: Uint8Array;
  readonly compilerVersion: Uint8Array;
  readonly payable: boolean;
}

/** Any version of the Sophia code object. */
export type CompilerSophia = CompilerSophiaV1 | CompilerSophiaV2 | CompilerSophiaV3;

const typeInfoV1 = record({ typeHash: bytes, name: bytes, argType: bytes, outType: bytes });
const typeInfoV3 = record({ typeHash: bytes, name: bytes, payable: bool, argType: bytes, outType: bytes });

export const compilerSophiaV1 = defineObject<CompilerSophiaV1>('compiler_sophia', 1, {
  sourceHash: bytes,
  typeInfo: list(typeInfoV1),
  byteCode: bytes,
});
export const compilerSophiaV2 = defineObject<CompilerSophiaV2>('compiler_sophia', 2, {
  sourceHash: bytes,
  typeInfo: list(typeInfoV1),
  byteCode: bytes,
  compilerVersion: bytes,
});
export const compilerSophiaV3 = defineObject<CompilerSophiaV3>('compiler_sophia', 3, {
  sourceHash: bytes,
  typeInfo: list(typeInfoV3),
  byteCode: bytes,
  compilerVersion: bytes,
  payable: bool,
});

/** `contract_create_tx` (tag 42) v1. */
export interface ContractCreateTx {
  readonly tag: 'contract_create_tx';
  readonly version: 1;
  readonly ownerId: AccountAddress;
  readonly nonce: bigint;
  readonly code: ContractBytearray;
  readonly ctVersion: bigint;
  readonly fee: bigint;
  readonly ttl: bigint;
  readonly deposit: bigint;
  readonly amount: bigint;
  readonly gas: bigint;
  readonly gasPrice: bigint;
  readonly callData: ContractBytearray;
}

export const contractCreateTxV1 = defineObject<ContractCreateTx>('contract_create_tx', 1, {
  ownerId: id('account'),
  nonce: int,
  code: encoded('cb'),
  ctVersion: int,
  fee: int,
  ttl: int,
  deposit: int,
  amount: int,
  gas: int,
  gasPrice: int,
  callData: encoded('cb'),
});

/** `contract_call_tx` (tag 43) v1. */
export interface ContractCallTx {
  readonly tag: 'contract_call_tx';
  readonly version: 1;
  readonly callerId: AccountAddress;
  readonly nonce: bigint;
  readonly contractId: ContractAddress;
  readonly abiVersion: bigint;
  readonly fee: bigint;
  readonly ttl: bigint;
  readonly amount: bigint;
  readonly gas: bigint;
  readonly gasPrice: bigint;
  readonly callData: ContractBytearray;
}

export const contractCallTxV1 = defineObject<ContractCallTx>('contract_call_tx', 1, {
  callerId: id('account'),
  nonce: int,
  contractId: id('contract'),
  abiVersion: int,
  fee: int,
  ttl: int,
  amount: int,
  gas: int,
  gasPrice: int,
  callData: encoded('cb'),
});
