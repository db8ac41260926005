import { decodeTx } from '@aesc/encoding';
import { AESC_ERROR__CHANNEL__CONFLICT, AESC_ERROR__CHANNEL__NOT_ALLOWED_NOW, AESC_ERROR__CHANNEL__OTHER_CHANNEL, AESC_ERROR__CHANNEL__REFUSED_BY_POLICY, AESC_ERROR__CHANNEL__REJECTED_BY_NODE, AescError, isAescError } from '@aesc/errors';
import { CLEAN_CONTRACT_CALLS, GET_BALANCES, GET_CONTRACT, GET_CONTRACT_CALL, GET_OFFCHAIN_STATE, GET_POI, NOTIFICATIONS, signTagOf } from '@aesc/channel-api';
import { poiBalances } from '@aesc/state';
import type { TxSigners } from '../signatures.js';
import { signTagSpec } from './sign-tags.js';
import type { ClientConfig, ClientEvent, ClientState, NodeMessage, Step } from './types.js';
import { coSigned, dropPending, fundingCoSigned, recordOf } from './co-signed.js';
import { Builder } from './builder.js';
import { onCommand } from './commands.js';
import { abortReply, onSigned, onSignRequest, refuseSignRequest } from './sign-requests.js';
import { onStored, onStoreFailed } from './store-answers.js';

export { SIGN_TAGS, type SignTag, signTagSpec } from './sign-tags.js';

/*
 * The client's machine: `step` takes one event (a command of the app, a frame of the node, a
 * signature, a store write done) and gives the next state and its effects. Its parts: commands
 * (`commands.ts`), sign requests (`sign-requests.ts`), co-signed states (`co-signed.ts`), what the
 * checks see of the channel (`channel-view.ts`), the step builder (`builder.ts`).
 */

/** The state of a client that has just connected. */
export function initialClientState(config: ClientConfig): ClientState {
  const r = config.resume;
  if (r !== undefined) {
    // A pending proposal is only ever of the round after the last co-signed one (resumeFrom and
    // the stores check it in full; whatever it says is checked again before it is used).
    const pending = r.pending !== undefined && r.pending.round === r.last.state.round + 1n ? { pending: r.pending } : {};
    return { config, phase: 'connecting', nextRequestId: 1, channelId: r.channelId, fsmId: r.fsmId, last: r.last, ...pending };
  }
  return { config, phase: 'connecting', nextRequestId: 1 };
}

function nodeError(b: Builder, m: NodeMessage): void {
  const reason = m.error?.data?.[0];
  const method = (m.error as { request?: { method?: string } } | undefined)?.request?.method ?? 'request';
  const error = new AescError(AESC_ERROR__CHANNEL__REJECTED_BY_NODE, {
    method,
    code: reason?.code ?? m.error?.code ?? 0,
    reason: reason?.message ?? m.error?.message ?? 'rejected',
  });
  b.emit({ type: 'error', error });
  const c = b.state.command;
  // (a refused message, sent without an id, is never the command under way)
  if (c !== undefined && method !== 'channels.message' && (m.id === null || m.id === undefined || m.id === c.requestId)) {
    b.failCommand(error);
    if (b.state.phase === 'signing' && b.state.round?.peerProposal !== true) {
      b.clear('round');
      dropPending(b);
      b.phase('open');
    }
  }
}

/** The `*.reply` notifications that answer the queries a client may send (`channels.get.*`, `channels.clean_contract_calls`). */
const QUERY_REPLIES: ReadonlySet<string> = new Set(
  [GET_BALANCES, GET_POI, GET_OFFCHAIN_STATE, GET_CONTRACT, GET_CONTRACT_CALL, CLEAN_CONTRACT_CALLS].map((m) => m.replyMethod),
);

