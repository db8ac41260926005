import { decodeTx, encodeTx } from '@aesc/encoding';
import {
  AESC_ERROR__CHANNEL__INVALID_TRANSITION,
  AESC_ERROR__CHANNEL__NOT_ALLOWED_NOW,
} from '@aesc/errors';
import { balanceOf } from '@aesc/state';
import { describe, expect, it } from 'vitest';
import { assertTransition } from '../../src/machine/phase.js';
import { initialClientState, step } from '../../src/machine/reducer.js';
import type { ClientEvent, ClientState, Effect, NodeMessage } from '../../src/machine/types.js';
import { askUpdateAck, coSignedReport, config, forgedUpdate, initiator, openChannel, responder, run, seed, seedEvent } from './seed-channel.js';

describe('client state machine', () => {
  it('opens the seed channel from the node’s messages', () => {
    const state = openChannel();
    expect(state.phase).toBe('open');
    expect(state.channelId).toMatch(/^ch_/);
    expect(state.last?.state.round).toBe(1n);
    expect(state.fsmId).toMatch(/^ba_/);
  });

  it('refuses to sign an update whose amount differs from the one requested', () => {
    const open = openChannel();
    const transfer = { kind: 'transfer', from: initiator, to: responder, amount: 10n } as const;
    const sent = run(open, [{ type: 'command', id: 1, command: transfer }]);
    expect(sent.effects).toContainEqual(expect.objectContaining({ type: 'send', message: expect.objectContaining({ method: 'channels.update.new' }) }));
    // The node claims the update moves 11: a tx for the wrong round/state, and updates that differ.
    const { offchainTx } = forgedUpdate(sent.state, 11n);
    const r = run(sent.state, [
      {
        type: 'message',
        message: {
          method: 'channels.sign.update',
          params: { channel_id: open.channelId!, data: { signed_tx: offchainTx, updates: [{ op: 'OffChainTransfer', from: initiator, to: responder, amount: 11 }] } },
        },
      },
    ]);
    const kinds = r.effects.map((e) => e.type);
    expect(kinds).not.toContain('sign');
    expect(r.effects).toContainEqual(expect.objectContaining({ type: 'send', message: expect.objectContaining({ method: 'channels.update', params: { error: 1 } }) }));
    expect(r.effects).toContainEqual(expect.objectContaining({ type: 'reject', id: 1 }));
    expect(r.state.last).toBe(open.last);
  });

  it('stores an acknowledged peer update before it sends the acknowledgement', () => {
    const open = openChannel();
    const { offchainTx, signedBoth } = forgedUpdate(open, 5n, responder, initiator);
    const asked = run(open, [askUpdateAck(open, offchainTx)]);
    expect(asked.effects.map((e) => e.type)).toEqual(['emit', 'sign']);
    const signed = run(asked.state, [{ type: 'signed', tag: 'update_ack', signedTx: signedBoth }]);
    expect(signed.effects.map((e) => e.type)).toEqual(['store']);
    const stored = run(signed.state, [{ type: 'stored' }]);
    expect(stored.effects).toEqual([
      expect.objectContaining({ type: 'send', message: expect.objectContaining({ method: 'channels.update_ack', params: { signed_tx: encodeTx(signedBoth) } }) }),
    ]);
    // The node then reports the round co-signed: the app hears of it, but the state stored before
    // the ack is not stored again (a second write a round, fsynced with the file store).
    const reported = run(stored.state, [coSignedReport(open, signedBoth)]);
    expect(reported.effects).toEqual([
      { type: 'emit', event: expect.objectContaining({ type: 'round', round: 2n }) },
      { type: 'emit', event: { type: 'phase', phase: 'open' } },
    ]);
    expect(reported.state.last?.state.round).toBe(2n);
  });

  it('passes a round on to the app once, though the node reports it again (a responder that stayed through a reestablish)', () => {
    const open = openChannel();
    expect(open.heardRound).toBe(1n);
    const again = run(open, [seedEvent({ method: 'channels.update', params: { channel_id: open.channelId!, data: { state: encodeTx(open.last!.tx) } } })]);
    expect(again.effects).toEqual([]);
    expect(again.state.last?.state.round).toBe(1n);
    // A client resumed from its store has not heard of it yet: it does, once, and stores nothing.
    const { heardRound: _, ...resumed } = open;
    const first = run(resumed, [seedEvent({ method: 'channels.update', params: { channel_id: open.channelId!, data: { state: encodeTx(open.last!.tx) } } })]);
    expect(first.effects).toEqual([{ type: 'emit', event: expect.objectContaining({ type: 'round', round: 1n }) }]);
  });

  it('stores the new fsm id a reestablished FSM reports, at once; the same id again stores nothing', () => {
    const open = openChannel();
    const fsmUp = (fsm_id: string): ClientEvent => ({ type: 'message', message: { method: 'channels.info', params: { channel_id: null, data: { event: 'fsm_up', fsm_id } } } });
    const same = run(open, [fsmUp(open.fsmId!)]);
    expect(same.effects.filter((e) => e.type === 'store')).toEqual([]);
    const renewed = run(open, [fsmUp('ba_bmV3')]);
    expect(renewed.state.fsmId).toBe('ba_bmV3');
    expect(renewed.effects).toContainEqual({ type: 'store', record: expect.objectContaining({ fsmId: 'ba_bmV3', channelId: open.channelId, lastCoSigned: open.last }) });
  });

  it('stores the co-signed create tx as soon as the node posts it, so that the channel can be resumed before it opens; not one whose signatures do not hold', () => {
    let state = initialClientState(config);
    let posted: NodeMessage | undefined;
    for (const s of seed.steps) {
      if (s.actor !== 'initiator') continue;
      const m = s.message as { method?: string; params?: { signed_tx?: string; data?: { info?: string } } } | undefined;
      if (s.kind === 'recv' && m?.method === 'channels.on_chain_tx' && m.params?.data?.info === 'funding_signed') {
        posted = s.message as NodeMessage;
        break;
      }
      if (s.kind === 'recv') state = step(state, seedEvent(s.message as NodeMessage)).state;
      if (s.kind === 'send' && m?.method === 'channels.initiator_sign') {
        state = step(state, { type: 'signed', tag: 'initiator_sign', signedTx: decodeTx(m.params!.signed_tx!) }).state;
      }
    }
    const r = step(state, seedEvent(posted!));
    const stores = r.effects.filter((e) => e.type === 'store');
    expect(r.state.phase).not.toBe('open');
    expect(stores).toEqual([{ type: 'store', record: expect.objectContaining({ channelId: state.channelId, fsmId: state.fsmId }) }]);
    const record = (stores[0] as Extract<Effect, { type: 'store' }>).record;
    expect(record.lastCoSigned.tx.tx.tag).toBe('channel_create_tx');
    expect(record.lastCoSigned.tx.signatures).toHaveLength(2);
    expect(record.lastCoSigned.state.round).toBe(1n);
    // and the channel's first state is the client's once the channel opens, as before
    expect(r.state.last).toBeUndefined();
    // the same tx with a signature missing, or one more, or unchecked: nothing stored
    const tx = String((posted!.params as { data: { tx: string } }).data.tx);
    for (const signers of [
      { tx, signers: [initiator], strangers: 0 },
      { tx, signers: [initiator, responder], strangers: 1 },
      undefined,
    ]) {
      const hostile = step(state, { type: 'message', message: posted!, ...(signers === undefined ? {} : { signers }) });
      expect(hostile.effects.filter((e) => e.type === 'store')).toEqual([]);
    }
  });

  it('a new transfer while the peer’s proposal waits: the proposal is dropped unsigned, the conflict fails the transfer', () => {
    const open = openChannel();
    const { offchainTx, signedBoth } = forgedUpdate(open, 5n, responder, initiator);
    const asked = run(open, [askUpdateAck(open, offchainTx)]);
    expect(asked.state.phase).toBe('signing');
    const transfer = { kind: 'transfer', from: initiator, to: responder, amount: 1n } as const;
    const sent = run(asked.state, [{ type: 'command', id: 3, command: transfer }]);
    expect(sent.effects).toContainEqual(expect.objectContaining({ type: 'send', message: expect.objectContaining({ method: 'channels.update.new' }) }));
    expect(sent.state.round).toBeUndefined();
    // The app's late approval of the dropped proposal signs nothing and sends nothing.
    const late = run(sent.state, [{ type: 'signed', tag: 'update_ack', signedTx: signedBoth }]);
    expect(late.effects.filter((e) => e.type === 'send' || e.type === 'store')).toEqual([]);
    const conflict = run(late.state, [
      { type: 'message', message: { method: 'channels.conflict', params: { channel_id: open.channelId!, data: { channel_id: open.channelId!, error_code: 2, round: 1 } } } },
    ]);
    expect(conflict.effects).toContainEqual(expect.objectContaining({ type: 'reject', id: 3 }));
    expect(conflict.state.phase).toBe('open');
    expect(conflict.state.last).toBe(open.last);
    // An own request in flight is not superseded: a second transfer is refused as busy.
    const busy = run(sent.state, [{ type: 'command', id: 4, command: transfer }]);
    expect(busy.effects).toEqual([expect.objectContaining({ type: 'reject', id: 4, error: expect.objectContaining({ code: AESC_ERROR__CHANNEL__NOT_ALLOWED_NOW }) })]);
  });

  it('a command while the peer’s signed proposal waits for the node starts once that round is co-signed', () => {
    const open = openChannel();
    const { offchainTx, signedBoth } = forgedUpdate(open, 5n, responder, initiator);
    const asked = run(open, [
      askUpdateAck(open, offchainTx),
      { type: 'signed', tag: 'update_ack', signedTx: signedBoth },
      { type: 'stored' },
    ]);
    expect(asked.state.phase).toBe('signing');
    const transfer = { kind: 'transfer', from: initiator, to: responder, amount: 1n } as const;
    const waiting = run(asked.state, [{ type: 'command', id: 9, command: transfer }]);
    expect(waiting.effects).toEqual([]);
    const done = run(waiting.state, [coSignedReport(open, signedBoth)]);
    expect(done.state.last?.state.round).toBe(2n);
    expect(done.effects).toContainEqual(expect.objectContaining({ type: 'send', message: expect.objectContaining({ method: 'channels.update.new' }) }));
    expect(done.state.command?.id).toBe(9);
    expect(done.state.deferred).toBeUndefined();
    // If the connection goes instead, the waiting command is refused, not left hanging.
    const gone = run(waiting.state, [{ type: 'disconnected' }]);
    expect(gone.effects).toContainEqual(expect.objectContaining({ type: 'reject', id: 9 }));
  });

  it('the node’s confirmation of an abort leaves a command the app gave since alone', () => {
    const open = openChannel();
    const settle = { kind: 'settle' } as const;
    const trees = open.last!.state.trees;
    const settleTx = encodeTx({
      tag: 'signed_tx',
      version: 1,
      signatures: [],
      tx: { tag: 'channel_settle_tx', version: 1, channelId: open.channelId!, fromId: initiator, initiatorAmountFinal: balanceOf(trees, initiator)!, responderAmountFinal: balanceOf(trees, responder)!, ttl: 0n, fee: 20_000n, nonce: 3n },
    });
    const ask: ClientEvent = { type: 'message', message: { method: 'channels.sign.settle_sign', params: { channel_id: open.channelId!, data: { signed_tx: settleTx, updates: [] } } } };
    const asked = run(open, [{ type: 'command', id: 1, command: settle }, ask]);
    expect(asked.effects).toContainEqual(expect.objectContaining({ type: 'sign', tag: 'settle_sign' }));
    // The app declines its own round, which fails the settle, and tries again at once (as in
    // changeable_nonce/sc_ws_optional_params_fail_slash).
    const retried = run(asked.state, [
      { type: 'sign-declined', tag: 'settle_sign', code: 42, reason: 'not now' },
      { type: 'command', id: 2, command: settle },
    ]);
    expect(retried.effects).toContainEqual(expect.objectContaining({ type: 'reject', id: 1 }));
    expect(retried.state.command?.id).toBe(2);
    // Then the node confirms the abort: the retry goes on, and its sign request is taken.
    const confirmed = run(retried.state, [{ type: 'message', message: { method: 'channels.info', params: { channel_id: open.channelId!, data: { event: 'aborted_update' } } } }, ask]);
    expect(confirmed.effects.filter((e) => e.type === 'reject')).toEqual([]);
    expect(confirmed.state.command?.id).toBe(2);
    expect(confirmed.effects).toContainEqual(expect.objectContaining({ type: 'sign', tag: 'settle_sign' }));
  });

  it('takes a sign request of a tag no client knows (an Object.prototype name too) as unsupported: nothing sent, state kept', () => {
    const open = openChannel();
    const { offchainTx } = forgedUpdate(open, 5n, responder, initiator);
    for (const tag of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'force_progress_tx', 'made_up']) {
      const message: NodeMessage = { method: `channels.sign.${tag}`, params: { channel_id: open.channelId!, data: { signed_tx: offchainTx, updates: [] } } };
      for (const channelId of [open.channelId!, 'ch_2KbJtWcXxs9EP1ujy5itLXPjjmW1KqUPe2EWdJv5ayd5jxVh4m']) {
        let r: { state: ClientState; effects: Effect[] } | undefined;
        expect(() => {
          r = run(open, [{ type: 'message', message: { ...message, params: { ...message.params, channel_id: channelId } } }]);
        }, tag).not.toThrow();
        expect(r!.state, tag).toEqual(open);
        expect(r!.effects, tag).toEqual([{ type: 'emit', event: expect.objectContaining({ type: 'error' }) }]);
      }
    }
  });

  it('refuses commands that are not allowed now, and keeps state on a message it cannot follow', () => {
    const fresh = initialClientState(config);
    const r = run(fresh, [{ type: 'command', id: 7, command: { kind: 'transfer', from: initiator, to: responder, amount: 1n } }]);
    expect(r.effects).toEqual([expect.objectContaining({ type: 'reject', id: 7, error: expect.objectContaining({ code: AESC_ERROR__CHANNEL__NOT_ALLOWED_NOW }) })]);
    const abort = run(fresh, [{ type: 'command', id: 8, command: { kind: 'abort', code: 42 } }]);
    expect(abort.effects[0]).toMatchObject({ type: 'reject', id: 8 });
    expect(() => assertTransition('closed', 'open')).toThrow(expect.objectContaining({ code: AESC_ERROR__CHANNEL__INVALID_TRANSITION }));
    const garbage = run(fresh, [{ type: 'message', message: { method: 'channels.update', params: { data: { state: 'tx_AAAA' } } } }]);
    expect(garbage.state).toEqual(fresh);
    expect(garbage.effects).toEqual([expect.objectContaining({ type: 'emit', event: expect.objectContaining({ type: 'error' }) })]);
  });
});
