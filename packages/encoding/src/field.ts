import {
  AESC_ERROR__ENCODING__INVALID_FIELD,
  AESC_ERROR__ENCODING__INVALID_VALUE,
  AESC_ERROR__ENCODING__NON_CANONICAL_INTEGER,
  AescError,
  isAescError,
} from '@aesc/errors';
import { decodeApi, encodeApi } from './api-encoding.js';
import { API_ENCODINGS, type ApiPrefix, type Encoded } from './api-prefixes.js';
import { type Id, type IdKind, ID_PREFIXES, deserializeId, idKindOf, serializeId } from './id.js';
import { bytesToUint, uintToBytes } from './integer.js';
import type { JsonValue } from './json-value.js';
import type { ObjectCodec } from './object-codec.js';
import type { RlpItem } from './rlp.js';

/**
 * A field codec: how one field of a chain object maps between its typed value, its RLP item and
 * its JSON form. Codecs compose (lists, records, nested objects). Each call gets `objects`, the
 * codec of whole chain objects that a field holding a nested object hands it to (see
 * {@link ObjectCodec}); composite fields pass it on, the others ignore it.
 */
export interface Field<T> {
  /** A short description of the field type, for docs and errors. */
  readonly kind: string;
  /** The field's structure, for tools that walk definitions (generators, docs). */
  readonly shape: FieldShape;
  encode(value: T, path: string, objects: ObjectCodec): RlpItem;
  decode(item: RlpItem, path: string, objects: ObjectCodec): T;
  toJson(value: T, objects: ObjectCodec): JsonValue;
  fromJson(json: unknown, path: string, objects: ObjectCodec): T;
}

/** The structure of a field codec. */
export type FieldShape =
  | { readonly type: 'int' }
  | { readonly type: 'bool' }
  | { readonly type: 'bytes' }
  | { readonly type: 'encoded'; readonly prefix: ApiPrefix }
  | { readonly type: 'raw-encoded'; readonly prefix: ApiPrefix }
  | { readonly type: 'id'; readonly kinds: readonly IdKind[] }
  | { readonly type: 'list'; readonly item: Field<unknown> }
  | { readonly type: 'record'; readonly fields: FieldMap }
  | { readonly type: 'object'; readonly names: readonly string[]; readonly optional: boolean }
  | { readonly type: 'zero-or-one'; readonly item: Field<unknown> }
  | { readonly type: 'mtree'; readonly valueFor: (key: Uint8Array) => Field<unknown> };

/** The typed value of a field codec. */
export type FieldValue<F> = F extends Field<infer T> ? T : never;

/**
 * The path of a child value, for error messages. Codecs decode first with paths off (`''`, the fast
 * path, which builds no strings); only when that fails does the caller decode again with paths on
 * to report where.
 */
export function at(path: string, key: string): string {
  return path === '' ? '' : `${path}.${key}`;
}

/** The path of a list item, for error messages (see {@link at}). */
export function atIndex(path: string, index: number): string {
  return path === '' ? '' : `${path}[${index}]`;
}

export function invalidField(path: string, reason: string): AescError {
  return new AescError(AESC_ERROR__ENCODING__INVALID_FIELD, { path, reason });
}

export function invalidValue(path: string, reason: string): AescError {
  return new AescError(AESC_ERROR__ENCODING__INVALID_VALUE, { path, reason });
}

export function expectBinary(item: RlpItem, path: string): Uint8Array {
  if (!(item instanceof Uint8Array)) throw invalidField(path, 'expected a byte string, got a list');
  return item;
}

export function expectList(item: RlpItem, path: string): readonly RlpItem[] {
  if (item instanceof Uint8Array) throw invalidField(path, 'expected a list, got a byte string');
  return item;
}

/** Unsigned integer of any size, as bigint (`int` in the node's templates). */
export const int: Field<bigint> = {
  kind: 'int',
  shape: { type: 'int' },
  encode(value, path) {
    if (typeof value !== 'bigint' || value < 0n) throw invalidValue(path, 'expected a non-negative bigint');
    return uintToBytes(value);
  },
  decode(item, path) {
    const value = bytesToUint(expectBinary(item, path));
    if (value === undefined) throw new AescError(AESC_ERROR__ENCODING__NON_CANONICAL_INTEGER, { path });
    return value;
  },
  toJson: (value) => value.toString(),
  fromJson(json, path) {
    if (typeof json === 'bigint' && json >= 0n) return json;
    if (typeof json === 'number' && Number.isSafeInteger(json) && json >= 0) return BigInt(json);
    if (typeof json === 'string' && /^(0|[1-9][0-9]*)$/.test(json)) return BigInt(json);
    throw invalidValue(path, 'expected a non-negative integer (a decimal string for big values)');
  },
};

