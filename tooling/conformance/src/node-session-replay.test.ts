import { loadTranscript, loadTranscripts } from '@aesc/corpus';
import { type TreesPoi, decodeTx, encodeApi, encodeTx } from '@aesc/encoding';
import { payCloseMutualFee } from '@aesc/protocol';
import { encodePoi } from '@aesc/state';
import { describe, expect, it } from 'vitest';
import { type CompareCounts, IdMap, compareFrame } from './frame-compare.js';
import { DOUBLE_CONFLICT_RECORDING, type Frame, OLDER_NODE, OLD_CLOSE_MUTUAL_FEE } from './older-node.js';
import { continuationAliases, replayTranscriptAgainstNode, replayedExactly, sharedNibbles } from './node-session-replay.js';
import { continuationSteps } from './client-replay.js';

const recordedFrames = (file: string) =>
  loadTranscript(file)
    .steps.filter((s) => s.kind === 'recv')
    .map((s) => s.message as Frame);
const withData = (m: Frame, data: Record<string, unknown>): Frame => ({ ...m, params: { ...m.params, data: { ...m.params?.data, ...data } } });
const counts = (): CompareCounts => ({ values: 0 });
const ak = (n: number) => encodeApi('ak', new Uint8Array(32).fill(n));

describe('conformance:node: frames compared value by value', () => {
  it('holds numbers and strings to the recording, and ids to what it learned, both ways', () => {
    const ids = new IdMap();
    const recorded = { method: 'channels.message', params: { channel_id: encodeApi('ch', new Uint8Array(32).fill(1)), data: { message: { from: ak(1), to: ak(2), info: 'hi' } } } };
    const ours = { method: 'channels.message', params: { channel_id: encodeApi('ch', new Uint8Array(32).fill(9)), data: { message: { from: ak(8), to: ak(9), info: 'hi' } } } };
    const c = counts();
    expect(compareFrame(recorded, ours, ids, c)).toEqual([]);
    expect(c.values).toBe(5);
    // the same recorded id must come back as the same id of ours
    expect(compareFrame(recorded, { ...ours, params: { ...ours.params, channel_id: encodeApi('ch', new Uint8Array(32).fill(7)) } }, ids, counts())).toHaveLength(1);
    // and one id of ours cannot stand for two recorded ones
    const swapped = { ...ours, params: { ...ours.params, data: { message: { from: ak(9), to: ak(8), info: 'hi' } } } };
    expect(compareFrame(recorded, swapped, ids, counts())).toHaveLength(2);
    // values, keys and shapes
    expect(compareFrame(recorded, withData(ours as Frame, { message: { from: ak(8), to: ak(9), info: 'ho' } }), ids, counts())).toEqual(['$.params.data.message.info: hi ≠ ho']);
    expect(compareFrame({ a: 1 }, { a: 1, b: 2 }, ids, counts())).toEqual(['$: keys a ≠ a,b']);
    expect(compareFrame({ a: [1, 2] }, { a: [1] }, ids, counts())).toEqual(['$.a: 2 items ≠ 1']);
    expect(compareFrame({ a: 5n }, { a: 5 }, ids, counts())).toEqual([]);
    expect(compareFrame({ a: null }, { a: 'x' }, ids, counts())).toEqual(['$.a: null ≠ string']);
  });

  it('compares txs field by field, their signatures by number, and learns them', () => {
    const [sign] = recordedFrames('sc_ws_basic_open_close.json').filter((m) => m.method === 'channels.sign.update');
    const recorded = String(sign!.params!.data!.signed_tx);
    const tx = decodeTx(recorded);
    const ids = new IdMap();
    // the same tx: equal, and learned (with its hash)
    expect(compareFrame({ t: recorded }, { t: recorded }, ids, counts())).toEqual([]);
    expect(ids.get(recorded)).toBe(recorded);
    // another round: found, by path
    const other = encodeTx({ ...tx, tx: { ...tx.tx, round: 99n } as never });
    expect(compareFrame({ t: recorded }, { t: other }, new IdMap(), counts())).toEqual(['$.t<tx>.tx.round: 2 ≠ 99']);
    const signed = encodeTx({ ...tx, signatures: [new Uint8Array(64)] });
    expect(compareFrame({ t: recorded }, { t: signed }, new IdMap(), counts())).toEqual(['$.t<tx>.signatures: 0 ≠ 1']);
  });

  it('compares a PoI where the keys allow: proof nodes, each known account, the state hash it proves', () => {
    const poiOf = (file: string, method: string) => {
      const tx = decodeTx(String(recordedFrames(file).find((m) => m.method === method)!.params!.data!.signed_tx)).tx as { poi: TreesPoi };
      return encodePoi(tx.poi);
    };
    // the channel's first state (close_solo) and a later one (slash), of the same two accounts
    const first = poiOf('sc_ws_close_solo.json', 'channels.sign.close_solo_sign');
    const later = poiOf('sc_ws_slash.json', 'channels.sign.slash_tx');
    const known = () => {
      const ids = new IdMap();
      for (const a of ['ak_mLjWgLbapr5CiVD2Q248aS2TQj9itXnoPv5tteXvZaJ8tdD2C', 'ak_26jAbCjYM16ppbhFG6PCQhv6HkwRAri7QNJfoEtb1R8amLscpt']) ids.bind(a, a);
      return ids;
    };
    const c = counts();
    expect(compareFrame({ p: first }, { p: first }, known(), c)).toEqual([]);
    expect(c.values).toBe(5); // the accounts tree's proof nodes (the only tree in it), the two accounts, the state hash, the PoI
    const diffs = compareFrame({ p: first }, { p: later }, known(), counts());
    expect(diffs.filter((d) => d.includes('differs from the recorded one'))).toHaveLength(2);
  });
});

