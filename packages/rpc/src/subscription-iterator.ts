/**
 * A listener stream as an async iterator: subscribes with `subscribe` and queues what comes until
 * it is read; ends (dropping what is still queued) when `signal` or `lifetime` aborts, or when the
 * iterator is returned.
 */
export function subscriptionIterator<T>(
  subscribe: (listener: (m: T) => void, options: { signal: AbortSignal }) => unknown,
  lifetime: AbortSignal,
  signal: AbortSignal | undefined,
): AsyncIterableIterator<T> {
  const queue: T[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  const stop = new AbortController();
  const end = () => {
    ended = true;
    stop.abort();
    wake?.();
  };
  signal?.addEventListener('abort', end, { once: true });
  lifetime.addEventListener('abort', end, { once: true });
  if (signal?.aborted || lifetime.aborted) end();
  subscribe(
    (m) => {
      queue.push(m);
      wake?.();
    },
    { signal: stop.signal },
  );
  const iterator: AsyncIterableIterator<T> = {
    async next(): Promise<IteratorResult<T>> {
      for (;;) {
        if (ended) return { value: undefined, done: true };
        if (queue.length > 0) return { value: queue.shift() as T, done: false };
        await new Promise<void>((r) => {
          wake = r;
        });
        wake = undefined;
      }
    },
    async return(): Promise<IteratorResult<T>> {
      end();
      signal?.removeEventListener('abort', end);
      lifetime.removeEventListener('abort', end);
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
