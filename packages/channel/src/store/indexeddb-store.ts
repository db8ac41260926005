import type { ChannelId } from '@aesc/encoding';
import { AESC_ERROR__CHANNEL__STORE_IO, AescError } from '@aesc/errors';
import { type ChannelRecord, type ChannelRecordJson, recordFromJson, recordToJson } from './channel-record.js';
import type { ChannelStore } from './channel-store.js';

const STORE = 'channels';

function request<T>(operation: string, r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(new AescError(AESC_ERROR__CHANNEL__STORE_IO, { operation, reason: r.error?.name ?? 'error' }));
  });
}

function done(operation: string, tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    const fail = () => reject(new AescError(AESC_ERROR__CHANNEL__STORE_IO, { operation, reason: tx.error?.name ?? 'aborted' }));
    tx.onerror = fail;
    tx.onabort = fail;
  });
}

/**
 * A store in IndexedDB (browsers). `save` resolves when the write transaction has committed with
 * strict durability, so an acknowledged round survives a closed tab or a crash.
 */
export async function indexedDbStore(name = 'aesc-channels', idb: IDBFactory = globalThis.indexedDB): Promise<ChannelStore> {
  const open = idb.open(name, 1);
  open.onupgradeneeded = () => {
    if (!open.result.objectStoreNames.contains(STORE)) open.result.createObjectStore(STORE);
  };
  const db = await request('open', open);
  const tx = (mode: IDBTransactionMode) => db.transaction(STORE, mode, { durability: 'strict' });
  return Object.freeze({
    async save(record: ChannelRecord) {
      const t = tx('readwrite');
      t.objectStore(STORE).put(recordToJson(record), record.channelId);
      await done('save', t);
    },
    async load(channelId: ChannelId) {
      const json = await request('load', tx('readonly').objectStore(STORE).get(channelId) as IDBRequest<ChannelRecordJson | undefined>);
      return json === undefined ? undefined : recordFromJson(json);
    },
    async list() {
      const keys = await request('list', tx('readonly').objectStore(STORE).getAllKeys());
      return keys.map(String) as ChannelId[];
    },
    async remove(channelId: ChannelId) {
      const t = tx('readwrite');
      t.objectStore(STORE).delete(channelId);
      await done('remove', t);
    },
  });
}
