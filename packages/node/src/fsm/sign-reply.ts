import type { SignTag } from '@aesc/channel-api';
import type { AccountAddress, SignedTx, Transaction } from '@aesc/encoding';
import { innerTx } from '@aesc/protocol';
import { sameObject } from './object-bytes.js';

/**
 * What the node's FSM does with a signed reply it cannot use, by the request it answers (aesc_fsm,
 * `awaiting_signature`):
 * - `error-keep-waiting`: the create tx (`maybe_check_sigs_create`): `channels.error` with the
 *   reason, and the request stays open for another reply;
 * - `error-and-conflict`: the rounds' txs and settle (`maybe_check_auth`): `channels.error` with the
 *   reason, then the round is dropped as a validation error (`channels.conflict`, code 1, at the
 *   last co-signed round); an acknowledging side tells the peer's FSM too (`update_error`, …);
 * - `rejected-on-chain`: close_solo and slash (`try_to_push_to_mempool`): `channels.conflict` with
 *   code 5 (rejected on-chain) and no `channels.error`;
 * - `dropped`: snapshot_solo: the request is dropped and nothing is reported.
 */
export type BadReplyOutcome = 'error-keep-waiting' | 'error-and-conflict' | 'rejected-on-chain' | 'dropped';

/**
 * Whose signatures a signed reply must carry, exactly (aesc_fsm's `pubkeys/3` and the checks that
 * use it): `initiator` only (the create tx, as the initiator signs it first), `both`, `me` (a solo
 * tx, which has one signer on chain), or `me-or-both`: the client's own, or both parties' when the
 * reply carries two or more (a client holding both keys may send a round co-signed already).
 */
export type ReplySigners = 'initiator' | 'both' | 'me' | 'me-or-both';

interface SignReplyRule {
  readonly signers: ReplySigners;
  readonly onBad: BadReplyOutcome;
  /** The node's reason when the signed tx is of another type (`check_tx_if_expected`'s `WrongMod`), where it reports one. */
  readonly wrongType?: string;
}

/** How the node checks the signed reply to each sign request, and what it does when the check fails. */
export const SIGN_REPLY_RULES: Readonly<Record<SignTag, SignReplyRule>> = {
  initiator_sign: { signers: 'initiator', onBad: 'error-keep-waiting', wrongType: 'not_create_tx' },
  responder_sign: { signers: 'both', onBad: 'error-keep-waiting', wrongType: 'not_create_tx' },
  update: { signers: 'me-or-both', onBad: 'error-and-conflict', wrongType: 'not_offchain_tx' },
  update_ack: { signers: 'both', onBad: 'error-and-conflict', wrongType: 'not_offchain_tx' },
  deposit_tx: { signers: 'me-or-both', onBad: 'error-and-conflict', wrongType: 'not_deposit_tx' },
  deposit_ack: { signers: 'both', onBad: 'error-and-conflict', wrongType: 'not_deposit_tx' },
  withdraw_tx: { signers: 'me-or-both', onBad: 'error-and-conflict', wrongType: 'not_withdraw_tx' },
  withdraw_ack: { signers: 'both', onBad: 'error-and-conflict', wrongType: 'not_withdraw_tx' },
  shutdown_sign: { signers: 'me-or-both', onBad: 'error-and-conflict', wrongType: 'not_close_mutual_tx' },
  shutdown_sign_ack: { signers: 'both', onBad: 'error-and-conflict', wrongType: 'not_close_mutual_tx' },
  settle_sign: { signers: 'me', onBad: 'error-and-conflict', wrongType: 'not_settle_tx' },
  close_solo_sign: { signers: 'me', onBad: 'rejected-on-chain' },
  slash_tx: { signers: 'me', onBad: 'rejected-on-chain' },
  snapshot_solo_tx: { signers: 'me', onBad: 'dropped' },
  force_progress_tx: { signers: 'me', onBad: 'dropped' },
};

/** The accounts whose signatures the reply to `tag` must carry, exactly one each. */
export function requiredSigners(tag: SignTag, signed: SignedTx, parties: { readonly me: AccountAddress; readonly initiator: AccountAddress; readonly responder: AccountAddress }): AccountAddress[] {
  const both = [parties.initiator, parties.responder];
  const rule = SIGN_REPLY_RULES[tag];
  if (rule.signers === 'initiator') return [parties.initiator];
  if (rule.signers === 'both') return both;
  if (rule.signers === 'me') return [parties.me];
  return signed.signatures.length >= 2 ? both : [parties.me];
}

/**
 * Why the tx a client signed is not the one it was asked to sign (undefined when it is), in the
 * node's words and order (`check_tx_if_expected`: channel, round, state hash, type). A tx that
 * differs only in fields the node does not compare there (amounts, fee, nonce, ttl) carries no
 * signature of the tx asked for: `bad_signature`. (The node would pass such a tx on to the peer,
 * whose checks refuse it; this node refuses it at once.)
 */
export function txMismatch(tag: SignTag, asked: Transaction, signed: SignedTx): string | undefined {
  // compared inside any `ga_meta_tx` wrappers, as the node compares `aetx_sign:innermost_tx`
  const got: Transaction = innerTx(signed).tx;
  if (sameObject(got, asked)) return undefined;
  const field = (tx: Transaction, k: 'channelId' | 'round' | 'stateHash') => (tx as unknown as Record<string, unknown>)[k];
  const create = tag === 'initiator_sign' || tag === 'responder_sign';
  if (create) {
    if (got.tag !== asked.tag) return SIGN_REPLY_RULES[tag].wrongType ?? 'bad_signature';
  } else {
    if (field(got, 'channelId') !== field(asked, 'channelId')) return 'different_channel_id';
    if (field(got, 'round') !== field(asked, 'round')) return 'wrong_round';
    if (field(got, 'stateHash') !== field(asked, 'stateHash')) return 'bad_state_hash';
    if (got.tag !== asked.tag) return SIGN_REPLY_RULES[tag].wrongType ?? 'bad_signature';
  }
  if (create && field(got, 'stateHash') !== field(asked, 'stateHash')) return 'bad_state_hash';
  return 'bad_signature';
}
