import { AESC_ERROR__NODE__INVALID_TRANSITION, AescError } from '@aesc/errors';

/**
 * Where a node FSM is in the channel's life, named after the states of the æternity node's FSM
 * (`aesc_fsm`) they are:
 *
 * | phase | `aesc_fsm` state | |
 * | --- | --- | --- |
 * | `awaiting_connect` | `awaiting_connect` | the initiator reaches the responder's FSM |
 * | `initialized` | `initialized` | the initiator sent `channel_open` and waits for `channel_accept` |
 * | `awaiting_open` | `awaiting_open` | the responder waits for `channel_open` |
 * | `accepted` | `accepted` | the responder sent `channel_accept` and waits for `funding_created` (and, with it, while its client signs the create tx: `awaiting_signature`) |
 * | `half_signed` | `half_signed` | the initiator's client signs the create tx (`awaiting_signature`), then the initiator waits for `funding_signed` |
 * | `awaiting_locked` | `awaiting_locked` | the create tx is co-signed; waiting for its minimum depth |
 * | `signed` | `signed` | this FSM saw its own minimum depth (`own_funding_locked`) and waits for the peer's `funding_locked` |
 * | `open` | `open` | the channel is open; with a round or a sign request under way, the node's state is the round's (see below) |
 * | `mutual_closing` | `mutual_closing` | this FSM's client signed a close_mutual; waiting for the peer's `shutdown_ack` |
 * | `mutual_closed` | `mutual_closed` | the close_mutual is co-signed; waiting for it on chain |
 * | `channel_closing` | `channel_closing` | a solo close is on chain: slash or settle |
 * | `channel_closed` | `channel_closed` | the closing tx reached its minimum depth |
 * | `reestablish_init` | `reestablish_init` | the initiator, restored from the state cache, sent `channel_reestablish` |
 * | `awaiting_reestablish` | `awaiting_reestablish` | the responder, restored or still running after a leave, waits for it |
 * | `terminated` | (the process has ended) | |
 *
 * A round is data beside the phase (`FsmState.round`, `FsmState.pendingSign`), as the node keeps
 * it in its `op` field: while a client signs, the node is in `awaiting_signature`; an update this
 * FSM proposed waits in `awaiting_update_ack`; a deposit (withdrawal) it proposed in
 * `dep_half_signed` (`wdraw_half_signed`), then either side in `awaiting_locked` for its minimum
 * depth and in `dep_signed` (`wdraw_signed`) for the peer's lock. {@link nodeStateOf} names the
 * node's state for a phase and its round. A leave is sent from `open`, which the FSM keeps until
 * the `leave_ack` (the node's `awaiting_leave_ack`).
 */
export type FsmPhase =
  | 'awaiting_connect'
  | 'initialized'
  | 'awaiting_open'
  | 'accepted'
  | 'half_signed'
  | 'awaiting_locked'
  | 'signed'
  | 'open'
  | 'mutual_closing'
  | 'mutual_closed'
  | 'channel_closing'
  | 'channel_closed'
  | 'reestablish_init'
  | 'awaiting_reestablish'
  | 'terminated';

/** The phases a channel still being opened or reestablished goes through (a peer message out of turn there ends the FSM). */
export const OPENING_PHASES: ReadonlySet<FsmPhase> = new Set<FsmPhase>([
  'awaiting_connect',
  'initialized',
  'awaiting_open',
  'accepted',
  'half_signed',
  'awaiting_locked',
  'signed',
  'reestablish_init',
  'awaiting_reestablish',
]);

/**
 * The phases a solo close seen on chain can come in (the FSM watches the chain from the co-signed
 * create tx on, or from its restore).
 */
const WATCHING: readonly FsmPhase[] = ['channel_closing', 'channel_closed'];

/** Every transition an FSM may make; anything else is a bug ({@link assertTransition}). */
export const TRANSITIONS: Readonly<Record<FsmPhase, readonly FsmPhase[]>> = {
  awaiting_connect: ['initialized', 'terminated'],
  initialized: ['half_signed', 'terminated'],
  awaiting_open: ['accepted', 'terminated'],
  accepted: ['awaiting_locked', 'terminated'],
  half_signed: ['awaiting_locked', 'terminated'],
  awaiting_locked: ['signed', 'open', ...WATCHING, 'terminated'],
  signed: ['open', ...WATCHING, 'terminated'],
  open: ['mutual_closing', 'awaiting_reestablish', ...WATCHING, 'terminated'],
  mutual_closing: ['open', 'mutual_closed', ...WATCHING, 'terminated'],
  mutual_closed: [...WATCHING, 'terminated'],
  channel_closing: ['channel_closed', 'terminated'],
  channel_closed: ['terminated'],
  reestablish_init: ['open', ...WATCHING, 'terminated'],
  awaiting_reestablish: ['open', ...WATCHING, 'terminated'],
  terminated: [],
};

/** Throws a coded error (`AESC_ERROR__NODE__INVALID_TRANSITION`) unless `from → to` is in {@link TRANSITIONS} (staying put always is). */
export function assertTransition(from: FsmPhase, to: FsmPhase): void {
  if (from !== to && !TRANSITIONS[from].includes(to)) throw new AescError(AESC_ERROR__NODE__INVALID_TRANSITION, { from, to });
}

/** What of a round {@link nodeStateOf} needs. */
export interface RoundView {
  readonly kind: 'update' | 'deposit' | 'withdraw' | 'shutdown';
  readonly originator: boolean;
  readonly signed?: unknown;
  readonly ownLocked?: boolean;
}

/**
 * The `aesc_fsm` state an FSM is in: its phase, or, while a client signs or a round is under way,
 * the state the node keeps for that (`awaiting_signature`, `awaiting_update_ack`,
 * `dep_half_signed`, `dep_signed`, `wdraw_half_signed`, `wdraw_signed`, `awaiting_locked`).
 */
export function nodeStateOf(phase: FsmPhase, signing: boolean, round: RoundView | undefined): string {
  if (signing) return 'awaiting_signature';
  if (phase !== 'open' || round === undefined) return phase;
  if (round.kind === 'update') return 'awaiting_update_ack';
  if (round.kind === 'shutdown') return 'mutual_closing';
  const prefix = round.kind === 'deposit' ? 'dep' : 'wdraw';
  if (round.signed === undefined) return `${prefix}_half_signed`;
  return round.ownLocked === true ? `${prefix}_signed` : 'awaiting_locked';
}
