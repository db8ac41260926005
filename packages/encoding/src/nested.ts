import { AESC_ERROR__ENCODING__UNEXPECTED_TAG, AescError } from '@aesc/errors';
import { type Field, expectBinary, invalidValue } from './field.js';
import type { ChainObject } from './objects/index.js';
import { decodeObject, encodeObject, objectFromJson, objectToJson } from './registry.js';
import type { ObjectName } from './tags.js';

type Named<N extends ObjectName> = Extract<ChainObject, { readonly tag: N }>;

function checkName(obj: ChainObject, allowed: ReadonlySet<string> | undefined, path: string, describe: string): void {
  if (allowed !== undefined && !allowed.has(obj.tag)) {
    throw new AescError(AESC_ERROR__ENCODING__UNEXPECTED_TAG, { path, name: obj.tag, allowed: describe });
  }
}

/**
 * A binary field that holds a serialized chain object of one of the given types (any type if
 * none given), decoded into the typed object.
 */
export function nested<N extends ObjectName>(...names: N[]): Field<Named<N>> {
  const allowed = names.length > 0 ? new Set<string>(names) : undefined;
  const describe = names.length > 0 ? names.join('|') : 'any object';
  return {
    kind: `object(${describe})`,
    shape: { type: 'object', names, optional: false },
    encode(value, path) {
      if (typeof value !== 'object' || value === null) throw invalidValue(path, `expected ${describe}`);
      checkName(value, allowed, path, describe);
      return encodeObject(value, path);
    },
    decode(item, path) {
      const obj = decodeObject(expectBinary(item, path), path);
      checkName(obj, allowed, path, describe);
      return obj as Named<N>;
    },
    toJson: (value) => objectToJson(value),
    fromJson(json, path) {
      const obj = objectFromJson(json, path);
      checkName(obj, allowed, path, describe);
      return obj as Named<N>;
    },
  };
}

/** Like {@link nested}, but the empty binary stands for "none" (`null`). */
export function optionalNested<N extends ObjectName>(...names: N[]): Field<Named<N> | null> {
  const inner = nested(...names);
  return {
    kind: `${inner.kind}?`,
    shape: { type: 'object', names, optional: true },
    encode: (value, path) => (value === null ? new Uint8Array(0) : inner.encode(value, path)),
    decode(item, path) {
      const b = expectBinary(item, path);
      return b.length === 0 ? null : inner.decode(b, path);
    },
    toJson: (value) => (value === null ? null : inner.toJson(value)),
    fromJson: (json, path) => (json === null ? null : inner.fromJson(json, path)),
  };
}
