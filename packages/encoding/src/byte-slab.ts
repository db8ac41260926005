/**
 * Byte arrays for encodings, cut from shared slabs.
 *
 * V8 keeps a typed array of up to 64 bytes on its heap, but gives a larger one a backing store of
 * its own: a `calloc`, bookkeeping for the garbage collector and a sweep when it dies. That costs
 * about 1–2 µs per array on the machines we measure on, against under 0.1 µs for a view into a
 * slab, and a channel round makes some sixty such arrays (RLP of txs and tree nodes, checksummed
 * payloads, signing messages). So arrays of 65 to {@link MAX_SLAB_CUT} bytes are views into a
 * shared {@link SLAB_BYTES}-byte slab, as Node's `Buffer.allocUnsafe` pool does, except that
 * every cut is fresh, zero-filled memory: a slab is never handed out twice.
 *
 * What a caller must know: the array's `buffer` is the slab (use `byteOffset`/`byteLength`, as
 * for any view), and a long-lived cut keeps its whole slab alive; hence the small slab.
 */

/** Slab size: small, so that a long-lived cut holds on to little. */
const SLAB_BYTES = 4096;
/** Larger arrays get a backing store of their own. */
const MAX_SLAB_CUT = 512;
/** Up to this size V8 allocates a typed array on its heap, which is cheaper than a view. */
const ON_HEAP_MAX = 64;

let slab = new Uint8Array(SLAB_BYTES);
let used = 0;

/** A zero-filled byte array of length `n` (see the module comment for where it lives). */
export function allocBytes(n: number): Uint8Array {
  if (n <= ON_HEAP_MAX || n > MAX_SLAB_CUT) return new Uint8Array(n);
  if (used + n > SLAB_BYTES) {
    slab = new Uint8Array(SLAB_BYTES);
    used = 0;
  }
  const out = slab.subarray(used, used + n);
  used += n;
  return out;
}
