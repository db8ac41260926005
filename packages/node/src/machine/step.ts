import { SIGN_REPLY_METHODS, type SignReplyParams } from '@aesc/channel-api';
import { AESC_ERROR__NODE__UNEXPECTED_RESULT, AescError } from '@aesc/errors';
import { publicKeyOf } from '@aesc/crypto';
import { bytesEqual, decodeApi } from '@aesc/encoding';
import { parseStateTrees } from '@aesc/state';
import { offchainRoundOfMethod } from '@aesc/protocol';
import { NOT_SET_BLOCK_HASH } from '../fsm/block-hash-delta.js';
import type { CachedChannel } from '../fsm/cached-channel.js';
import { rpcError } from '../fsm/client-reply.js';
import { emptyLog, logAdd } from '../fsm/event-log.js';
import { txFromText } from '../fsm/object-bytes.js';
import type { PeerMessage } from '../peer/peer-message.js';
import { Builder } from './builder.js';
import { assumeMinimumDepth, chainResumers, onChain, onDepth } from './chain-watch.js';
import { depositWithdrawResumers, onDepositOrWithdrawSigned, onLockedMessage, startDepositOrWithdraw } from './deposit-withdraw.js';
import {
  checkChainBeforeReestablish,
  leaveReestablishResumers,
  onLeave,
  onPeerClosed,
  onReestablish,
  onReestablishAck,
  peerUnreachable,
  restore,
  startLeave,
} from './leave-reestablish.js';
import { lookupResumers, persist } from './lookups.js';
import { pendingRoundFromRecord } from './pending-round.js';
import { adopt, clientBack, recoveryResumers } from './recovery.js';
import { mutualCloseResumers, onShutdown, onShutdownAck, startShutdown } from './mutual-close.js';
import { onChannelAccept, onChannelOpen, onFundingCreated, onFundingLocked, onFundingSigned, openingResumers, peerConnected, start } from './opening.js';
import { OPENING_PHASES } from './phase.js';
import { onInbandMessage, onMessageRequest, onQuery, onSystem } from './queries.js';
import { currentRound, isChannel, roundConflict } from './rounds.js';
import { onSignReply, signReplyResumers, signTimedOut } from './sign-replies.js';
import { soloResumers, startSolo } from './solo.js';
import { copyState } from './state-copy.js';
import type { Cont, FsmConfig, FsmEvent, FsmState, Lookup, MachineContext, Step, ValidRequest } from './types.js';
import { onProposal, onRoundError, onUpdateAck, startUpdate, updateResumers } from './update.js';

/**
 * The node's FSM as a pure machine: `step(state, event)` gives the next state and the effects
 * the driver (`fsm/channel-fsm.ts`) carries out. An input (a request, a peer message, a chain
 * event, a timer) that needs a lookup, a signature check, a write or a post asks for it as an
 * effect and waits for its result event (the rest of the input is data: `FsmState.cont`); the
 * driver hands over the next input only once it is done, as the node's FSM handles one event
 * at a time.
 */

/** The FSM of a new channel (a responder waiting for the initiator, or an initiator about to reach it). */
export function newFsmState(config: FsmConfig): FsmState {
  const o = config.options;
  return {
    config,
    phase: config.role === 'initiator' ? 'awaiting_connect' : 'awaiting_open',
    initiator: o.initiatorId,
    responder: o.responderId,
    initiatorAmount: o.initiatorAmount,
    responderAmount: o.responderAmount,
    channelReserve: o.channelReserve,
    lockPeriod: o.lockPeriod,
    pushAmount: o.pushAmount,
    minDepth: o.minimumDepth,
    minDepthStrategy: o.minimumDepthStrategy,
    tempChannelId: new Uint8Array(32),
    channelId: undefined,
    reportedChannelId: null,
    offchain: undefined,
    signedTx: undefined,
    createTx: undefined,
    createBlockHash: NOT_SET_BLOCK_HASH,
    ownFundingLocked: false,
    peerFundingLocked: false,
    peerFundingLockedEarly: false,
    round: undefined,
    roundSeq: 0,
    pendingSign: undefined,
    pendingRound: undefined,
    watches: new Map(),
    known: new Map(),
    reported: new Set(),
    subscribed: false,
    soloClosing: false,
    settleAfter: undefined,
    pendingSettle: undefined,
    client: true,
    peer: 0,
    peerSharesCache: false,
    idleArmed: false,
    log: emptyLog(o.logKeep),
    cont: undefined,
    expects: undefined,
  };
}

