import { type Ed25519, defaultEd25519, publicKeyOf, signingMessage } from '@aesc/crypto';
import { type AccountAddress, type SignedTx, bytesEqual, bytesToKey, setBounded } from '@aesc/encoding';
import { objectBytes } from './object-bytes.js';

/** Whether a signed tx carries `account`'s signature (for the node's network id). */
export type SignatureCheck = (signed: SignedTx, account: AccountAddress) => Promise<boolean>;


/**
 * The node's signature check (`aetx_sign:verify_one_pubkey`: a signature counts in the raw form or
 * in the hash form), with the signatures it has verified remembered — the `max` most recent, by
 * signature, with the account each belongs to and the tx it signs. One node often hosts both FSMs
 * of a channel, and each checks the same client signature in turn: the second check is a lookup.
 * A co-signed tx carries the signature of the other party too, already checked when it came in: a
 * signature known to be another account's is not tried, so the new one is the only one verified.
 * Only successes are remembered; a signature that does not verify is checked again every time.
 * Each account's public key is prepared for verification once (`verifierFor`), for the `max` most
 * recent accounts.
 */
export function signatureCheck(networkId: string, max = 4096, ed25519: Ed25519 = defaultEd25519()): SignatureCheck {
  /** A verified signature (`bytesToKey`) → the account it is of, and the tx bytes it signs. */
  const verified = new Map<string, { readonly account: AccountAddress; readonly bytes: Uint8Array }>();
  const remember = (signature: string, account: AccountAddress, bytes: Uint8Array) => setBounded(verified, signature, { account, bytes }, max);
  const verifiers = new Map<AccountAddress, ReturnType<Ed25519['verifierFor']>>();
  const verifierOf = (account: AccountAddress) => {
    let verify = verifiers.get(account);
    if (verify === undefined) {
      verify = ed25519.verifierFor(publicKeyOf(account));
      setBounded(verifiers, account, verify, max);
    }
    return verify;
  };
  return async (signed, account) => {
    if (signed.signatures.length === 0) return false;
    // each round's tx is checked by both FSMs: its bytes are remembered (see object-bytes.ts)
    const bytes = objectBytes(signed.tx);
    const unknown: [Uint8Array, string][] = [];
    for (const s of signed.signatures) {
      const key = bytesToKey(s);
      const known = verified.get(key);
      if (known !== undefined && bytesEqual(known.bytes, bytes)) {
        if (known.account === account) return true;
        continue; // another account's
      }
      if (s.length === 64) unknown.push([s, key]);
    }
    const verify = verifierOf(account);
    // Every signature in the raw form first (what clients make), then in the hash form.
    for (const form of ['raw', 'hash'] as const) {
      const message = signingMessage(bytes, networkId, form);
      for (const [s, key] of unknown) {
        if (await verify(s, message)) {
          remember(key, account, bytes);
          return true;
        }
      }
    }
    return false;
  };
}
