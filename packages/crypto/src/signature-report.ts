import {
  type AccountAddress,
  type EncodedSignature,
  type SignedTx,
  type Transaction,
  type TxHash,
  decodeTx,
  encodeApi,
  encodeObject,
} from '@aesc/encoding';
import { type Ed25519, defaultEd25519 } from './ed25519.js';
import { txHash } from './ids.js';
import { publicKeyOf } from './keys.js';
import { type SignatureForm, verifyTransactionSignature } from './sign-tx.js';

/** The verdict on one signature of a signed tx. */
export interface SignatureCheck {
  readonly signature: EncodedSignature;
  /** The account the signature verifies for, or null when none of the candidates does. */
  readonly signer: AccountAddress | null;
  readonly form: SignatureForm | null;
}

/** What {@link verifySignedTx} found. */
export interface SignatureReport {
  readonly hash: TxHash;
  readonly networkId: string;
  readonly tx: Transaction['tag'];
  readonly signatures: readonly SignatureCheck[];
  /** Expected signers with no signature. */
  readonly missing: readonly AccountAddress[];
  /** Every signature verified and no expected signer is missing. */
  readonly valid: boolean;
}

/**
 * The accounts a transaction names as the ones who sign it (participants of channel txs, the
 * sender of a spend, the GA account of a meta tx, …). Off-chain txs name none: pass the
 * participants as expected signers.
 */
export function accountsNamedIn(tx: Transaction): AccountAddress[] {
  const out = new Set<AccountAddress>();
  for (const key of ['initiatorId', 'responderId', 'fromId', 'toId', 'senderId', 'ownerId', 'callerId', 'gaId', 'payerId'] as const) {
    const v = (tx as unknown as Record<string, unknown>)[key];
    if (typeof v === 'string' && v.startsWith('ak_')) out.add(v as AccountAddress);
  }
  return [...out];
}

/**
 * Checks every signature of a signed tx for a network id against the accounts it names and the
 * expected signers, in both forms the node accepts.
 */
export async function verifySignedTx(
  tx: SignedTx | string,
  networkId: string,
  options: { readonly expectedSigners?: readonly AccountAddress[]; readonly ed25519?: Ed25519 } = {},
): Promise<SignatureReport> {
  const signed = typeof tx === 'string' ? decodeTx(tx) : tx;
  const ed25519 = options.ed25519 ?? defaultEd25519();
  const expected = options.expectedSigners ?? [];
  const candidates = [...new Set([...expected, ...accountsNamedIn(signed.tx)])];
  const keys = candidates.map((c) => [c, publicKeyOf(c)] as const);
  const txBytes = encodeObject(signed.tx);
  const signatures: SignatureCheck[] = [];
  for (const signature of signed.signatures) {
    let found: SignatureCheck = { signature: encodeApi('sg', signature), signer: null, form: null };
    for (const [account, pk] of keys) {
      const form = await verifyTransactionSignature(signature, txBytes, networkId, pk, { ed25519 });
      if (form !== null) {
        found = { ...found, signer: account, form };
        break;
      }
    }
    signatures.push(found);
  }
  const signers = new Set(signatures.map((s) => s.signer));
  const missing = expected.filter((e) => !signers.has(e));
  return {
    hash: txHash(signed),
    networkId,
    tx: signed.tx.tag,
    signatures,
    missing,
    valid: missing.length === 0 && signatures.every((s) => s.signer !== null),
  };
}
