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
  /**
   * The accounts that must sign: those the tx names as its signers ({@link signersOf}) and the
   * expected signers given.
   */
  readonly required: readonly AccountAddress[];
  /**
   * The tx must be signed by both participants of its channel but names at most one of them
   * (deposit, withdraw, mutual close, off-chain state, delegates): unless the expected signers
   * name two accounts, the report cannot tell whether everyone signed, and is not valid.
   */
  readonly participantsUnnamed: boolean;
  /** Required signers with no signature. */
  readonly missing: readonly AccountAddress[];
  /**
   * Every signature verified, every required signer signed, and the signers are known (a tx
   * whose signers the report cannot all name is never valid).
   */
  readonly valid: boolean;
}

/** Who must sign a tx, as the node decides it (its `signers/2` per tx type). */
export interface TxSigners {
  /** The signers the tx names itself. */
  readonly named: readonly AccountAddress[];
  /** Both participants of the tx's channel sign, and the tx does not name both. */
  readonly channelParticipants: boolean;
}

const FROM_SIGNS: ReadonlySet<string> = new Set([
  'channel_close_solo_tx',
  'channel_slash_tx',
  'channel_settle_tx',
  'channel_snapshot_solo_tx',
  'channel_force_progress_tx',
]);
const PARTICIPANTS_SIGN: ReadonlySet<string> = new Set([
  'channel_deposit_tx',
  'channel_withdraw_tx',
  'channel_close_mutual_tx',
  'channel_offchain_tx',
  'channel_set_delegates_tx',
]);

/**
 * The signers of a tx by the node's rules: the sender of a spend, both accounts of a channel
 * create, the `from` of a solo close, slash, settle, snapshot or force progress, the caller or
 * owner of contract and GA txs, the payer of a paying-for tx, nobody for a GA meta tx (its auth
 * function authenticates it). Deposit, withdraw, mutual close, off-chain and delegates txs are
 * signed by both channel participants, whom the node reads from the channel on chain: the tx
 * names at most one (`channelParticipants`).
 */
export function signersOf(tx: Transaction): TxSigners {
  const t = tx as unknown as Record<string, unknown>;
  const ak = (key: string): AccountAddress[] => (typeof t[key] === 'string' && (t[key] as string).startsWith('ak_') ? [t[key] as AccountAddress] : []);
  if (tx.tag === 'spend_tx') return { named: ak('senderId'), channelParticipants: false };
  if (tx.tag === 'channel_create_tx') return { named: [...ak('initiatorId'), ...ak('responderId')], channelParticipants: false };
  if (FROM_SIGNS.has(tx.tag)) return { named: ak('fromId'), channelParticipants: false };
  if (PARTICIPANTS_SIGN.has(tx.tag)) return { named: [...ak('fromId'), ...ak('toId')], channelParticipants: true };
  if (tx.tag === 'contract_call_tx') return { named: ak('callerId'), channelParticipants: false };
  if (tx.tag === 'contract_create_tx' || tx.tag === 'ga_attach_tx') return { named: ak('ownerId'), channelParticipants: false };
  if (tx.tag === 'paying_for_tx') return { named: ak('payerId'), channelParticipants: false };
  return { named: [], channelParticipants: false };
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
 * expected signers, in both forms the node accepts, and which of the tx's signers
 * ({@link signersOf}) and the expected signers have not signed: a tx without the signatures it
 * needs is not valid, even when each signature it has verifies.
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
  const own = signersOf(signed.tx);
  const required = [...new Set([...own.named, ...expected])];
  const missing = required.filter((e) => !signers.has(e));
  const participantsUnnamed = own.channelParticipants && required.length < 2;
  return {
    hash: txHash(signed),
    networkId,
    tx: signed.tx.tag,
    signatures,
    required,
    participantsUnnamed,
    missing,
    valid: missing.length === 0 && !participantsUnnamed && signatures.every((s) => s.signer !== null),
  };
}