describe('conformance:node: the older node’s recordings', () => {
  const FILE = 'changeable_fee/sc_ws_set_fee_create.json';
  const older = OLDER_NODE[FILE]!;
  const recorded = recordedFrames(FILE);
  const fundingCreated = recorded.find((m) => m.method === 'channels.info' && m.params?.data?.event === 'funding_created')!;
  const shutdownSign = recorded.find((m) => m.method === 'channels.sign.shutdown_sign')!;

  it('makes ours a funding report without channel id and fsm_id where the recording has neither, and nothing else', () => {
    expect(fundingCreated.params?.channel_id).toBeNull();
    expect(fundingCreated.params?.data?.fsm_id).toBeUndefined();
    const ours = { ...withData(fundingCreated, { fsm_id: 'ba_AAAA' }), params: { ...withData(fundingCreated, { fsm_id: 'ba_AAAA' }).params, channel_id: 'ch_x' } };
    const asOlder = older.asOlder!(fundingCreated, ours, {});
    expect(asOlder).toEqual(fundingCreated);
    // no difference to explain, or ours without the fsm_id the current node sends: not this difference
    expect(older.asOlder!(fundingCreated, fundingCreated, {})).toBeUndefined();
    expect(older.asOlder!(fundingCreated, { ...fundingCreated, params: { ...fundingCreated.params, channel_id: 'ch_x' } }, {})).toBeUndefined();
  });

  it('makes ours a close_mutual at the old default fee, split the same way; another difference stays', () => {
    const signed = decodeTx(String(shutdownSign.params?.data?.signed_tx));
    const tx = signed.tx as unknown as { fee: bigint; initiatorAmountFinal: bigint; responderAmountFinal: bigint };
    expect(tx.fee).toBe(OLD_CLOSE_MUTUAL_FEE);
    const initiator = tx.initiatorAmountFinal + tx.fee / 2n;
    const responder = tx.responderAmountFinal + tx.fee / 2n;
    const ours = (fee: bigint, shift = 0n) => {
      const split = payCloseMutualFee(fee, initiator, responder)!;
      const t = { ...signed.tx, fee, initiatorAmountFinal: split.initiatorAmountFinal + shift, responderAmountFinal: split.responderAmountFinal - shift };
      return withData(shutdownSign, { signed_tx: encodeTx({ ...signed, tx: t } as never) });
    };
    const ids = new IdMap();
    expect(compareFrame(shutdownSign, older.asOlder!(shutdownSign, ours(16_900n * 10n ** 9n), {})!, ids, counts())).toEqual([]);
    // another split of our fee gives another split of the old default: compared, it differs
    const shifted = older.asOlder!(shutdownSign, ours(16_900n * 10n ** 9n, 1n), {})!;
    expect(compareFrame(shutdownSign, shifted, new IdMap(), counts())).toEqual([
      '$.params.data.signed_tx<tx>.tx.initiatorAmountFinal: 59999999999999 ≠ 60000000000000',
      '$.params.data.signed_tx<tx>.tx.responderAmountFinal: 30000000000001 ≠ 30000000000000',
    ]);
    // without the old default fee in the recording there is nothing to explain
    const notDefault = withData(shutdownSign, { signed_tx: encodeTx({ ...signed, tx: { ...signed.tx, fee: tx.fee + 2n } } as never) });
    expect(older.asOlder!(notDefault, ours(16_900n * 10n ** 9n), {})).toBeUndefined();
  });

  it('the responder that stayed: one channels.update the recording lacks, right after its open report, with the state it had', () => {
    const STAYS = 'sc_ws_leave_reestablish_responder_stays.json';
    const stays = OLDER_NODE[STAYS]!;
    const responder = loadTranscript(STAYS)
      .steps.filter((s) => s.kind === 'recv' && s.actor === 'responder')
      .map((s) => s.message as Frame);
    const open = responder.filter((m) => m.method === 'channels.info' && m.params?.data?.event === 'open').at(-1)!;
    const update = responder.filter((m) => m.method === 'channels.update').at(-1)!;
    const state = String(update.params?.data?.state);
    expect(OLDER_NODE['sc_ws_leave_reconnect.json']).toBe(stays);
    expect(stays.extra?.(update, { lastMatched: open, lastState: state })).toBe(true);
    expect(stays.extra?.(withData(update, { state: 'tx_other' }), { lastMatched: open, lastState: state })).toBe(false);
    expect(stays.extra?.(update, { lastMatched: update, lastState: state })).toBe(false);
    expect(stays.extra?.(open, { lastMatched: open, lastState: state })).toBe(false);
    expect(stays.extra?.(update, { lastMatched: open })).toBe(false);
  });

  it('the double conflicts of a node before b3d53d489: a second conflict with the round and code of the one before, and no other', () => {
    const recorded = recordedFrames('continuous/sc_ws_update_conflict.json');
    const conflict = recorded.find((m) => m.method === 'channels.conflict')!;
    expect(OLDER_NODE['continuous/sc_ws_update_conflict.json']).toBe(DOUBLE_CONFLICT_RECORDING);
    expect(DOUBLE_CONFLICT_RECORDING.missing?.(conflict, { lastMatched: conflict })).toBe(true);
    expect(DOUBLE_CONFLICT_RECORDING.missing?.(conflict, { lastMatched: withData(conflict, { round: 4 }) })).toBe(false);
    expect(DOUBLE_CONFLICT_RECORDING.missing?.(conflict, { lastMatched: recorded[0] })).toBe(false);
    expect(DOUBLE_CONFLICT_RECORDING.missing?.(conflict, {})).toBe(false);
  });
});

