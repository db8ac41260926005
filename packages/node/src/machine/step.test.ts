import { AESC_ERROR__NODE__INVALID_TRANSITION, AESC_ERROR__NODE__UNEXPECTED_RESULT, isAescError } from '@aesc/errors';
import { channelId } from '@aesc/crypto';
import { type AccountAddress, type SignedTx, decodeApi } from '@aesc/encoding';
import { depositUpdates, nextRound, offchainTx, onChainRoundTx, transferUpdates, withdrawUpdates } from '@aesc/protocol';
import { encodedOffchainStateHash, initialState } from '@aesc/state';
import { describe, expect, it } from 'vitest';
import { objectBytes, txText } from '../fsm/object-bytes.js';
import { stateMemo } from '../fsm/state-memo.js';
import { type FsmPhase, TRANSITIONS, assertTransition } from './phase.js';
import { newFsmState, step } from './step.js';
import { I, R, configOf } from '../../test/machine/fsm-config.js';
import type { Effect, FsmEvent, FsmState } from './types.js';

const ctx = { states: stateMemo() };
/** Steps through `events` in order, as the driver hands them over; every step's effects. */
function run(state: FsmState, events: readonly FsmEvent[]): { state: FsmState; effects: Effect[][] } {
  const effects: Effect[][] = [];
  for (const e of events) {
    const out = step(state, e, ctx);
    state = out.state;
    effects.push([...out.effects]);
  }
  return { state, effects };
}
const codeOf = (f: () => unknown): number | undefined => {
  try {
    f();
  } catch (e) {
    return isAescError(e) ? (e.code as number) : -1;
  }
  return undefined;
};
const methods = (effects: readonly Effect[]) => effects.flatMap((e) => (e.type === 'notify' ? [e.method] : []));

describe('the phase table', () => {
  it('allows each listed transition, and refuses any other with a coded error (9060)', () => {
    const phases = Object.keys(TRANSITIONS) as FsmPhase[];
    let allowed = 0;
    let refused = 0;
    for (const from of phases) {
      for (const to of phases) {
        const code = codeOf(() => assertTransition(from, to));
        if (from === to || TRANSITIONS[from].includes(to)) {
          expect(code, `${from} → ${to}`).toBeUndefined();
          allowed++;
        } else {
          expect(code, `${from} → ${to}`).toBe(AESC_ERROR__NODE__INVALID_TRANSITION);
          refused++;
        }
      }
    }
    expect(allowed).toBeGreaterThan(phases.length);
    expect(refused).toBeGreaterThan(100);
    // nothing leaves terminated; every phase can end
    expect(TRANSITIONS.terminated).toEqual([]);
    for (const p of phases) if (p !== 'terminated') expect(TRANSITIONS[p]).toContain('terminated');
  });
});

