import { type Transcript, connectParams, loadTranscripts } from '@aesc/corpus';
import { type AccountAddress, type ChannelId, type SignedTx, decodeTx, encodeApi } from '@aesc/encoding';
import {
  AESC_ERROR__CHANNEL__FEE_TOO_HIGH,
  AESC_ERROR__CHANNEL__PAYLOAD_MISMATCH,
  AESC_ERROR__CHANNEL__STATE_HASH_MISMATCH,
  AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH,
  AESC_ERROR__CHANNEL__UNEXPECTED_TX_TYPE,
} from '@aesc/errors';
import { innerTx } from '@aesc/protocol';
import { type OffchainState, type OffchainUpdate, balanceOf, initialState, parseStateTrees, updateFromJson } from '@aesc/state';
import { describe, expect, it } from 'vitest';
import { ABORT_VALIDATION_ERROR, type ChannelView, type SignExpectation, checkSignRequest } from '../../src/sign-request.js';

type Message = { method?: string; params?: { data?: Record<string, unknown>; error?: unknown } & Record<string, unknown> };

/** The expectation a client has for each sign tag, from the updates the node reports with it. */
function expectationFor(tag: string, updates: readonly OffchainUpdate[], view: ChannelView, settle: () => { i: bigint; r: bigint }): SignExpectation | undefined {
  const one = updates[0];
  switch (tag) {
    case 'update':
    case 'update_ack':
      return { kind: 'offchain', updates };
    case 'deposit_tx':
    case 'deposit_ack':
      return one?.tag === 'channel_offchain_update_deposit' ? { kind: 'deposit', from: one.from, amount: one.amount } : undefined;
    case 'withdraw_tx':
    case 'withdraw_ack':
      return one?.tag === 'channel_offchain_update_withdraw' ? { kind: 'withdraw', to: one.to, amount: one.amount } : undefined;
    case 'shutdown_sign':
      return { kind: 'close-mutual', from: view.self };
    case 'shutdown_sign_ack':
      return { kind: 'close-mutual', from: view.self === view.initiator ? view.responder : view.initiator };
    case 'close_solo_sign':
      return { kind: 'close-solo' };
    case 'slash_tx':
      return { kind: 'slash' };
    case 'snapshot_solo_tx':
      return { kind: 'snapshot-solo' };
    case 'settle_sign': {
      const { i, r } = settle();
      return { kind: 'settle', initiatorAmount: i, responderAmount: r };
    }
    default:
      return undefined;
  }
}

interface Checked {
  readonly file: string;
  readonly tag: string;
  readonly view: ChannelView;
  readonly expectation: SignExpectation;
  readonly tx: SignedTx;
}