/** Boolean as one byte, 1 or 0 (`bool`). */
export const bool: Field<boolean> = {
  kind: 'bool',
  shape: { type: 'bool' },
  encode(value, path) {
    if (typeof value !== 'boolean') throw invalidValue(path, 'expected a boolean');
    return Uint8Array.of(value ? 1 : 0);
  },
  decode(item, path) {
    const b = expectBinary(item, path);
    if (b.length === 1 && (b[0] === 0 || b[0] === 1)) return b[0] === 1;
    throw invalidField(path, 'expected a boolean byte (0 or 1)');
  },
  toJson: (value) => value,
  fromJson(json, path) {
    if (typeof json !== 'boolean') throw invalidValue(path, 'expected a boolean');
    return json;
  },
};

/** Raw bytes (`binary`) with no API type of their own; JSON shows them as `ba_…`. */
export const bytes: Field<Uint8Array> = {
  kind: 'binary',
  shape: { type: 'bytes' },
  encode(value, path) {
    if (!(value instanceof Uint8Array)) throw invalidValue(path, 'expected a Uint8Array');
    return value;
  },
  decode: (item, path) => expectBinary(item, path),
  toJson: (value) => encodeApi('ba', value),
  fromJson(json, path) {
    if (typeof json !== 'string') throw invalidValue(path, 'expected a ba_ string');
    return rethrowAsValue(path, () => decodeApi(json, 'ba'));
  },
};

function rethrowAsValue<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (isAescError(e)) throw invalidValue(path, e.message);
    throw e;
  }
}

/** A binary field shown as an API-encoded string with the given prefix (`st_` state hashes, `cb_` code, …). */
export function encoded<P extends ApiPrefix>(prefix: P): Field<Encoded<P>> {
  const size = API_ENCODINGS[prefix].size as number | undefined;
  return {
    kind: `binary(${prefix}_)`,
    shape: { type: 'encoded', prefix },
    encode(value, path) {
      if (typeof value !== 'string') throw invalidValue(path, `expected a ${prefix}_ string`);
      return rethrowAsValue(path, () => decodeApi(value, prefix));
    },
    decode(item, path) {
      const b = expectBinary(item, path);
      if (size !== undefined && b.length !== size) {
        throw invalidField(path, `expected ${size} bytes for ${prefix}_, got ${b.length}`);
      }
      return encodeApi(prefix, b);
    },
    toJson: (value) => value,
    fromJson(json, path) {
      if (typeof json !== 'string') throw invalidValue(path, `expected a ${prefix}_ string`);
      rethrowAsValue(path, () => decodeApi(json, prefix));
      return json as Encoded<P>;
    },
  };
}

/**
 * A binary field kept as bytes in the typed object but shown in JSON with an API prefix — for
 * signatures (`sg_`), which callers verify as bytes, so decoding skips building their strings.
 */
export function rawEncoded(prefix: ApiPrefix): Field<Uint8Array> {
  const size = API_ENCODINGS[prefix].size as number | undefined;
  return {
    kind: `binary(${prefix}_ as bytes)`,
    shape: { type: 'raw-encoded', prefix },
    encode(value, path) {
      if (!(value instanceof Uint8Array)) throw invalidValue(path, 'expected a Uint8Array');
      if (size !== undefined && value.length !== size) throw invalidValue(path, `expected ${size} bytes`);
      return value;
    },
    decode(item, path) {
      const b = expectBinary(item, path);
      if (size !== undefined && b.length !== size) {
        throw invalidField(path, `expected ${size} bytes for ${prefix}_, got ${b.length}`);
      }
      return b;
    },
    toJson: (value) => encodeApi(prefix, value),
    fromJson(json, path) {
      if (typeof json !== 'string') throw invalidValue(path, `expected a ${prefix}_ string`);
      return rethrowAsValue(path, () => decodeApi(json, prefix));
    },
  };
}

