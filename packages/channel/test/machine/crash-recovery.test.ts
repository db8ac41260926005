import { accountAddress } from '@aesc/crypto';
import { type AccountAddress, type SignedTx, type Transaction, encodeTx } from '@aesc/encoding';
import {
  AESC_ERROR__CHANNEL__NOT_CO_SIGNED,
  AESC_ERROR__CHANNEL__NOT_PENDING_PROPOSAL,
  AESC_ERROR__CHANNEL__NOT_REQUESTED,
  AESC_ERROR__CHANNEL__SIGNATURE_MISSING,
  AESC_ERROR__CHANNEL__STORE_FAILED,
  AescError,
} from '@aesc/errors';
import { depositUpdates, nextRound, offchainTx, onChainRoundTx, transferUpdates, withdrawUpdates } from '@aesc/protocol';
import { type OffchainUpdate, updateToJson } from '@aesc/state';
import { describe, expect, it } from 'vitest';
import { initialClientState } from '../../src/machine/reducer.js';
import { safeDecision } from '../../src/signing-policy.js';
import type { ClientEvent, ClientState, Command, Effect } from '../../src/machine/types.js';
import type { PendingProposal } from '../../src/store/channel-record.js';
import { config, initiator, openChannel, responder, run } from './seed-channel.js';

// The client's side of crash recovery: its own proposal kept before it signs it (C1), the peer's
// deposits and withdrawals stored before the ack (C2), the round the node reports co-signed after
// a restart (R3) and the sign request the node sends again (R4). The channel is the seed
// transcript's, opened from its recorded frames; later rounds are the node's frames as it would
// send them, with what the driver found of their signatures.

const ONE = new Uint8Array(64).fill(1);
const TWO = new Uint8Array(64).fill(2);
const signed = (tx: Transaction, signatures: Uint8Array[] = []): SignedTx => ({ tag: 'signed_tx', version: 1, signatures, tx }) as SignedTx;

/** The initiator's own transfer of `amount` to `to` from the state `s` holds: the unsigned tx the node asks it to sign, and the updates. */
function ownTransfer(s: ClientState, amount: bigint, to: AccountAddress = responder, from: AccountAddress = initiator) {
  const updates = transferUpdates({ from, to, amount });
  const next = nextRound(s.last!.state, updates, { channelReserve: config.channelReserve });
  return { updates, next, tx: signed(offchainTx(s.channelId!, next)) };
}

/** A deposit (or withdrawal) of `account` as the node builds it for the round after the one `s` holds. */
function onChainRound(s: ClientState, kind: 'deposit' | 'withdraw', account: AccountAddress, amount: bigint) {
  const updates = kind === 'deposit' ? depositUpdates({ account, amount }) : withdrawUpdates({ account, amount });
  const next = nextRound(s.last!.state, updates, { channelReserve: config.channelReserve });
  const tx = onChainRoundTx(kind, { channelId: s.channelId!, account, amount, next, ttl: 0n, nonce: 7n }, 30_000n);
  return { updates, next, tx: signed(tx) };
}

function signRequest(s: ClientState, tag: string, tx: SignedTx, updates: readonly OffchainUpdate[], signers?: readonly AccountAddress[]): ClientEvent {
  const encoded = encodeTx(tx);
  return {
    type: 'message',
    message: { method: `channels.sign.${tag}`, params: { channel_id: s.channelId!, data: { signed_tx: encoded, updates: updates.map(updateToJson) } } },
    signers: { tx: encoded, signers: signers ?? [], strangers: 0 },
  };
}

function report(s: ClientState, tx: SignedTx, signers: readonly AccountAddress[] = [initiator, responder]): ClientEvent {
  const state = encodeTx(tx);
  return { type: 'message', message: { method: 'channels.update', params: { channel_id: s.channelId!, data: { state } } }, signers: { tx: state, signers, strangers: 0 } };
}

