import type { PeerLink, PeerMessage } from './peer-message.js';

/**
 * Two connected {@link PeerLink} ends in one process (both participants on one node, one state
 * cache): messages are delivered in order, asynchronously, as over a socket; closing one end
 * closes both.
 */
export function inProcessLinkPair(): [PeerLink, PeerLink] {
  const make = () => ({ listeners: [] as ((m: PeerMessage) => unknown)[], closers: [] as (() => void)[], closed: false, queue: [] as PeerMessage[] });
  const a = make();
  const b = make();
  const end = (self: ReturnType<typeof make>, other: ReturnType<typeof make>): PeerLink => ({
    sharesCache: true,
    send(message) {
      if (self.closed) return;
      queueMicrotask(() => {
        if (other.closed) return;
        if (other.listeners.length === 0) other.queue.push(message);
        for (const l of other.listeners) l(message);
      });
    },
    onMessage(listener) {
      self.listeners.push(listener);
      for (const m of self.queue.splice(0)) listener(m);
    },
    onClose(listener) {
      self.closers.push(listener);
    },
    close() {
      for (const side of [self, other]) {
        if (side.closed) continue;
        side.closed = true;
        const closers = side.closers.splice(0);
        queueMicrotask(() => {
          for (const c of closers) c();
        });
      }
    },
  });
  return [end(a, b), end(b, a)];
}
