import type { PeerLink, PeerMessage } from '../../src/peer/peer-message.js';

/** The peer messages a test's FSMs send each other on one node: noted in `sent`, changed on the wire by `tamper` (tests only). */
export interface WireTap {
  readonly sent: PeerMessage[];
  tamper: ((m: PeerMessage) => PeerMessage) | undefined;
}

/** The two ends of an in-process link with every message sent on them passed through `tap` (for a `vi.mock` of in-process-link.js). */
function tappedPair([a, b]: [PeerLink, PeerLink], tap: WireTap): [PeerLink, PeerLink] {
  const tapped = (end: PeerLink): PeerLink => ({
    ...end,
    send(m) {
      const out = tap.tamper ? tap.tamper(m) : m;
      tap.sent.push(out);
      end.send(out);
    },
  });
  return [tapped(a), tapped(b)];
}

/**
 * The in-process-link.js module a test file's `vi.mock` returns: `real` with every pair it makes
 * tapped by `tap`. (The factory imports this file itself: `vi.mock` is hoisted above imports.)
 */
export function tappedLinks<M extends { inProcessLinkPair(): [PeerLink, PeerLink] }>(real: M, tap: WireTap): M {
  return { ...real, inProcessLinkPair: () => tappedPair(real.inProcessLinkPair(), tap) };
}
