import { afterEach, describe, expect, it, vi } from 'vitest';
import { startKeepAlive } from './keep-alive.js';

afterEach(() => {
  vi.useRealTimers();
});

function hooks(over: { connected?: () => boolean; ping?: () => unknown } = {}) {
  const silent: number[] = [];
  let pings = 0;
  return {
    silent,
    pings: () => pings,
    hooks: {
      intervalMs: 100,
      timeoutMs: 250,
      connected: over.connected ?? (() => true),
      ping: () => {
        pings++;
        return over.ping?.();
      },
      onSilent: (ms: number) => silent.push(ms),
    },
  };
}

describe('startKeepAlive', () => {
  it('pings every interval while connected, and never while not', () => {
    vi.useFakeTimers();
    let up = false;
    const h = hooks({ connected: () => up });
    const ka = startKeepAlive(h.hooks);
    vi.advanceTimersByTime(1000);
    expect(h.pings()).toBe(0);
    up = true;
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(100);
      ka.heard();
    }
    expect(h.pings()).toBe(10);
    expect(h.silent).toEqual([]);
    ka.stop();
    vi.advanceTimersByTime(1000);
    expect(h.pings()).toBe(10);
  });

  it('reports a connection silent for the timeout after a ping once, and stops', () => {
    vi.useFakeTimers();
    const h = hooks();
    startKeepAlive(h.hooks);
    vi.advanceTimersByTime(300); // pings at 100, 200, 300; silent since 100 for 200 ms
    expect(h.silent).toEqual([]);
    vi.advanceTimersByTime(100); // 400: 300 ms since the ping at 100
    expect(h.silent).toEqual([400]);
    vi.advanceTimersByTime(1000);
    expect(h.silent).toHaveLength(1);
    expect(h.pings()).toBe(3);
  });

  it('a ping that throws or rejects does not stop the timer', async () => {
    vi.useFakeTimers();
    let n = 0;
    const h = hooks({
      ping: () => {
        n++;
        if (n % 2) throw new Error('socket gone');
        return Promise.reject(new Error('no answer'));
      },
    });
    const ka = startKeepAlive(h.hooks);
    for (let i = 0; i < 4; i++) {
      vi.advanceTimersByTime(100);
      ka.heard();
    }
    await Promise.resolve();
    expect(h.pings()).toBe(4);
    ka.stop();
  });
});
