import { AESC_ERROR__CHANNEL__STORE_FAILED, AescError, isAescError } from '@aesc/errors';
import type { ChannelRecord } from '../store/channel-record.js';

/**
 * The coded error of a store write that failed (STORE_FAILED): which channel and round it was to
 * keep, and why. The store's own reason is named only when it is coded (an AescError's message,
 * a system error's code such as `ENOSPC`): an arbitrary store's message is not repeated.
 */
export function storeFailure(record: ChannelRecord, cause: unknown): AescError {
  const code = (cause as { code?: unknown } | null)?.code;
  const reason = isAescError(cause) ? cause.message : typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : 'the store rejected the write';
  const pending = record.pending;
  return new AescError(
    AESC_ERROR__CHANNEL__STORE_FAILED,
    {
      channelId: record.channelId,
      round: (pending?.round ?? record.lastCoSigned.state.round).toString(),
      kept: pending === undefined ? 'co-signed state' : `pending ${pending.tag}`,
      reason,
    },
    { cause },
  );
}
