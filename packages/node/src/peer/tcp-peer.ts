import { type Server, type Socket, connect, createServer } from 'node:net';
import { AESC_ERROR__NODE__PEER_PROTOCOL, AESC_ERROR__NODE__PEER_UNREACHABLE, AescError } from '@aesc/errors';
import type { PeerTransport } from '../channel-node.js';
import { decodePeerMessage, encodePeerMessage } from './codec.js';
import { NoiseHandshake, type NoiseSession } from './noise.js';
import type { PeerLink, PeerMessage } from './peer-message.js';

/** The largest Noise message (2-byte length framing). */
const MAX_FRAME = 0xffff;

/** Splits a byte stream into `<<Len:16/big, Msg>>` frames (enoise's framing). */
export class FrameReader {
  #buf = new Uint8Array(0);
  /** Adds bytes; returns the frames now complete. */
  push(chunk: Uint8Array): Uint8Array[] {
    const merged = new Uint8Array(this.#buf.length + chunk.length);
    merged.set(this.#buf);
    merged.set(chunk, this.#buf.length);
    const out: Uint8Array[] = [];
    let at = 0;
    while (merged.length - at >= 2) {
      const len = (merged[at]! << 8) | merged[at + 1]!;
      if (merged.length - at - 2 < len) break;
      out.push(merged.slice(at + 2, at + 2 + len));
      at += 2 + len;
    }
    this.#buf = merged.slice(at);
    return out;
  }
}

/** Frames one message: 2-byte big-endian length, then the bytes. */
export function frame(message: Uint8Array): Uint8Array {
  if (message.length > MAX_FRAME) throw new AescError(AESC_ERROR__NODE__PEER_PROTOCOL, { reason: `a frame of ${message.length} bytes` });
  const out = new Uint8Array(2 + message.length);
  out[0] = message.length >> 8;
  out[1] = message.length & 0xff;
  out.set(message, 2);
  return out;
}

/** Reads frames from a socket one at a time (for the handshake). */
function frameQueue(socket: Socket): { next(): Promise<Uint8Array>; rest(): Uint8Array[]; reader: FrameReader } {
  const reader = new FrameReader();
  const ready: Uint8Array[] = [];
  let waiting: { resolve: (f: Uint8Array) => void; reject: (e: Error) => void } | undefined;
  const onData = (d: Buffer) => {
    ready.push(...reader.push(new Uint8Array(d)));
    if (waiting && ready.length > 0) {
      const w = waiting;
      waiting = undefined;
      w.resolve(ready.shift()!);
    }
  };
  const onEnd = () => waiting?.reject(new Error('connection closed during the handshake'));
  socket.on('data', onData);
  socket.once('close', onEnd);
  return {
    reader,
    next: () =>
      ready.length > 0
        ? Promise.resolve(ready.shift()!)
        : new Promise((resolve, reject) => {
            waiting = { resolve, reject };
          }),
    rest: () => {
      socket.off('data', onData);
      socket.off('close', onEnd);
      return ready.splice(0);
    },
  };
}

/** A {@link PeerLink} over an established Noise session on a socket: one peer message per Noise frame. */
function noiseLink(socket: Socket, session: NoiseSession, reader: FrameReader, pending: Uint8Array[]): PeerLink {
  const listeners: ((m: PeerMessage) => void)[] = [];
  const closers: (() => void)[] = [];
  const early: PeerMessage[] = [];
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    socket.destroy();
    for (const c of closers.splice(0)) c();
  };
  const deliver = (f: Uint8Array) => {
    let m: PeerMessage;
    try {
      m = decodePeerMessage(session.decrypt(f));
    } catch {
      // A frame that does not decrypt or decode ends the connection, nothing else.
      return close();
    }
    if (listeners.length === 0) early.push(m);
    // A copy: a listener may add another (the node attaching the FSM on the first message).
    for (const l of [...listeners]) l(m);
  };
  socket.on('data', (d: Buffer) => {
    for (const f of reader.push(new Uint8Array(d))) deliver(f);
  });
  socket.on('close', close);
  socket.on('error', close);
  for (const f of pending) deliver(f);
  return {
    send(message) {
      if (closed) return;
      socket.write(frame(session.encrypt(encodePeerMessage(message))));
    },
    onMessage(listener) {
      listeners.push(listener);
      for (const m of early.splice(0)) listener(m);
    },
    onClose(listener) {
      if (closed) queueMicrotask(listener);
      else closers.push(listener);
    },
    close,
  };
}

function connectOnce(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Connects to a responder's node as the initiator: TCP, then the Noise NN handshake as initiator. */
export async function connectPeer(host: string, port: number): Promise<PeerLink> {
  let socket: Socket;
  try {
    socket = await connectOnce(host, port);
  } catch (cause) {
    throw new AescError(AESC_ERROR__NODE__PEER_UNREACHABLE, { host, port }, { cause });
  }
  socket.setNoDelay(true);
  const q = frameQueue(socket);
  try {
    const hs = new NoiseHandshake('initiator');
    socket.write(frame(hs.writeMessage()));
    hs.readMessage(await q.next());
    return noiseLink(socket, hs.session(), q.reader, q.rest());
  } catch (e) {
    socket.destroy();
    throw e;
  }
}

/**
 * Listens for initiators on a port: each connection completes the Noise handshake as responder,
 * and its first peer message (`channel_open` or `channel_reestablish`) goes to `onPeer` with the
 * link. A connection that fails the handshake or sends garbage is dropped; the listener goes on.
 */
export function listenPeers(port: number, onPeer: (link: PeerLink, first: PeerMessage) => void, host = '0.0.0.0'): Promise<Server> {
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('error', () => socket.destroy());
    void (async () => {
      const q = frameQueue(socket);
      try {
        const hs = new NoiseHandshake('responder');
        hs.readMessage(await q.next());
        socket.write(frame(hs.writeMessage()));
        const link = noiseLink(socket, hs.session(), q.reader, q.rest());
        let first = true;
        link.onMessage((m) => {
          if (!first) return;
          first = false;
          onPeer(link, m);
        });
      } catch {
        socket.destroy();
      }
    })();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

/**
 * The peer transport of a node that talks to other nodes: TCP with Noise NN, the responder's FSM
 * listening on the `port` of its connect params (one listener per port, shared).
 */
export function tcpPeerTransport(options: { readonly host?: string } = {}): PeerTransport {
  const servers = new Map<number, Server>();
  return {
    connect: (host, port) => connectPeer(host, port),
    async listen(port, onPeer) {
      if (servers.has(port)) return;
      servers.set(port, await listenPeers(port, onPeer, options.host));
    },
    async close() {
      for (const s of servers.values()) await new Promise<void>((r) => s.close(() => r()));
      servers.clear();
    },
  };
}