/** A client that comes back from its store at the open channel's round 1, with `pending` kept. */
function resumed(open: ClientState, pending?: PendingProposal): ClientState {
  const start = initialClientState({
    ...config,
    resume: { channelId: open.channelId!, fsmId: open.fsmId!, last: open.last!, ...(pending === undefined ? {} : { pending }) },
  });
  return run(start, [{ type: 'message', message: { method: 'channels.info', params: { channel_id: null, data: { event: 'fsm_up', fsm_id: open.fsmId! } } } }]).state;
}

const stores = (effects: readonly Effect[]) => effects.filter((e): e is Extract<Effect, { type: 'store' }> => e.type === 'store');
const errors = (effects: readonly Effect[]) =>
  effects.flatMap((e) => (e.type === 'emit' && (e.event.type === 'error' || e.event.type === 'refused') ? [e.event.error as AescError] : []));

describe('its own proposal is kept before it is signed (C1)', () => {
  it('stores the pending proposal, then signs: the sign effect comes only once the store has kept that record', () => {
    const open = openChannel();
    const transfer = { kind: 'transfer', from: initiator, to: responder, amount: 10n } as const;
    const sent = run(open, [{ type: 'command', id: 1, command: transfer }]);
    const { tx, updates } = ownTransfer(open, 10n);
    const asked = run(sent.state, [signRequest(open, 'update', tx, updates)]);
    expect(asked.effects.map((e) => e.type)).toEqual(['emit', 'store']);
    const record = stores(asked.effects)[0]!.record;
    expect(record.lastCoSigned).toEqual(open.last);
    expect(record.pending).toEqual({ tag: 'update', round: 2n, updates, tx });
    expect(asked.state.pending).toEqual(record.pending);
    // the store's answer for another (earlier) record asks no signer
    const other = run(asked.state, [{ type: 'stored', record: { ...record } }]);
    expect(other.effects).toEqual([]);
    const kept = run(other.state, [{ type: 'stored', record }]);
    expect(kept.effects.map((e) => e.type)).toEqual(['sign']);
    // signed: the reply goes out at once (the pending is durable already)
    const mine = signed(tx.tx, [ONE]);
    const replied = run(kept.state, [{ type: 'signed', tag: 'update', signedTx: mine }]);
    expect(replied.effects).toEqual([{ type: 'send', message: expect.objectContaining({ method: 'channels.update', params: { signed_tx: encodeTx(mine) } }) }]);
    // co-signed: the new round is stored without the pending proposal, which is over, before the
    // app hears of it and the transfer resolves
    const done = run(replied.state, [report(open, signed(tx.tx, [ONE, TWO]))]);
    expect(done.effects.map((e) => (e.type === 'emit' ? e.event.type : e.type))).toEqual(['store', 'round', 'resolve', 'phase']);
    expect(stores(done.effects).map((e) => e.record.pending)).toEqual([undefined]);
    expect(stores(done.effects)[0]!.record.lastCoSigned.state.round).toBe(2n);
    expect(done.state.pending).toBeUndefined();
    expect(done.effects).toContainEqual({ type: 'resolve', id: 1, value: 2n });
  });

  it('keeps a deposit or withdrawal it asked for the same way', () => {
    const open = openChannel();
    for (const kind of ['deposit', 'withdraw'] as const) {
      const sent = run(open, [{ type: 'command', id: 1, command: { kind, amount: 5n } }]);
      const { tx, updates } = onChainRound(open, kind, initiator, 5n);
      const asked = run(sent.state, [signRequest(open, `${kind}_tx`, tx, updates)]);
      expect(asked.effects.map((e) => e.type), kind).toEqual(['emit', 'store']);
      expect(stores(asked.effects)[0]!.record.pending, kind).toEqual({ tag: `${kind}_tx`, round: 2n, updates, tx });
      expect(run(asked.state, [{ type: 'stored' }]).effects.map((e) => e.type), kind).toEqual(['sign']);
    }
  });

  it('drops the pending proposal, in memory and in the store, when the round ends without it: a conflict, the signer declining, the node refusing', () => {
    const open = openChannel();
    const transfer = { kind: 'transfer', from: initiator, to: responder, amount: 10n } as const;
    const { tx, updates } = ownTransfer(open, 10n);
    const asked = run(open, [{ type: 'command', id: 1, command: transfer }, signRequest(open, 'update', tx, updates), { type: 'stored' }]);
    expect(asked.state.pending).toBeDefined();
    const signedOnce = run(asked.state, [{ type: 'signed', tag: 'update', signedTx: signed(tx.tx, [ONE]) }]).state;
    const endings: [string, ClientState, ClientEvent][] = [
      ['conflict', signedOnce, { type: 'message', message: { method: 'channels.conflict', params: { channel_id: open.channelId!, data: { channel_id: open.channelId!, error_code: 1, round: 1 } } } }],
      ['declined', asked.state, { type: 'sign-declined', tag: 'update', code: 4, reason: 'no' }],
      ['node error', signedOnce, { type: 'message', message: { id: 2, error: { code: -32000, message: 'x', data: [{ code: 1018, message: 'Not allowed' }] } } }],
    ];
    for (const [name, from, event] of endings) {
      const r = run(from, [event]);
      expect(r.state.pending, name).toBeUndefined();
      expect(stores(r.effects).map((e) => [e.record.lastCoSigned, e.record.pending]), name).toEqual([[open.last, undefined]]);
      expect(r.state.last, name).toBe(open.last);
    }
  });
});

