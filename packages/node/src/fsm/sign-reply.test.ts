import { SIGN_TAGS, type SignTag } from '@aesc/channel-api';
import { type SignedTx, type Transaction, encodeApi } from '@aesc/encoding';
import { innerTx } from '@aesc/protocol';
import { describe, expect, it } from 'vitest';
import { SIGN_REPLY_RULES, requiredSigners, txMismatch } from './sign-reply.js';

const I = encodeApi('ak', new Uint8Array(32).fill(1));
const R = encodeApi('ak', new Uint8Array(32).fill(2));
const offchain = { tag: 'channel_offchain_tx', version: 2, channelId: encodeApi('ch', new Uint8Array(32).fill(3)), round: 4n, stateHash: encodeApi('st', new Uint8Array(32).fill(5)) } as Transaction;
const signedWith = (tx: Transaction, n: number): SignedTx => ({ tag: 'signed_tx', version: 1, signatures: Array.from({ length: n }, () => new Uint8Array(64)), tx });

describe('sign replies as aesc_fsm checks them', () => {
  it('has a rule for every sign request', () => {
    expect(Object.keys(SIGN_REPLY_RULES).sort()).toEqual(Object.keys(SIGN_TAGS).sort());
  });

  it('asks for the signers of each request: the initiator alone for the create tx, both for an ack, the client (or both when it sent two) for its own round, the client alone for a solo tx', () => {
    const parties = { me: R, initiator: I, responder: R };
    const need = (tag: SignTag, n: number) => requiredSigners(tag, signedWith(offchain, n), parties);
    expect(need('initiator_sign', 1)).toEqual([I]);
    expect(need('initiator_sign', 2)).toEqual([I]);
    for (const tag of ['responder_sign', 'update_ack', 'deposit_ack', 'withdraw_ack', 'shutdown_sign_ack'] as const) expect(need(tag, 1)).toEqual([I, R]);
    for (const tag of ['update', 'deposit_tx', 'withdraw_tx', 'shutdown_sign'] as const) {
      expect(need(tag, 1)).toEqual([R]);
      expect(need(tag, 2)).toEqual([I, R]);
      expect(need(tag, 3)).toEqual([I, R]);
    }
    for (const tag of ['close_solo_sign', 'slash_tx', 'settle_sign', 'snapshot_solo_tx'] as const) expect(need(tag, 2)).toEqual([R]);
  });

  it('names why a signed tx is not the one asked for, in the node’s words and order', () => {
    const signed = (tx: Partial<Record<string, unknown>>) => signedWith({ ...offchain, ...tx } as Transaction, 1);
    expect(txMismatch('update', offchain, signed({}))).toBeUndefined();
    expect(txMismatch('update', offchain, signed({ channelId: encodeApi('ch', new Uint8Array(32).fill(9)), round: 5n }))).toBe('different_channel_id');
    expect(txMismatch('update', offchain, signed({ round: 5n, stateHash: encodeApi('st', new Uint8Array(32)) }))).toBe('wrong_round');
    expect(txMismatch('update', offchain, signed({ stateHash: encodeApi('st', new Uint8Array(32)) }))).toBe('bad_state_hash');
    const deposit = { tag: 'channel_deposit_tx', version: 1, channelId: (offchain as { channelId: string }).channelId, fromId: I, amount: 1n, ttl: 0n, fee: 1n, stateHash: (offchain as { stateHash: string }).stateHash, round: 4n, nonce: 1n } as Transaction;
    expect(txMismatch('update', offchain, signedWith(deposit, 1))).toBe('not_offchain_tx');
    expect(txMismatch('deposit_tx', deposit, signedWith(offchain, 1))).toBe('not_deposit_tx');
    // a field the node does not compare: no signature of the tx asked for
    expect(txMismatch('deposit_tx', deposit, signedWith({ ...deposit, fee: 2n } as Transaction, 1))).toBe('bad_signature');
    // compared inside a generalized account's wrapper, as the node compares the innermost tx
    const meta = { tag: 'ga_meta_tx', version: 2, gaId: I, authData: encodeApi('cb', new Uint8Array([1])), abiVersion: 3n, fee: 1n, gas: 1n, gasPrice: 1n, tx: signedWith(offchain, 1) } as unknown as Transaction;
    expect(innerTx(signedWith(meta, 0)).tx).toBe(offchain);
    expect(txMismatch('update', offchain, signedWith(meta, 0))).toBeUndefined();
  });
});