function onMessage(b: Builder, m: NodeMessage, signers: TxSigners | undefined): void {
  // This client's channel id comes from the create tx it signed (or its store), never from the
  // node's word: a message that names another channel is not for it.
  const channelId = (m.params?.channel_id ?? m.channel_id) as string | null | undefined;
  const mine = b.state.channelId;
  if (typeof channelId === 'string' && mine !== undefined && channelId !== mine) {
    const method = m.method ?? (m.error !== undefined ? 'error' : 'result');
    const error = new AescError(AESC_ERROR__CHANNEL__OTHER_CHANNEL, { method, expected: mine, actual: channelId });
    const tag = signTagOf(m.method);
    const spec = tag === undefined ? undefined : signTagSpec(tag);
    if (tag !== undefined && spec !== undefined) refuseSignRequest(b, tag, spec, error);
    else b.emit({ type: 'error', error });
    return;
  }
  if (m.error !== undefined) {
    nodeError(b, m);
    return;
  }
  if (m.method === undefined) {
    const c = b.state.command;
    const ours = c !== undefined && typeof m.id !== 'string' && m.id !== undefined && m.id !== null && BigInt(m.id) === BigInt(c.requestId);
    if (ours && c.completesOnResult) b.finishCommand(m.result);
    return;
  }
  if (QUERY_REPLIES.has(m.method)) {
    if (b.state.command?.completesOnResult) b.finishCommand(m.params?.data);
    return;
  }
  const data = (m.params?.data ?? {}) as Record<string, unknown>;
  const tag = signTagOf(m.method);
  if (tag !== undefined) {
    onSignRequest(b, tag, data, signers);
    return;
  }
  switch (m.method) {
    case NOTIFICATIONS.info: {
      const event = String(data.event);
      b.emit({ type: 'info', event, data });
      if (event === 'fsm_up' && typeof data.fsm_id === 'string') {
        const renewed = b.state.fsmId !== undefined && b.state.fsmId !== data.fsm_id;
        b.set({ fsmId: data.fsm_id });
        // A reestablished FSM has a new fsm id, and only that one brings the channel back from
        // then on: the stored record gets it at once, not with the next round.
        const last = b.state.last;
        if (renewed && last !== undefined && b.state.channelId !== undefined) b.effects.push({ type: 'store', record: recordOf(b.state, last.tx, last.state) });
        // Resuming a channel: the FSM is back (reconnect) or being reestablished; either way the
        // client holds a co-signed round and the channel is open.
        if (b.state.phase === 'connecting') b.phase(b.state.config.resume !== undefined && b.state.last !== undefined ? 'open' : 'opening');
      } else if (event === 'open' || event === 'channel_reestablished') {
        // The first `open` is followed by the channel's first state (`channels.update`): the
        // channel is open for the app once that is co-signed here (coSigned moves the phase).
        if (b.state.last !== undefined && b.state.phase !== 'open' && b.state.phase !== 'signing') b.phase('open');
      } else if (event === 'aborted_update') {
        // The node confirms this client's abort, which failed the command it answered already: a
        // command the app gave since (a retry) goes on, and so does its round if it began.
        if (b.state.round === undefined && b.state.phase === 'signing') b.phase('open');
      } else if (event === 'closing' && b.state.phase !== 'solo-closing') {
        if (b.state.phase !== 'closing') b.phase('closing');
      } else if (event === 'closed_confirmed') {
        b.phase('closed');
        b.finishCommand(undefined);
      } else if (event === 'died') {
        b.failCommand(new AescError(AESC_ERROR__CHANNEL__NOT_ALLOWED_NOW, { command: 'finish', phase: 'terminated' }));
        b.clear('round');
        b.phase('terminated');
      }
      return;
    }
    case NOTIFICATIONS.update:
      if (typeof data.state === 'string') coSigned(b, data.state, signers);
      return;
    case NOTIFICATIONS.onChainTx: {
      const info = String(data.info);
      const tx = typeof data.tx === 'string' ? decodeTx(data.tx) : undefined;
      if (tx !== undefined) b.emit({ type: 'on-chain-tx', info, tx, txType: String(data.type) });
      if ((info === 'funding_signed' || info === 'funding_created') && tx !== undefined) fundingCoSigned(b, data.tx as string, signers);
      else if (info === 'solo_closing' && tx !== undefined && (tx.tx.tag === 'channel_close_solo_tx' || tx.tx.tag === 'channel_slash_tx')) {
        const [i, r] = poiBalances(tx.tx.poi, [b.state.config.initiator, b.state.config.responder]);
        b.set({ closingAmounts: [i ?? 0n, r ?? 0n] });
        if (b.state.phase !== 'solo-closing') b.phase('solo-closing');
        const c = b.state.command?.command.kind;
        if (c === 'close-solo' || c === 'slash') {
          b.finishCommand(tx);
          if (b.state.round?.next === undefined) b.clear('round');
        }
      } else if (info === 'channel_closed') {
        b.phase('closed');
        b.finishCommand(tx);
        b.clear('round');
      }
      return;
    }
    case NOTIFICATIONS.conflict: {
      const round = BigInt((data.round as bigint | number | undefined) ?? 0);
      const code = Number(data.error_code ?? 0);
      b.emit({ type: 'conflict', round, code });
      b.failCommand(new AescError(AESC_ERROR__CHANNEL__CONFLICT, { round: round.toString(), code }));
      b.clear('round');
      dropPending(b);
      if (b.state.phase === 'signing') b.phase('open');
      return;
    }
    case NOTIFICATIONS.message: {
      const msg = (data.message ?? {}) as Record<string, unknown>;
      b.emit({ type: 'message', from: String(msg.from), to: String(msg.to), info: String(msg.info) });
      return;
    }
    case NOTIFICATIONS.leave:
      b.phase('left');
      b.finishCommand(data.state);
      return;
    case NOTIFICATIONS.pong:
      if (b.state.command?.command.kind === 'ping') b.finishCommand(undefined);
      return;
    case NOTIFICATIONS.error:
      b.emit({ type: 'error', error: new AescError(AESC_ERROR__CHANNEL__REJECTED_BY_NODE, { method: 'channel', code: 0, reason: String(data.message) }) });
      return;
    default:
      return;
  }
}

