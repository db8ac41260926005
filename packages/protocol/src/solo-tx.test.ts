import { type AccountAddress, type SignedTx, encodeApi } from '@aesc/encoding';
import { AESC_ERROR__CHANNEL__PAYLOAD_MISMATCH, AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH, aescErrorCodeOf } from '@aesc/errors';
import { buildPoi, encodedOffchainStateHash } from '@aesc/state';
import { describe, expect, it } from 'vitest';
import { nextRound } from './next-round.js';
import { offchainTx } from './proposal.js';
import { transferUpdates } from './round-updates.js';
import { type SoloKind, type SoloTxContext, checkSettleTx, checkSoloTx, latestPayload, soloTx } from './solo-tx.js';
import { account, channelId, initiator, opening, responder, unsigned } from './test-fixtures.js';

const next = nextRound(opening, transferUpdates({ from: initiator, to: responder, amount: 100n }), { channelReserve: 2n }); // round 2: 600 / 500
const state = next.state;
const latest = unsigned(offchainTx(channelId, next));
const base: SoloTxContext = {
  channelId,
  me: initiator,
  initiator,
  responder,
  state,
  latest,
  onChain: { round: 1n, lockedUntil: 0n },
  soloClosing: false,
  idleOpen: true,
  ttl: 0n,
};
/** The tx built for fee 5 and nonce 9, or the refusal's reason code. */
const run = (kind: SoloKind, c: Partial<SoloTxContext> = {}) => {
  const out = soloTx(kind, { ...base, ...c });
  return 'refuse' in out ? out.refuse : (out.build(5n, 9n) as unknown as Record<string, unknown>);
};
const closing = { onChain: { round: 1n, lockedUntil: 40n } };
const meta = (tx: SignedTx, gaId: AccountAddress = account(9)): SignedTx =>
  unsigned({ tag: 'ga_meta_tx', version: 2, gaId, authData: encodeApi('cb', new Uint8Array([1])), abiVersion: 1n, fee: 1n, gas: 1n, gasPrice: 1n, tx });

describe('the solo txs a participant posts alone, as the node’s FSM builds them', () => {
  it('close_solo: the latest state as payload (empty when the chain has its round), a PoI of both, while open and idle', () => {
    expect(run('close_solo')).toMatchObject({ tag: 'channel_close_solo_tx', channelId, fromId: initiator, payload: latest, fee: 5n, nonce: 9n, ttl: 0n });
    expect(run('close_solo', { onChain: { round: 2n, lockedUntil: 0n } })).toMatchObject({ payload: null });
    for (const c of [closing, { soloClosing: true }, { idleOpen: false }]) expect(run('close_solo', c)).toBe(1018);
  });

  it('slash: only while closing, and only with a later round than the chain’s', () => {
    expect(run('slash')).toBe(1018);
    expect(run('slash', { onChain: { round: 2n, lockedUntil: 40n } })).toBe(1018);
    expect(run('slash', closing)).toMatchObject({ tag: 'channel_slash_tx', payload: latest, fee: 5n, nonce: 9n });
    expect(run('slash', { soloClosing: true })).toMatchObject({ tag: 'channel_slash_tx' });
  });

  it('settle: only while closing, paying out the latest state’s balances', () => {
    expect(run('settle')).toBe(1018);
    expect(run('settle', closing)).toMatchObject({ tag: 'channel_settle_tx', initiatorAmountFinal: 600n, responderAmountFinal: 500n, fee: 5n });
  });

  it('snapshot_solo: an off-chain state (inside any meta tx) the chain does not have yet, while open', () => {
    expect(run('snapshot_solo')).toMatchObject({ tag: 'channel_snapshot_solo_tx', payload: latest });
    expect(run('snapshot_solo', { onChain: { round: 2n, lockedUntil: 0n } })).toBe(1013);
    const deposit = unsigned({ tag: 'channel_deposit_tx', version: 1, channelId, fromId: initiator, amount: 1n, ttl: 0n, fee: 1n, stateHash: next.stateHash, round: 2n, nonce: 1n });
    expect(run('snapshot_solo', { latest: deposit })).toBe(1012);
    expect(run('snapshot_solo', { latest: meta(latest) })).toMatchObject({ payload: meta(latest) });
    expect(run('snapshot_solo', closing)).toBe(1018);
    expect(latestPayload(meta(deposit))).toBeNull();
  });
});

