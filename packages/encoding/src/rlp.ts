import {
  AESC_ERROR__ENCODING__RLP_MALFORMED,
  AESC_ERROR__ENCODING__RLP_NON_CANONICAL,
  AESC_ERROR__ENCODING__RLP_TRAILING_BYTES,
  AescError,
} from '@aesc/errors';
import { allocBytes } from './byte-slab.js';

/**
 * An RLP item: a byte string or a list of items.
 *
 * Hand-written rather than taken from `rlp`/`@ethereumjs/rlp` because (a) decoding returns
 * zero-copy subarrays, which `pnpm bench:codec` measures faster than the library on the whole
 * corpus, and (b) it rejects every non-canonical form (a single byte below 0x80 wrapped in a
 * prefix, long forms for short payloads, leading zeros in lengths) with a coded error, so that
 * decode → encode is the identity on everything it accepts.
 */
export type RlpItem = Uint8Array | readonly RlpItem[];

function lengthOfLength(n: number): number {
  let bytes = 0;
  while (n > 0) {
    bytes++;
    n = Math.floor(n / 256);
  }
  return bytes;
}

function encodedLength(item: RlpItem): number {
  if (item instanceof Uint8Array) {
    const len = item.length;
    if (len === 1 && item[0]! < 0x80) return 1;
    return len <= 55 ? 1 + len : 1 + lengthOfLength(len) + len;
  }
  let payload = 0;
  for (const child of item) payload += encodedLength(child);
  return payload <= 55 ? 1 + payload : 1 + lengthOfLength(payload) + payload;
}

function payloadLength(item: readonly RlpItem[]): number {
  let payload = 0;
  for (const child of item) payload += encodedLength(child);
  return payload;
}

function writeHeader(out: Uint8Array, offset: number, base: number, len: number): number {
  if (len <= 55) {
    out[offset] = base + len;
    return offset + 1;
  }
  const lol = lengthOfLength(len);
  out[offset] = base + 55 + lol;
  for (let i = lol; i > 0; i--) {
    out[offset + i] = len & 0xff;
    len = Math.floor(len / 256);
  }
  return offset + 1 + lol;
}

function write(item: RlpItem, out: Uint8Array, offset: number): number {
  if (item instanceof Uint8Array) {
    if (item.length === 1 && item[0]! < 0x80) {
      out[offset] = item[0]!;
      return offset + 1;
    }
    offset = writeHeader(out, offset, 0x80, item.length);
    out.set(item, offset);
    return offset + item.length;
  }
  offset = writeHeader(out, offset, 0xc0, payloadLength(item));
  for (const child of item) offset = write(child, out, offset);
  return offset;
}

/** Encodes an RLP item (byte strings and nested lists) into its canonical bytes. */
export function rlpEncode(item: RlpItem): Uint8Array {
  const out = allocBytes(encodedLength(item));
  write(item, out, 0);
  return out;
}

function malformed(offset: number, reason: string): AescError {
  return new AescError(AESC_ERROR__ENCODING__RLP_MALFORMED, { offset, reason });
}

function nonCanonical(offset: number, reason: string): AescError {
  return new AescError(AESC_ERROR__ENCODING__RLP_NON_CANONICAL, { offset, reason });
}

/** Reads a long-form length; returns [length, offset after it]. */
function readLongLength(bytes: Uint8Array, offset: number, lol: number, end: number): [number, number] {
  if (offset + 1 + lol > end) throw malformed(offset, 'length runs past the end of the input');
  if (bytes[offset + 1] === 0) throw nonCanonical(offset, 'leading zero in length');
  if (lol > 6) throw malformed(offset, 'length too large');
  let len = 0;
  for (let i = 1; i <= lol; i++) len = len * 256 + bytes[offset + i]!;
  if (len <= 55) throw nonCanonical(offset, 'long form used for a payload of 55 bytes or fewer');
  return [len, offset + 1 + lol];
}

/** Decodes one item starting at `offset` and ending by `end`; returns [item, next offset]. */
function decodeAt(bytes: Uint8Array, offset: number, end: number, depth: number): [RlpItem, number] {
  if (offset >= end) throw malformed(offset, 'unexpected end of input');
  if (depth > 64) throw malformed(offset, 'nesting too deep');
  const b = bytes[offset]!;
  if (b < 0x80) return [bytes.subarray(offset, offset + 1), offset + 1];
  if (b < 0xb8) {
    const len = b - 0x80;
    const start = offset + 1;
    if (start + len > end) throw malformed(offset, 'byte string runs past the end of the input');
    if (len === 1 && bytes[start]! < 0x80) throw nonCanonical(offset, 'single byte below 0x80 with a prefix');
    return [bytes.subarray(start, start + len), start + len];
  }
  if (b < 0xc0) {
    const [len, start] = readLongLength(bytes, offset, b - 0xb7, end);
    if (start + len > end) throw malformed(offset, 'byte string runs past the end of the input');
    return [bytes.subarray(start, start + len), start + len];
  }
  let len: number;
  let start: number;
  if (b < 0xf8) {
    len = b - 0xc0;
    start = offset + 1;
  } else {
    [len, start] = readLongLength(bytes, offset, b - 0xf7, end);
  }
  const listEnd = start + len;
  if (listEnd > end) throw malformed(offset, 'list runs past the end of the input');
  const items: RlpItem[] = [];
  let pos = start;
  while (pos < listEnd) {
    const [child, next] = decodeAt(bytes, pos, listEnd, depth + 1);
    items.push(child);
    pos = next;
  }
  return [items, listEnd];
}

/**
 * Decodes canonical RLP. Byte strings in the result are subarrays of `bytes` (no copies).
 * Throws an {@link AescError} for truncated input, non-canonical forms and trailing bytes.
 */
export function rlpDecode(bytes: Uint8Array): RlpItem {
  if (bytes.length === 0) throw malformed(0, 'empty input');
  const [item, end] = decodeAt(bytes, 0, bytes.length, 0);
  if (end !== bytes.length) {
    throw new AescError(AESC_ERROR__ENCODING__RLP_TRAILING_BYTES, { length: bytes.length, consumed: end });
  }
  return item;
}
