import { loadTranscript } from '@aesc/corpus';
import { decodeTx, encodeTx } from '@aesc/encoding';
import { payCloseMutualFee } from '@aesc/state';
import { describe, expect, it } from 'vitest';
import { OLDER_NODE, sharedNibbles } from './node-session-replay.js';

type Msg = Record<string, unknown> & { method?: string; params?: { data?: Record<string, unknown> } };

const FILE = 'changeable_fee/sc_ws_set_fee_create.json';
const recorded = loadTranscript(FILE)
  .steps.filter((s) => s.kind === 'recv')
  .map((s) => s.message as Msg);
const find = (pred: (m: Msg) => boolean) => {
  const m = recorded.find(pred);
  if (m === undefined) throw new Error('not in the transcript');
  return m;
};
const withData = (m: Msg, data: Record<string, unknown>): Msg => ({ ...m, params: { ...m.params, data: { ...m.params?.data, ...data } } });
const older = OLDER_NODE[FILE]!;

describe('conformance:node: the older node’s recordings', () => {
  const fundingCreated = find((m) => m.method === 'channels.info' && m.params?.data?.event === 'funding_created');
  const shutdownSign = find((m) => m.method === 'channels.sign.shutdown_sign');

  it('tolerates a funding report that has an fsm_id where the recording has none, and nothing else', () => {
    expect(fundingCreated.params?.data?.fsm_id).toBeUndefined();
    expect(older.tolerates(fundingCreated, withData(fundingCreated, { fsm_id: 'ba_AAAA' }))).toBe(true);
    expect(older.tolerates(fundingCreated, fundingCreated)).toBe(false); // no difference to explain
    expect(older.tolerates(fundingCreated, withData(fundingCreated, { fsm_id: 'ba_AAAA', extra: 1 }))).toBe(false);
    expect(older.tolerates(fundingCreated, withData(fundingCreated, { fsm_id: 'ba_AAAA', event: 'funding_signed' }))).toBe(false);
  });

  it('tolerates a close_mutual at the minimum fee where the recording has the old default fee, split the same way', () => {
    const signed = decodeTx(String(shutdownSign.params?.data?.signed_tx));
    const tx = signed.tx as unknown as { fee: bigint; initiatorAmountFinal: bigint; responderAmountFinal: bigint };
    expect(tx.fee).toBe(20_000n * 10n ** 9n);
    // The balances before the fee, and our tx: the same channel at the minimum fee.
    const initiator = tx.initiatorAmountFinal + tx.fee / 2n;
    const responder = tx.responderAmountFinal + tx.fee / 2n;
    const ours = (fee: bigint, shift = 0n) => {
      const split = payCloseMutualFee(fee, initiator, responder)!;
      const t = { ...signed.tx, fee, initiatorAmountFinal: split.initiatorAmountFinal + shift, responderAmountFinal: split.responderAmountFinal - shift };
      return withData(shutdownSign, { signed_tx: encodeTx({ ...signed, tx: t } as never) });
    };
    expect(older.tolerates(shutdownSign, ours(16_900n * 10n ** 9n))).toBe(true);
    expect(older.tolerates(shutdownSign, ours(16_900n * 10n ** 9n, 1n))).toBe(false); // another split
    expect(older.tolerates(shutdownSign, withData(ours(16_900n * 10n ** 9n), { extra: 1 }))).toBe(false);
    // A recording whose fee is not the old default is not explained by it.
    const notDefault = withData(shutdownSign, { signed_tx: encodeTx({ ...signed, tx: { ...signed.tx, fee: tx.fee + 2n, initiatorAmountFinal: tx.initiatorAmountFinal - 1n, responderAmountFinal: tx.responderAmountFinal - 1n } } as never) });
    expect(older.tolerates(notDefault, ours(16_900n * 10n ** 9n))).toBe(false);
  });
});

describe('conformance:node: the recordings of a responder that stayed through a reestablish', () => {
  const STAYS = 'sc_ws_leave_reestablish_responder_stays.json';
  const stays = OLDER_NODE[STAYS]!;
  const responder = loadTranscript(STAYS)
    .steps.filter((s) => s.kind === 'recv' && s.actor === 'responder')
    .map((s) => s.message as Msg);
  const lastOf = (pred: (m: Msg) => boolean) => responder.filter(pred).at(-1)!;
  const open = lastOf((m) => m.method === 'channels.info' && m.params?.data?.event === 'open');
  const update = lastOf((m) => m.method === 'channels.update');
  const state = String(update.params?.data?.state);

  it('is the one message the recording lacks: channels.update with the state the responder had, right after its open report', () => {
    expect(OLDER_NODE['sc_ws_leave_reconnect.json']).toBe(stays);
    expect(stays.extra?.(update, { lastMatched: open, lastState: state })).toBe(true);
    // another state, another message before it, or another kind of message: not explained
    expect(stays.extra?.(withData(update, { state: 'tx_other' }), { lastMatched: open, lastState: state })).toBe(false);
    expect(stays.extra?.(update, { lastMatched: update, lastState: state })).toBe(false);
    expect(stays.extra?.(open, { lastMatched: open, lastState: state })).toBe(false);
    expect(stays.extra?.(update, { lastMatched: open })).toBe(false);
    // and no recorded message differs otherwise
    expect(stays.tolerates(update, withData(update, { state: 'tx_other' }))).toBe(false);
  });
});

describe('conformance:node: fresh keys shaped as the recorded ones', () => {
  it('counts the leading nibbles two keys share', () => {
    const k = (...b: number[]) => new Uint8Array(b);
    expect(sharedNibbles(k(0x12, 0x34), k(0x22, 0x34))).toBe(0);
    expect(sharedNibbles(k(0x12, 0x34), k(0x13, 0x34))).toBe(1);
    expect(sharedNibbles(k(0x12, 0x34), k(0x12, 0x44))).toBe(2);
    expect(sharedNibbles(k(0x12, 0x34), k(0x12, 0x35))).toBe(3);
    expect(sharedNibbles(k(0x12, 0x34), k(0x12, 0x34))).toBe(4);
  });
});
