import { JsonFloat } from './json-float.js';

/** One open array or object while writing. */
interface Level {
  readonly holder: object;
  readonly keys: readonly string[] | undefined;
  readonly array: boolean;
  i: number;
  wrote: boolean;
}

const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Writes a value as JSON without recursion, so that no nesting depth can exhaust the stack:
 * `bigint` as its digits, a {@link JsonFloat} as a float, and, with `sortKeys`, every object's own
 * keys in code-unit order (as `stringifySorted` copies them). Otherwise as `JSON.stringify` writes
 * (toJSON, undefined and functions left out of objects and `null` in arrays, non-finite numbers as
 * `null`, a cycle a TypeError). Returns undefined for a top-level value JSON cannot hold.
 *
 * The fast writers (`stringifyJson`, `stringifySorted`) recurse; they hand a value nested too deep
 * for them to this one.
 */
export function writeJsonDeep(value: unknown, sortKeys: boolean): string | undefined {
  const out: string[] = [];
  const stack: Level[] = [];
  const open = new Set<object>();

  /** `holder[key]` as JSON.stringify sees it, after toJSON; undefined when it is left out. */
  const resolve = (key: string, v: unknown): unknown => {
    if (v instanceof JsonFloat) return v;
    if ((typeof v === 'object' && v !== null) || typeof v === 'bigint') {
      const toJSON = sortKeys
        ? typeof v === 'object' && Object.hasOwn(v as object, 'toJSON')
          ? (v as { toJSON?: unknown }).toJSON
          : undefined
        : (v as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return (toJSON as (k: string) => unknown).call(v, key);
    }
    return v;
  };

  /** Writes a scalar, or opens a container; false when the value is left out (undefined, a function, a symbol). */
  const write = (v: unknown): boolean => {
    if (v === null) out.push('null');
    else if (v instanceof JsonFloat) out.push(v.toString());
    else
      switch (typeof v) {
        case 'boolean':
          out.push(v ? 'true' : 'false');
          break;
        case 'number':
          out.push(Number.isFinite(v) ? JSON.stringify(v) : 'null');
          break;
        case 'bigint':
          out.push(v.toString());
          break;
        case 'string':
          out.push(JSON.stringify(v));
          break;
        case 'object': {
          const o = v as object;
          if (o instanceof Number || o instanceof String || o instanceof Boolean) return write(o.valueOf());
          if (open.has(o)) throw new TypeError('Converting circular structure to JSON');
          open.add(o);
          const array = Array.isArray(o);
          let keys: string[] | undefined;
          if (!array) {
            keys = Object.keys(o);
            if (sortKeys) keys.sort(compareKeys);
          }
          out.push(array ? '[' : '{');
          stack.push({ holder: o, keys, array, i: 0, wrote: false });
          break;
        }
        default:
          return false;
      }
    return true;
  };

  if (!write(resolve('', value))) return undefined;
  while (stack.length > 0) {
    const level = stack[stack.length - 1]!;
    const length = level.array ? (level.holder as unknown[]).length : level.keys!.length;
    if (level.i >= length) {
      out.push(level.array ? ']' : '}');
      open.delete(level.holder);
      stack.pop();
      continue;
    }
    const i = level.i++;
    if (level.array) {
      const v = resolve(String(i), (level.holder as unknown[])[i]);
      if (level.wrote) out.push(',');
      level.wrote = true;
      if (!write(v)) out.push('null');
    } else {
      const key = level.keys![i]!;
      const v = resolve(key, (level.holder as Record<string, unknown>)[key]);
      const at = out.length;
      out.push(`${level.wrote ? ',' : ''}${JSON.stringify(key)}:`);
      if (write(v)) level.wrote = true;
      else out.length = at;
    }
  }
  return out.join('');
}