/** Follows one self-contained transcript from each actor's side, checking every sign request it gets. */
function follow(t: Transcript, checked: Checked[], failures: string[]): void {
  const connect = t.steps.find((s) => s.kind === 'connect' && connectParams(s).role === 'initiator');
  if (connect === undefined) return;
  const p = connectParams(connect);
  const initiator = p.initiator_id as AccountAddress;
  const responder = p.responder_id as AccountAddress;
  const push = BigInt(p.push_amount ?? '0');
  const reserve = BigInt(p.channel_reserve ?? '0');
  const actors: Record<
    string,
    { last?: { state: OffchainState; tx: SignedTx }; pending: Map<bigint, OffchainState>; channelId?: ChannelId; away?: boolean }
  > = {
    initiator: { pending: new Map() },
    responder: { pending: new Map() },
  };
  t.steps.forEach((step, index) => {
    // A client that disconnects may miss rounds co-signed meanwhile: until it reads the channel's
    // state again its view is stale (a real client re-reads it when it reconnects).
    if (step.kind === 'close' && actors[step.actor]) actors[step.actor]!.away = true;
    if (step.kind !== 'recv') return;
    const actor = actors[step.actor];
    const m = step.message as Message;
    if (actor === undefined || m.method === undefined) return;
    const data = (m.params?.data ?? {}) as Record<string, unknown>;
    if (m.method === 'channels.update' && typeof data.state === 'string') {
      const signed = decodeTx(data.state);
      const inner = innerTx(signed).tx;
      if (inner.tag === 'channel_create_tx') {
        const state = initialState({ initiator, initiatorAmount: inner.initiatorAmount, responder, responderAmount: inner.responderAmount, pushAmount: push });
        actor.last = { state, tx: signed };
        actor.away = false;
        const id = (m.params as { channel_id?: ChannelId }).channel_id;
        if (id !== undefined) actor.channelId = id;
      } else if ('round' in inner) {
        const next = actor.pending.get(inner.round);
        // A round co-signed while this client was away: its state is unknown until the client
        // reads the off-chain state again (as a reconnecting client does).
        if (next !== undefined) {
          actor.last = { state: next, tx: signed };
          actor.away = false;
        }
      }
      return;
    }
    const reply = (m as { result?: { trees?: unknown; signed_tx?: unknown } }).result;
    if (typeof reply?.trees === 'string' && typeof reply.signed_tx === 'string' && reply.signed_tx !== '') {
      const signed = decodeTx(reply.signed_tx);
      const inner = innerTx(signed).tx;
      const round = 'round' in inner ? inner.round : 1n;
      actor.last = { state: { round, trees: parseStateTrees(reply.trees) }, tx: signed };
      actor.away = false;
      return;
    }
    const sign = /^channels\.sign\.(.+)$/.exec(m.method);
    if (sign === null || actor.last === undefined || actor.channelId === undefined || typeof data.signed_tx !== 'string') return;
    const self = step.actor === 'initiator' ? initiator : responder;
    const view: ChannelView = { channelId: actor.channelId, initiator, responder, self, channelReserve: reserve, lastCoSigned: actor.last };
    let updates: OffchainUpdate[];
    try {
      updates = ((data.updates as unknown[]) ?? []).map(updateFromJson);
    } catch {
      return; // contract updates: need a VM
    }
    const last = actor.last.state;
    const expectation = expectationFor(sign[1]!, updates, view, () => ({ i: balanceOf(last.trees, initiator) ?? 0n, r: balanceOf(last.trees, responder) ?? 0n }));
    if (expectation === undefined) return;
    const tx = decodeTx(data.signed_tx);
    if (actor.away) {
      stale.push(`${t.file} #${index} ${sign[1]}`);
      return;
    }
    const result = checkSignRequest(view, expectation, tx);
    if (!result.ok) {
      failures.push(`${t.file} #${index} ${sign[1]}: ${result.error.message}`);
      return;
    }
    if (result.nextState !== undefined) actor.pending.set(result.nextState.round, result.nextState);
    checked.push({ file: t.file, tag: sign[1]!, view, expectation, tx });
  });
}

const transcripts = loadTranscripts();
// Transcripts that open their own channel and need no contract VM.
const selfContained = transcripts.filter(
  (t) =>
    t.steps.some((s) => s.kind === 'connect') &&
    !/^(contracts|force_progress|generalized_accounts)/.test(t.group) &&
    !t.file.includes('remote_call_contract') &&
    !t.file.includes('force_progress'),
);
const checked: Checked[] = [];
const failures: string[] = [];
const stale: string[] = [];
for (const t of selfContained) follow(t, checked, failures);

describe('corpus: verified signing approves every sign request the node sent', () => {
  it('approves them all', () => {
    const byTag: Record<string, number> = {};
    for (const c of checked) byTag[c.tag] = (byTag[c.tag] ?? 0) + 1;
    console.log(`checked ${checked.length} sign requests in ${selfContained.length} self-contained transcripts: ${JSON.stringify(byTag)}`);
    expect(failures).toEqual([]);
    // Clients that reconnected and asked to close without re-reading the state, which moved on while
    // they were away: a client with a stale view cannot verify (ours re-reads the state first).
    expect(stale).toEqual([
      'reconnect/sc_ws_basic_client_reconnect_i.json #67 shutdown_sign',
      'reconnect/sc_ws_basic_client_reconnect_i_w_reestablish.json #67 shutdown_sign',
      'reconnect/sc_ws_basic_client_reconnect_r.json #67 shutdown_sign',
    ]);
    for (const tag of ['update', 'update_ack', 'deposit_tx', 'deposit_ack', 'withdraw_tx', 'withdraw_ack', 'shutdown_sign', 'shutdown_sign_ack', 'close_solo_sign', 'slash_tx', 'snapshot_solo_tx', 'settle_sign']) {
      expect(byTag[tag] ?? 0, tag).toBeGreaterThan(0);
    }
  });
});

