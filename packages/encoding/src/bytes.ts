import { allocBytes } from './byte-slab.js';

/** Concatenates byte arrays. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = allocBytes(len);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** The bytes followed by a 32-bit unsigned integer, big-endian. */
export function appendUint32(bytes: Uint8Array, value: number): Uint8Array {
  // Written byte by byte: a DataView over a small array makes V8 move its bytes off the heap.
  const n = bytes.length;
  const out = allocBytes(n + 4);
  out.set(bytes, 0);
  out[n] = value >>> 24;
  out[n + 1] = (value >>> 16) & 0xff;
  out[n + 2] = (value >>> 8) & 0xff;
  out[n + 3] = value & 0xff;
  return out;
}

/**
 * The bytes as a string of one char per byte, for a `Map` key. Not base64 through a `Buffer`: a
 * Buffer view of an array of 64 bytes or less moves it off V8's heap, which costs more than this.
 */
export function bytesToKey(bytes: Uint8Array): string {
  return String.fromCharCode.apply(null, bytes as unknown as number[]);
}

/** Whether two byte arrays hold the same bytes. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Lexicographic byte order (as Erlang sorts binaries): negative, zero or positive. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lower-case hex of the bytes, without `0x`. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!];
  return s;
}

/** Bytes from hex (with or without `0x`); returns undefined for malformed hex. */
export function fromHex(hex: string): Uint8Array | undefined {
  const h = hex.startsWith('0x') ? hex.slice(2) : hex;
  if (h.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(h)) return undefined;
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}
