import { AESC_ERROR__RPC__MALFORMED_FRAME, AescError } from '@aesc/errors';
import { JsonFloat } from './json-float.js';
import { writeJsonDeep } from './json-writer.js';

/**
 * A JSON value as this package reads it: integers beyond 2^53 are `bigint`, and a number written
 * as a float whose value is whole (`1E2`, `1.0`) is a {@link JsonFloat}.
 */
export type JsonValue =
  | null
  | boolean
  | number
  | bigint
  | JsonFloat
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

// Big integers and whole-valued floats are swapped for tagged strings around the native
// JSON.parse/stringify, which are 5–13× faster than a JavaScript parser (see README). The tag holds
// 64 random bits drawn once per process: a string in a frame cannot be made to look like one.
let tagOnce: string | undefined;
function tag(): string {
  if (tagOnce === undefined) {
    const bytes = crypto.getRandomValues(new Uint8Array(8));
    tagOnce = `\u0000aesc-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}:`;
  }
  return tagOnce;
}

/** JSON's number grammar (RFC 8259): no leading zeros, no bare dot, no leading plus. */
const NUMBER_RE = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const INTEGER_RE = /^-?(?:0|[1-9]\d*)$/;

const malformed = (reason: string, cause?: unknown) =>
  new AescError(AESC_ERROR__RPC__MALFORMED_FRAME, { reason }, cause === undefined ? undefined : { cause });

/** A number literal to swap for a tagged string: `i` a big integer, `f` a whole-valued float. */
interface Mark {
  readonly start: number;
  readonly end: number;
  readonly kind: 'i' | 'f';
}

/**
 * Finds the number literals (in value position, outside strings) that a plain `number` would
 * misread: integers a double cannot hold, and floats whose value is whole. A literal that cannot
 * be a JSON number is left for JSON.parse to refuse; one that a double cannot hold at all
 * (`1e400`) is refused here, as the node's decoder refuses it.
 */
function findMarks(text: string): Mark[] {
  const found: Mark[] = [];
  const n = text.length;
  // Whether each open container is an object, and whether the next literal is a value.
  const inObject: boolean[] = [];
  let valuePosition = true;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i += 2;
        else if (d === 34) break;
        else i++;
      }
      i++;
      valuePosition = false;
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      const start = i;
      let float = false;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if ((d >= 48 && d <= 57) || d === 45) i++;
        else if (d === 46 || d === 101 || d === 69 || d === 43) {
          float = true;
          i++;
        } else break;
      }
      if (!valuePosition) continue; // a syntax error JSON.parse reports
      valuePosition = false;
      if (!float) {
        // (an integer of up to 15 digits is a safe number: the common case costs nothing more)
        if (i - start > 15) {
          const literal = text.slice(start, i);
          if (INTEGER_RE.test(literal) && !Number.isSafeInteger(Number(literal))) found.push({ start, end: i, kind: 'i' });
        }
        continue;
      }
      const literal = text.slice(start, i);
      if (NUMBER_RE.test(literal)) {
        const value = Number(literal);
        if (!Number.isFinite(value)) throw malformed(`the number ${literal.length > 40 ? `${literal.slice(0, 40)}…` : literal} is beyond a double`);
        if (Number.isInteger(value)) found.push({ start, end: i, kind: 'f' });
      }
    } else {
      if (c === 123 /* { */) {
        inObject.push(true);
        valuePosition = false;
      } else if (c === 91 /* [ */) {
        inObject.push(false);
        valuePosition = true;
      } else if (c === 125 /* } */ || c === 93 /* ] */) {
        inObject.pop();
        valuePosition = false;
      } else if (c === 58 /* : */) valuePosition = true;
      else if (c === 44 /* , */) valuePosition = inObject.length > 0 && !inObject[inObject.length - 1];
      else if (c !== 32 && c !== 9 && c !== 10 && c !== 13) valuePosition = false; // true, false, null, garbage
      i++;
    }
  }
  return found;
}

