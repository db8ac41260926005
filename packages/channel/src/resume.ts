import { AESC_ERROR__CHANNEL__STORE_CORRUPT, AescError } from '@aesc/errors';
import type { ClientConfig } from './machine/types.js';
import type { ChannelRecord } from './store/channel-record.js';

/**
 * What a client needs to come back to a channel it kept in its store: the `resume` part of its
 * config, and the connect parameters that make the node reconnect it to its FSM (or reestablish
 * the FSM from the node's state cache).
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
  readonly connectParams: { readonly existing_channel_id: string; readonly existing_fsm_id: string };
} {
  if (record.fsmId === undefined) {
    throw new AescError(AESC_ERROR__CHANNEL__STORE_CORRUPT, { channelId: record.channelId, reason: 'no fsm id to resume with' });
  }
  return {
    resume: { channelId: record.channelId, fsmId: record.fsmId, last: record.lastCoSigned },
    connectParams: { existing_channel_id: record.channelId, existing_fsm_id: record.fsmId },
  };
}
