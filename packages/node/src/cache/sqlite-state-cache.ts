import Database from 'libsql';
import { AESC_ERROR__NODE__STATE_CACHE, AescError } from '@aesc/errors';
import type { CachedChannel } from '../fsm/cached-channel.js';
import { groupCommit } from './group-commit.js';
import { type StateCache, openHeldRecord, openRecord, sealRecord } from './state-cache.js';

/**
 * A state cache in SQLite (WAL, `synchronous=FULL`): `put` resolves once the sealed record is on
 * disk, so a round the FSM acknowledges after `put` survives a SIGKILL of the node. The records
 * put during one turn of the event loop are written in one transaction, one fsync for all of
 * them (`groupCommit`); until then `get` and `has` see them.
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
  const insert = db.prepare('INSERT OR REPLACE INTO state_cache (channel_id, role, sealed) VALUES (?, ?, ?)');
  const select = db.prepare<[string, string]>('SELECT sealed FROM state_cache WHERE channel_id = ? AND role = ?');
  const selectRow = (channelId: string, role: string) => select.get(channelId, role) as { sealed: Buffer } | undefined;
  /** Records put and not yet written, by channel and role (the latest of each). */
  const pending = new Map<string, CachedChannel>();
  const keyOf = (channelId: string, role: string) => `${channelId}/${role}`;
  const writeAll = db.transaction((records: readonly CachedChannel[]) => {
    for (const r of records) insert.run(r.channelId, r.role, Buffer.from(sealRecord(r)));
  });
  const commit = groupCommit<CachedChannel>((records) => {
    try {
      writeAll(records);
    } catch (cause) {
      throw new AescError(AESC_ERROR__NODE__STATE_CACHE, { reason: `cannot write ${path}: ${String(cause)}` }, { cause });
    } finally {
      for (const r of records) if (pending.get(keyOf(r.channelId, r.role)) === r) pending.delete(keyOf(r.channelId, r.role));
    }
  });
  return {
    durable: true,
    put(record) {
      pending.set(keyOf(record.channelId, record.role), record);
      return commit(record);
    },
    async get(channelId, role, fsmId) {
      const queued = pending.get(keyOf(channelId, role));
      if (queued !== undefined) return openHeldRecord(queued, fsmId);
      const row = selectRow(channelId, role);
      return row === undefined ? undefined : openRecord(new Uint8Array(row.sealed), fsmId);
    },
    async has(channelId, role) {
      return pending.has(keyOf(channelId, role)) || selectRow(channelId, role) !== undefined;
    },
    async close() {
      // A batch still to be written goes first (its flush was scheduled before this one).
      if (pending.size > 0) await new Promise((resolve) => setImmediate(resolve));
      db.close();
    },
  };
}