/** The FSM of a channel read back from the state cache, about to reestablish. */
export function restoredFsmState(config: FsmConfig, cached: CachedChannel): FsmState {
  const s = copyState(newFsmState(config));
  s.phase = config.role === 'initiator' ? 'reestablish_init' : 'awaiting_reestablish';
  s.channelId = cached.channelId;
  s.initiator = cached.initiatorId;
  s.lockPeriod = BigInt(cached.lockPeriod);
  s.channelReserve = BigInt(cached.channelReserve);
  s.minDepth = cached.minimumDepth;
  s.minDepthStrategy = cached.minimumDepthStrategy;
  s.signedTx = txFromText(cached.signedTx);
  s.offchain = { round: BigInt(cached.round), trees: parseStateTrees(cached.trees) };
  s.pendingRound = pendingRoundFromRecord(cached.pending);
  return s;
}

/** Every continuation, by kind. */
const RESUMERS: { readonly [K in Cont['k']]: (b: Builder, c: Extract<Cont, { k: K }>, value: unknown) => void } = {
  ...lookupResumers,
  ...openingResumers,
  ...updateResumers,
  ...depositWithdrawResumers,
  ...mutualCloseResumers,
  ...soloResumers,
  ...leaveReestablishResumers,
  ...signReplyResumers,
  ...chainResumers,
  ...recoveryResumers,
  done: () => undefined,
};

function resume(b: Builder, cont: Cont, value: unknown): void {
  (RESUMERS[cont.k] as (b: Builder, c: Cont, value: unknown) => void)(b, cont, value);
}

/** The events that are inputs: handled one at a time, each restarting the idle timer when done. */
function isInput(e: FsmEvent): boolean {
  switch (e.type) {
    case 'request':
    case 'peer-message':
    case 'peer-closed':
    case 'chain':
    case 'timer':
    case 'client-gone':
    case 'depth-assumed':
    case 'persist-restored':
    case 'chain-before-reestablish':
    case 'adopt-client-latest':
    case 'looked-up':
    case 'checked':
    case 'persisted':
    case 'posted':
    case 'fault':
      return true;
    default:
      return false;
  }
}

/**
 * One event: the next state and the effects to carry out, in order. Pure: the same state, event
 * and context give the same result (randomness and time come in with events).
 */
export function step(state: FsmState, event: FsmEvent, ctx: MachineContext): Step {
  const b = new Builder(state, ctx, event.at ?? 0, resume);
  handle(b, event);
  if (isInput(event) && b.s.cont === undefined && b.s.phase !== 'terminated') restIdle(b, !b.quiet);
  return b.done();
}