describe('a store write that fails (the store’s answer is an event)', () => {
  const failed = (record: Extract<Effect, { type: 'store' }>['record']): ClientEvent => ({
    type: 'store-failed',
    record,
    error: new AescError(AESC_ERROR__CHANNEL__STORE_FAILED, { channelId: record.channelId, round: '2', kept: 'test', reason: 'ENOSPC' }),
  });
  const sends = (effects: readonly Effect[]) => effects.flatMap((e) => (e.type === 'send' ? [e.message] : []));
  const abortedUpdate = (s: ClientState): ClientEvent => ({ type: 'message', message: { method: 'channels.info', params: { channel_id: s.channelId!, data: { event: 'aborted_update' } } } });

  it('of its own pending proposal: nothing is signed, the round is aborted, the command fails with STORE_FAILED, and the state is the one before', () => {
    const open = openChannel();
    for (const kind of ['transfer', 'deposit', 'withdraw'] as const) {
      const command: Command = kind === 'transfer' ? { kind, from: initiator, to: responder, amount: 10n } : { kind, amount: 5n };
      const sent = run(open, [{ type: 'command', id: 1, command }]);
      const { tx, updates } = kind === 'transfer' ? ownTransfer(open, 10n) : onChainRound(open, kind, initiator, 5n);
      const tag = kind === 'transfer' ? 'update' : `${kind}_tx`;
      const asked = run(sent.state, [signRequest(open, tag, tx, updates)]);
      const record = stores(asked.effects)[0]!.record;
      const r = run(asked.state, [failed(record)]);
      expect(r.effects.some((e) => e.type === 'sign'), kind).toBe(false);
      expect(errors(r.effects).map((e) => e.code), kind).toEqual([AESC_ERROR__CHANNEL__STORE_FAILED]);
      expect(r.effects, kind).toContainEqual({ type: 'reject', id: 1, error: expect.objectContaining({ code: AESC_ERROR__CHANNEL__STORE_FAILED }) });
      const replyMethod = kind === 'transfer' ? 'channels.update' : `channels.${kind}_tx`;
      expect(sends(r.effects), kind).toEqual([expect.objectContaining({ method: replyMethod, params: { error: 1 } })]);
      expect(r.state.pending, kind).toBeUndefined();
      expect(r.state.last, kind).toBe(open.last);
      expect(r.state.round, kind).toBeUndefined();
      expect(r.state.command, kind).toBeUndefined();
      // a late `stored` of that record asks no signer: the round is over
      expect(run(r.state, [{ type: 'stored', record }]).effects, kind).toEqual([]);
      // the node confirms the abort: the channel is open, and the next command goes out
      const back = run(r.state, [abortedUpdate(open)]);
      expect(back.state.phase, kind).toBe('open');
      const again = run(back.state, [{ type: 'command', id: 2, command }]);
      expect(sends(again.effects).map((m) => m.method), kind).toEqual([kind === 'transfer' ? 'channels.update.new' : `channels.${kind}`]);
    }
  });

  it('of the peer’s round co-signed here: the signature is not sent, the round is aborted, the latest round is the one before', () => {
    const open = openChannel();
    for (const kind of ['deposit', 'withdraw'] as const) {
      const { tx, updates } = onChainRound(open, kind, responder, 5n);
      const asked = run(open, [signRequest(open, `${kind}_ack`, signed(tx.tx, [TWO]), updates, [responder])]);
      const coSigned = signed(tx.tx, [ONE, TWO]);
      const acked = run(asked.state, [{ type: 'signed', tag: `${kind}_ack`, signedTx: coSigned }]);
      const record = stores(acked.effects)[0]!.record;
      expect(acked.state.last?.state.round, kind).toBe(2n);
      const r = run(acked.state, [failed(record)]);
      expect(sends(r.effects), kind).toEqual([expect.objectContaining({ method: `channels.${kind}_ack`, params: { error: 1 } })]);
      expect(errors(r.effects).map((e) => e.code), kind).toEqual([AESC_ERROR__CHANNEL__STORE_FAILED]);
      expect(r.state.last, kind).toBe(open.last);
      expect(r.state.round, kind).toBeUndefined();
      expect(run(r.state, [{ type: 'stored', record }]).effects, kind).toEqual([]);
    }
  });

  it('of a round co-signed already: the app hears of the failure and of the round, the command resolves, the next record kept holds the round', () => {
    const open = openChannel();
    const transfer = { kind: 'transfer', from: initiator, to: responder, amount: 10n } as const;
    const { tx, updates } = ownTransfer(open, 10n);
    const asked = run(open, [{ type: 'command', id: 1, command: transfer }, signRequest(open, 'update', tx, updates), { type: 'stored' }]);
    const replied = run(asked.state, [{ type: 'signed', tag: 'update', signedTx: signed(tx.tx, [ONE]) }]);
    const done = run(replied.state, [report(open, signed(tx.tx, [ONE, TWO]))]);
    expect(done.effects).toContainEqual({ type: 'resolve', id: 1, value: 2n });
    const r = run(done.state, [failed(stores(done.effects)[0]!.record)]);
    expect(r.effects.map((e) => (e.type === 'emit' ? e.event.type : e.type))).toEqual(['error']);
    expect(r.state.last?.state.round).toBe(2n);
    const next = ownTransfer(r.state, 1n);
    const later = run(r.state, [{ type: 'command', id: 2, command: { ...transfer, amount: 1n } }, signRequest(r.state, 'update', next.tx, next.updates)]);
    expect(stores(later.effects).map((e) => [e.record.lastCoSigned.state.round, e.record.pending?.round])).toEqual([[2n, 3n]]);
  });
});

