import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AESC_ERROR__NODE__STATE_CACHE } from '@aesc/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteStateCache } from '../../src/cache/sqlite-state-cache.js';
import { testRecord } from './test-record.js';

const record = (channel: number, role: 'initiator' | 'responder', round: number) =>
  testRecord({ channelId: `ch_${channel}`, role, fsmId: `ba_fsm-${channel}-${role}`, round: String(round), signedTx: `tx_state-${round}` });

const dirs: string[] = [];
const dbPath = () => {
  const dir = mkdtempSync(join(tmpdir(), 'aesc-state-cache-'));
  dirs.push(dir);
  return join(dir, 'state-cache.sqlite');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the SQLite state cache', () => {
  it('writes the records put in one turn together; each put resolves once its record is on disk', async () => {
    const path = dbPath();
    const cache = sqliteStateCache(path);
    const puts: Promise<void>[] = [];
    for (let c = 0; c < 50; c++) for (const role of ['initiator', 'responder'] as const) puts.push(cache.put(record(c, role, 1)));
    await Promise.all(puts);
    await cache.put(record(7, 'initiator', 2)); // a later round replaces the record
    // Another connection to the same file (as after a crash and restart) reads them all.
    const reopened = sqliteStateCache(path);
    for (let c = 0; c < 50; c++) expect((await reopened.get(`ch_${c}`, 'responder', `ba_fsm-${c}-responder`))?.round).toBe('1');
    expect((await reopened.get('ch_7', 'initiator', 'ba_fsm-7-initiator'))?.round).toBe('2');
    await expect(reopened.get('ch_7', 'initiator', 'ba_fsm-7-responder')).rejects.toMatchObject({ code: AESC_ERROR__NODE__STATE_CACHE });
    await reopened.close();
    await cache.close();
  });

  it('shows a record put in this turn to get and has before it is written, to its fsm id only', async () => {
    const cache = sqliteStateCache(dbPath());
    const written = cache.put(record(1, 'initiator', 5));
    expect(await cache.has('ch_1', 'initiator')).toBe(true);
    expect((await cache.get('ch_1', 'initiator', 'ba_fsm-1-initiator'))?.round).toBe('5');
    await expect(cache.get('ch_1', 'initiator', 'ba_fsm-1-responder')).rejects.toMatchObject({ code: AESC_ERROR__NODE__STATE_CACHE });
    expect(await cache.has('ch_1', 'responder')).toBe(false);
    await written;
    expect((await cache.get('ch_1', 'initiator', 'ba_fsm-1-initiator'))?.round).toBe('5');
    await cache.close();
  });

  it('writes a pending record before it closes', async () => {
    const path = dbPath();
    const cache = sqliteStateCache(path);
    const written = cache.put(record(3, 'responder', 9));
    await cache.close();
    await written;
    const reopened = sqliteStateCache(path);
    expect((await reopened.get('ch_3', 'responder', 'ba_fsm-3-responder'))?.round).toBe('9');
    await reopened.close();
  });
});