function handle(b: Builder, e: FsmEvent): void {
  switch (e.type) {
    case 'start':
      { start(b); return; }
    case 'restore':
      { restore(b, e.latest); return; }
    case 'peer-attached': {
      const w = b.w;
      w.peer = e.link;
      w.peerSharesCache = e.sharesCache;
      return;
    }
    case 'peer-connected':
      { peerConnected(b, e.tempChannelId); return; }
    case 'peer-unreachable':
      {
        peerUnreachable(b);
        return;
      }
    case 'client-attached':
      b.w.client = true;
      b.info('fsm_up', { fsm_id: b.s.config.fsmId });
      { clientBack(b, e.latest); return; }
    case 'client-detached':
      b.w.client = false;
      { b.push({ type: 'enqueue', event: { type: 'client-gone' } }); return; }
    case 'stop':
      { b.terminate(undefined); return; }
    case 'request':
      { onRequest(b, e.method, e.params); return; }
    case 'peer-message':
      { onPeer(b, e.message); return; }
    case 'peer-closed':
      { onPeerClosed(b, e.link); return; }
    case 'chain':
      { onChain(b, e.event); return; }
    case 'timer':
      { onTimer(b, e.name, e.seq); return; }
    case 'client-gone':
      { onClientGone(b); return; }
    case 'depth-assumed':
      { onDepth(b, e.then, undefined); return; }
    case 'chain-before-reestablish':
      {
        checkChainBeforeReestablish(b);
        return;
      }
    case 'persist-restored':
      return void persist(b, undefined);
    case 'adopt-client-latest':
      { adopt(b, e.tx, { k: 'reest.meet' }); return; }
    case 'looked-up':
      { onResult(b, LOOKUP_RESULT[e.kind], e.value); return; }
    case 'checked':
      { onResult(b, 'checked', e.ok); return; }
    case 'persisted':
      { onResult(b, 'persisted', undefined); return; }
    case 'posted':
      { onResult(b, 'posted', e.error); return; }
    case 'fault':
      { onFault(b, e.input); return; }
  }
}

/** The result kind of each lookup (one string each, not one made per result). */
const LOOKUP_RESULT: { readonly [K in Lookup['kind']]: `lookup:${K}` } = {
  nonce: 'lookup:nonce',
  height: 'lookup:height',
  'block-place': 'lookup:block-place',
  'picked-block': 'lookup:picked-block',
  'block-check': 'lookup:block-check',
  channel: 'lookup:channel',
  'tx-depth': 'lookup:tx-depth',
  tx: 'lookup:tx',
};

/** The result of the effect the input in flight waits on: the input goes on from its continuation. */
function onResult(b: Builder, kind: string, value: unknown): void {
  const s = b.s;
  const cont = s.cont;
  if (cont === undefined || s.expects !== kind) throw new AescError(AESC_ERROR__NODE__UNEXPECTED_RESULT, { expected: String(s.expects), got: kind });
  const w = b.w;
  w.cont = undefined;
  w.expects = undefined;
  resume(b, cont, value);
}

/**
 * The input in flight failed (an effect or a step threw): it gets its answer, never silence.
 * A request not answered yet gets the node's "Internal error" (-32603) with the FSM as it was
 * (as the node's FSM catches what a call throws); a chain that did not answer is asked again on
 * its next event (the client hears of it); anything else had started work that cannot be left
 * half done: the FSM ends as the node's does when a step crashes.
 */
function onFault(b: Builder, input: 'request' | 'answered-request' | 'chain' | 'other'): void {
  const w = b.w;
  w.cont = undefined;
  w.expects = undefined;
  if (input === 'request') { b.reply(rpcError(-32603)); return; }
  if (input === 'chain') { b.report('error', 'channels.error', { message: 'the chain did not answer; trying again on its next block' }); return; }
  b.terminate('died');
}

function onRequest(b: Builder, method: string, params: Readonly<Record<string, unknown>>): void {
  // Only what `validateClientMessage` accepted reaches the FSM (`ChannelFsm.request`): here, and
  // only here, its params are taken as the types that validation proved.
  const signTag = (SIGN_REPLY_METHODS as Record<string, string>)[method];
  if (signTag !== undefined) { onSignReply(b, signTag, params as SignReplyParams); return; }
  const r = { method, params } as ValidRequest;
  switch (r.method) {
    case 'channels.system':
      { onSystem(b, r.params); return; }
    case 'channels.message':
      { onMessageRequest(b, r.params); return; }
    case 'channels.deposit':
      { startDepositOrWithdraw(b, 'deposit', r.params); return; }
    case 'channels.withdraw':
      { startDepositOrWithdraw(b, 'withdraw', r.params); return; }
    case 'channels.shutdown':
      { startShutdown(b, r.params); return; }
    case 'channels.close_solo':
      { startSolo(b, 'close_solo', r.params); return; }
    case 'channels.slash':
      { startSolo(b, 'slash', r.params); return; }
    case 'channels.settle':
      { startSolo(b, 'settle', r.params); return; }
    case 'channels.snapshot_solo':
      { startSolo(b, 'snapshot_solo', r.params); return; }
    case 'channels.leave':
      { startLeave(b); return; }
    case 'channels.assume_minimum_depth':
      { assumeMinimumDepth(b, r.params); return; }
    default: {
      const round = offchainRoundOfMethod(r.method);
      if (round !== undefined) startUpdate(b, round, params);
      else onQuery(b, r);
      return;
    }
  }
}

