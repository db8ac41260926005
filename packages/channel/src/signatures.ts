import { type Ed25519, defaultEd25519, publicKeyOf, signingMessage } from '@aesc/crypto';
import { type AccountAddress, BoundedCache, type SignedTx, bytesEqual, bytesToKey, decodeTx, encodeObject } from '@aesc/encoding';
import { NOTIFICATIONS, signTagOf } from '@aesc/channel-api';
import {
  AESC_ERROR__CHANNEL__GENERALIZED_ACCOUNT,
  AESC_ERROR__CHANNEL__SIGNATURE_MISSING,
  AESC_ERROR__CHANNEL__UNEXPECTED_SIGNATURES,
  AescError,
} from '@aesc/errors';
import { innerTx } from '@aesc/protocol';

/**
 * Who signed a tx the node sent, as the client's driver found by checking every signature on it
 * for the channel's network id, in both forms the node accepts (`aetx_sign:verify_one_pubkey`:
 * over the serialized tx, or over its blake2b-256 hash).
 */
export interface TxSigners {
  /** The encoded tx (`tx_…`) these facts are about. */
  readonly tx: string;
  /** The channel's participants with a signature on the tx that verifies, each once. */
  readonly signers: readonly AccountAddress[];
  /**
   * Signatures that verify for no participant: another account's, one for another network id,
   * bytes that are no signature, or a participant's second one.
   */
  readonly strangers: number;
  /**
   * The account a generalized-account meta tx (`ga_meta_tx`) around the tx names: its
   * authorization is a call of its auth contract, which only the contract VM can check.
   */
  readonly generalized?: AccountAddress;
}

/** Checks the signatures on the txs a node sends, for one channel's participants and network. */
export interface SignatureVerifier {
  /** Which participants signed `signed` (the innermost tx of a `ga_meta_tx`, which names its account). */
  signers(signed: SignedTx, encoded: string): Promise<TxSigners>;
}

/**
 * A verifier for one channel: each signature is checked against each participant's public key in
 * the raw form, then in the hash form, for `networkId`. The last few signatures found valid are
 * remembered with the bytes they sign, so a tx checked when it came to be signed is not checked
 * again when the node reports it co-signed.
 *
 * @example
 * ```ts
 * const verifier = signatureVerifier('ae_mainnet', [initiator, responder]);
 * const { signers } = await verifier.signers(decodeTx(signedTx), signedTx); // e.g. [responder]
 * ```
 */
export function signatureVerifier(
  networkId: string,
  participants: readonly AccountAddress[],
  ed25519: Ed25519 = defaultEd25519(),
): SignatureVerifier {
  const verifiers = participants.map((account) => [account, ed25519.verifierFor(publicKeyOf(account))] as const);
  const known = new BoundedCache<string, { readonly account: AccountAddress; readonly bytes: Uint8Array }>(64);
  return Object.freeze({
    async signers(signed: SignedTx, encoded: string): Promise<TxSigners> {
      const { signed: inner, generalized } = innerTx(signed);
      const bytes = encodeObject(inner.tx);
      const found: AccountAddress[] = [];
      let strangers = 0;
      for (const signature of inner.signatures) {
        const key = bytesToKey(signature);
        const remembered = known.get(key);
        let account: AccountAddress | undefined =
          remembered !== undefined && bytesEqual(remembered.bytes, bytes) ? remembered.account : undefined;
        if (account === undefined && signature.length === 64) {
          account = await whose(signature, bytes, verifiers.filter(([a]) => !found.includes(a)));
          if (account !== undefined) known.set(key, { account, bytes });
        }
        if (account === undefined || found.includes(account)) strangers++;
        else found.push(account);
      }
      const signers = participants.filter((p) => found.includes(p));
      return generalized === undefined ? { tx: encoded, signers, strangers } : { tx: encoded, signers, strangers, generalized };
    },
  });

  async function whose(
    signature: Uint8Array,
    bytes: Uint8Array,
    candidates: readonly (readonly [AccountAddress, (s: Uint8Array, m: Uint8Array) => Promise<boolean>])[],
  ): Promise<AccountAddress | undefined> {
    for (const form of ['raw', 'hash'] as const) {
      const message = signingMessage(bytes, networkId, form);
      for (const [account, verify] of candidates) if (await verify(signature, message)) return account;
    }
    return undefined;
  }
}

/**
 * Throws a coded error unless the tx carries exactly the signatures of `expected`: each of them
 * verifies, and there is no other one. The node checks signatures as strictly
 * (`aetx_sign:verify_signatures` fails on a signature left over), so a co-signed state with one
 * more signature would be worth nothing on chain. Facts missing for a tx that carries signatures
 * count each of them as a stranger.
 */
export function expectSigners(
  found: TxSigners | undefined,
  signed: SignedTx,
  expected: readonly AccountAddress[],
): void {
  const facts: Pick<TxSigners, 'signers' | 'strangers' | 'generalized'> = found ?? { signers: [], strangers: signed.signatures.length };
  const tx = innerTx(signed).tx.tag;
  if (facts.generalized !== undefined) throw new AescError(AESC_ERROR__CHANNEL__GENERALIZED_ACCOUNT, { tx, account: facts.generalized });
  const missing = expected.find((a) => !facts.signers.includes(a));
  if (missing !== undefined) throw new AescError(AESC_ERROR__CHANNEL__SIGNATURE_MISSING, { tx, account: missing });
  const extra = facts.strangers + facts.signers.filter((a) => !expected.includes(a)).length;
  if (extra > 0) {
    throw new AescError(AESC_ERROR__CHANNEL__UNEXPECTED_SIGNATURES, { tx, count: extra, expected: expected.length === 0 ? 'no one' : expected.join(' and ') });
  }
}

/**
 * The signed tx a node message brings for this client to sign or to take as co-signed: a sign
 * request's `signed_tx`, a `channels.update` report's `state`, the co-signed create tx the node
 * posts (`channels.on_chain_tx` `funding_signed` / `funding_created`, which the client stores).
 * Undefined for other messages and for a tx that does not decode (the state machine refuses those).
 */
export function signedTxOf(message: {
  readonly method?: string;
  readonly params?: { readonly data?: Record<string, unknown> };
}): { readonly signed: SignedTx; readonly encoded: string } | undefined {
  const data = message.params?.data;
  const funding = message.method === NOTIFICATIONS.onChainTx && (data?.info === 'funding_signed' || data?.info === 'funding_created');
  const encoded = message.method === NOTIFICATIONS.update ? data?.state : signTagOf(message.method) !== undefined ? data?.signed_tx : funding ? data?.tx : undefined;
  if (typeof encoded !== 'string') return undefined;
  try {
    return { signed: decodeTx(encoded), encoded };
  } catch {
    return undefined;
  }
}
