import type { FsmState } from './types.js';

/** An {@link FsmState} a step may write. */
export type WritableState = { -readonly [K in keyof FsmState]: FsmState[K] };

/**
 * A shallow copy of `s` (big values, such as trees, txs and maps, shared by reference), made as
 * one object literal that names every field in the order `FsmState` declares them.
 *
 * Not `{ ...s }`: a state has some forty fields, and V8 (Node 20) copies a spread of that size on
 * its slow path (`CloneObjectIC_Slow`), one property at a time, into an object of another shape
 * than the state it copies, which also makes the reads of state fields polymorphic. A step copies
 * the state once and a round takes several steps in each FSM; at 100 channels that copy showed as
 * the one builtin that grew most since the machine came in (`perf`, see the node README's
 * Performance section). Every state made here, by `newFsmState` and by each step, has the same
 * shape. The type checker refuses a literal that misses a field of `FsmState` or has one it does
 * not declare.
 */
export function copyState(s: FsmState): WritableState {
  return {
    config: s.config,
    phase: s.phase,
    initiator: s.initiator,
    responder: s.responder,
    initiatorAmount: s.initiatorAmount,
    responderAmount: s.responderAmount,
    channelReserve: s.channelReserve,
    lockPeriod: s.lockPeriod,
    pushAmount: s.pushAmount,
    minDepth: s.minDepth,
    minDepthStrategy: s.minDepthStrategy,
    tempChannelId: s.tempChannelId,
    channelId: s.channelId,
    reportedChannelId: s.reportedChannelId,
    offchain: s.offchain,
    signedTx: s.signedTx,
    createTx: s.createTx,
    createBlockHash: s.createBlockHash,
    ownFundingLocked: s.ownFundingLocked,
    peerFundingLocked: s.peerFundingLocked,
    peerFundingLockedEarly: s.peerFundingLockedEarly,
    round: s.round,
    roundSeq: s.roundSeq,
    pendingSign: s.pendingSign,
    pendingRound: s.pendingRound,
    watches: s.watches,
    known: s.known,
    reported: s.reported,
    subscribed: s.subscribed,
    soloClosing: s.soloClosing,
    settleAfter: s.settleAfter,
    pendingSettle: s.pendingSettle,
    client: s.client,
    peer: s.peer,
    peerSharesCache: s.peerSharesCache,
    idleArmed: s.idleArmed,
    log: s.log,
    cont: s.cont,
    expects: s.expects,
  };
}
