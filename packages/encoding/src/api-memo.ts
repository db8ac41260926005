import type { ApiPrefix, DecodedApi } from './api-prefixes.js';
import { BoundedCache } from './bounded-cache.js';
import { bytesEqual } from './bytes.js';

/**
 * The API encoding's memos: recently encoded and decoded fixed-size values (ids, hashes,
 * signatures), both ways. A codec meets the same few account and channel ids over and over (every
 * object that names them is encoded and decoded several times in a channel round), and each costs
 * a base58 conversion and a double sha256; a lookup is several times cheaper. `api-encoding.ts`
 * keeps only values that encoded or decoded without error, so every answer is the one the full
 * path would give, and it hands payloads out as copies, so a caller cannot alter what the next one
 * gets. It keeps no secret key (`sk_`): a memo would hold one in memory long after its user let go
 * of it.
 *
 * Not exported from the package: the tests beside `api-encoding.ts` read it to see what is kept.
 */
const MEMO_SIZE = 4096;
/** Encodings by a hash of prefix and payload (FNV-1a); a hit is compared in full before use. */
const encoded = new BoundedCache<number, { readonly prefix: string; readonly payload: Uint8Array; readonly text: string }>(MEMO_SIZE);
const decoded = new BoundedCache<string, DecodedApi>(MEMO_SIZE);
/**
 * The last few decodings of values without a fixed size (`tx_…` and the like), up to
 * {@link RECENT_MAX_LENGTH} characters: a channel node checks a client's signed tx when it
 * validates the frame and decodes the same string again when it handles it. These strings are
 * long and seldom met twice, so the memo is small.
 */
const RECENT_SIZE = 16;
const recent = new BoundedCache<string, DecodedApi>(RECENT_SIZE);
const RECENT_MAX_LENGTH = 4096;

/** The key of a fixed-size `payload` under `prefix` in the encodings memo (FNV-1a), to compute once per encoding. */
export function encodingKey(prefix: string, payload: Uint8Array): number {
  let h = Math.imul(0x811c9dc5 ^ prefix.charCodeAt(0), 0x01000193) ^ prefix.charCodeAt(1);
  for (let i = 0; i < payload.length; i++) h = Math.imul(h ^ payload[i]!, 0x01000193);
  return h >>> 0;
}

/** The remembered encoding of a fixed-size `payload` under `prefix` (whose {@link encodingKey} is `key`), if any. */
export function encodedInMemo(key: number, prefix: ApiPrefix, payload: Uint8Array): string | undefined {
  const known = encoded.get(key);
  return known !== undefined && known.prefix === prefix && bytesEqual(known.payload, payload) ? known.text : undefined;
}

/** The remembered decoding of `value` (not to be handed out as it is: its payload is the memo's). */
export function decodedInMemo(value: string): DecodedApi | undefined {
  return decoded.get(value) ?? (value.length <= RECENT_MAX_LENGTH ? recent.get(value) : undefined);
}

/** Remembers that the fixed-size `payload` under `prefix` encodes as `text`, both ways (the memo keeps its own copy). */
export function rememberEncoding(key: number, prefix: ApiPrefix, payload: Uint8Array, text: string): void {
  const copy = payload.slice();
  encoded.set(key, { prefix, payload: copy, text });
  decoded.set(text, { prefix, payload: copy });
}

/** Remembers a decoding: in the long memo for a fixed-size value, in the short one for another up to {@link RECENT_MAX_LENGTH} characters. */
export function rememberDecoding(value: string, result: DecodedApi, fixedSize: boolean): void {
  if (fixedSize) decoded.set(value, { prefix: result.prefix, payload: result.payload.slice() });
  else if (value.length <= RECENT_MAX_LENGTH) recent.set(value, { prefix: result.prefix, payload: result.payload.slice() });
}
