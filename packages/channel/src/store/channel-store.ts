import type { ChannelId } from '@aesc/encoding';
import type { ChannelRecord } from './channel-record.js';

/**
 * Where a client keeps the latest co-signed state of its channels. `save` resolves only once the
 * record is durable (on disk, in IndexedDB): the client acknowledges a round only after that, so
 * that a crash never loses an acknowledged round.
 */
export interface ChannelStore {
  save(record: ChannelRecord): Promise<void>;
  load(channelId: ChannelId): Promise<ChannelRecord | undefined>;
  list(): Promise<ChannelId[]>;
  remove(channelId: ChannelId): Promise<void>;
}
