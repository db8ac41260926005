import type { AescError } from '@aesc/errors';
import type { ChannelRecord } from '../store/channel-record.js';
import type { Builder } from './builder.js';
import { abortReply } from './sign-requests.js';

/**
 * What the store's answers do. A round that needs its record durable first (this client's own
 * proposal before the signer is asked, the peer's round co-signed here before the reply goes out)
 * waits in `round.storing` for the answer that names that very record: it goes on once the record
 * is kept, and is aborted when the store fails, so that nothing is signed, or no signature sent,
 * that the store does not hold. Every failure is told to the app as an `error` event.
 */

/** The abort code a round ends with when its record could not be kept (the code of a signer that failed). */
export const ABORT_STORE_FAILED = 1;

/** The store kept `record` (undefined: the latest record asked for). */
export function onStored(b: Builder, record: ChannelRecord | undefined): void {
  const round = b.state.round;
  const storing = round?.storing;
  if (round === undefined || storing === undefined || (record !== undefined && record !== storing.record)) return;
  const { storing: _, ...rest } = round;
  b.set({ round: rest });
  b.effects.push(storing.onceKept);
}

/**
 * The store failed to keep `record`. The app hears of it (`error`). A round waiting for that record
 * is aborted as a declined signature is (the node hears the abort code, the app's command fails with
 * `error`) and what the client held before it is back: its latest co-signed round and pending
 * proposal are the ones the store still holds. A failed write of a round co-signed already leaves
 * that round in memory (the node and the peer hold it; the next record kept holds it too).
 */
export function onStoreFailed(b: Builder, record: ChannelRecord, error: AescError): void {
  b.emit({ type: 'error', error });
  const round = b.state.round;
  const storing = round?.storing;
  if (round === undefined || storing === undefined || record !== storing.record) return;
  abortReply(b, round.replyMethod, ABORT_STORE_FAILED);
  const { last, pending } = storing.before;
  if (last !== undefined) b.set({ last });
  if (pending !== undefined) b.set({ pending });
  else b.clear('pending');
  if (!round.peerProposal) b.failCommand(error);
  b.clear('round');
}