describe('step, the node FSM as a pure machine', () => {
  it('starts a responder: fsm_up, it listens and waits for channel_open, and leaves its input state as it was', () => {
    const s0 = Object.freeze(newFsmState(configOf('responder')));
    const { state, effects } = step(s0, { type: 'start', at: 1 }, ctx);
    expect(state).not.toBe(s0);
    expect(s0.log.count).toBe(0);
    expect(state.log.count).toBe(1);
    expect(state.phase).toBe('awaiting_open');
    expect(effects.map((e) => e.type)).toEqual(['notify', 'listen', 'arm']);
    expect(effects[0]).toMatchObject({ method: 'channels.info', data: { event: 'fsm_up', fsm_id: 'ba_fsm' } });
    expect(effects[2]).toMatchObject({ name: 'awaiting_open' });
  });

  it('is deterministic: the same state and events give the same states and effects', () => {
    const events: FsmEvent[] = [
      { type: 'start', at: 5 },
      { type: 'peer-attached', link: 1, sharesCache: true, at: 6 },
      { type: 'peer-connected', tempChannelId: new Uint8Array(32).fill(3), at: 7 },
    ];
    const a = run(newFsmState(configOf('initiator')), events);
    const b = run(newFsmState(configOf('initiator')), events);
    expect(b).toEqual(a);
    expect(a.state.phase).toBe('initialized');
    expect(a.effects[2]!.map((e) => (e.type === 'send' ? e.message.type : e.type))).toEqual(['channel_open']);
  });

  it('waits on a lookup as data, and goes on from it when its result comes: the create tx to sign', () => {
    const open = run(newFsmState(configOf('initiator')), [
      { type: 'start', at: 1 },
      { type: 'peer-attached', link: 1, sharesCache: false, at: 1 },
      { type: 'peer-connected', tempChannelId: new Uint8Array(32).fill(3), at: 1 },
    ]).state;
    const accept: FsmEvent = {
      type: 'peer-message',
      at: 2,
      message: {
        type: 'channel_accept',
        chainHash: new Uint8Array(32).fill(7),
        tempChannelId: new Uint8Array(32).fill(3),
        minimumDepth: 2,
        minimumDepthStrategy: 'plain',
        initiatorAmount: open.initiatorAmount,
        responderAmount: open.responderAmount,
        channelReserve: 1n,
        initiator: new Uint8Array(32),
        responder: new Uint8Array(32),
      },
    };
    const asked = step(open, accept, ctx);
    expect(asked.state.phase).toBe('half_signed');
    expect(asked.state.cont).toEqual({ k: 'accept.nonce' });
    expect(asked.effects.at(-1)).toEqual({ type: 'lookup', lookup: { kind: 'nonce', account: I } });
    // nothing else may come in its place
    expect(codeOf(() => step(asked.state, { type: 'checked', ok: true, at: 3 }, ctx))).toBe(AESC_ERROR__NODE__UNEXPECTED_RESULT);
    const signing = step(asked.state, { type: 'looked-up', kind: 'nonce', value: 4n, at: 3 }, ctx);
    expect(signing.state.cont).toBeUndefined();
    expect(signing.state.pendingSign?.tag).toBe('initiator_sign');
    expect(signing.state.pendingSign?.then).toEqual({ k: 'initiator-create' });
    expect(signing.state.pendingSign!.tx.tx).toMatchObject({ tag: 'channel_create_tx', nonce: 4n, initiatorId: I, responderId: R });
    expect(methods(signing.effects)).toEqual(['channels.sign.initiator_sign']);
    // the state holds no function and no promise
    const values: unknown[] = [signing.state];
    for (let v = values.pop(); v !== undefined; v = values.pop()) {
      expect(typeof v === 'function' || v instanceof Promise).toBe(false);
      if (typeof v === 'object' && v !== null && !ArrayBuffer.isView(v)) values.push(...(v instanceof Map ? v.values() : Object.values(v)));
    }
  });

  it('ends on a peer message out of turn while opening, and an input that failed gets its answer', () => {
    const waiting = step(newFsmState(configOf('responder')), { type: 'start', at: 1 }, ctx).state;
    const ack: FsmEvent = { type: 'peer-message', at: 2, message: { type: 'leave_ack', channelId: new Uint8Array(32) } };
    const died = step({ ...waiting, peer: 1 }, ack, ctx);
    expect(died.state.phase).toBe('terminated');
    expect(died.effects.map((e) => e.type)).toEqual(['notify', 'close-peer', 'unlisten', 'terminate']);
    expect(methods(died.effects)).toEqual(['channels.info']);
    // a request whose effect failed: -32603, the FSM as it was, nothing left waiting
    const faulted = step({ ...waiting, cont: { k: 'accept.nonce' }, expects: 'lookup:nonce' }, { type: 'fault', input: 'request', at: 3 }, ctx);
    expect(faulted.state.cont).toBeUndefined();
    expect(faulted.state.phase).toBe('awaiting_open');
    expect(faulted.effects).toEqual([{ type: 'reply', reply: { kind: 'error', code: -32603, message: 'Internal error' }, channelId: null }]);
  });
});

