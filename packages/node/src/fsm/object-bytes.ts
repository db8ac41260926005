import { AESC_ERROR__ENCODING__UNEXPECTED_TAG, AescError } from '@aesc/errors';
import { type ChainObject, type EncodedTx, type SignedTx, bytesEqual, decodeApi, decodeObject, encodeApi, encodeObject, rlpDecode } from '@aesc/encoding';
import { attachedValue } from './attached-value.js';

/**
 * The node's encoding and decoding of chain objects, with each object's bytes remembered.
 *
 * A round passes the same txs through the codec again and again: a client's signed reply is
 * decoded, compared with what was asked, checked, sent to the peer's FSM, decoded there, shown to
 * the other client, stored. Here an object decoded from bytes keeps those bytes (the RLP decoder
 * accepts only canonical forms, so they are the object's encoding), and an object encoded once is
 * not encoded again. This rests on what the node keeps to: it never alters an object once made or
 * decoded (a new round, signature or state makes a new object), nor the bytes it decoded one
 * from. The bytes handed out are shared: callers read them, or copy. (Each value is kept on its
 * object or bytes array: see attached-value.ts.)
 */
const bytesByObject = attachedValue<object, Uint8Array>('aesc.object-bytes');
/**
 * The `tx_…` strings bytes were decoded from, by bytes array: a client's signed reply goes to the
 * peer's FSM as those same bytes when both FSMs are on this node, and is shown and stored as text
 * again there.
 */
const textByBytes = attachedValue<Uint8Array, EncodedTx>('aesc.bytes-text');

/**
 * The object each bytes array was encoded from or decoded to: when both FSMs are on this node, the
 * bytes one FSM sends are the bytes the other decodes, and it gets the same object back.
 */
const objectByBytes = attachedValue<Uint8Array, ChainObject>('aesc.bytes-object');

/** `encodeObject(o)`, computed once per object (a signed tx's inner tx gets its bytes with it). */
export function objectBytes(o: ChainObject): Uint8Array {
  let bytes = bytesByObject.get(o);
  if (bytes === undefined) {
    bytes = encodeObject(o);
    bytesByObject.set(o, bytes);
    objectByBytes.set(bytes, o);
    keepInnerBytes(o, bytes);
  }
  return bytes;
}

/**
 * Gives a signed tx's inner tx, which is what gets compared and checked, its bytes: the last field
 * of the signed tx's RLP, the inner tx's encoding whether the signed tx was encoded or decoded.
 */
function keepInnerBytes(o: ChainObject, bytes: Uint8Array): void {
  if (o.tag !== 'signed_tx' || bytesByObject.has(o.tx)) return;
  const fields = rlpDecode(bytes);
  const inner = Array.isArray(fields) ? fields[3] : undefined;
  if (inner instanceof Uint8Array) bytesByObject.set(o.tx, inner);
}

/** Whether two objects encode to the same bytes (the same tx asked for and signed, the same state on both sides). */
export function sameObject(a: ChainObject, b: ChainObject): boolean {
  return bytesEqual(objectBytes(a), objectBytes(b));
}

/** `decodeObject(bytes)` (once per bytes array); the object keeps its bytes, and so does a signed tx's inner tx. */
export function objectFromBytes(bytes: Uint8Array): ChainObject {
  let o = objectByBytes.get(bytes);
  if (o === undefined) {
    o = decodeObject(bytes);
    bytesByObject.set(o, bytes);
    objectByBytes.set(bytes, o);
    keepInnerBytes(o, bytes);
  }
  return o;
}

/** `encodeTx(o)`: the object's bytes as a `tx_…` string. */
export function txText(o: SignedTx | ChainObject): EncodedTx {
  const bytes = objectBytes(o);
  let text = textByBytes.get(bytes);
  if (text === undefined) {
    text = encodeApi('tx', bytes);
    textByBytes.set(bytes, text);
  }
  return text;
}

/** `decodeTx(text)`: the signed tx of a `tx_…` string (the same errors); it keeps its bytes. */
export function txFromText(text: string): SignedTx {
  const bytes = decodeApi(text, 'tx');
  const o = objectFromBytes(bytes);
  if (o.tag !== 'signed_tx') throw new AescError(AESC_ERROR__ENCODING__UNEXPECTED_TAG, { path: '$', name: o.tag, allowed: 'signed_tx' });
  textByBytes.set(bytes, text as EncodedTx);
  return o;
}
