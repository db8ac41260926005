import { AESC_ERROR__ENCODING__UNEXPECTED_TAG, AescError } from '@aesc/errors';
import { type Field, at, atIndex, bytes, expectBinary, expectList, invalidValue, list } from '../field.js';
import { bytesToUint } from '../integer.js';
import type { JsonValue } from '../json-value.js';
import { nested } from '../nested.js';
import type { ObjectCodec } from '../object-codec.js';
import { decodeFields, defineObject } from '../object-def.js';
import { rlpDecode, rlpEncode } from '../rlp.js';
import { OBJECT_TAGS } from '../tags.js';
import type { AccountV1, AccountV2, AccountV3 } from './account.js';
import type { ChannelV1, ChannelV2, ChannelV3 } from './channel.js';
import type { ContractCallV2, ContractCallV3, ContractV1, ContractV2 } from './contract.js';

// Layouts: aeu_mtrees:serialize/1, aec_trees:serialize_to_binary/1 and each tree's
// to_binary_without_backend/1 in the node.

/** A key-value entry of a serialized Merkle tree (tag 64) v1. */
export interface MtreeValue<V = Uint8Array> {
  readonly tag: 'mtree_value';
  readonly version: 1;
  readonly key: Uint8Array;
  readonly val: V;
}

/** A serialized Merkle tree (tag 63) v1: its entries in key order. */
export interface Mtree<V = Uint8Array> {
  readonly tag: 'mtree';
  readonly version: 1;
  readonly values: readonly MtreeValue<V>[];
}

export const mtreeValueV1 = defineObject<MtreeValue>('mtree_value', 1, { key: bytes, val: bytes });
export const mtreeV1 = defineObject<Mtree>('mtree', 1, { values: list(nested('mtree_value')) });

function checkHeader(items: readonly unknown[], tag: number, name: string, path: string): void {
  const t = items[0] instanceof Uint8Array ? bytesToUint(items[0]) : undefined;
  const v = items[1] instanceof Uint8Array ? bytesToUint(items[1]) : undefined;
  if (t !== BigInt(tag) || v !== 1n) {
    throw new AescError(AESC_ERROR__ENCODING__UNEXPECTED_TAG, { path, name: `tag ${t} v${v}`, allowed: `${name} v1` });
  }
}

/**
 * A binary field holding a serialized `mtree` whose values are typed by `valFor(key)` (an account,
 * a contract, a call, … depending on the tree and the key).
 */
function typedMtree<V>(kind: string, valFor: (key: Uint8Array) => Field<V>): Field<Mtree<V>> {
  const entry = (key: Uint8Array, val: V, path: string, objects: ObjectCodec) =>
    rlpEncode([Uint8Array.of(OBJECT_TAGS.mtree_value), Uint8Array.of(1), key, valFor(key).encode(val, at(path, 'val'), objects)]);
  return {
    kind: `mtree(${kind})`,
    shape: { type: 'mtree', valueFor: valFor as (key: Uint8Array) => Field<unknown> },
    encode(value, path, objects) {
      if (typeof value !== 'object' || value === null || !Array.isArray(value.values)) {
        throw invalidValue(path, 'expected an mtree');
      }
      return rlpEncode([
        Uint8Array.of(OBJECT_TAGS.mtree),
        Uint8Array.of(1),
        value.values.map((v, i) => {
          if (!(v.key instanceof Uint8Array)) throw invalidValue(at(atIndex(at(path, 'values'), i), 'key'), 'expected bytes');
          return entry(v.key, v.val, atIndex(at(path, 'values'), i), objects);
        }),
      ]);
    },
    decode(item, path, objects) {
      const items = expectList(rlpDecode(expectBinary(item, path)), path);
      checkHeader(items, OBJECT_TAGS.mtree, 'mtree', path);
      if (items.length !== 3) throw invalidValue(path, 'mtree has one field');
      const values = expectList(items[2]!, at(path, 'values')).map((raw, i) => {
        const p = atIndex(at(path, 'values'), i);
        const fields = expectList(rlpDecode(expectBinary(raw, p)), p);
        checkHeader(fields, OBJECT_TAGS.mtree_value, 'mtree_value', p);
        const decoded = decodeFields(mtreeValueV1, fields, p, objects) as unknown as MtreeValue;
        return { ...decoded, val: valFor(decoded.key).decode(decoded.val, at(p, 'val'), objects) };
      });
      return { tag: 'mtree', version: 1, values };
    },
    toJson(value, objects) {
      return {
        tag: 'mtree',
        version: 1,
        values: value.values.map((v) => ({
          tag: 'mtree_value',
          version: 1,
          key: bytes.toJson(v.key, objects),
          val: valFor(v.key).toJson(v.val, objects),
        })),
      } as JsonValue;
    },
    fromJson(json, path, objects) {
      const j = json as { values?: unknown };
      if (typeof json !== 'object' || json === null || !Array.isArray(j.values)) throw invalidValue(path, 'expected an mtree');
      const values = j.values.map((v: unknown, i: number) => {
        const p = `${path}.values[${i}]`;
        const e = v as { key?: unknown; val?: unknown };
        const key = bytes.fromJson(e?.key, `${p}.key`, objects);
        return { tag: 'mtree_value', version: 1, key, val: valFor(key).fromJson(e?.val, `${p}.val`, objects) } as const;
      });
      return { tag: 'mtree', version: 1, values };
    },
  };
}