describe('the peer’s deposit and withdrawal are stored before the ack (C2)', () => {
  it('stores the co-signed round of a deposit_ack and a withdraw_ack before the ack goes out, and not again when the node reports it', () => {
    const open = openChannel();
    for (const kind of ['deposit', 'withdraw'] as const) {
      const { tx, updates, next } = onChainRound(open, kind, responder, 5n);
      const half = signed(tx.tx, [TWO]);
      const asked = run(open, [signRequest(open, `${kind}_ack`, half, updates, [responder])]);
      expect(asked.effects.map((e) => e.type), kind).toEqual(['emit', 'sign']);
      const coSigned = signed(tx.tx, [ONE, TWO]);
      const acked = run(asked.state, [{ type: 'signed', tag: `${kind}_ack`, signedTx: coSigned }]);
      // the store first, nothing sent
      expect(acked.effects.map((e) => e.type), kind).toEqual(['store']);
      const record = stores(acked.effects)[0]!.record;
      expect(record.lastCoSigned.state.round, kind).toBe(2n);
      expect(record.lastCoSigned.tx, kind).toEqual(coSigned);
      expect(acked.state.last?.state, kind).toEqual(next.state);
      const stored = run(acked.state, [{ type: 'stored' }]);
      expect(stored.effects, kind).toEqual([{ type: 'send', message: expect.objectContaining({ method: `channels.${kind}_ack`, params: { signed_tx: encodeTx(coSigned) } }) }]);
      const reported = run(stored.state, [report(open, coSigned)]);
      expect(stores(reported.effects), kind).toEqual([]);
      expect(reported.state.last?.state.round, kind).toBe(2n);
    }
  });
});

