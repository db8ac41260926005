import { concatBytes } from '@aesc/encoding';
import { AESC_ERROR__STATE__MALFORMED_NODE, AescError } from '@aesc/errors';

/**
 * A path in a Merkle Patricia tree: one nibble (0–15) per element. Keys are byte strings, so a
 * full key has an even number of nibbles, high nibble first.
 */
export type Nibbles = Uint8Array;

/** The nibbles of a byte string, high nibble first. */
export function bytesToNibbles(bytes: Uint8Array): Nibbles {
  const out = new Uint8Array(bytes.length * 2);
  for (let i = 0; i < bytes.length; i++) {
    out[2 * i] = bytes[i]! >> 4;
    out[2 * i + 1] = bytes[i]! & 15;
  }
  return out;
}

/** The bytes of an even-length nibble path (the inverse of {@link bytesToNibbles}). */
export function nibblesToBytes(nibbles: Nibbles): Uint8Array {
  const out = new Uint8Array(nibbles.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = (nibbles[2 * i]! << 4) | nibbles[2 * i + 1]!;
  return out;
}

/** Concatenates nibble paths (one nibble per byte, so byte concatenation). */
export function concatNibbles(...parts: readonly Nibbles[]): Nibbles {
  return concatBytes(...parts);
}

/** The length of the common prefix of `a[ai..]` and `b`. */
export function commonPrefixLength(a: Nibbles, ai: number, b: Nibbles): number {
  const n = Math.min(a.length - ai, b.length);
  let i = 0;
  while (i < n && a[ai + i] === b[i]) i++;
  return i;
}

/**
 * The compact (hex-prefix) encoding of a node path (`aeu_mp_trees:encode_path_leaf/1` and
 * `encode_path_ext/1`): a flag nibble (0 extension/even, 1 extension/odd, 2 leaf/even, 3 leaf/odd),
 * a zero padding nibble for even lengths, then the path.
 */
export function encodePath(path: Nibbles, leaf: boolean): Uint8Array {
  const odd = path.length % 2 === 1;
  const flag = (leaf ? 2 : 0) + (odd ? 1 : 0);
  const out = new Uint8Array((path.length >> 1) + 1);
  if (odd) {
    out[0] = (flag << 4) | path[0]!;
    for (let i = 1, j = 1; i < path.length; i += 2, j++) out[j] = (path[i]! << 4) | path[i + 1]!;
  } else {
    out[0] = flag << 4;
    for (let i = 0, j = 1; i < path.length; i += 2, j++) out[j] = (path[i]! << 4) | path[i + 1]!;
  }
  return out;
}

/** Decodes a compact path: whether it is a leaf's, and the path. Throws for a malformed prefix. */
export function decodePath(encoded: Uint8Array): { leaf: boolean; path: Nibbles } {
  if (encoded.length === 0) throw new AescError(AESC_ERROR__STATE__MALFORMED_NODE, { reason: 'empty path' });
  const flag = encoded[0]! >> 4;
  if (flag > 3) throw new AescError(AESC_ERROR__STATE__MALFORMED_NODE, { reason: `bad path flag ${flag}` });
  const odd = (flag & 1) === 1;
  if (!odd && (encoded[0]! & 15) !== 0) {
    throw new AescError(AESC_ERROR__STATE__MALFORMED_NODE, { reason: 'non-zero padding nibble in path' });
  }
  const len = (encoded.length - 1) * 2 + (odd ? 1 : 0);
  const path = new Uint8Array(len);
  let j = 0;
  if (odd) path[j++] = encoded[0]! & 15;
  for (let i = 1; i < encoded.length; i++) {
    path[j++] = encoded[i]! >> 4;
    path[j++] = encoded[i]! & 15;
  }
  return { leaf: flag >= 2, path };
}
