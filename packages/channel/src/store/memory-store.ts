import type { ChannelId } from '@aesc/encoding';
import { type ChannelRecord, recordFromJson, recordToJson } from './channel-record.js';
import type { ChannelStore } from './channel-store.js';

/** A store in memory (tests, short-lived scripts). Records are copied through their JSON form. */
export function memoryStore(): ChannelStore {
  const records = new Map<string, string>();
  return Object.freeze({
    save: async (record: ChannelRecord) => {
      records.set(record.channelId, JSON.stringify(recordToJson(record)));
    },
    load: async (channelId: ChannelId) => {
      const json = records.get(channelId);
      return json === undefined ? undefined : recordFromJson(JSON.parse(json));
    },
    list: async () => [...records.keys()] as ChannelId[],
    remove: async (channelId: ChannelId) => {
      records.delete(channelId);
    },
  });
}