/** Replaces the tagged strings JSON.parse made of marked literals, walking the value without recursion. */
function revive(value: unknown, t: string): unknown {
  const of = (s: string): bigint | JsonFloat => (s.charCodeAt(t.length) === 105 /* i */ ? BigInt(s.slice(t.length + 1)) : new JsonFloat(Number(s.slice(t.length + 1))));
  const tagged = (v: unknown): v is string => typeof v === 'string' && v.startsWith(t);
  if (tagged(value)) return of(value);
  if (typeof value !== 'object' || value === null) return value;
  const stack: object[] = [value];
  while (stack.length > 0) {
    const o = stack.pop()!;
    if (Array.isArray(o)) {
      for (let k = 0; k < o.length; k++) {
        const v: unknown = o[k];
        if (tagged(v)) o[k] = of(v);
        else if (typeof v === 'object' && v !== null) stack.push(v);
      }
    } else {
      const rec = o as Record<string, unknown>;
      for (const k of Object.keys(rec)) {
        const v = rec[k];
        // (`__proto__` as an own key: defined, not assigned, which would set the prototype)
        if (tagged(v)) Object.defineProperty(rec, k, { value: of(v), writable: true, enumerable: true, configurable: true });
        else if (typeof v === 'object' && v !== null) stack.push(v);
      }
    }
  }
  return value;
}

/**
 * Parses JSON text losslessly: integers beyond `Number.MAX_SAFE_INTEGER` (request ids such as
 * `-576460752303423488`, large amounts) become `bigint`; a float literal with a whole value
 * (`1E2`, `2.0`) becomes a {@link JsonFloat}; every other number stays a `number`. Any nesting
 * depth is read. Invalid JSON, and a number a double cannot hold (`1e400`), throw
 * `AESC_ERROR__RPC__MALFORMED_FRAME`.
 *
 * @example
 * ```ts
 * parseJson('{"id":-576460752303423488}'); // { id: -576460752303423488n }
 * ```
 */
export function parseJson(text: string): JsonValue {
  const marks = findMarks(text);
  try {
    if (marks.length === 0) return JSON.parse(text) as JsonValue;
    const t = tag();
    let tagged = '';
    let last = 0;
    for (const { start, end, kind } of marks) {
      tagged += `${text.slice(last, start)}"\\u0000${t.slice(1)}${kind}${text.slice(start, end)}"`;
      last = end;
    }
    tagged += text.slice(last);
    return revive(JSON.parse(tagged), t) as JsonValue;
  } catch (e) {
    throw malformed(e instanceof Error ? e.message : String(e), e);
  }
}

/**
 * Serializes a value to JSON, writing `bigint` as a plain JSON number (`-576460752303423488`, not a
 * string) and a {@link JsonFloat} as a float, so a value read with {@link parseJson} is written
 * back with the same digits. Any nesting depth is written.
 *
 * @example
 * ```ts
 * stringifyJson({ id: -576460752303423488n }); // '{"id":-576460752303423488}'
 * ```
 */
export function stringifyJson(value: unknown): string {
  const t = tag();
  let special = false;
  let clash = false;
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'bigint' || v instanceof JsonFloat) {
        special = true;
        return `${t}${v.toString()}`;
      }
      if (typeof v === 'string' && v.startsWith(t)) clash = true;
      return v;
    });
  } catch (e) {
    // nested too deep for the native writer
    if (!(e instanceof RangeError)) throw e;
    clash = true;
  }
  if (clash) text = writeJsonDeep(value, false);
  if (text === undefined) throw new TypeError('value is not serializable to JSON');
  if (clash || !special) return text;
  const escaped = `"\\u0000${t.slice(1)}`;
  let out = '';
  let last = 0;
  for (let at = text.indexOf(escaped); at !== -1; at = text.indexOf(escaped, last)) {
    const end = text.indexOf('"', at + escaped.length);
    out += text.slice(last, at) + text.slice(at + escaped.length, end);
    last = end + 1;
  }
  return out + text.slice(last);
}
