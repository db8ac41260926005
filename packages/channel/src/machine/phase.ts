import { AESC_ERROR__CHANNEL__INVALID_TRANSITION, AescError } from '@aesc/errors';

/**
 * The phases of a client's channel. The node drives the protocol; the client follows it, and only
 * these transitions are allowed (`TRANSITIONS`), as in go-perun's phase machine.
 */
export type Phase =
  /** Connected, waiting for the node's FSM (`fsm_up`). */
  | 'connecting'
  /** Opening: channel_open/accept, the create tx co-signing, funding and its minimum depth. */
  | 'opening'
  /** Open and idle: updates, deposits, withdrawals and closes may start. */
  | 'open'
  /** A signing round is under way (own request or the peer's proposal). */
  | 'signing'
  /** A mutual close is under way or on chain. */
  | 'closing'
  /** A solo close is on chain; waiting for the lock period, a slash or a settle. */
  | 'solo-closing'
  /** The channel is closed on chain. */
  | 'closed'
  /** The client left (the FSM may live on for a reestablish). */
  | 'left'
  /** The node's FSM died or the socket closed for good. */
  | 'terminated';

export const TRANSITIONS: Readonly<Record<Phase, readonly Phase[]>> = {
  connecting: ['opening', 'open', 'terminated', 'left'],
  opening: ['open', 'signing', 'terminated', 'left'],
  open: ['signing', 'closing', 'solo-closing', 'left', 'terminated', 'closed'],
  signing: ['open', 'opening', 'closing', 'solo-closing', 'terminated', 'left', 'closed'],
  closing: ['signing', 'closed', 'terminated', 'open', 'solo-closing'],
  'solo-closing': ['signing', 'closed', 'terminated', 'open', 'closing'],
  closed: ['terminated'],
  left: ['terminated', 'connecting', 'open', 'opening'],
  terminated: [],
};

/** Throws a coded error unless `from → to` is an allowed transition (staying put always is). */
export function assertTransition(from: Phase, to: Phase): void {
  if (from !== to && !TRANSITIONS[from].includes(to)) {
    throw new AescError(AESC_ERROR__CHANNEL__INVALID_TRANSITION, { from, to });
  }
}