describe('an own deposit or withdrawal, co-signed by the peer (crash recovery)', () => {
  const ch = channelId(I as AccountAddress, 1n, R as AccountAddress);
  const start = initialState({ initiator: I as AccountAddress, initiatorAmount: 100_000_000_000_000n, responder: R as AccountAddress, responderAmount: 100_000_000_000_000n, pushAmount: 0n });
  const ONE = new Uint8Array(64).fill(1);
  const TWO = new Uint8Array(64).fill(2);
  const round1: SignedTx = { tag: 'signed_tx', version: 1, signatures: [ONE, TWO], tx: offchainTx(ch, { state: start, stateHash: encodedOffchainStateHash(start) }) } as SignedTx;
  /** The initiator's deposit (or withdrawal) of round 2: the updates, the next state and the tx, as its client signed it and as the peer co-signed it. */
  const ownRound = (kind: 'deposit' | 'withdraw') => {
    const request = { account: I as AccountAddress, amount: 5n };
    const updates = kind === 'deposit' ? depositUpdates(request) : withdrawUpdates(request);
    const next = nextRound(start, updates, { channelReserve: 1n });
    const tx = onChainRoundTx(kind, { channelId: ch, account: I as AccountAddress, amount: 5n, next, ttl: 0n, nonce: 3n }, 30_000_000_000_000n);
    const half: SignedTx = { tag: 'signed_tx', version: 1, signatures: [ONE], tx };
    return { updates, next, half, both: { ...half, signatures: [ONE, TWO] } as SignedTx };
  };
  const open = (durable: boolean): FsmState => ({ ...newFsmState(configOf('initiator', durable)), phase: 'open', channelId: ch, initiator: I as AccountAddress, offchain: start, signedTx: round1, peer: 1 });
  const types = (effects: readonly Effect[]) => effects.map((e) => e.type);

  it.each(['deposit', 'withdraw'] as const)('%s: the co-signed round is persisted as the pending round, and posted only once the state cache has it', (kind) => {
    const { updates, next, half, both } = ownRound(kind);
    const sent: FsmState = { ...open(true), roundSeq: 1, round: { seq: 1, kind, originator: true, next: next.state, updates, blockHash: new Uint8Array(32), half } };
    const message = { type: `${kind}_signed`, channelId: decodeApi(ch, 'ch'), blockHash: new Uint8Array(32), tx: objectBytes(both) } as const;
    const asked = step(sent, { type: 'peer-message', message, at: 2 }, ctx);
    expect(asked.effects.at(-1)).toMatchObject({ type: 'check', signed: both });
    const checked = step(asked.state, { type: 'checked', ok: true, at: 3 }, ctx);
    // the persist, and nothing goes to the chain yet
    expect(types(checked.effects)).not.toContain('post');
    const persist = checked.effects.find((e) => e.type === 'persist');
    expect(persist).toMatchObject({ record: { round: '1', pending: { kind, signedTx: txText(both) } } });
    expect(checked.state.expects).toBe('persisted');
    expect(checked.state.pendingRound?.tx).toBe(both);
    // durable: now it is watched and posted
    const persisted = step(checked.state, { type: 'persisted', at: 4 }, ctx);
    expect(types(persisted.effects)).toEqual(['post']);
    expect(persisted.effects.at(-1)).toEqual({ type: 'post', tx: both });
    expect([...persisted.state.watches.values()].map((w) => w.then.k)).toEqual(['round-lock']);
    const posted = step(persisted.state, { type: 'posted', at: 5 }, ctx);
    expect(methods(posted.effects)).toEqual(['channels.on_chain_tx']);
    expect(posted.state.round?.signed).toBe(both);
  });

  it('a chain that refuses the co-signed round: the conflict, and the state cache keeps it no more', () => {
    const { updates, next, half, both } = ownRound('deposit');
    const sent: FsmState = { ...open(true), roundSeq: 1, round: { seq: 1, kind: 'deposit', originator: true, next: next.state, updates, blockHash: new Uint8Array(32), half } };
    const message = { type: 'deposit_signed', channelId: decodeApi(ch, 'ch'), blockHash: new Uint8Array(32), tx: objectBytes(both) } as const;
    const posting = run(sent, [
      { type: 'peer-message', message, at: 2 },
      { type: 'checked', ok: true, at: 3 },
      { type: 'persisted', at: 4 },
    ]).state;
    const refused = step(posting, { type: 'posted', error: 'nonce too low', at: 5 }, ctx);
    expect(methods(refused.effects)).toContain('channels.conflict');
    expect(refused.state.pendingRound).toBeUndefined();
    const persist = refused.effects.find((e) => e.type === 'persist');
    expect(persist).toBeDefined();
    expect((persist as Extract<Effect, { type: 'persist' }>).record.pending).toBeUndefined();
  });

  it('without a durable state cache it posts at once, as before (nothing outlives the process)', () => {
    const { updates, next, half, both } = ownRound('withdraw');
    const sent: FsmState = { ...open(false), roundSeq: 1, round: { seq: 1, kind: 'withdraw', originator: true, next: next.state, updates, blockHash: new Uint8Array(32), half } };
    const message = { type: 'withdraw_signed', channelId: decodeApi(ch, 'ch'), blockHash: new Uint8Array(32), tx: objectBytes(both) } as const;
    const asked = step(sent, { type: 'peer-message', message, at: 2 }, ctx);
    const checked = step(asked.state, { type: 'checked', ok: true, at: 3 }, ctx);
    expect(types(checked.effects)).toEqual(['disarm', 'post']);
  });

  it('restored with its co-signed round kept: it adopts the round by itself, posts it again, then meets the peer', () => {
    const { updates, half, both } = ownRound('deposit');
    const restored: FsmState = { ...open(true), phase: 'reestablish_init', peer: 0, pendingRound: { kind: 'deposit', updates, tx: both } };
    const up = step(restored, { type: 'restore', at: 1 }, ctx);
    expect(types(up.effects)).not.toContain('connect-peer');
    const enqueued = up.effects.flatMap((e) => (e.type === 'enqueue' ? [e.event] : []));
    expect(enqueued.map((e) => e.type)).toEqual(['persist-restored', 'chain-before-reestablish', 'adopt-client-latest']);
    const adopting = step(up.state, enqueued[2]!, ctx);
    expect(adopting.effects.at(-1)).toMatchObject({ type: 'check', signed: both });
    const committed = step(adopting.state, { type: 'checked', ok: true, at: 2 }, ctx);
    expect(committed.effects.at(-1)).toMatchObject({ type: 'persist', record: { round: '2' } });
    expect(committed.state.offchain?.round).toBe(2n);
    expect(committed.state.signedTx).toBe(both);
    const posting = step(committed.state, { type: 'persisted', at: 3 }, ctx);
    expect(posting.effects.at(-1)).toEqual({ type: 'post', tx: both });
    const met = step(posting.state, { type: 'posted', error: 'already in the chain', at: 4 }, ctx);
    expect(types(met.effects)).toContain('connect-peer');
    // a round kept with its own client's signature only is not adopted so: it waits for the peer's FSM
    const halfKept = step({ ...restored, pendingRound: { kind: 'deposit', updates, tx: half } }, { type: 'restore', at: 1 }, ctx);
    expect(types(halfKept.effects)).toContain('connect-peer');
    expect(halfKept.effects.some((e) => e.type === 'enqueue' && e.event.type === 'adopt-client-latest')).toBe(false);
  });
});