describe('conformance:node: a continuation under other names', () => {
  it('aliases sc_ws_update_conflict’s accounts and channel to those of the group’s opening, by role', () => {
    const all = loadTranscripts();
    const t = all.find((x) => x.file === 'continuous/sc_ws_update_conflict.json')!;
    const aliases = continuationAliases(t, continuationSteps(t, all), all);
    expect([...aliases.values()].sort()).toEqual(
      ['ak_mLjWgLbapr5CiVD2Q248aS2TQj9itXnoPv5tteXvZaJ8tdD2C', 'ak_26jAbCjYM16ppbhFG6PCQhv6HkwRAri7QNJfoEtb1R8amLscpt', 'ch_S8axer1izndZW5nt5Qi7e8gZsjDFi13S64RZkWSFzHYmUi3PJ'].sort(),
    );
    expect(aliases.get('ak_2W5Z2uyH8s1smQo2ZxgB8V3hH9VCJkXmGCaATmtRQjJUbQ8MNB')).toBe('ak_mLjWgLbapr5CiVD2Q248aS2TQj9itXnoPv5tteXvZaJ8tdD2C');
    // a continuation under the group's own names has none
    const deposit = all.find((x) => x.file === 'continuous/sc_ws_deposit.json')!;
    expect(continuationAliases(deposit, continuationSteps(deposit, all), all).size).toBe(0);
  });
});

describe('conformance:node: strict replays against our node', () => {
  // Each runs once, as `pnpm conformance:node` runs it: every recorded frame found in order and
  // compared, no frame of ours left over (the 18 `error 3` frames the conflicts transcripts drew
  // before the node answered sign replies as the æternity node does).
  for (const file of ['both_sign/conflicts/sc_ws_conflict_two_deposits.json', 'sc_ws_leave_reestablish.json', 'changeable_fee/sc_ws_set_fee_create.json']) {
    it(`replays ${file} with every frame compared and none extra`, async () => {
      const all = loadTranscripts();
      const t = all.find((x) => x.file === file)!;
      const steps = t.steps.some((s) => s.kind === 'connect') ? t.steps : continuationSteps(t, all);
      const r = await replayTranscriptAgainstNode(t, steps, continuationAliases(t, steps, all));
      expect([...r.extraFrames, ...r.mismatches]).toEqual([]);
      expect(replayedExactly(r)).toBe(true);
      expect(r.framesCompared).toBe(steps.filter((s) => s.kind === 'recv').length - r.olderNode.filter((o) => o.includes('only the older node sent')).length);
      expect(r.olderNode.length > 0).toBe(OLDER_NODE[file] !== undefined);
    }, 60_000);
  }
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