/** A copy of a signed tx with one field of its inner tx replaced. */
function withField(tx: SignedTx, field: string, value: unknown): SignedTx {
  return { ...tx, tx: { ...tx.tx, [field]: value } as SignedTx['tx'] };
}

describe('corpus: a tx that differs from the expected one in any checked field is refused', () => {
  const other = encodeApi('ak', new Uint8Array(32).fill(9));
  const mutations: [field: string, change: (v: unknown) => unknown, code: number][] = [
    ['channelId', () => encodeApi('ch', new Uint8Array(32).fill(9)), AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH],
    ['round', (v) => (v as bigint) + 1n, AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH],
    ['stateHash', () => encodeApi('st', new Uint8Array(32).fill(9)), AESC_ERROR__CHANNEL__STATE_HASH_MISMATCH],
    ['amount', (v) => (v as bigint) + 1n, AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH],
    ['fromId', () => other, AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH],
    ['toId', () => other, AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH],
    ['initiatorAmountFinal', (v) => (v as bigint) + 1n, AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH],
    ['responderAmountFinal', (v) => (v as bigint) + 1n, AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH],
    ['payload', () => null, AESC_ERROR__CHANNEL__PAYLOAD_MISMATCH],
  ];

  it('refuses each mutation with the abort code and the field’s coded error', () => {
    let refused = 0;
    for (const c of checked) {
      for (const [field, change, code] of mutations) {
        if (!(field in c.tx.tx)) continue;
        const current = (c.tx.tx as unknown as Record<string, unknown>)[field];
        if (field === 'payload' && current === null) continue;
        const result = checkSignRequest(c.view, c.expectation, withField(c.tx, field, change(current)));
        expect(result.ok, `${c.file} ${c.tag} ${field}`).toBe(false);
        if (!result.ok) {
          expect(result.abortCode).toBe(ABORT_VALIDATION_ERROR);
          expect(result.error.code, `${c.file} ${c.tag} ${field}: ${result.error.message}`).toBe(code);
        }
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(checked.length);
  });

  it('refuses a fee above the client’s limit (unless the client gave that fee) and a tx of another type', () => {
    let fees = 0;
    for (const c of checked) {
      const fee = (c.tx.tx as { fee?: bigint }).fee;
      if (fee === undefined || c.expectation.kind === 'offchain') continue;
      const result = checkSignRequest({ ...c.view, maxFee: fee - 1n }, c.expectation, c.tx);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe(AESC_ERROR__CHANNEL__FEE_TOO_HIGH);
      // the limit is for fees the node chose: the fee the client gave itself is signed as given,
      // and one it gave with a gas price (a floor) raises the limit to it
      expect(checkSignRequest({ ...c.view, maxFee: fee - 1n }, { ...c.expectation, fee } as SignExpectation, c.tx).ok, `${c.file} ${c.tag}`).toBe(true);
      expect(checkSignRequest({ ...c.view, maxFee: fee - 1n }, { ...c.expectation, minFee: fee } as SignExpectation, c.tx).ok, `${c.file} ${c.tag}`).toBe(true);
      const above = checkSignRequest({ ...c.view, maxFee: fee - 2n }, { ...c.expectation, minFee: fee - 1n } as SignExpectation, c.tx);
      expect(!above.ok && above.error.code, `${c.file} ${c.tag}`).toBe(AESC_ERROR__CHANNEL__FEE_TOO_HIGH);
      fees++;
    }
    expect(fees).toBeGreaterThan(0);
    const c = checked.find((x) => x.expectation.kind === 'offchain')!;
    const result = checkSignRequest(c.view, { kind: 'close-mutual', from: c.view.self }, c.tx);
    expect(!result.ok && result.error.code).toBe(AESC_ERROR__CHANNEL__UNEXPECTED_TX_TYPE);
  });
});
