import { encodeTx } from '@aesc/encoding';
import { AESC_ERROR__CHANNEL__STORE_CORRUPT, AescError } from '@aesc/errors';
import type { ClientConfig } from './machine/types.js';
import { type ChannelRecord, checkPendingProposal } from './store/channel-record.js';

/**
 * The connect parameters that bring a client back to its channel (see {@link resumeFrom}); a type
 * literal, so that it fits a `Record<string, string>` of connect params.
 */
export type ResumeConnectParams = {
  readonly existing_channel_id: string;
  readonly existing_fsm_id: string;
  /** The client's latest co-signed tx (`tx_…`): the node compares it with its own latest round. */
  readonly offchain_tx: string;
};

/**
 * What a client needs to come back to a channel it kept in its store: the `resume` part of its
 * config (the latest co-signed round, and its own pending proposal of the next one if it kept
 * one), and the connect parameters that make the node reconnect it to its FSM (or reestablish the
 * FSM from the node's state cache): `existing_channel_id`, `existing_fsm_id` and `offchain_tx`, its
 * latest co-signed tx, as the æternity node's reestablish URLs carry it.
 *
 * Throws STORE_CORRUPT for a record without an fsm id, or with a pending proposal that does not
 * follow from its last co-signed state (another channel's, another round's).
 *
 * @example
 * ```ts
 * const record = await store.load(channelId);
 * const { resume, connectParams } = resumeFrom(record!);
 * const url = buildConnectUrl(nodeUrl, { protocol: 'json-rpc', role, host, port, ...connectParams });
 * const client = await connectChannel({ connect: webSocketConnector(url), config: { ...config, resume }, signer, store });
 * ```
 */
export function resumeFrom(record: ChannelRecord): {
  readonly resume: NonNullable<ClientConfig['resume']>;
  readonly connectParams: ResumeConnectParams;
} {
  if (record.fsmId === undefined) {
    throw new AescError(AESC_ERROR__CHANNEL__STORE_CORRUPT, { channelId: record.channelId, reason: 'no fsm id to resume with' });
  }
  if (record.pending !== undefined) checkPendingProposal(record, record.pending);
  return {
    resume: {
      channelId: record.channelId,
      fsmId: record.fsmId,
      last: record.lastCoSigned,
      ...(record.pending === undefined ? {} : { pending: record.pending }),
    },
    connectParams: { existing_channel_id: record.channelId, existing_fsm_id: record.fsmId, offchain_tx: encodeTx(record.lastCoSigned.tx) },
  };
}
