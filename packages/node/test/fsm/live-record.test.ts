import { promotedPerScavenge } from '@aesc/gc-probe';
import { type TreeSet, emptyTreeSet } from '@aesc/state';
import { describe, expect, it } from 'vitest';
import type { CachedChannel } from '../../src/fsm/cached-channel.js';
import { liveRecord } from '../../src/fsm/live-record.js';

const FIELDS: Omit<CachedChannel, 'trees'> = {
  channelId: 'ch_2WDbkioMtoNnqeSttkzMrBb1pQwQ4bRe4YrBEKg6pd2T1tL22G',
  role: 'initiator',
  fsmId: 'ba_fsm',
  initiatorId: 'ak_29Eioo63UnZArZoshWWeCZ9K4W5FwvGwqefdpbyCcwmxEx73Bn',
  responderId: 'ak_2ZHqVAsNQqMi79ZEmfPLLFKerc36G9REqMbc9AnWorRn9j8rhK',
  port: 12345,
  host: undefined,
  lockPeriod: '2',
  channelReserve: '1',
  minimumDepth: 0,
  minimumDepthStrategy: 'plain',
  round: '7',
  signedTx: 'tx_abc',
};

describe('liveRecord', () => {
  it('encodes the trees only when they are read, and then as a plain property would show them', () => {
    const seen: TreeSet[] = [];
    const encoder = {
      encodedTrees: (t: TreeSet) => {
        seen.push(t);
        return 'ss_encoded' as const;
      },
    };
    const trees = emptyTreeSet();
    const record = liveRecord({ ...FIELDS }, encoder, trees);
    expect(seen).toHaveLength(0);
    expect(record.trees).toBe('ss_encoded');
    expect(seen).toEqual([trees]);
    // what the caches do with a record: hand out a copy, or seal its JSON
    expect({ ...record }).toEqual({ ...FIELDS, trees: 'ss_encoded' });
    expect(JSON.parse(JSON.stringify(record))).toEqual({ ...FIELDS, host: undefined, trees: 'ss_encoded' });
    expect(Object.keys(record)).toEqual([...Object.keys(FIELDS), 'trees']);
    expect(Object.getOwnPropertySymbols({ ...record })).toEqual([]);
  });

  // Why the getter is shared (see live-record.ts): records made as object literals with a getter
  // of their own each kept what they closed over alive until a full GC. Run in a child process
  // with --trace-gc-nvp, which reports the bytes each young-generation collection promoted.
  it('lets the young-generation GC free a replaced record and its trees (an own getter per record does not)', () => {
    const script = `import { liveRecord } from './live-record.mjs';
const encoder = { encodedTrees: (t) => 'ss_' + t.n };
const rows = new Map();
const own = process.argv[2] === 'own';
for (let i = 0; i < 300000; i++) {
  // a full GC moves the long-lived map to the old generation, as one does now and then in a node
  if (i === 1000) globalThis.gc();
  const trees = { n: i, payload: new Uint8Array(300) };
  const fields = { channelId: 'ch_x', round: String(i), signedTx: 'tx_' + i };
  const record = own ? { ...fields, get trees() { return encoder.encodedTrees(trees); } } : liveRecord(fields, encoder, trees);
  rows.set('ch_x/initiator', { live: record });
}
`;
    const module = new URL('../../src/fsm/live-record.ts', import.meta.url);
    const shared = promotedPerScavenge(module, script, ['shared']);
    const own = promotedPerScavenge(module, script, ['own']);
    expect(shared).toBeLessThan(200 * 1024);
    expect(own).toBeGreaterThan(10 * shared + 1024 * 1024);
  });
});
