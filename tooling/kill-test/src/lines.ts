/**
 * The JSON lines the harness and a client process exchange over the client's stdin and stdout.
 * Amounts and rounds travel as decimal strings (they are bigints).
 */

/** A command from the harness (one line on the client's stdin). */
export type ClientCommand =
  | { readonly id: number; readonly op: 'transfer'; readonly amount: string }
  | { readonly id: number; readonly op: 'deposit'; readonly amount: string }
  | { readonly id: number; readonly op: 'withdraw'; readonly amount: string }
  /** The client's own view: phase, latest co-signed round, balances in that state. */
  | { readonly id: number; readonly op: 'status' }
  /** The node's view, asked through the channel (`channels.get.offchain_state`, `channels.get.balances`). */
  | { readonly id: number; readonly op: 'node-state' }
  /** Come back to the channel as the channel README documents: store.load → resumeFrom → connectChannel. */
  | { readonly id: number; readonly op: 'resume' };

/** What a client answers to a command. */
export type ClientReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly code: number | null; readonly message: string };

/** What a client reports on its own (one line on its stdout). */
export type ClientReport =
  | { readonly event: 'ready' }
  | { readonly event: 'phase'; readonly phase: string }
  /** A round this client holds co-signed and stored (the channel's `round` event). */
  | { readonly event: 'round'; readonly round: string; readonly tx: string }
  | { readonly event: 'error'; readonly code: number | null; readonly message: string }
  | { readonly event: 'conflict'; readonly round: string; readonly code: number }
  | { readonly event: 'refused'; readonly tag: string; readonly code: number | null; readonly message: string }
  | { readonly event: 'info'; readonly name: string }
  | { readonly event: 'disconnected' };

/** The answer to `status`. */
export interface ClientStatus {
  readonly phase: string;
  readonly channelId: string | null;
  /** The latest co-signed round this client holds (null before the channel is open). */
  readonly round: string | null;
  /** Initiator's and responder's balances in that round's state. */
  readonly balances: readonly [string, string] | null;
  /** Whether a round is under way in the client (signing, or waiting for co-signatures). */
  readonly busy: boolean;
}

/** The answer to `node-state`. */
export interface NodeView {
  /** The round of the node's latest co-signed tx for this party's FSM. */
  readonly round: string;
  readonly balances: readonly [string, string];
}