/**
 * Whether a peer message can come now: aesc_fsm takes each message of opening and reestablishing
 * in its own states only. (Round messages, errors and generic messages are for their handlers
 * to check: a round they do not belong to is a conflict or a straggler.)
 */
function expected(b: Builder, m: PeerMessage): boolean {
  const s = b.s;
  const responder = s.config.role === 'responder';
  switch (m.type) {
    case 'channel_open':
      return responder && s.phase === 'awaiting_open';
    case 'channel_accept':
      return !responder && s.phase === 'initialized';
    case 'funding_created':
      return responder && s.phase === 'accepted' && s.createTx === undefined && s.pendingSign === undefined;
    case 'funding_signed':
      return !responder && s.phase === 'half_signed' && s.createTx !== undefined && s.signedTx === undefined;
    case 'funding_locked':
      return s.phase === 'awaiting_locked' || s.phase === 'signed';
    case 'channel_reestablish':
      return responder && s.phase === 'awaiting_reestablish';
    case 'channel_reest_ack':
      return !responder && s.phase === 'reestablish_init';
    case 'leave':
    case 'leave_ack':
      return s.phase === 'open' && isChannel(b, m.channelId);
    default:
      return true;
  }
}

function onPeer(b: Builder, m: PeerMessage): void {
  b.w.log = logAdd(b.s.log, 'rcv', m.type, m, true, b.at);
  if (!expected(b, m)) {
    // Out of turn while the channel opens or reestablishes: the node's protocol error, which
    // ends its FSM. Once open (or closing), the node drops it.
    if (OPENING_PHASES.has(b.s.phase)) b.terminate('died');
    return;
  }
  switch (m.type) {
    case 'channel_open':
      { onChannelOpen(b, m); return; }
    case 'channel_accept':
      { onChannelAccept(b, m); return; }
    case 'funding_created':
      { onFundingCreated(b, m); return; }
    case 'funding_signed':
      { onFundingSigned(b, m); return; }
    case 'funding_locked':
      { onFundingLocked(b, m); return; }
    case 'update':
    case 'deposit_created':
    case 'withdraw_created':
      { onProposal(b, m); return; }
    case 'update_ack':
      { onUpdateAck(b, m); return; }
    case 'deposit_signed':
    case 'withdraw_signed':
      { onDepositOrWithdrawSigned(b, m); return; }
    case 'deposit_locked':
    case 'withdraw_locked':
      { onLockedMessage(b, m); return; }
    case 'update_error':
    case 'deposit_error':
    case 'withdraw_error':
    case 'shutdown_error':
      { onRoundError(b, m); return; }
    case 'shutdown':
      { onShutdown(b, m); return; }
    case 'shutdown_ack':
      { onShutdownAck(b, m); return; }
    case 'leave':
      { onLeave(b, false); return; }
    case 'leave_ack':
      { onLeave(b, true); return; }
    case 'inband_msg':
      { onInbandMessage(b, m); return; }
    case 'channel_reestablish':
      { onReestablish(b, m); return; }
    case 'channel_reest_ack':
      { onReestablishAck(b, m); return; }
    case 'error':
      return;
  }
}

