import {
  AESC_ERROR__ENCODING__BAD_CHECKSUM,
  AESC_ERROR__ENCODING__MALFORMED_ENCODED_STRING,
  AESC_ERROR__ENCODING__UNEXPECTED_PREFIX,
  AESC_ERROR__ENCODING__UNKNOWN_PREFIX,
  AESC_ERROR__ENCODING__WRONG_PAYLOAD_SIZE,
  AescError,
} from '@aesc/errors';
import { base58Decode, base58Encode } from './base58.js';
import { base64Decode, base64Encode } from './base64.js';
import { decodedInMemo, encodedInMemo, encodingKey, rememberDecoding, rememberEncoding } from './api-memo.js';
import { API_ENCODINGS, type ApiPrefix, type DecodedApi, type Encoded, isApiPrefix } from './api-prefixes.js';
import { appendUint32 } from './bytes.js';
import { checksum32 } from './sha256.js';

/** Prefixes whose values are secrets: never kept in the memos, never echoed in an error. */
const SECRET_PREFIXES: ReadonlySet<string> = new Set<ApiPrefix>(['sk']);

/**
 * What an error may show of a value that did not decode: its first 16 characters when it starts
 * with a public prefix (enough to tell which value it was), otherwise only its length. A malformed
 * value may be a secret key, with or without its `sk_` prefix (hex, base64, a typo'd prefix), and
 * errors end up in logs.
 */
function preview(value: unknown): string {
  if (typeof value !== 'string') return `<${value === null ? 'null' : typeof value}>`;
  const prefix = value.slice(0, 2);
  return value[2] === '_' && isApiPrefix(prefix) && !SECRET_PREFIXES.has(prefix) ? value.slice(0, 16) : `<${value.length} characters>`;
}

/**
 * Encodes bytes with the prefix's encoding (base58check or base64check: payload followed by the
 * first 4 bytes of sha256(sha256(payload))).
 */
export function encodeApi<P extends ApiPrefix>(prefix: P, payload: Uint8Array): Encoded<P> {
  const spec = API_ENCODINGS[prefix];
  if (spec.size !== undefined && payload.length !== spec.size) {
    throw new AescError(AESC_ERROR__ENCODING__WRONG_PAYLOAD_SIZE, {
      prefix,
      expected: spec.size,
      actual: payload.length,
    });
  }
  const key = spec.size !== undefined && !SECRET_PREFIXES.has(prefix) ? encodingKey(prefix, payload) : undefined;
  const known = key !== undefined ? encodedInMemo(key, prefix, payload) : undefined;
  if (known !== undefined) return known as Encoded<P>;
  const data = appendUint32(payload, checksum32(payload));
  const text = spec.encoding === 'base58' ? base58Encode(data) : base64Encode(data);
  const out = `${prefix}_${text}` as Encoded<P>;
  // what is encoded here is often decoded again soon (a hash an object carries as text, when the object is encoded)
  if (key !== undefined) rememberEncoding(key, prefix, payload, out);
  return out;
}

/** Splits and checks an API-encoded string of any known prefix. */
export function decodeApiAny(value: string): DecodedApi {
  const known = typeof value === 'string' ? decodedInMemo(value) : undefined;
  if (known !== undefined) return { prefix: known.prefix, payload: known.payload.slice() };
  const result = decodeUncached(value);
  if (!SECRET_PREFIXES.has(result.prefix)) rememberDecoding(value, result, API_ENCODINGS[result.prefix].size !== undefined);
  return result;
}

function decodeUncached(value: string): DecodedApi {
  if (typeof value !== 'string') {
    throw new AescError(AESC_ERROR__ENCODING__MALFORMED_ENCODED_STRING, {
      value: preview(value),
      reason: 'not a string',
    });
  }
  if (value.length < 3 || value[2] !== '_') {
    throw new AescError(AESC_ERROR__ENCODING__MALFORMED_ENCODED_STRING, {
      value: preview(value),
      reason: 'expected a two-letter prefix followed by "_"',
    });
  }
  const prefix = value.slice(0, 2);
  if (!isApiPrefix(prefix)) throw new AescError(AESC_ERROR__ENCODING__UNKNOWN_PREFIX, { prefix });
  const spec = API_ENCODINGS[prefix];
  const text = value.slice(3);
  const data = spec.encoding === 'base58' ? base58Decode(text) : base64Decode(text);
  if (data === undefined) {
    throw new AescError(AESC_ERROR__ENCODING__MALFORMED_ENCODED_STRING, {
      value: preview(value),
      reason: `not valid ${spec.encoding}`,
    });
  }
  if (data.length < 4) {
    throw new AescError(AESC_ERROR__ENCODING__MALFORMED_ENCODED_STRING, {
      value: preview(value),
      reason: 'too short to hold a checksum',
    });
  }
  const payload = data.subarray(0, data.length - 4);
  const n = payload.length;
  const given = ((data[n]! << 24) | (data[n + 1]! << 16) | (data[n + 2]! << 8) | data[n + 3]!) >>> 0;
  if (checksum32(payload) !== given) throw new AescError(AESC_ERROR__ENCODING__BAD_CHECKSUM, { prefix });
  if (spec.size !== undefined && payload.length !== spec.size) {
    throw new AescError(AESC_ERROR__ENCODING__WRONG_PAYLOAD_SIZE, {
      prefix,
      expected: spec.size,
      actual: payload.length,
    });
  }
  return { prefix, payload };
}

/**
 * Decodes an API-encoded string and returns its payload, checking that its prefix is the one
 * (or one of those) expected.
 */
export function decodeApi<P extends ApiPrefix>(value: string, expected: P | readonly P[]): Uint8Array {
  const { prefix, payload } = decodeApiAny(value);
  const allowed = typeof expected === 'string' ? [expected] : expected;
  if (!(allowed as readonly string[]).includes(prefix)) {
    throw new AescError(AESC_ERROR__ENCODING__UNEXPECTED_PREFIX, {
      prefix,
      expected: allowed.map((p) => `${p}_`).join(' or '),
    });
  }
  return payload;
}

/** Whether `value` is a well-formed API-encoded string with the given prefix (checksum and size included). */
export function isEncoded<P extends ApiPrefix>(value: unknown, prefix: P): value is Encoded<P> {
  if (typeof value !== 'string' || !value.startsWith(`${prefix}_`)) return false;
  try {
    decodeApiAny(value);
    return true;
  } catch {
    return false;
  }
}
