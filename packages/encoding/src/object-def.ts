import { AESC_ERROR__ENCODING__WRONG_FIELD_COUNT, AescError } from '@aesc/errors';
import { type Field, type FieldMap, type ValuesOf, at, invalidValue } from './field.js';
import { uintToBytes } from './integer.js';
import type { JsonValue } from './json-value.js';
import type { ObjectCodec } from './object-codec.js';
import type { RlpItem } from './rlp.js';
import { OBJECT_TAGS, type ObjectName } from './tags.js';

/**
 * The definition of one chain object at one version: its tag, and its fields in the node's
 * `serialization_template` order.
 */
export interface ObjectDef<N extends ObjectName = ObjectName, V extends number = number, F extends FieldMap = FieldMap> {
  readonly name: N;
  readonly tag: number;
  readonly version: V;
  readonly fields: F;
  readonly keys: readonly string[];
  /** The field codecs in template order (parallel to `keys`). */
  readonly codecs: readonly Field<unknown>[];
}

/** The plain typed object a definition decodes to: `tag` (the object name), `version` and the fields. */
export type ObjectOf<D> = D extends ObjectDef<infer N, infer V, infer F>
  ? { readonly tag: N; readonly version: V } & ValuesOf<F>
  : never;

/** The field codecs an object type needs: one per field, with the field's type. */
export type FieldsFor<T extends { readonly tag: ObjectName; readonly version: number }> = {
  readonly [K in Exclude<keyof T, 'tag' | 'version'>]: Field<T[K]>;
};

/**
 * Defines the codec of object type `T` (an interface with `tag`, `version` and the fields) from the
 * node's template: `fields` lists the field codecs in template order (names camelCased).
 */
export function defineObject<T extends { readonly tag: ObjectName; readonly version: number }>(
  name: T['tag'],
  version: T['version'],
  fields: FieldsFor<T>,
): ObjectDef<T['tag'], T['version'], FieldsFor<T> & FieldMap> {
  return Object.freeze({
    name,
    tag: OBJECT_TAGS[name],
    version,
    fields: fields as FieldsFor<T> & FieldMap,
    keys: Object.keys(fields),
    codecs: Object.values(fields) as Field<unknown>[],
  });
}

/**
 * The RLP list of an object: tag, version, then each field in template order. `objects` encodes the
 * chain objects its fields hold (see {@link ObjectCodec}).
 */
export function encodeFields(def: ObjectDef, value: Record<string, unknown>, path: string, objects: ObjectCodec): RlpItem[] {
  const out: RlpItem[] = [uintToBytes(BigInt(def.tag)), uintToBytes(BigInt(def.version))];
  const { keys, codecs } = def;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (!(key in value)) throw invalidValue(at(path, key), 'missing field');
    out.push(codecs[i]!.encode(value[key], at(path, key), objects));
  }
  return out;
}

/**
 * Decodes the fields of an object from its RLP list (whose tag and version were already checked);
 * `objects` decodes the chain objects its fields hold.
 */
export function decodeFields(def: ObjectDef, items: readonly RlpItem[], path: string, objects: ObjectCodec): Record<string, unknown> {
  const keys = def.keys;
  if (items.length !== keys.length + 2) {
    throw new AescError(AESC_ERROR__ENCODING__WRONG_FIELD_COUNT, {
      name: `${def.name} v${def.version}`,
      expected: keys.length,
      actual: items.length - 2,
    });
  }
  const codecs = def.codecs;
  // Built from an empty literal: a literal with properties is an allocation site V8 may start to
  // pretenure once many decoded objects stay alive, which makes every short-lived value they point
  // to survive young collections (measured: unpack throughput halves). See tooling/bench/README.md.
  const out: Record<string, unknown> = {};
  out.tag = def.name;
  out.version = def.version;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    out[key] = codecs[i]!.decode(items[i + 2]!, at(path, key), objects);
  }
  return out;
}

/** The JSON form of an object's fields (`objects` gives that of the chain objects they hold). */
export function fieldsToJson(def: ObjectDef, value: Record<string, unknown>, objects: ObjectCodec): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  out.tag = def.name;
  out.version = def.version;
  for (const key of def.keys) out[key] = def.fields[key]!.toJson(value[key], objects);
  return out;
}

/** Parses an object's fields from JSON (`objects` parses the chain objects they hold). */
export function fieldsFromJson(def: ObjectDef, json: Record<string, unknown>, path: string, objects: ObjectCodec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  out.tag = def.name;
  out.version = def.version;
  for (const key of def.keys) {
    if (!(key in json)) throw invalidValue(`${path}.${key}`, 'missing field');
    out[key] = def.fields[key]!.fromJson(json[key], `${path}.${key}`, objects);
  }
  for (const key of Object.keys(json)) {
    if (key !== 'tag' && key !== 'version' && !(key in def.fields)) throw invalidValue(`${path}.${key}`, 'unknown field');
  }
  return out;
}
