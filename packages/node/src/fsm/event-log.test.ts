import { encodeApi } from '@aesc/encoding';
import { describe, expect, it } from 'vitest';
import { EventLog, logInfo } from './event-log.js';

const T0 = Date.UTC(2026, 11, 1, 4, 10, 0, 123);

describe('the FSM event log (channels.history.fetch)', () => {
  it('answers newest first, the n newest of the kinds and tags asked for, with the node’s type names and times', () => {
    const log = new EventLog(10);
    log.add('rpt', 'info', { event: 'open' }, false, T0);
    log.add('snd', 'update', { channelId: new Uint8Array(32).fill(1) }, true, T0 + 1);
    log.add('rcv', 'update_ack', { channelId: new Uint8Array(32).fill(1) }, true, T0 + 2);
    log.add('rpt', 'update', { state: 'tx_x' }, false, T0 + 3);
    expect(log.fetch().map((e) => [e.type, e.tag])).toEqual([
      ['report', 'update'],
      ['receive', 'update_ack'],
      ['send', 'update'],
      ['report', 'info'],
    ]);
    expect(log.fetch({ n: 2 }).map((e) => e.tag)).toEqual(['update', 'update_ack']);
    expect(log.fetch({ n: 1, type: ['rpt'], tag: ['info'] })).toEqual([{ type: 'report', tag: 'info', time: '2026-12-01T04:10:00.123000Z', info: { event: 'open' } }]);
    expect(log.fetch({ type: ['snd'] })[0]!.info).toEqual({ channel_id: encodeApi('ch', new Uint8Array(32).fill(1)) });
    expect(log.fetch({ n: 0 })).toHaveLength(1); // as the node's loop: the first match is taken before n is checked
    expect(log.fetch({ type: ['req'] })).toEqual([]);
  });

  it('keeps between log_keep and twice log_keep events: a full window becomes the older one, the one before it goes', () => {
    const log = new EventLog(3);
    for (let k = 1; k <= 7; k++) log.add('rpt', 'info', { k }, false, T0 + k);
    // windows: [7] newer, [6, 5, 4] older; 1–3 dropped
    expect(log.fetch({ n: 100 }).map((e) => (e.info as { k: number }).k)).toEqual([7, 6, 5, 4]);
    log.add('rpt', 'info', { k: 8 }, false, T0 + 8);
    log.add('rpt', 'info', { k: 9 }, false, T0 + 9);
    expect(log.fetch({ n: 100 }).map((e) => (e.info as { k: number }).k)).toEqual([9, 8, 7, 6, 5, 4]);
  });

  it('renders a peer message’s bytes as the node encodes them, by field name', () => {
    const b = (n: number, len = 32) => new Uint8Array(len).fill(n);
    expect(logInfo({ type: 'funding_created', tempChannelId: b(1), blockHash: b(2), from: b(3), chainHash: b(4), errorCode: 2, updates: [b(5, 3)] })).toEqual({
      temporary_channel_id: encodeApi('ch', b(1)),
      block_hash: encodeApi('mh', b(2)),
      from: encodeApi('ak', b(3)),
      chain_hash: encodeApi('ba', b(4)),
      error_code: 2,
      updates: [encodeApi('ba', b(5, 3))],
    });
  });
});
