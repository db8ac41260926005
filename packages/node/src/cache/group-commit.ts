/**
 * Writes that arrive during one turn of the event loop go to storage together, in one `write` call
 * at the end of the turn (`setImmediate`), and each caller's promise settles with that call.
 *
 * Why: a durable write is a transaction with an fsync (about 0.4 ms on the machines we measure
 * on), and the node writes a participant's state on every co-signed round. With many channels
 * busy, the rounds that reach their write in the same turn share one fsync instead of queueing
 * for one each. Nothing resolves before `write` has returned, so a write acknowledged to a caller
 * is durable; if `write` throws, every caller of that batch gets the error.
 */
export function groupCommit<T>(write: (batch: readonly T[]) => void): (item: T) => Promise<void> {
  let batch: { items: T[]; settle: { resolve: () => void; reject: (e: unknown) => void }[] } | undefined;
  const flush = () => {
    const b = batch!;
    batch = undefined;
    try {
      write(b.items);
    } catch (e) {
      for (const s of b.settle) s.reject(e);
      return;
    }
    for (const s of b.settle) s.resolve();
  };
  return (item) =>
    new Promise<void>((resolve, reject) => {
      if (batch === undefined) {
        batch = { items: [], settle: [] };
        setImmediate(flush);
      }
      batch.items.push(item);
      batch.settle.push({ resolve, reject });
    });
}
