import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type DepthReport, depthProgress } from './depth-progress.js';

describe('depthProgress', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const setup = (quietMs?: number) => {
    let height = 10n;
    const included = new Map<string, bigint>([['th_create', 10n]]);
    const reports: DepthReport[] = [];
    const p = depthProgress({
      chain: { txDepth: async (h) => (included.has(h) ? height - included.get(h)! : null) },
      report: (r) => reports.push(r),
      pollMs: 100,
      quietMs,
    });
    return { p, reports, mine: (n: number) => (height += BigInt(n)) };
  };

  it('reports the depth of the create tx as key blocks come, until this party is locked', async () => {
    const { p, reports, mine } = setup();
    p.onChainTx('funding_signed', 'channel_create_tx', 'th_create');
    await vi.advanceTimersByTimeAsync(250);
    expect(reports).toEqual([]);
    p.onChainTx('channel_changed', 'channel_create_tx', 'th_create');
    await vi.advanceTimersByTimeAsync(0);
    expect(reports).toEqual([{ event: 'depth', tx: 'channel_create_tx', depth: 0 }]);
    mine(1);
    await vi.advanceTimersByTimeAsync(100);
    mine(2);
    await vi.advanceTimersByTimeAsync(300);
    expect(reports.map((r) => (r.event === 'depth' ? r.depth : r.event))).toEqual([0, 1, 3]);
    p.onInfo('funding_locked'); // the peer's: not the end of this party's wait
    mine(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(reports.at(-1)).toEqual({ event: 'depth', tx: 'channel_create_tx', depth: 4 });
    p.onInfo('own_funding_locked');
    mine(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(reports).toHaveLength(4);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('says how to make key blocks once none came for a while, and only once a wait', async () => {
    const { p, reports, mine } = setup(500);
    p.onChainTx('channel_changed', 'channel_create_tx', 'th_create');
    await vi.advanceTimersByTimeAsync(400);
    expect(reports.map((r) => r.event)).toEqual(['depth']);
    await vi.advanceTimersByTimeAsync(100);
    expect(reports.at(-1)).toEqual({ event: 'no_key_blocks', tx: 'channel_create_tx', seconds: 1 });
    await vi.advanceTimersByTimeAsync(2000);
    expect(reports.map((r) => r.event)).toEqual(['depth', 'no_key_blocks']);
    mine(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(reports.at(-1)).toEqual({ event: 'depth', tx: 'channel_create_tx', depth: 1 });
    p.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('gives no hint without quietMs (a public network) and ignores txs that wait for no depth', async () => {
    const { p, reports } = setup();
    p.onChainTx('channel_changed', 'channel_close_mutual_tx', 'th_create');
    p.onChainTx('channel_changed', 'channel_offchain_tx', 'th_create');
    expect(vi.getTimerCount()).toBe(0);
    p.onChainTx('channel_changed', 'channel_deposit_tx', 'th_unknown');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(reports).toEqual([]);
    p.onInfo('own_deposit_locked');
    expect(vi.getTimerCount()).toBe(0);
  });
});
