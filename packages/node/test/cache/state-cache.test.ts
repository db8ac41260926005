import { blake2b256 } from '@aesc/crypto';
import { AESC_ERROR__NODE__STATE_CACHE } from '@aesc/errors';
import { xsalsa20poly1305 } from '@noble/ciphers/salsa.js';
import { describe, expect, it } from 'vitest';
import { type MemoryRow, memoryStateCache, openRecord, sealRecord } from '../../src/cache/state-cache.js';
import { testRecord } from './test-record.js';

// "secret" marks what a sealed record must not show
const record = (round: number) => testRecord({ fsmId: 'ba_fsm-id-secret', round: String(round), signedTx: 'tx_secret-state', trees: 'ss_secret-trees' });

describe('sealed state-cache records', () => {
  it('open with their fsm id only, and reveal nothing without it', () => {
    const sealed = sealRecord(record(7));
    expect(openRecord(sealed, 'ba_fsm-id-secret')).toEqual(record(7));
    expect(Buffer.from(sealed).toString('latin1')).not.toContain('secret');
    expect(() => openRecord(sealed, 'ba_another-fsm-id')).toThrow(expect.objectContaining({ code: AESC_ERROR__NODE__STATE_CACHE }));
    const tampered = sealed.slice();
    tampered[tampered.length - 1]! ^= 1;
    expect(() => openRecord(tampered, 'ba_fsm-id-secret')).toThrow(expect.objectContaining({ code: AESC_ERROR__NODE__STATE_CACHE }));
  });

  it('never use a nonce twice, across refills of the nonce pool', () => {
    const nonces = new Set<string>();
    const n = 2000; // the pool holds 512 nonces
    for (let i = 0; i < n; i++) nonces.add(Buffer.from(sealRecord(record(i)).subarray(1, 13)).toString('hex'));
    expect(nonces.size).toBe(n);
  });

  it('are ChaCha20-Poly1305 under a format byte, and records of the first format (XSalsa20-Poly1305) still open', () => {
    const sealed = sealRecord(record(3));
    expect(sealed[0]).toBe(1);
    const key = blake2b256(new TextEncoder().encode('aesc-state-cache:ba_fsm-id-secret'));
    // the first format: a random 24-byte nonce, then the box; whatever its first byte is
    for (const first of [0, 1, 200]) {
      const nonce = new Uint8Array(24).fill(9);
      nonce[0] = first;
      const box = xsalsa20poly1305(key, nonce).encrypt(new TextEncoder().encode(JSON.stringify(record(4))));
      const legacy = new Uint8Array([...nonce, ...box]);
      expect(openRecord(legacy, 'ba_fsm-id-secret')).toEqual(record(4));
      expect(() => openRecord(legacy, 'ba_another-fsm-id')).toThrow(expect.objectContaining({ code: AESC_ERROR__NODE__STATE_CACHE }));
    }
  });
});

describe('the memory state cache', () => {
  const { channelId, fsmId } = record(0);
  const wrongId = expect.objectContaining({ code: AESC_ERROR__NODE__STATE_CACHE });

  it('holds a running FSM\'s record as it is, and opens it with its fsm id only', async () => {
    const cache = memoryStateCache();
    expect(await cache.has(channelId, 'initiator')).toBe(false);
    await cache.put(record(1));
    await cache.put(record(2));
    expect(await cache.has(channelId, 'initiator')).toBe(true);
    expect(await cache.has(channelId, 'responder')).toBe(false);
    expect(await cache.get(channelId, 'initiator', fsmId)).toEqual(record(2));
    await expect(cache.get(channelId, 'initiator', 'ba_another-fsm-id')).rejects.toThrow(wrongId);
    expect(await cache.get(channelId, 'responder', fsmId)).toBeUndefined();
  });

  it('seals a record once its FSM stopped: the same record comes back, through its fsm id', async () => {
    const rows = new Map<string, Map<'initiator' | 'responder', MemoryRow>>();
    const cache = memoryStateCache(rows);
    const live = record(5);
    await cache.put(live);
    expect(rows.get(channelId)?.get('initiator')).toEqual({ live });
    // a copy while live, so a caller cannot alter the stored record either
    const before = await cache.get(channelId, 'initiator', fsmId);
    expect(before).toEqual(live);
    expect(before).not.toBe(live);
    cache.release!(channelId, 'initiator');
    const row = rows.get(channelId)?.get('initiator');
    if (row === undefined || !('sealed' in row)) throw new Error(`not sealed: ${JSON.stringify(row)}`);
    expect(Buffer.from(row.sealed).toString('latin1')).not.toContain('secret');
    cache.release!(channelId, 'initiator'); // twice: the sealed record stays as it is
    expect(rows.get(channelId)?.get('initiator')).toBe(row);
    expect(await cache.get(channelId, 'initiator', fsmId)).toEqual(live);
    await expect(cache.get(channelId, 'initiator', 'ba_another-fsm-id')).rejects.toThrow(wrongId);
    cache.release!(channelId, 'responder'); // nothing to seal
    expect(await cache.has(channelId, 'responder')).toBe(false);
    // a reestablished FSM puts again: its record is held as it is again
    await cache.put(record(6));
    expect(await cache.get(channelId, 'initiator', fsmId)).toEqual(record(6));
  });
});