/** An account entry's value in the accounts tree. */
export type AccountObject = AccountV1 | AccountV2 | AccountV3;
/** A contract entry's value in the contracts tree: the contract (32-byte key) or a raw store value. */
export type ContractsTreeValue = ContractV1 | ContractV2 | Uint8Array;
/** A call entry's value in the calls tree. */
export type ContractCallObject = ContractCallV2 | ContractCallV3;
/** A channel entry's value in the channels tree. */
export type ChannelObject = ChannelV1 | ChannelV2 | ChannelV3;

const accountVal = nested<AccountObject>('account');
const contractVal = nested<ContractV1 | ContractV2>('contract');
const callVal = nested<ContractCallObject>('contract_call');
const channelVal = nested<ChannelObject>('channel');

/** Contracts tree wrapper (tag 621) v1. */
export interface ContractsMtree {
  readonly tag: 'contracts_mtree';
  readonly version: 1;
  readonly contracts: Mtree<ContractsTreeValue>;
}
/** Calls tree wrapper (tag 622) v1. */
export interface CallsMtree {
  readonly tag: 'calls_mtree';
  readonly version: 1;
  readonly calls: Mtree<ContractCallObject>;
}
/** Channels tree wrapper (tag 623) v1. */
export interface ChannelsMtree {
  readonly tag: 'channels_mtree';
  readonly version: 1;
  readonly channels: Mtree<ChannelObject>;
}
/** Name service tree wrapper (tag 624) v1 (values kept as bytes). */
export interface NameserviceMtree {
  readonly tag: 'nameservice_mtree';
  readonly version: 1;
  readonly mtree: Mtree;
}
/** Oracles tree wrapper (tag 625) v1 (values kept as bytes). */
export interface OraclesMtree {
  readonly tag: 'oracles_mtree';
  readonly version: 1;
  readonly otree: Mtree;
}
/** Accounts tree wrapper (tag 626) v1. */
export interface AccountsMtree {
  readonly tag: 'accounts_mtree';
  readonly version: 1;
  readonly accounts: Mtree<AccountObject>;
}

export const contractsMtreeV1 = defineObject<ContractsMtree>('contracts_mtree', 1, {
  contracts: typedMtree<ContractsTreeValue>('contract', (key) =>
    key.length === 32 ? (contractVal as Field<ContractsTreeValue>) : (bytes as Field<ContractsTreeValue>),
  ),
});
export const callsMtreeV1 = defineObject<CallsMtree>('calls_mtree', 1, { calls: typedMtree('contract_call', () => callVal) });
export const channelsMtreeV1 = defineObject<ChannelsMtree>('channels_mtree', 1, {
  channels: typedMtree('channel', () => channelVal),
});
export const nameserviceMtreeV1 = defineObject<NameserviceMtree>('nameservice_mtree', 1, {
  mtree: typedMtree('binary', () => bytes),
});
export const oraclesMtreeV1 = defineObject<OraclesMtree>('oracles_mtree', 1, { otree: typedMtree('binary', () => bytes) });
export const accountsMtreeV1 = defineObject<AccountsMtree>('accounts_mtree', 1, {
  accounts: typedMtree('account', () => accountVal),
});

/** The state trees object (tag 62) **v0**, as `channels.get.offchain_state` returns it (`ss_…`). */
export interface StateTrees {
  readonly tag: 'state_trees';
  readonly version: 0;
  readonly contracts: ContractsMtree;
  readonly calls: CallsMtree;
  readonly channels: ChannelsMtree;
  readonly ns: NameserviceMtree;
  readonly oracles: OraclesMtree;
  readonly accounts: AccountsMtree;
}

export const stateTreesV0 = defineObject<StateTrees>('state_trees', 0, {
  contracts: nested('contracts_mtree'),
  calls: nested('calls_mtree'),
  channels: nested('channels_mtree'),
  ns: nested('nameservice_mtree'),
  oracles: nested('oracles_mtree'),
  accounts: nested('accounts_mtree'),
});

