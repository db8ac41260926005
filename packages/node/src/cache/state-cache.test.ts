import { AESC_ERROR__NODE__STATE_CACHE } from '@aesc/errors';
import { describe, expect, it } from 'vitest';
import type { CachedChannel } from '../fsm/cached-channel.js';
import { openRecord, sealRecord } from './state-cache.js';

const record = (round: number): CachedChannel =>
  ({
    channelId: 'ch_2KWchbhB6sfWJoTnTRsCuzBSmxnLQTdNzPe33XNRvWsa2rnzDr',
    role: 'initiator',
    fsmId: 'ba_fsm-id-secret',
    initiatorId: 'ak_2a1j2Mk9YSmC1gioUq4PWRm3bsv887MbuRVwyv4KaUGoR1eiKi',
    responderId: 'ak_2a1j2Mk9YSmC1gioUq4PWRm3bsv887MbuRVwyv4KaUGoR1eiKi',
    port: 3333,
    host: undefined,
    lockPeriod: '10',
    channelReserve: '2',
    minimumDepth: 0,
    minimumDepthStrategy: 'plain',
    round: String(round),
    signedTx: 'tx_secret-state',
    trees: 'ss_secret-trees',
  }) as CachedChannel;

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
    for (let i = 0; i < n; i++) nonces.add(Buffer.from(sealRecord(record(i)).subarray(0, 24)).toString('hex'));
    expect(nonces.size).toBe(n);
  });
});