/** A timer ran out: `sign` (the client's answer), `peer_reply` (the peer's, for round `seq`), `idle`, or a state's own timeout. */
function onTimer(b: Builder, name: string, seq: number | undefined): void {
  switch (name) {
    case 'sign':
      { signTimedOut(b); return; }
    case 'peer_reply': {
      const round = currentRound(b, seq ?? -1);
      if (round !== undefined) roundConflict(b, round, 3);
      return;
    }
    case 'idle':
      b.w.idleArmed = false;
      { onIdle(b); return; }
    default:
      { b.terminate('timeout'); return; }
  }
}

/**
 * The client's socket closed. Before the create tx is co-signed there is no channel to come back
 * to: the FSM stops (and its peer with it). Afterwards it keeps running for a reconnect.
 */
function onClientGone(b: Builder): void {
  const s = b.s;
  if (s.client) return;
  const p = s.phase;
  if (p === 'awaiting_connect' || p === 'awaiting_open' || p === 'initialized' || ((p === 'accepted' || p === 'half_signed') && s.createTx === undefined)) b.terminate('died');
}

/** The node's FSM states whose timer is `timeout_idle` (fsm.hrl `TIMER_SUBST`) that this FSM has. */
type IdleState = 'open' | 'channel_closing' | 'mutual_closed' | 'awaiting_reestablish';

/** Where the FSM waits with the idle timer: open with nothing in flight, closing on chain, mutually closed, or a responder waiting for a reestablish. */
function idleState(s: FsmState): IdleState | undefined {
  if (s.pendingSign !== undefined) return undefined;
  switch (s.phase) {
    case 'open':
      return s.round === undefined ? 'open' : undefined;
    case 'channel_closing':
      return 'channel_closing';
    case 'mutual_closing':
    case 'mutual_closed':
      // Once the close tx is co-signed (no round left) the node's FSM is in mutual_closed.
      return s.round === undefined ? 'mutual_closed' : undefined;
    case 'awaiting_reestablish':
      return s.config.role === 'responder' && s.peer === 0 ? 'awaiting_reestablish' : undefined;
    default:
      return undefined;
  }
}

/**
 * After an input: (re)arms the idle timer in an idle state (`reset`: from now on; a quiet input
 * leaves a running timer as it is), else disarms it, as any event restarts the node's state
 * timer (gen_statem event timeouts).
 */
function restIdle(b: Builder, reset: boolean): void {
  if (idleState(b.s) === undefined) {
    if (b.s.idleArmed) b.disarm('idle');
    return;
  }
  if (reset || !b.s.idleArmed) {
    b.push(b.s.config.idleArm);
    if (!b.s.idleArmed) b.w.idleArmed = true;
  }
}

/**
 * Nothing happened for `timeout_idle`: the FSM stops (`timeout`, `died`), except a responder
 * with `keep_running`, which waits on; after a mutual close every FSM stops.
 */
function onIdle(b: Builder): void {
  const state = idleState(b.s);
  if (state === undefined) return;
  if (state !== 'mutual_closed' && b.s.config.role === 'responder' && b.s.config.options.keepRunning) return;
  b.terminate('timeout');
}

/** Whether a responder FSM takes a `channel_open` from `initiator` to `responder` (public keys; `locate_fsm/3`). */
export function acceptsOpen(s: FsmState, initiator: Uint8Array, responder: Uint8Array): boolean {
  if (s.config.role !== 'responder' || s.phase !== 'awaiting_open' || s.peer !== 0) return false;
  if (!bytesEqual(publicKeyOf(s.responder), responder)) return false;
  return s.initiator === undefined || bytesEqual(publicKeyOf(s.initiator), initiator);
}

/** Whether a responder FSM takes a `channel_reestablish` for `channelId`. */
export function acceptsReestablish(s: FsmState, channelId: Uint8Array): boolean {
  return s.config.role === 'responder' && s.phase === 'awaiting_reestablish' && s.peer === 0 && s.channelId !== undefined && bytesEqual(decodeApi(s.channelId, 'ch'), channelId);
}
