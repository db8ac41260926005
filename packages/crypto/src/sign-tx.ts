import {
  type EncodedTx,
  type SignedTx,
  compareBytes,
  concatBytes,
  decodeTx,
  encodeObject,
  encodeTx,
} from '@aesc/encoding';
import {
  AESC_ERROR__CRYPTO__INVALID_NETWORK_ID,
  AESC_ERROR__CRYPTO__INVALID_PUBLIC_KEY,
  AESC_ERROR__CRYPTO__INVALID_SIGNATURE,
  AescError,
} from '@aesc/errors';
import { type Ed25519, defaultEd25519 } from './ed25519.js';
import { blake2b256 } from './blake2b.js';
import { seedOf } from './keys.js';

/**
 * What a signature covers after the network id: the serialized transaction itself ("raw"), or its
 * blake2b-256 hash ("hash", accepted by the node since Lima).
 */
export type SignatureForm = 'raw' | 'hash';

const utf8 = new TextEncoder();
/** The last network id's UTF-8 bytes: a process signs and checks for one network, round after round. */
const lastNetwork = { id: '', bytes: new Uint8Array(0) };

/** The bytes signed for a transaction on a network: network_id ‖ tx, or network_id ‖ blake2b256(tx). */
export function signingMessage(txBytes: Uint8Array, networkId: string, form: SignatureForm = 'raw'): Uint8Array {
  if (typeof networkId !== 'string' || networkId.length === 0) {
    throw new AescError(AESC_ERROR__CRYPTO__INVALID_NETWORK_ID, { networkId: String(networkId) });
  }
  if (lastNetwork.id !== networkId) {
    lastNetwork.bytes = utf8.encode(networkId);
    lastNetwork.id = networkId;
  }
  return concatBytes(lastNetwork.bytes, form === 'raw' ? txBytes : blake2b256(txBytes));
}

/** Options of {@link signTransaction}. */
export interface SignOptions {
  readonly form?: SignatureForm;
  readonly ed25519?: Ed25519;
}

/** Signs serialized (unsigned) transaction bytes for a network id. */
export function signTransaction(
  txBytes: Uint8Array,
  networkId: string,
  secretKey: Uint8Array,
  options: SignOptions = {},
): Promise<Uint8Array> {
  const ed25519 = options.ed25519 ?? defaultEd25519();
  return ed25519.sign(signingMessage(txBytes, networkId, options.form ?? 'raw'), seedOf(secretKey));
}

/**
 * Checks a signature over a transaction as the node does (`aetx_sign:verify_one_pubkey`): first
 * over the raw form, then over the hash form. Returns the form that verifies, or null.
 */
export async function verifyTransactionSignature(
  signature: Uint8Array,
  txBytes: Uint8Array,
  networkId: string,
  publicKey: Uint8Array,
  options: { readonly ed25519?: Ed25519 } = {},
): Promise<SignatureForm | null> {
  if (!(signature instanceof Uint8Array) || signature.length !== 64) {
    throw new AescError(AESC_ERROR__CRYPTO__INVALID_SIGNATURE, { length: signature?.length ?? 0 });
  }
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    throw new AescError(AESC_ERROR__CRYPTO__INVALID_PUBLIC_KEY, { length: publicKey?.length ?? 0 });
  }
  const ed25519 = options.ed25519 ?? defaultEd25519();
  if (await ed25519.verify(signature, signingMessage(txBytes, networkId, 'raw'), publicKey)) return 'raw';
  if (await ed25519.verify(signature, signingMessage(txBytes, networkId, 'hash'), publicKey)) return 'hash';
  return null;
}

/** Signatures in the node's order (`lists:sort/1` on binaries: bytewise ascending). */
export function sortSignatures(signatures: readonly Uint8Array[]): Uint8Array[] {
  return [...signatures].sort(compareBytes);
}

/** A copy of a signed tx with one more signature, the signatures kept in the node's order. */
export function addSignature(signed: SignedTx, signature: Uint8Array): SignedTx {
  if (!(signature instanceof Uint8Array) || signature.length !== 64) {
    throw new AescError(AESC_ERROR__CRYPTO__INVALID_SIGNATURE, { length: signature?.length ?? 0 });
  }
  return { ...signed, signatures: sortSignatures([...signed.signatures, signature]) };
}

/**
 * Signs an encoded signed tx (with any number of signatures so far, as a channel node sends it
 * for co-signing) and returns it with the new signature added.
 */
export async function signEncodedTx(
  tx: string,
  networkId: string,
  secretKey: Uint8Array,
  options: SignOptions = {},
): Promise<EncodedTx> {
  const signed = decodeTx(tx);
  const signature = await signTransaction(encodeObject(signed.tx), networkId, secretKey, options);
  return encodeTx(addSignature(signed, signature));
}
