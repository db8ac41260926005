import Database from 'better-sqlite3';
import { AESC_ERROR__NODE__STATE_CACHE, AescError } from '@aesc/errors';
import { type StateCache, openRecord, sealRecord } from './state-cache.js';

/**
 * A state cache in SQLite (WAL, `synchronous=FULL`): `put` returns once the sealed record is on
 * disk, so a round the FSM acknowledges after `put` survives a SIGKILL of the node.
 */
export function sqliteStateCache(path: string): StateCache {
  let db: Database.Database;
  try {
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE IF NOT EXISTS state_cache (channel_id TEXT NOT NULL, role TEXT NOT NULL, sealed BLOB NOT NULL, PRIMARY KEY (channel_id, role))');
  } catch (cause) {
    throw new AescError(AESC_ERROR__NODE__STATE_CACHE, { reason: `cannot open ${path}: ${String(cause)}` }, { cause });
  }
  const put = db.prepare('INSERT OR REPLACE INTO state_cache (channel_id, role, sealed) VALUES (?, ?, ?)');
  const get = db.prepare<[string, string], { sealed: Buffer }>('SELECT sealed FROM state_cache WHERE channel_id = ? AND role = ?');
  return {
    async put(record) {
      put.run(record.channelId, record.role, Buffer.from(sealRecord(record)));
    },
    async get(channelId, role, fsmId) {
      const row = get.get(channelId, role);
      return row === undefined ? undefined : openRecord(new Uint8Array(row.sealed), fsmId);
    },
    async has(channelId, role) {
      return get.get(channelId, role) !== undefined;
    },
    async close() {
      db.close();
    },
  };
}
