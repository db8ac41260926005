/**
 * Base58 with the Bitcoin alphabet, as the node's `base58` library writes it.
 *
 * Hand-written because ids, hashes and signatures are base58 and the codecs encode one for every id
 * they decode: working in limbs of 58^5 (encode) and 2^16 (decode) instead of one digit at a time is
 * several times faster than @scure/base's generic radix conversion on 32–68-byte payloads
 * (`pnpm bench:codec`); tests check it against @scure/base on random inputs.
 */

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DIGIT[ALPHABET.charCodeAt(i)] = i;

const B4 = 58 ** 4; // 11316496: a limb times 2^24 stays below 2^53
const INV_B4 = 1 / B4;
// Scratch limbs, reused by every call (synchronous, so calls never interleave); grown on demand.
let scratch = new Float64Array(64);

/** Encodes bytes as base58. */
export function base58Encode(bytes: Uint8Array): string {
  const n = bytes.length;
  let zeros = 0;
  while (zeros < n && bytes[zeros] === 0) zeros++;
  // Little-endian limbs in base 58^4, fed three bytes at a time (a byte adds < 0.35 limbs).
  const need = Math.ceil((n - zeros) * 0.35) + 2;
  if (scratch.length < need) scratch = new Float64Array(need);
  const limbs = scratch;
  let used = 0;
  let i = zeros;
  const head = (n - zeros) % 3;
  while (i < n) {
    // the first chunk takes the odd bytes so that every later chunk is a full three
    const take = i === zeros && head !== 0 ? head : 3;
    let carry = 0;
    for (let k = 0; k < take; k++) carry = carry * 256 + bytes[i++]!;
    const mul = take === 3 ? 16777216 : take === 2 ? 65536 : 256;
    for (let j = 0; j < used; j++) {
      const x = limbs[j]! * mul + carry;
      let q = Math.floor(x * INV_B4);
      let r = x - q * B4;
      if (r < 0) {
        q--;
        r += B4;
      } else if (r >= B4) {
        q++;
        r -= B4;
      }
      limbs[j] = r;
      carry = q;
    }
    while (carry > 0) {
      const q = Math.floor(carry / B4);
      limbs[used++] = carry - q * B4;
      carry = q;
    }
  }
  let out = '';
  for (let j = 0; j < used; j++) {
    let v = limbs[j]! | 0;
    for (let k = 0; k < 4; k++) {
      // the most significant limb has no leading zero digits
      if (j === used - 1 && v === 0) break;
      const q = (v / 58) | 0;
      out = ALPHABET[v - q * 58] + out;
      v = q;
    }
  }
  return '1'.repeat(zeros) + out;
}

/** Decodes base58; returns undefined when `text` has a character outside the alphabet. */
export function base58Decode(text: string): Uint8Array | undefined {
  let zeros = 0;
  while (zeros < text.length && text.charCodeAt(zeros) === 49 /* '1' */) zeros++;
  // little-endian limbs in base 2^16
  const limbs: number[] = [];
  let i = zeros;
  while (i < text.length) {
    const n = Math.min(5, text.length - i);
    let chunk = 0;
    let mul = 1;
    for (let k = 0; k < n; k++, i++) {
      const c = text.charCodeAt(i);
      const d = c < 128 ? DIGIT[c]! : -1;
      if (d < 0) return undefined;
      chunk = chunk * 58 + d;
      mul *= 58;
    }
    let carry = chunk;
    for (let j = 0; j < limbs.length; j++) {
      const x = limbs[j]! * mul + carry;
      carry = Math.floor(x / 65536);
      limbs[j] = x - carry * 65536;
    }
    while (carry > 0) {
      const q = Math.floor(carry / 65536);
      limbs.push(carry - q * 65536);
      carry = q;
    }
  }
  let len = limbs.length * 2;
  if (len > 0 && limbs[limbs.length - 1]! < 256) len--;
  const out = new Uint8Array(zeros + len);
  for (let j = 0, p = out.length - 1; p >= zeros; j++) {
    const v = limbs[j]!;
    out[p--] = v & 0xff;
    if (p >= zeros) out[p--] = v >>> 8;
  }
  return out;
}
