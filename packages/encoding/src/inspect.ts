import { AESC_ERROR__ENCODING__INVALID_VALUE, AescError } from '@aesc/errors';
import { decodeApiAny, encodeApi } from './api-encoding.js';
import { API_ENCODINGS, type ApiPrefix, type Encoded, isApiPrefix } from './api-prefixes.js';
import { fromHex, toHex } from './bytes.js';
import type { JsonValue } from './json-value.js';
import type { ChainObject } from './objects/chain-object.js';
import { decodeObject, encodeObject, objectFromJson, objectToJson } from './registry.js';

/** The JSON form of an API-encoded value, as `aesc inspect` prints it. */
export type InspectedJson = { readonly [key: string]: JsonValue };

/** Prefixes whose payload is a serialized chain object, and the object each one holds. */
const OBJECT_PREFIXES: Readonly<Partial<Record<ApiPrefix, string | undefined>>> = {
  tx: undefined, // any transaction, normally a signed_tx
  pi: 'trees_poi',
  ss: 'state_trees',
  cs: 'calls_mtree',
};

/** The API prefix a chain object is shown with: `pi_` for a PoI, `ss_` for state trees, `cs_` for a calls tree, else `tx_`. */
export function prefixOfObject(obj: Pick<ChainObject, 'tag'>): ApiPrefix {
  for (const [prefix, tag] of Object.entries(OBJECT_PREFIXES)) if (tag === obj.tag) return prefix as ApiPrefix;
  return 'tx';
}

/**
 * Decodes any API-encoded value into JSON: for `tx_`, `pi_`, `ss_` and `cs_` the chain object with
 * every field (nested objects decoded too, big integers as decimal strings); for any other prefix
 * `{ prefix, type, hex }`.
 */
export function inspectEncoded(value: string): InspectedJson {
  const { prefix, payload } = decodeApiAny(value);
  if (prefix in OBJECT_PREFIXES) {
    const obj = decodeObject(payload);
    const expected = OBJECT_PREFIXES[prefix];
    if (expected !== undefined && obj.tag !== expected) {
      throw new AescError(AESC_ERROR__ENCODING__INVALID_VALUE, {
        path: '$',
        reason: `${prefix}_ should hold a ${expected}, got ${obj.tag}`,
      });
    }
    return objectToJson(obj);
  }
  return { prefix, type: API_ENCODINGS[prefix].type, hex: toHex(payload) };
}

/** The inverse of {@link inspectEncoded}: the API-encoded string of an inspected value. */
export function encodeInspected(json: unknown): Encoded {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new AescError(AESC_ERROR__ENCODING__INVALID_VALUE, { path: '$', reason: 'expected a JSON object' });
  }
  const j = json as Record<string, unknown>;
  if (typeof j.tag === 'string') {
    const obj = objectFromJson(j);
    return encodeApi(prefixOfObject(obj), encodeObject(obj));
  }
  const { prefix, hex } = j;
  if (typeof prefix !== 'string' || !isApiPrefix(prefix) || typeof hex !== 'string') {
    throw new AescError(AESC_ERROR__ENCODING__INVALID_VALUE, {
      path: '$',
      reason: 'expected a chain object (with "tag") or { "prefix", "hex" }',
    });
  }
  const bytes = fromHex(hex);
  if (bytes === undefined) throw new AescError(AESC_ERROR__ENCODING__INVALID_VALUE, { path: '$.hex', reason: 'not hex' });
  return encodeApi(prefix, bytes);
}

/** Whether an API-encoded string's prefix holds a chain object (`tx_`, `pi_`, `ss_`, `cs_`). */
export function holdsObject(value: string): boolean {
  const { prefix } = decodeApiAny(value);
  return prefix in OBJECT_PREFIXES;
}
