import { blake2b256, defaultEd25519, publicKeyOf, signingMessage } from '@aesc/crypto';
import { type AccountAddress, type SignedTx, encodeObject } from '@aesc/encoding';

/** Whether a signed tx carries `account`'s signature (for the node's network id). */
export type SignatureCheck = (signed: SignedTx, account: AccountAddress) => Promise<boolean>;

const b64 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');

/**
 * The node's signature check (`aetx_sign:verify_one_pubkey`: a signature counts in the raw form or
 * in the hash form), with the signatures it has verified remembered — the `max` most recent, by
 * signature, account and tx hash. One node often hosts both FSMs of a channel, and each checks the
 * same client signature in turn: the second check is a lookup. Only successes are remembered; a
 * signature that does not verify is checked again every time.
 */
export function signatureCheck(networkId: string, max = 4096): SignatureCheck {
  const verified = new Map<string, true>();
  const remember = (key: string) => {
    if (verified.size >= max) verified.delete(verified.keys().next().value as string);
    verified.set(key, true);
  };
  return async (signed, account) => {
    if (signed.signatures.length === 0) return false;
    const bytes = encodeObject(signed.tx);
    const txKey = `${account}|${b64(blake2b256(bytes))}|`;
    for (const s of signed.signatures) if (verified.has(txKey + b64(s))) return true;
    const pk = publicKeyOf(account);
    const ed25519 = defaultEd25519();
    // Every signature in the raw form first (what clients make), then in the hash form: the
    // other party's signature costs one failed check, not two.
    for (const form of ['raw', 'hash'] as const) {
      const message = signingMessage(bytes, networkId, form);
      for (const s of signed.signatures) {
        if (s.length === 64 && (await ed25519.verify(s, message, pk))) {
          remember(txKey + b64(s));
          return true;
        }
      }
    }
    return false;
  };
}