describe('a client that comes back takes its own pending round the node reports co-signed (R3)', () => {
  it('adopts the round after its last when both signatures hold and the state hash is the one its pending updates make', () => {
    const open = openChannel();
    const { tx, updates, next } = ownTransfer(open, 10n);
    const back = resumed(open, { tag: 'update', round: 2n, updates, tx });
    expect(back.phase).toBe('open');
    expect(back.pending?.round).toBe(2n);
    const coSigned = signed(tx.tx, [ONE, TWO]);
    const r = run(back, [report(open, coSigned)]);
    expect(errors(r.effects)).toEqual([]);
    expect(r.state.last?.state.round).toBe(2n);
    expect(r.state.last?.tx).toEqual(coSigned);
    expect(r.state.pending).toBeUndefined();
    expect(stores(r.effects).map((e) => [e.record.lastCoSigned.tx, e.record.pending])).toEqual([[coSigned, undefined]]);
    expect(r.effects).toContainEqual({ type: 'emit', event: expect.objectContaining({ type: 'round', round: 2n }) });
    expect(r.state.last?.state.trees.accounts).toEqual(next.state.trees.accounts);
  });

  it('adopts a pending deposit round the same way, not a deposit of the same state with another fee or nonce', () => {
    const open = openChannel();
    const { tx, updates } = onChainRound(open, 'deposit', initiator, 5n);
    const back = resumed(open, { tag: 'deposit_tx', round: 2n, updates, tx });
    const r = run(back, [report(open, signed(tx.tx, [ONE, TWO]))]);
    expect(r.state.last?.state.round).toBe(2n);
    expect(stores(r.effects)).toHaveLength(1);
    const deposit = tx.tx as Extract<Transaction, { tag: 'channel_deposit_tx' }>;
    for (const other of [{ ...deposit, fee: deposit.fee + 1n }, { ...deposit, nonce: deposit.nonce + 1n }]) {
      const refused = run(back, [report(open, signed(other, [ONE, TWO]))]);
      expect(refused.state).toEqual(back);
      expect(stores(refused.effects)).toEqual([]);
      expect(errors(refused.effects).map((e) => e.code)).toEqual([AESC_ERROR__CHANNEL__NOT_CO_SIGNED]);
    }
  });

  it('refuses a round it cannot verify: one signature, a wrong state hash, two rounds ahead, no pending, another tx; state and store intact, nothing signed', () => {
    const open = openChannel();
    const { tx, updates } = ownTransfer(open, 10n);
    const pending = { tag: 'update', round: 2n, updates, tx } as const;
    const back = resumed(open, pending);
    const other = ownTransfer(open, 11n);
    const twoAhead = signed(offchainTx(open.channelId!, nextRound(ownTransfer(open, 10n).next.state, transferUpdates({ from: initiator, to: responder, amount: 1n }), { channelReserve: 2n })), [ONE, TWO]);
    const deposit = onChainRound(open, 'deposit', initiator, 5n);
    const cases: [string, ClientState, ClientEvent, number?][] = [
      ['one signature', back, report(open, signed(tx.tx, [ONE]), [initiator]), AESC_ERROR__CHANNEL__SIGNATURE_MISSING],
      ['only the peer’s signature', back, report(open, signed(tx.tx, [TWO]), [responder]), AESC_ERROR__CHANNEL__SIGNATURE_MISSING],
      ['a wrong state hash', back, report(open, signed(other.tx.tx, [ONE, TWO]))],
      ['two rounds ahead', back, report(open, twoAhead)],
      ['no pending', resumed(open), report(open, signed(tx.tx, [ONE, TWO]))],
      ['a deposit tx where the pending is an update', back, report(open, signed(deposit.tx.tx, [ONE, TWO]))],
    ];
    for (const [name, from, event, cause] of cases) {
      const r = run(from, [event]);
      expect(r.state, name).toEqual(from);
      expect(r.effects.filter((e) => e.type !== 'emit'), name).toEqual([]);
      const [error] = errors(r.effects);
      expect(error?.code, name).toBe(AESC_ERROR__CHANNEL__NOT_CO_SIGNED);
      if (cause !== undefined) expect((error?.cause as AescError | undefined)?.code, name).toBe(cause);
    }
  });

  it('takes nothing from the report of the round it holds, and keeps the pending proposal, which blocks nothing: the node may still report it co-signed, and the next round replaces it', () => {
    const open = openChannel();
    const { tx, updates } = ownTransfer(open, 10n);
    const pending = { tag: 'update', round: 2n, updates, tx } as const;
    const back = resumed(open, pending);
    const held = run(back, [report(open, open.last!.tx)]);
    expect(held.state.last).toBe(open.last);
    expect(held.state.pending).toEqual(pending);
    expect(stores(held.effects)).toEqual([]);
    // reported co-signed after all (the node's FSM caught up with the peer's)
    expect(run(held.state, [report(open, signed(tx.tx, [ONE, TWO]))]).state.last?.state.round).toBe(2n);
    // or the app transfers another amount: its own new proposal is kept instead
    const other = ownTransfer(open, 3n);
    const next = run(held.state, [
      { type: 'command', id: 1, command: { kind: 'transfer', from: initiator, to: responder, amount: 3n } },
      signRequest(open, 'update', other.tx, other.updates),
    ]);
    expect(next.state.pending?.updates).toEqual(other.updates);
    expect(stores(next.effects).map((e) => e.record.pending?.tx)).toEqual([other.tx]);
    // or the peer proposes the next round: once co-signed and stored, no pending is left
    const peer = nextRound(open.last!.state, transferUpdates({ from: responder, to: initiator, amount: 1n }), { channelReserve: 2n });
    const peerTx = signed(offchainTx(open.channelId!, peer), [TWO]);
    const acked = run(held.state, [
      signRequest(open, 'update_ack', peerTx, transferUpdates({ from: responder, to: initiator, amount: 1n }), [responder]),
      { type: 'signed', tag: 'update_ack', signedTx: signed(peerTx.tx, [ONE, TWO]) },
    ]);
    expect(acked.state.pending).toBeUndefined();
    expect(stores(acked.effects).map((e) => [e.record.lastCoSigned.state.round, e.record.pending])).toEqual([[2n, undefined]]);
  });
});

