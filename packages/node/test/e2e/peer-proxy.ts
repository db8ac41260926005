import type { AddressInfo, Server } from 'node:net';
import type { PeerLink, PeerMessage } from '../../src/peer/peer-message.js';
import { connectPeer, listenPeers } from '../../src/peer/tcp-peer.js';

/** What the proxy does with a message: pass it on (as it is or changed), or drop it (undefined). */
export type Tamper = (m: PeerMessage, from: 'initiator' | 'responder') => PeerMessage | undefined;

/**
 * A man in the middle of the peer protocol (tests only): Noise NN has no static keys, so whoever
 * sits between two nodes ends one session with each and sees every message. It listens on a port
 * of its own, and for each initiator that comes connects to the responder at `target`, passing
 * messages both ways through `tamper`.
 */
export async function peerProxy(target: number, tamper: Tamper): Promise<{ port: number; close(): Promise<void> }> {
  const links: PeerLink[] = [];
  const server: Server = await listenPeers(
    0,
    (fromInitiator, first) => {
      links.push(fromInitiator);
      void connectPeer('127.0.0.1', target).then(
        (toResponder) => {
          links.push(toResponder);
          const pass = (to: PeerLink, from: 'initiator' | 'responder') => (m: PeerMessage) => {
            const out = tamper(m, from);
            if (out !== undefined) to.send(out);
          };
          pass(toResponder, 'initiator')(first);
          fromInitiator.onMessage(pass(toResponder, 'initiator'));
          toResponder.onMessage(pass(fromInitiator, 'responder'));
          fromInitiator.onClose(() => toResponder.close());
          toResponder.onClose(() => fromInitiator.close());
        },
        () => fromInitiator.close(),
      );
    },
    '127.0.0.1',
  );
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const l of links) l.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