describe('the block a round is pinned to, on a node with a block source: one lookup each way', () => {
  const ch = channelId(I as AccountAddress, 1n, R as AccountAddress);
  const start = initialState({ initiator: I as AccountAddress, initiatorAmount: 100_000_000_000_000n, responder: R as AccountAddress, responderAmount: 100_000_000_000_000n, pushAmount: 0n });
  const round1: SignedTx = { tag: 'signed_tx', version: 1, signatures: [new Uint8Array(64).fill(1), new Uint8Array(64).fill(2)], tx: offchainTx(ch, { state: start, stateHash: encodedOffchainStateHash(start) }) } as SignedTx;
  const open = (role: 'initiator' | 'responder'): FsmState => ({
    ...newFsmState({ ...configOf(role), hasBlocks: true }),
    phase: 'open',
    channelId: ch,
    reportedChannelId: ch,
    initiator: I as AccountAddress,
    offchain: start,
    signedTx: round1,
    peer: 1,
  });
  const KEY_BLOCK = new Uint8Array(32).fill(9);

  it('a transfer asks for the picked key block with the connection’s deltas, and its sign request follows that one answer', () => {
    const s = open('initiator');
    const asked = step(s, { type: 'request', method: 'channels.update.new', params: { from: I, to: R, amount: 10 }, hasId: false, at: 1 }, ctx);
    expect(asked.effects.at(-1)).toEqual({ type: 'lookup', lookup: { kind: 'picked-block', delta: s.config.options.blockHashDelta } });
    expect(asked.state.expects).toBe('lookup:picked-block');
    const signing = step(asked.state, { type: 'looked-up', kind: 'picked-block', value: KEY_BLOCK, at: 2 }, ctx);
    expect(methods(signing.effects)).toEqual(['channels.sign.update']);
    expect(signing.state.round?.blockHash).toBe(KEY_BLOCK);
    // a chain without that block: the round is pinned to the not-set hash
    const unpinned = step(asked.state, { type: 'looked-up', kind: 'picked-block', value: undefined, at: 2 }, ctx);
    expect(unpinned.state.round?.blockHash).toEqual(new Uint8Array(32));
  });

  it('a peer’s proposal is checked against the block’s place and the top from one lookup: in range it goes on, else a conflict', () => {
    const updates = transferUpdates({ from: I as AccountAddress, to: R as AccountAddress, amount: 10n });
    const next = nextRound(start, updates, { channelReserve: 1n });
    const half: SignedTx = { tag: 'signed_tx', version: 1, signatures: [new Uint8Array(64).fill(1)], tx: offchainTx(ch, next) } as SignedTx;
    const message = { type: 'update', channelId: decodeApi(ch, 'ch'), blockHash: KEY_BLOCK, tx: objectBytes(half), updates: updates.map((u) => objectBytes(u)) } as const;
    const asked = step(open('responder'), { type: 'peer-message', message, at: 1 }, ctx);
    expect(asked.effects.at(-1)).toEqual({ type: 'lookup', lookup: { kind: 'block-check', hash: KEY_BLOCK } });
    const onTop = step(asked.state, { type: 'looked-up', kind: 'block-check', value: { place: { height: 10n, inMainChain: true }, top: 10n }, at: 2 }, ctx);
    expect(onTop.effects.at(-1)).toMatchObject({ type: 'check', signed: half });
    // older than bh_delta_not_older_than (10 by default), on a fork, unknown: a conflict, nothing to check
    for (const value of [
      { place: { height: 10n, inMainChain: true }, top: 21n },
      { place: { height: 10n, inMainChain: false }, top: 10n },
      { place: undefined, top: 10n },
    ]) {
      const refused = step(asked.state, { type: 'looked-up', kind: 'block-check', value, at: 2 }, ctx);
      expect(methods(refused.effects)).toEqual(['channels.conflict']);
      expect(refused.effects.map((e) => e.type)).not.toContain('check');
      expect(refused.state.round).toBeUndefined();
    }
  });
});
