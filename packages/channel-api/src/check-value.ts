import { isEncoded } from '@aesc/encoding';
import type { ParamType } from './param-schema.js';

/** Whether `value` is a JSON integer (a safe `number` integer or a `bigint`). */
export function isJsonInteger(value: unknown): value is number | bigint {
  return typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value));
}

/** Whether `value` is an API-encoded string with one of `prefixes` (checksum and size included). */
export function isEncodedWith(value: unknown, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => isEncoded(value, p as Parameters<typeof isEncoded>[1]));
}

/** Whether `value` has the type `type`; returns the reason it does not, or undefined. */
export function checkValue(type: ParamType, value: unknown): string | undefined {
  switch (type.kind) {
    case 'integer':
      return isJsonInteger(value) ? undefined : 'is not an integer';
    case 'integer-like':
      return isJsonInteger(value) || (typeof value === 'string' && /^-?\d+$/.test(value))
        ? undefined
        : 'is not an integer';
    case 'string':
      return typeof value === 'string' ? undefined : 'is not a string';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'is not a boolean';
    case 'encoded':
      return isEncodedWith(value, type.prefixes)
        ? undefined
        : `is not a valid ${type.prefixes.map((p) => `${p}_`).join(' or ')} string`;
    case 'list': {
      if (!Array.isArray(value)) return 'is not a list';
      for (const [i, v] of value.entries()) {
        const r = checkValue(type.of, v);
        if (r) return `[${i}] ${r}`;
      }
      return undefined;
    }
    case 'enum':
      return typeof value === 'string' && type.values.includes(value)
        ? undefined
        : `is not one of ${type.values.join(', ')}`;
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? undefined : 'is not an object';
    case 'any':
      return undefined;
  }
}
