import { describe, expect, it } from 'vitest';
import { subscriptionIterator } from './subscription-iterator.js';

/** A listener stream to subscribe to, with what is subscribed. */
function stream<T>() {
  const listeners = new Set<(m: T) => void>();
  return {
    listeners,
    push: (m: T) => {
      for (const l of [...listeners]) l(m);
    },
    subscribe: (l: (m: T) => void, { signal }: { signal: AbortSignal }) => {
      listeners.add(l);
      signal.addEventListener('abort', () => listeners.delete(l), { once: true });
    },
  };
}

describe('subscriptionIterator', () => {
  it('yields what came, in order, falsy values included, and waits for more', async () => {
    const s = stream<number>();
    const it = subscriptionIterator(s.subscribe, new AbortController().signal, undefined);
    s.push(0);
    s.push(1);
    expect(await it.next()).toEqual({ value: 0, done: false });
    expect(await it.next()).toEqual({ value: 1, done: false });
    const later = it.next();
    s.push(2);
    expect(await later).toEqual({ value: 2, done: false });
    await it.return?.();
    expect(s.listeners.size).toBe(0);
  });

  it('ends, dropping what is queued and unsubscribing, when its signal or the lifetime aborts', async () => {
    for (const which of ['signal', 'lifetime'] as const) {
      const s = stream<string>();
      const signal = new AbortController();
      const lifetime = new AbortController();
      const it = subscriptionIterator(s.subscribe, lifetime.signal, signal.signal);
      s.push('read');
      s.push('dropped');
      expect(await it.next()).toEqual({ value: 'read', done: false });
      (which === 'signal' ? signal : lifetime).abort();
      expect(await it.next()).toEqual({ value: undefined, done: true });
      s.push('late');
      expect(await it.next()).toEqual({ value: undefined, done: true });
      expect(s.listeners.size).toBe(0);
    }
  });

  it('a waiting read ends when the signal aborts', async () => {
    const s = stream<string>();
    const signal = new AbortController();
    const it = subscriptionIterator(s.subscribe, new AbortController().signal, signal.signal);
    const waiting = it.next();
    signal.abort();
    expect(await waiting).toEqual({ value: undefined, done: true });
  });

  it('an iterator made after the lifetime ended is done at once, and subscribes with a signal already aborted', async () => {
    const lifetime = new AbortController();
    lifetime.abort();
    let given: AbortSignal | undefined;
    const it = subscriptionIterator<string>((_l, { signal }) => (given = signal), lifetime.signal, undefined);
    expect(given?.aborted).toBe(true);
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });
});
