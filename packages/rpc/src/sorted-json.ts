import { JsonFloat } from './json-float.js';
import { writeJsonDeep } from './json-writer.js';
import { stringifyJson } from './lossless-json.js';

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Copies a JSON value with the keys of every object sorted, as the æternity node writes them (its
 * JSON encoder walks Erlang maps, which iterate in key order up to 32 keys).
 *
 * A JavaScript object lists integer-like keys (`"0"`, `"10"`) first, in numeric order, whatever
 * order they were set in, so `JSON.stringify` of the copy writes such keys before the others and
 * `"9"` before `"10"`, where the node writes `"10"`, `"9"`, then `"a"`. To write sorted JSON, use
 * {@link stringifySorted}, which writes every key in order.
 */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value instanceof JsonFloat) return value;
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    const v = value as Record<string, unknown>;
    for (const key of Object.keys(v).sort(compareKeys)) setOwn(out, key, sortKeysDeep(v[key]));
    return out;
  }
  return value;
}

/**
 * `o[key] = value`, but an own `__proto__` key (which JSON.parse makes of `{"__proto__":…}`) stays
 * an own property: assigned, it would set the copy's prototype and vanish from the JSON.
 */
function setOwn(o: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
  else o[key] = value;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** Up to this many keys an object's keys are sorted by insertion. */
const INSERTION_SORT_MAX = 16;
const MIN_SAFE = -MAX_SAFE;

/**
 * Sorts an object's keys in place, as `keys.sort(compareKeys)` would. A frame's objects have a few
 * keys each, often in order already: an insertion sort takes one pass over those and allocates
 * nothing, where `Array.prototype.sort` copies the array into a work area on every call. Objects
 * with more keys than {@link INSERTION_SORT_MAX} go to `Array.prototype.sort` (no quadratic case).
 */
function sortInPlace(keys: string[]): string[] {
  if (keys.length > INSERTION_SORT_MAX) return keys.sort(compareKeys);
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    if (keys[j]! <= key) continue;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

/** What {@link sortedCopy} met: whether plain `JSON.stringify` writes the copy as `stringifyJson` would. */
interface Scan {
  plain: boolean;
}

/**
 * How deep {@link sortedCopy} recurses before it gives up for {@link writeJsonDeep}: far deeper
 * than any frame the node writes (about 6 levels), far shallower than the stack (some 5,000
 * levels of this function; a client's frame may nest a million).
 */
const MAX_COPY_DEPTH = 256;

/**
 * Thrown by {@link sortedCopy} at {@link MAX_COPY_DEPTH}, or at an object whose keys a copy cannot
 * keep in order (see {@link keepsOrder}): the value is then written by {@link writeJsonDeep}.
 */
const WRITE_DEEP = Symbol('write without a copy');

/**
 * Whether an object with these keys (sorted) lists them in this order: a JavaScript object lists
 * its integer-like keys first, in numeric order, so sorted keys stay in order unless there are two
 * or more and one of them starts with a digit. A frame the node writes has no such key; a client's
 * request echoed in an error may.
 */
function keepsOrder(keys: readonly string[]): boolean {
  if (keys.length < 2) return true;
  for (const key of keys) {
    const c = key.charCodeAt(0);
    if (c >= 48 && c <= 57) return false;
  }
  return true;
}

/** {@link sortKeysDeep}, noting in `scan` any value plain `JSON.stringify` would write otherwise than `stringifyJson`. */
function sortedCopy(value: unknown, scan: Scan, depth: number): unknown {
  if (depth > MAX_COPY_DEPTH) throw WRITE_DEEP;
  if (Array.isArray(value)) return value.map((v) => sortedCopy(v, scan, depth + 1));
  switch (typeof value) {
    case 'object': {
      if (value === null) return value;
      if (value instanceof JsonFloat) {
        scan.plain = false;
        return value;
      }
      const out: Record<string, unknown> = {};
      const v = value as Record<string, unknown>;
      const keys = sortInPlace(Object.keys(v));
      if (!keepsOrder(keys)) throw WRITE_DEEP;
      for (const key of keys) setOwn(out, key, sortedCopy(v[key], scan, depth + 1));
      return out;
    }
    case 'string':
      if (value.charCodeAt(0) === 0) scan.plain = false; // may clash with stringifyJson's bigint tag
      return value;
    case 'bigint':
      // a bigint a double holds exactly is written with the same digits as that number
      if (value >= MIN_SAFE && value <= MAX_SAFE) return Number(value);
      scan.plain = false;
      return value;
    case 'function': // an own toJSON may return a bigint
      scan.plain = false;
      return value;
    default:
      return value;
  }
}

/**
 * JSON with the keys of every object sorted in code-unit order, as the node writes them, and
 * `bigint` written as a plain number (what `stringifyJson(sortKeysDeep(value))` writes, except that
 * integer-like keys keep their sorted place: see {@link sortKeysDeep}).
 *
 * The node writes every frame this way. `stringifyJson` has `JSON.stringify` call a replacer for
 * each value to find bigints; here the sorting copy writes those a double holds exactly (amounts in
 * updates) as numbers and notes any other, and a frame without one (nearly all of them) goes to
 * `JSON.stringify` without a replacer, which takes about half the time for a
 * `channels.sign.update` frame. A value the copy cannot hold in order (an object with two keys or
 * more, one of them integer-like) or nested deeper than a frame ever is (a client's request echoed
 * in an error) is written by `writeJsonDeep`, without recursion. The tests check on generated
 * values that both paths write the same.
 */
export function stringifySorted(value: unknown): string {
  const scan: Scan = { plain: true };
  let sorted: unknown;
  try {
    sorted = sortedCopy(value, scan, 0);
  } catch (e) {
    if (e !== WRITE_DEEP) throw e;
    // a client's request nested deeper than any frame, or with integer-like keys (echoed in an error)
    const text = writeJsonDeep(value, true);
    if (text === undefined) throw new TypeError('value is not serializable to JSON');
    return text;
  }
  return scan.plain && sorted !== undefined ? JSON.stringify(sorted) : stringifyJson(sorted);
}
