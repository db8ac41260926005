import { accountAddress, defaultEd25519, type Ed25519, keyPairFromSecretKey, signingMessage } from '@aesc/crypto';
import { AESC_ERROR__WALLET__SIGNING_ABORTED, AescError } from '@aesc/errors';
import type { SignOptions, Signer } from './signer.js';

/**
 * A signer holding its key in memory (a 32-byte seed or 64-byte secret key). The key is prepared
 * once (`signerFor`), so signing many rounds is fast; it never leaves the closure.
 */
export async function memorySigner(secretKey: Uint8Array, ed25519: Ed25519 = defaultEd25519()): Promise<Signer> {
  const keys = await keyPairFromSecretKey(secretKey, ed25519);
  const sign = ed25519.signerFor(keys.secretKey.subarray(0, 32));
  const address = accountAddress(keys.publicKey);
  return Object.freeze({
    address,
    async signTransaction(tx: Uint8Array, options: SignOptions) {
      if (options.signal?.aborted) throw new AescError(AESC_ERROR__WALLET__SIGNING_ABORTED, { address });
      return sign(signingMessage(tx, options.networkId, options.form ?? 'raw'));
    },
  });
}
