import {
  AESC_ERROR__ENCODING__DUPLICATE_DEFINITION,
  AESC_ERROR__ENCODING__INVALID_VALUE,
  AESC_ERROR__ENCODING__UNKNOWN_TAG,
  AESC_ERROR__ENCODING__UNKNOWN_VERSION,
  AESC_ERROR__ENCODING__UNSUPPORTED_OBJECT,
  AescError,
  isAescError,
} from '@aesc/errors';
import { at, expectBinary, expectList, invalidValue } from './field.js';
import { bytesToUint } from './integer.js';
import type { ObjectCodec, TaggedObject } from './object-codec.js';
import { type ObjectDef, decodeFields, encodeFields, fieldsFromJson, fieldsToJson } from './object-def.js';
import type { RlpItem } from './rlp.js';
import { OBJECT_TAGS, type ObjectName, objectNameOf } from './tags.js';

/**
 * A set of object definitions, by tag and version, and the codec of whole objects over them: an
 * object's fields are coded by its definition, and the objects they hold by the same registry
 * (passed down to every field). Plain and frozen; make one with {@link createObjectRegistry}.
 */
export interface ObjectRegistry extends ObjectCodec {
  /** The definition of `name` at `version`, or undefined when the registry has none. */
  def(name: ObjectName, version: number): ObjectDef | undefined;
  /** The versions of `name` the registry has, ascending. */
  versions(name: ObjectName): number[];
  /** The definition for a decoded RLP list's tag and version (a coded error if it has none). */
  defOfItems(items: readonly RlpItem[], path: string): ObjectDef;
}

/**
 * Runs `f` with paths off (`''`: no path strings built, the fast path); if it fails with a coded
 * error, runs it again with paths on so that the error says where.
 */
export function withErrorPath<T>(path: string, f: (path: string) => T): T {
  if (path === '') return f('');
  try {
    return f('');
  } catch (e) {
    if (!isAescError(e)) throw e;
    f(path);
    throw e;
  }
}

function smallInt(item: RlpItem, path: string): number {
  const value = bytesToUint(expectBinary(item, path));
  if (value === undefined || value > 0xffffffffn) {
    throw new AescError(AESC_ERROR__ENCODING__UNKNOWN_TAG, { tag: -1 });
  }
  return Number(value);
}

/**
 * A registry of the given definitions. Two definitions of the same object and version are refused
 * (`AESC_ERROR__ENCODING__DUPLICATE_DEFINITION`): which one would decode is not for the order of a
 * list to decide.
 */
export function createObjectRegistry(defs: readonly ObjectDef[]): ObjectRegistry {
  const byTag = new Map<number, Map<number, ObjectDef>>();
  for (const def of defs) {
    const versions = byTag.get(def.tag) ?? new Map<number, ObjectDef>();
    if (versions.has(def.version)) {
      throw new AescError(AESC_ERROR__ENCODING__DUPLICATE_DEFINITION, { name: def.name, version: def.version });
    }
    versions.set(def.version, def);
    byTag.set(def.tag, versions);
  }

  const defOfItems = (items: readonly RlpItem[], path: string): ObjectDef => {
    if (items.length < 2) throw invalidValue(path, 'an object needs at least a tag and a version');
    const tag = smallInt(items[0]!, at(path, 'tag'));
    const version = smallInt(items[1]!, at(path, 'version'));
    const name = objectNameOf(tag);
    if (name === undefined) throw new AescError(AESC_ERROR__ENCODING__UNKNOWN_TAG, { tag });
    const versions = byTag.get(tag);
    if (versions === undefined) throw new AescError(AESC_ERROR__ENCODING__UNSUPPORTED_OBJECT, { tag, name });
    const def = versions.get(version);
    if (def === undefined) throw new AescError(AESC_ERROR__ENCODING__UNKNOWN_VERSION, { tag, name, version });
    return def;
  };

  const defOfValue = (value: unknown, path: string): ObjectDef => {
    if (typeof value !== 'object' || value === null) throw invalidValue(path, 'expected a chain object');
    const { tag, version } = value as { tag?: unknown; version?: unknown };
    if (typeof tag !== 'string' || !Object.hasOwn(OBJECT_TAGS, tag)) {
      throw new AescError(AESC_ERROR__ENCODING__INVALID_VALUE, { path: `${path}.tag`, reason: `unknown object name ${String(tag)}` });
    }
    const name = tag as ObjectName;
    const versions = byTag.get(OBJECT_TAGS[name]);
    if (versions === undefined) throw new AescError(AESC_ERROR__ENCODING__UNSUPPORTED_OBJECT, { tag: OBJECT_TAGS[name], name });
    const def = typeof version === 'number' ? versions.get(version) : undefined;
    if (def === undefined) {
      throw new AescError(AESC_ERROR__ENCODING__UNKNOWN_VERSION, { tag: OBJECT_TAGS[name], name, version: Number(version) });
    }
    return def;
  };

  const registry: ObjectRegistry = Object.freeze({
    def: (name: ObjectName, version: number) => byTag.get(OBJECT_TAGS[name])?.get(version),
    versions: (name: ObjectName) => [...(byTag.get(OBJECT_TAGS[name])?.keys() ?? [])].sort((a, b) => a - b),
    defOfItems,
    encodeItem: (value: TaggedObject, path: string): RlpItem =>
      encodeFields(defOfValue(value, path), value as unknown as Record<string, unknown>, path, registry),
    decodeItem(item: RlpItem, path: string): TaggedObject {
      const items = expectList(item, path);
      return decodeFields(defOfItems(items, path), items, path, registry) as unknown as TaggedObject;
    },
    toJson: (value: TaggedObject) => fieldsToJson(defOfValue(value, '$'), value as unknown as Record<string, unknown>, registry),
    fromJson: (json: unknown, path: string): TaggedObject =>
      fieldsFromJson(defOfValue(json, path), json as Record<string, unknown>, path, registry) as unknown as TaggedObject,
  });
  return registry;
}