describe('checking a solo tx before signing it', () => {
  const poi = buildPoi(state.trees, { accounts: [initiator, responder] });
  const close = { tag: 'channel_close_solo_tx', version: 1, channelId, fromId: initiator, payload: latest, poi, ttl: 0n, fee: 5n, nonce: 9n } as const;
  const ctx = { initiator, responder, from: initiator, latest: { state, tx: latest } };
  const code = (f: () => unknown) => aescErrorCodeOf(f);

  it('takes what the FSM builds of the latest round', () => {
    expect(code(() => checkSoloTx(close, ctx))).toBeUndefined();
    expect(code(() => checkSoloTx({ ...close, tag: 'channel_slash_tx' }, ctx))).toBeUndefined();
    expect(code(() => checkSoloTx({ tag: 'channel_snapshot_solo_tx', version: 1, channelId, fromId: initiator, payload: latest, ttl: 0n, fee: 5n, nonce: 9n }, ctx))).toBeUndefined();
  });

  it('refuses another poster, an older payload, an empty one where the latest round is off chain, and a PoI of another state', () => {
    expect(code(() => checkSoloTx(close, { ...ctx, from: responder }))).toBe(AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH);
    const older = unsigned({ tag: 'channel_offchain_tx', version: 2, channelId, round: 1n, stateHash: encodedOffchainStateHash(opening) });
    expect(code(() => checkSoloTx({ ...close, payload: older }, ctx))).toBe(AESC_ERROR__CHANNEL__PAYLOAD_MISMATCH);
    expect(code(() => checkSoloTx({ ...close, payload: null }, ctx))).toBe(AESC_ERROR__CHANNEL__PAYLOAD_MISMATCH);
    expect(code(() => checkSoloTx({ ...close, poi: buildPoi(opening.trees, { accounts: [initiator, responder] }) }, ctx))).toBe(AESC_ERROR__CHANNEL__PAYLOAD_MISMATCH);
    expect(code(() => checkSoloTx({ ...close, poi: buildPoi(state.trees, { accounts: [initiator] }) }, ctx))).toBe(AESC_ERROR__CHANNEL__PAYLOAD_MISMATCH);
  });

  it('after a round made on chain: a close with an empty payload only; no slash or snapshot', () => {
    const deposit = unsigned({ tag: 'channel_deposit_tx', version: 1, channelId, fromId: initiator, amount: 1n, ttl: 0n, fee: 1n, stateHash: next.stateHash, round: 2n, nonce: 1n });
    const onChain = { ...ctx, latest: { state, tx: deposit } };
    expect(code(() => checkSoloTx({ ...close, payload: null }, onChain))).toBeUndefined();
    expect(code(() => checkSoloTx(close, onChain))).toBe(AESC_ERROR__CHANNEL__PAYLOAD_MISMATCH);
    expect(code(() => checkSoloTx({ ...close, tag: 'channel_slash_tx', payload: null }, onChain))).toBe(AESC_ERROR__CHANNEL__PAYLOAD_MISMATCH);
  });

  it('a settle pays exactly the given amounts, from its poster', () => {
    const settle = { tag: 'channel_settle_tx', version: 1, channelId, fromId: initiator, initiatorAmountFinal: 600n, responderAmountFinal: 500n, ttl: 0n, fee: 5n, nonce: 9n } as const;
    const amounts = { initiatorAmountFinal: 600n, responderAmountFinal: 500n };
    expect(code(() => checkSettleTx(settle, initiator, amounts))).toBeUndefined();
    expect(code(() => checkSettleTx({ ...settle, initiatorAmountFinal: 601n, responderAmountFinal: 499n }, initiator, amounts))).toBe(AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH);
    expect(code(() => checkSettleTx(settle, responder, amounts))).toBe(AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH);
  });
});
