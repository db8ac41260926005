import { AESC_ERROR__ENCODING__UNEXPECTED_TAG, AescError } from '@aesc/errors';
import { type Field, expectBinary, invalidValue } from './field.js';
import type { TaggedObject } from './object-codec.js';
import { rlpDecode, rlpEncode } from './rlp.js';

function checkName(obj: TaggedObject, allowed: ReadonlySet<string> | undefined, path: string, describe: string): void {
  if (allowed !== undefined && !allowed.has(obj.tag)) {
    throw new AescError(AESC_ERROR__ENCODING__UNEXPECTED_TAG, { path, name: obj.tag, allowed: describe });
  }
}

/**
 * A binary field that holds a serialized chain object of one of the given types (any type if none
 * given), decoded into the typed object. The field knows the objects only by name: their codecs
 * are the `objects` passed down with each call. `T` is the field's type, the object types those
 * names stand for; in a definition it comes from the object type (`payload: nested('signed_tx')`
 * in an object whose `payload` is a `SignedTx`), elsewhere give it (`nested<SignedTx>('signed_tx')`).
 */
export function nested<T extends TaggedObject>(...names: T['tag'][]): Field<T> {
  const allowed = names.length > 0 ? new Set<string>(names) : undefined;
  const describe = names.length > 0 ? names.join('|') : 'any object';
  return {
    kind: `object(${describe})`,
    shape: { type: 'object', names, optional: false },
    encode(value, path, objects) {
      if (typeof value !== 'object' || value === null) throw invalidValue(path, `expected ${describe}`);
      checkName(value, allowed, path, describe);
      return rlpEncode(objects.encodeItem(value, path));
    },
    decode(item, path, objects) {
      const obj = objects.decodeItem(rlpDecode(expectBinary(item, path)), path);
      checkName(obj, allowed, path, describe);
      return obj as T;
    },
    toJson: (value, objects) => objects.toJson(value),
    fromJson(json, path, objects) {
      const obj = objects.fromJson(json, path);
      checkName(obj, allowed, path, describe);
      return obj as T;
    },
  };
}

/** Like {@link nested}, but the empty binary stands for "none" (`null`). */
export function optionalNested<T extends TaggedObject>(...names: T['tag'][]): Field<T | null> {
  const inner = nested<T>(...names);
  return {
    kind: `${inner.kind}?`,
    shape: { type: 'object', names, optional: true },
    encode: (value, path, objects) => (value === null ? new Uint8Array(0) : inner.encode(value, path, objects)),
    decode(item, path, objects) {
      const b = expectBinary(item, path);
      return b.length === 0 ? null : inner.decode(b, path, objects);
    },
    toJson: (value, objects) => (value === null ? null : inner.toJson(value, objects)),
    fromJson: (json, path, objects) => (json === null ? null : inner.fromJson(json, path, objects)),
  };
}