/** An id (`id`): 33 bytes, tag and hash; shown as `ak_…`, `ct_…`, … Only the given kinds are accepted. */
export function id<K extends IdKind>(...kinds: K[]): Field<Id<K>> {
  const allowed = new Set<IdKind>(kinds);
  const describe = kinds.map((k) => `${ID_PREFIXES[k]}_`).join('|');
  const check = (kind: IdKind | undefined, path: string, err: (p: string, r: string) => AescError) => {
    if (kind === undefined || !allowed.has(kind)) throw err(path, `expected an id of kind ${describe}`);
  };
  return {
    kind: `id(${describe})`,
    shape: { type: 'id', kinds },
    encode(value, path) {
      const b = serializeId(value, path);
      check(idKindOf(b), path, invalidValue);
      return b;
    },
    decode(item, path) {
      const b = expectBinary(item, path);
      const value = deserializeId(b, path);
      check(idKindOf(b), path, invalidField);
      return value as Id<K>;
    },
    toJson: (value) => value,
    fromJson(json, path) {
      if (typeof json !== 'string') throw invalidValue(path, `expected an id string (${describe})`);
      check(idKindOf(serializeId(json, path)), path, invalidValue);
      return json as Id<K>;
    },
  };
}

/** A list of any length of one item type (`[type]`). */
export function list<T>(item: Field<T>): Field<readonly T[]> {
  return {
    kind: `[${item.kind}]`,
    shape: { type: 'list', item: item as Field<unknown> },
    encode(value, path, objects) {
      if (!Array.isArray(value)) throw invalidValue(path, 'expected an array');
      return value.map((v, i) => item.encode(v, atIndex(path, i), objects));
    },
    decode(rlp, path, objects) {
      return expectList(rlp, path).map((v, i) => item.decode(v, atIndex(path, i), objects));
    },
    toJson: (value, objects) => value.map((v) => item.toJson(v, objects)),
    fromJson(json, path, objects) {
      if (!Array.isArray(json)) throw invalidValue(path, 'expected an array');
      return json.map((v, i) => item.fromJson(v, `${path}[${i}]`, objects));
    },
  };
}

/** A map of field name to field codec. */
// biome-ignore lint/suspicious/noExplicitAny: a map of codecs of any value type
export type FieldMap = Readonly<Record<string, Field<any>>>;

/** The typed value of a field map. */
export type ValuesOf<F extends FieldMap> = { readonly [K in keyof F]: FieldValue<F[K]> };

/** A fixed-size tuple with named positions (a tuple or `#{items}` in the node's templates), encoded as a list. */
export function record<F extends FieldMap>(fields: F): Field<ValuesOf<F>> {
  const keys = Object.keys(fields);
  const codecs = keys.map((k) => fields[k]!);
  return {
    kind: `{${keys.map((k, i) => `${k}: ${codecs[i]!.kind}`).join(', ')}}`,
    shape: { type: 'record', fields },
    encode(value, path, objects) {
      if (typeof value !== 'object' || value === null) throw invalidValue(path, 'expected an object');
      const v = value as Record<string, unknown>;
      return keys.map((k, i) => codecs[i]!.encode(v[k], at(path, k), objects));
    },
    decode(rlp, path, objects) {
      const items = expectList(rlp, path);
      if (items.length !== keys.length) {
        throw invalidField(path, `expected a tuple of ${keys.length} items, got ${items.length}`);
      }
      const out: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) out[keys[i]!] = codecs[i]!.decode(items[i]!, at(path, keys[i]!), objects);
      return out as ValuesOf<F>;
    },
    toJson(value, objects) {
      const out: Record<string, JsonValue> = {};
      const v = value as Record<string, unknown>;
      for (let i = 0; i < keys.length; i++) out[keys[i]!] = codecs[i]!.toJson(v[keys[i]!], objects);
      return out;
    },
    fromJson(json, path, objects) {
      if (typeof json !== 'object' || json === null || Array.isArray(json)) throw invalidValue(path, 'expected an object');
      const j = json as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) out[keys[i]!] = codecs[i]!.fromJson(j[keys[i]!], `${path}.${keys[i]}`, objects);
      return out as ValuesOf<F>;
    },
  };
}

