import type { PeerLink, PeerMessage } from '../../src/peer/peer-message.js';

/** The peer messages a test's FSMs send each other on one node: noted in `sent`, changed on the wire by `tamper` (tests only). */
export interface WireTap {
  readonly sent: PeerMessage[];
  tamper: ((m: PeerMessage) => PeerMessage) | undefined;
}

/** The two ends of an in-process link with every message sent on them passed through `tap` (for a `vi.mock` of in-process-link.js). */
export function tappedPair([a, b]: [PeerLink, PeerLink], tap: WireTap): [PeerLink, PeerLink] {
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
