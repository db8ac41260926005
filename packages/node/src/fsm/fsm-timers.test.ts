import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FsmTimers, MAX_TIMER_DELAY } from './fsm-timers.js';

describe('FsmTimers', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** Timers whose firings are noted as the name of what ran (`end` for the FSM's own timeout). */
  const timers = () => {
    const fired: string[] = [];
    const t = new FsmTimers((onTimeout) => (onTimeout ? onTimeout() : fired.push('end')));
    const note = (what: string) => () => void fired.push(what);
    return { t, fired, note };
  };

  it('runs a timer once after its time and forgets it; without a callback, the FSM ends', () => {
    const { t, fired, note } = timers();
    t.arm('sign', 100, note('sign'));
    t.arm('idle', 150);
    vi.advanceTimersByTime(99);
    expect(fired).toEqual([]);
    expect(t.has('sign')).toBe(true);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['sign']);
    expect(t.has('sign')).toBe(false);
    vi.advanceTimersByTime(50);
    expect(fired).toEqual(['sign', 'end']);
    vi.advanceTimersByTime(1000);
    expect(fired).toEqual(['sign', 'end']);
  });

  it('restarts a pending timer from now when armed again, with the newest callback', () => {
    const { t, fired, note } = timers();
    t.arm('idle', 100, note('first'));
    vi.advanceTimersByTime(80);
    t.arm('idle', 100, note('second')); // same duration: refreshed in place
    vi.advanceTimersByTime(80);
    expect(fired).toEqual([]);
    t.arm('idle', 50, note('third')); // another duration: replaced
    vi.advanceTimersByTime(49);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['third']);
    vi.advanceTimersByTime(1000);
    expect(fired).toEqual(['third']);
  });

  it('disarms one timer, or all of them', () => {
    const { t, fired, note } = timers();
    t.arm('a', 10, note('a'));
    t.arm('b', 20, note('b'));
    t.arm('c', 30, note('c'));
    t.disarm('a');
    t.disarm('nothing');
    expect(t.has('a')).toBe(false);
    vi.advanceTimersByTime(20);
    expect(fired).toEqual(['b']);
    t.clear();
    expect(t.has('c')).toBe(false);
    vi.advanceTimersByTime(1000);
    expect(fired).toEqual(['b']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('waits as long as asked beyond the longest Node.js timer (no 1 ms overflow), and restarts such a timer in full', () => {
    const { t, fired, note } = timers();
    const years = 3 * 365 * 24 * 3600 * 1000; // 3 years: 44 times MAX_TIMER_DELAY
    t.arm('idle', years, note('idle'));
    t.arm('huge', Number.MAX_SAFE_INTEGER, note('huge'));
    vi.advanceTimersByTime(MAX_TIMER_DELAY + 10);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(years - MAX_TIMER_DELAY - 11);
    expect(fired).toEqual([]);
    t.arm('idle', years, note('again')); // restarted from now
    vi.advanceTimersByTime(years - 1);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['again']);
    expect(t.has('huge')).toBe(true);
    t.clear();
    expect(vi.getTimerCount()).toBe(0);
  });
});
