import { type Ed25519, defaultEd25519, publicKeyOf, signingMessage } from '@aesc/crypto';
import { type AccountAddress, type SignedTx, bytesEqual, BoundedCache, bytesToKey } from '@aesc/encoding';
import { objectBytes } from './object-bytes.js';

/** Whether a signed tx carries `account`'s signature (for the node's network id). */
export type SignatureCheck = (signed: SignedTx, account: AccountAddress) => Promise<boolean>;

/**
 * The node's signature check (`aetx_sign:verify_one_pubkey`: a signature counts in the raw form or
 * in the hash form), with the signatures it has verified remembered — about the `max` most recent, by
 * signature, with the account each belongs to and the tx it signs. One node often hosts both FSMs
 * of a channel, and each checks the same client signature in turn: the second check is a lookup.
 * A co-signed tx carries the signature of the other party too, already checked when it came in: a
 * signature known to be another account's is not tried, so the new one is the only one verified.
 * Only successes are remembered; a signature that does not verify is checked again every time.
 * Each account's public key is prepared for verification once (`verifierFor`), for about the `max`
 * most recent accounts (a `BoundedCache` each).
 *
 * A node busy with several channels verifies on another thread (`offThreadVerifierFor`, where the
 * Ed25519 implementation has one) and goes on with the other channels meanwhile: with 100
 * channels transferring at once, the second core takes the checks and the node makes 22–29 % more
 * transfers a second than before it did (`pnpm bench:node:ab --ref 456db72 --channels 100`, four
 * runs on our 2-core VMs; an A/A run of that kind stays within 4 %). It counts as busy while a check it handed
 * over is still out, or when the check before this one, less than {@link BUSY_WINDOW_MS} ago, was
 * for another channel. A node serving one channel keeps its checks on its own thread: it has
 * nothing to do while a check is out, and a hand-over there and back costs tens of µs on our VMs
 * (one channel went from about 1,300 to 900 transfers a second with every check handed over, in a
 * one-off run with the busy test taken out).
 * `now` is the clock of that window (ms).
 */
export function signatureCheck(networkId: string, max = 4096, ed25519: Ed25519 = defaultEd25519(), now: () => number = () => performance.now()): SignatureCheck {
  /** A verified signature (`bytesToKey`) → the account it is of, and the tx bytes it signs. */
  const verified = new BoundedCache<string, { readonly account: AccountAddress; readonly bytes: Uint8Array }>(max);
  const remember = (signature: string, account: AccountAddress, bytes: Uint8Array) => verified.set(signature, { account, bytes });
  /** Each account's verifier made by `prepare` (its public key prepared once), for about the `max` most recent accounts. */
  const perAccount = (prepare: Ed25519['verifierFor']) => {
    const verifiers = new BoundedCache<AccountAddress, ReturnType<typeof prepare>>(max);
    return (account: AccountAddress) => {
      let verify = verifiers.get(account);
      if (verify === undefined) {
        verify = prepare(publicKeyOf(account));
        verifiers.set(account, verify);
      }
      return verify;
    };
  };
  const verifierOf = perAccount((pk) => ed25519.verifierFor(pk));
  const offThreadVerifierOf = ed25519.offThreadVerifierFor === undefined ? undefined : perAccount((pk) => ed25519.offThreadVerifierFor!(pk));
  /** Checks handed to another thread and not back yet. */
  let out = 0;
  /** The channel (or, for a tx of no channel yet, the account) of the last check, and when it came. */
  let lastChannel: string | undefined;
  let lastAt = Number.NEGATIVE_INFINITY;
  /** Whether other channels keep the node busy (see above); notes this check as the last one. */
  const busy = (channel: string): boolean => {
    const at = now();
    const other = out > 0 || (channel !== lastChannel && at - lastAt < BUSY_WINDOW_MS);
    lastChannel = channel;
    lastAt = at;
    return other;
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
    if (unknown.length === 0) return false;
    const channelId = (signed.tx as { readonly channelId?: unknown }).channelId;
    const handOver = offThreadVerifierOf !== undefined && busy(typeof channelId === 'string' ? channelId : account);
    const verify = handOver ? offThreadVerifierOf(account) : verifierOf(account);
    if (handOver) out++;
    try {
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
    } finally {
      if (handOver) out--;
    }
  };
}

/** How recent the last check of another channel must be for the node to count as busy (ms): about two rounds of one channel. */
export const BUSY_WINDOW_MS = 2;