describe('a client that comes back signs the request the node sends again only if it is its pending proposal (R4)', () => {
  it('signs the same request again, with the app’s command rebuilt for the policy, and takes the round once co-signed', () => {
    const open = openChannel();
    const { tx, updates } = ownTransfer(open, 10n);
    const back = resumed(open, { tag: 'update', round: 2n, updates, tx });
    const again = run(back, [signRequest(open, 'update', tx, updates)]);
    expect(errors(again.effects)).toEqual([]);
    // kept already: no second store before the signature
    expect(again.effects.map((e) => e.type)).toEqual(['emit', 'sign']);
    expect(again.effects[1]).toMatchObject({ type: 'sign', tag: 'update', peerProposal: false, asked: { kind: 'transfer', from: initiator, to: responder, amount: 10n } });
    // the unattended agent's policy signs it: it is what the user had asked for
    expect(safeDecision(again.effects[1] as Extract<Effect, { type: 'sign' }>, initiator)).toBe(true);
    const mine = signed(tx.tx, [ONE]);
    const replied = run(again.state, [{ type: 'signed', tag: 'update', signedTx: mine }]);
    expect(replied.effects).toEqual([{ type: 'send', message: expect.objectContaining({ method: 'channels.update', params: { signed_tx: encodeTx(mine) } }) }]);
    const done = run(replied.state, [report(open, signed(tx.tx, [ONE, TWO]))]);
    expect(done.state.last?.state.round).toBe(2n);
    expect(done.state.pending).toBeUndefined();
    expect(done.state.phase).toBe('open');
  });

  it('signs a deposit asked for again only with the same fee and nonce', () => {
    const open = openChannel();
    const { tx, updates } = onChainRound(open, 'deposit', initiator, 5n);
    const back = resumed(open, { tag: 'deposit_tx', round: 2n, updates, tx });
    const again = run(back, [signRequest(open, 'deposit_tx', tx, updates)]);
    expect(again.effects.map((e) => e.type)).toEqual(['emit', 'sign']);
    const dearer = signed({ ...(tx.tx as Extract<Transaction, { tag: 'channel_deposit_tx' }>), fee: 30_001n });
    const r = run(back, [signRequest(open, 'deposit_tx', dearer, updates)]);
    expect(r.effects.map((e) => e.type)).toEqual(['send', 'emit']);
    expect(errors(r.effects).map((e) => e.code)).toEqual([AESC_ERROR__CHANNEL__NOT_PENDING_PROPOSAL]);
  });

  it('refuses a request that differs from the pending proposal (another amount, another recipient, another kind) or comes with none kept: aborted, nothing signed, state and store intact', () => {
    const open = openChannel();
    const { tx, updates } = ownTransfer(open, 10n);
    const back = resumed(open, { tag: 'update', round: 2n, updates, tx });
    const more = ownTransfer(open, 11n);
    const third = accountAddress(new Uint8Array(32).fill(9));
    const elsewhere = { updates: transferUpdates({ from: initiator, to: third, amount: 10n }), tx };
    const withdrawal = onChainRound(open, 'withdraw', initiator, 10n);
    const cases: [string, ClientState, ClientEvent, number][] = [
      ['another amount', back, signRequest(open, 'update', more.tx, more.updates), AESC_ERROR__CHANNEL__NOT_PENDING_PROPOSAL],
      ['the kept tx, another amount reported', back, signRequest(open, 'update', tx, more.updates), AESC_ERROR__CHANNEL__NOT_PENDING_PROPOSAL],
      ['another recipient', back, signRequest(open, 'update', elsewhere.tx, elsewhere.updates), AESC_ERROR__CHANNEL__NOT_PENDING_PROPOSAL],
      ['another kind', back, signRequest(open, 'withdraw_tx', withdrawal.tx, withdrawal.updates), AESC_ERROR__CHANNEL__NOT_REQUESTED],
      ['none kept', resumed(open), signRequest(open, 'update', tx, updates), AESC_ERROR__CHANNEL__NOT_REQUESTED],
    ];
    for (const [name, from, event, code] of cases) {
      const r = run(from, [event]);
      expect(r.state, name).toEqual({ ...from, nextRequestId: from.nextRequestId + 1 });
      expect(r.effects.map((e) => e.type), name).toEqual(['send', 'emit']);
      expect(r.effects[0], name).toMatchObject({ type: 'send', message: { params: { error: 1 } } });
      expect(errors(r.effects).map((e) => e.code), name).toEqual([code]);
    }
  });
});
