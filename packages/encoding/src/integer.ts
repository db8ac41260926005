/**
 * Unsigned integers as the node serializes them (`binary:encode_unsigned/1`): big-endian with no
 * leading zeros, and 0 as the single byte 0x00 (not RLP's empty string).
 */
export function uintToBytes(value: bigint): Uint8Array {
  if (value < 0n) throw new RangeError('negative integer');
  if (value < 256n) return Uint8Array.of(Number(value));
  if (value <= 0xffffffffffffn) {
    // fast path without string conversion: up to 6 bytes
    let n = Number(value);
    let len = 0;
    for (let t = n; t > 0; t = Math.floor(t / 256)) len++;
    const out = new Uint8Array(len);
    for (let i = len - 1; i >= 0; i--) {
      out[i] = n % 256;
      n = Math.floor(n / 256);
    }
    return out;
  }
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * Reads a big-endian unsigned integer. Returns undefined for a non-canonical form (empty, or a
 * leading zero byte in a multi-byte value), which the node would re-serialize differently.
 */
export function bytesToUint(bytes: Uint8Array): bigint | undefined {
  const len = bytes.length;
  if (len === 0 || (bytes[0] === 0 && len > 1)) return undefined;
  if (len <= 6) {
    let n = 0;
    for (let i = 0; i < len; i++) n = n * 256 + bytes[i]!;
    return BigInt(n);
  }
  let hex = '0x';
  for (let i = 0; i < len; i++) hex += (bytes[i]! < 16 ? '0' : '') + bytes[i]!.toString(16);
  return BigInt(hex);
}