/**
 * The client's state machine: a pure function from the state and one event to the next state and
 * the effects the driver carries out (send, sign, store, tell the app, settle commands). It never
 * does I/O, so the whole protocol can be run and tested without sockets.
 */
export function step(state: ClientState, event: ClientEvent): Step {
  try {
    return apply(state, event);
  } catch (e) {
    // Nothing a node sends may break the client: a message it cannot follow leaves the state as
    // it was and is reported as a coded error.
    if (!isAescError(e)) throw e;
    return { state, effects: [{ type: 'emit', event: { type: 'error', error: e } }] };
  }
}

function apply(state: ClientState, event: ClientEvent): Step {
  const b = new Builder(state);
  switch (event.type) {
    case 'message':
      onMessage(b, event.message, event.signers);
      break;
    case 'command':
      onCommand(b, event.id, event.command);
      break;
    case 'signed':
      onSigned(b, event.tag, event.signedTx);
      break;
    case 'sign-declined': {
      const round = b.state.round;
      if (round !== undefined && round.tag === event.tag && round.awaitingSignature) {
        abortReply(b, round.replyMethod, event.code);
        const error = event.error ?? new AescError(AESC_ERROR__CHANNEL__REFUSED_BY_POLICY, { reason: event.reason });
        b.emit({ type: 'refused', tag: event.tag, error });
        if (!round.peerProposal) {
          b.failCommand(error);
          dropPending(b);
        }
        b.clear('round');
      }
      break;
    }
    case 'stored':
      onStored(b, event.record);
      break;
    case 'store-failed':
      onStoreFailed(b, event.record, event.error);
      break;
    case 'disconnected': {
      const gone = new AescError(AESC_ERROR__CHANNEL__NOT_ALLOWED_NOW, { command: 'finish', phase: 'disconnected' });
      b.failCommand(gone);
      for (const d of b.state.deferred ?? []) b.effects.push({ type: 'reject', id: d.id, error: gone });
      b.clear('deferred');
      break;
    }
  }
  startDeferred(b);
  return b.done();
}

/** Starts the deferred commands once the round they waited for is over (refusing them if the channel is not open then). */
function startDeferred(b: Builder): void {
  while (b.state.deferred !== undefined && b.state.command === undefined && b.state.phase !== 'signing') {
    const [first, ...rest] = b.state.deferred;
    if (rest.length > 0) b.set({ deferred: rest });
    else b.clear('deferred');
    if (first !== undefined) onCommand(b, first.id, first.command);
  }
}
