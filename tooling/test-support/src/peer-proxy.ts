import type { AddressInfo, Server } from 'node:net';

/** The side of a peer connection a message came from. */
export type PeerSide = 'initiator' | 'responder';

/** One end of a peer connection, as `@aesc/node`'s `PeerLink` is (messages of type `M`). */
export interface ProxyLink<M> {
  send(m: M): void;
  onMessage(handler: (m: M) => void): void;
  onClose(handler: () => void): void;
  close(): void;
}

/**
 * How the proxy listens and connects: `@aesc/node`'s `listenPeers` and `connectPeer` (passed in,
 * so that this package does not depend on the node whose tests use it).
 */
export interface PeerTransport<M> {
  listenPeers(port: number, onLink: (link: ProxyLink<M>, first: M) => void, host: string): Promise<Server>;
  connectPeer(host: string, port: number): Promise<ProxyLink<M>>;
}

/** What the proxy does with a message: pass it on (as it is or changed), or drop it (undefined). */
export type Tamper<M> = (m: M, from: PeerSide) => M | undefined;

/** A running proxy: the port initiators connect to instead of the responder's. */
export interface PeerProxy {
  readonly port: number;
  /** Closes every link it made and stops listening. */
  close(): Promise<void>;
}

/**
 * A man in the middle of the peer protocol: Noise NN has no static keys, so whoever sits between
 * two nodes ends one session with each and sees every message. It listens on a port of its own
 * (on 127.0.0.1), and for each initiator that comes connects to the responder at `target`,
 * passing messages both ways through `tamper`.
 */
export async function peerProxy<M>(transport: PeerTransport<M>, target: number, tamper: Tamper<M>): Promise<PeerProxy> {
  const links: ProxyLink<M>[] = [];
  const server = await transport.listenPeers(
    0,
    (fromInitiator, first) => {
      links.push(fromInitiator);
      void transport.connectPeer('127.0.0.1', target).then(
        (toResponder) => {
          links.push(toResponder);
          const pass = (to: ProxyLink<M>, from: PeerSide) => (m: M) => {
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
