import { type Server, type Socket, connect, createServer } from 'node:net';
import {
  AESC_ERROR__NODE__PEER_PROTOCOL,
  AESC_ERROR__NODE__PEER_TIMEOUT,
  AESC_ERROR__NODE__PEER_UNREACHABLE,
  AescError,
} from '@aesc/errors';
import type { PeerTransport } from '../channel-node.js';
import { decodePeerMessage, encodePeerMessage } from './codec.js';
import { NoiseHandshake, type NoiseSession } from './noise.js';
import type { PeerLink, PeerMessage } from './peer-message.js';

/** The largest Noise message (2-byte length framing). */
const MAX_FRAME = 0xffff;

/** The limits of a peer connection, on both sides of it; all times in ms. */
export interface PeerLimits {
  /**
   * From the TCP connection to the first peer message handed to an FSM (responder), or to the end
   * of the handshake (initiator): a connection that has not got there is closed. Default 10,000.
   */
  readonly handshakeTimeoutMs?: number;
  /** How long one Noise frame may take to arrive once it has begun: a peer that stalls mid-message is dropped. Default 20,000. */
  readonly readTimeoutMs?: number;
  /**
   * Messages a peer may have waiting for its FSM (whose inputs wait for signature checks, chain
   * lookups, the state cache) before the node stops reading its socket until they are handled.
   * Default 64.
   */
  readonly maxQueuedMessages?: number;
}

/** Limits of the ports the node listens on for initiators. */
export interface PeerListenLimits extends PeerLimits {
  /** Connections on one port that have not yet brought a first message to an FSM; one more is closed at once. Default 32. */
  readonly maxPendingConnections?: number;
  /** Connections on one port in all (`net.Server.maxConnections`). Default 1,024. */
  readonly maxConnections?: number;
}

/** The defaults of {@link PeerListenLimits}. */
export const PEER_LIMIT_DEFAULTS = {
  handshakeTimeoutMs: 10_000,
  readTimeoutMs: 20_000,
  maxQueuedMessages: 64,
  maxPendingConnections: 32,
  maxConnections: 1024,
} as const satisfies Required<PeerListenLimits>;

/**
 * Splits a byte stream into `<<Len:16/big, Msg>>` frames (enoise's framing). Chunks are kept as
 * they come and joined once a frame is complete, so a frame that arrives a byte at a time costs
 * its length, not its length squared.
 */
export class FrameReader {
  #chunks: Uint8Array[] = [];
  #length = 0;

  /** Bytes held that are not yet a complete frame. */
  get pending(): number {
    return this.#length;
  }

  /** Adds bytes; returns the frames now complete. */
  push(chunk: Uint8Array): Uint8Array[] {
    if (chunk.length > 0) {
      this.#chunks.push(chunk);
      this.#length += chunk.length;
    }
    const out: Uint8Array[] = [];
    for (;;) {
      if (this.#length < 2) break;
      const head = this.#peek(2);
      const len = (head[0]! << 8) | head[1]!;
      if (this.#length < 2 + len) break;
      out.push(this.#take(2 + len).slice(2));
    }
    return out;
  }

  #peek(n: number): Uint8Array {
    const first = this.#chunks[0]!;
    if (first.length >= n) return first;
    return this.#join(n);
  }

  /** Removes and returns the first `n` bytes. */
  #take(n: number): Uint8Array {
    const joined = this.#join(n);
    this.#length -= n;
    let left = n;
    let whole = 0;
    while (left > 0) {
      const c = this.#chunks[whole]!;
      if (c.length <= left) {
        left -= c.length;
        whole++;
      } else {
        this.#chunks[whole] = c.subarray(left);
        left = 0;
      }
    }
    this.#chunks.splice(0, whole);
    return joined;
  }

  /** The first `n` bytes, joined (a copy when they span chunks). */
  #join(n: number): Uint8Array {
    const first = this.#chunks[0]!;
    if (first.length >= n) return first.subarray(0, n);
    const out = new Uint8Array(n);
    let at = 0;
    for (const c of this.#chunks) {
      const part = c.subarray(0, n - at);
      out.set(part, at);
      at += part.length;
      if (at === n) break;
    }
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

/**
 * Reads a socket's bytes into frames, and drops the connection when a frame that has begun does
 * not complete within `readTimeoutMs` (measured from the first byte of the frame in hand).
 */
class FrameStream {
  readonly reader = new FrameReader();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly readTimeoutMs: number,
  ) {}

  /** The frames a chunk completes. */
  push(chunk: Uint8Array): Uint8Array[] {
    const frames = this.reader.push(chunk);
    if (this.reader.pending === 0) this.stop();
    else if (frames.length > 0 || this.#timer === undefined) {
      // a new frame began: its own deadline
      this.stop();
      this.#timer = setTimeout(() => this.socket.destroy(new AescError(AESC_ERROR__NODE__PEER_TIMEOUT, { stage: 'a message', ms: this.readTimeoutMs })), this.readTimeoutMs);
      this.#timer.unref();
    }
    return frames;
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/**
 * Reads handshake frames from a socket one at a time. The socket is paused whenever a frame waits
 * unread: a peer cannot fill the node's memory before its handshake is read.
 */
function frameQueue(socket: Socket, stream: FrameStream): { next(): Promise<Uint8Array>; rest(): Uint8Array[] } {
  const ready: Uint8Array[] = [];
  let waiting: { resolve: (f: Uint8Array) => void; reject: (e: Error) => void } | undefined;
  const onData = (d: Buffer) => {
    ready.push(...stream.push(new Uint8Array(d.buffer, d.byteOffset, d.length)));
    if (waiting && ready.length > 0) {
      const w = waiting;
      waiting = undefined;
      w.resolve(ready.shift()!);
    }
    if (ready.length > 0) socket.pause();
  };
  const onEnd = () => waiting?.reject(new Error('connection closed during the handshake'));
  socket.on('data', onData);
  socket.once('close', onEnd);
  return {
    next: () => {
      if (ready.length > 0) return Promise.resolve(ready.shift()!);
      socket.resume();
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
      });
    },
    rest: () => {
      socket.off('data', onData);
      socket.off('close', onEnd);
      return ready.splice(0);
    },
  };
}

/**
 * A {@link PeerLink} over an established Noise session on a socket: one peer message per Noise
 * frame. While more than `maxQueued` of the messages it handed on are still being handled (a
 * listener that returns a promise: the FSM's queue), it stops reading the socket; TCP makes the
 * peer wait.
 */
function noiseLink(socket: Socket, session: NoiseSession, stream: FrameStream, pending: Uint8Array[], maxQueued: number): PeerLink {
  const listeners: ((m: PeerMessage) => unknown)[] = [];
  const closers: (() => void)[] = [];
  const early: PeerMessage[] = [];
  let closed = false;
  let queued = 0;
  const close = () => {
    if (closed) return;
    closed = true;
    stream.stop();
    socket.destroy();
    for (const c of closers.splice(0)) c();
  };
  const handled = () => {
    queued--;
    if (queued <= maxQueued / 2 && socket.isPaused() && !closed) socket.resume();
  };
  const hand = (l: (m: PeerMessage) => unknown, m: PeerMessage) => {
    const r = l(m);
    if (r instanceof Promise) {
      queued++;
      r.then(handled, handled);
      if (queued > maxQueued) socket.pause();
    }
  };
  const deliver = (f: Uint8Array) => {
    if (closed) return;
    let m: PeerMessage;
    try {
      m = decodePeerMessage(session.decrypt(f));
    } catch {
      // A frame that does not decrypt or decode ends the connection, nothing else.
      return close();
    }
    if (listeners.length === 0) early.push(m);
    try {
      // A copy: a listener may add another (the node attaching the FSM on the first message).
      for (const l of [...listeners]) hand(l, m);
    } catch {
      close();
    }
  };
  socket.on('data', (d: Buffer) => {
    for (const f of stream.push(new Uint8Array(d.buffer, d.byteOffset, d.length))) deliver(f);
  });
  socket.on('close', close);
  socket.on('error', close);
  for (const f of pending) deliver(f);
  socket.resume();
  return {
    send(message) {
      if (closed) return;
      socket.write(frame(session.encrypt(encodePeerMessage(message))));
    },
    onMessage(listener) {
      listeners.push(listener);
      for (const m of early.splice(0)) hand(listener, m);
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

/**
 * Connects to a responder's node as the initiator: TCP, then the Noise NN handshake as initiator.
 * A responder that does not answer the handshake within `handshakeTimeoutMs` is given up on
 * (`AESC_ERROR__NODE__PEER_TIMEOUT`), as is the attempt when `signal` aborts.
 */
export async function connectPeer(host: string, port: number, options: PeerLimits & { readonly signal?: AbortSignal } = {}): Promise<PeerLink> {
  const o = { ...PEER_LIMIT_DEFAULTS, ...options };
  let socket: Socket;
  try {
    socket = await connectOnce(host, port);
  } catch (cause) {
    throw new AescError(AESC_ERROR__NODE__PEER_UNREACHABLE, { host, port }, { cause });
  }
  socket.setNoDelay(true);
  socket.on('error', () => undefined); // (an error closes the socket: the handshake fails on 'close')
  const stream = new FrameStream(socket, o.readTimeoutMs);
  const q = frameQueue(socket, stream);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    socket.destroy();
  }, o.handshakeTimeoutMs);
  const abort = () => socket.destroy();
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    const hs = new NoiseHandshake('initiator');
    socket.write(frame(hs.writeMessage()));
    hs.readMessage(await q.next());
    return noiseLink(socket, hs.session(), stream, q.rest(), o.maxQueuedMessages);
  } catch (e) {
    socket.destroy();
    stream.stop();
    throw timedOut ? new AescError(AESC_ERROR__NODE__PEER_TIMEOUT, { stage: 'the handshake', ms: o.handshakeTimeoutMs }) : e;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', abort);
  }
}

/**
 * Listens for initiators on a port: each connection completes the Noise handshake as responder,
 * and its first peer message (`channel_open` or `channel_reestablish`) goes to `onPeer` with the
 * link. A connection that fails the handshake, sends garbage, stalls, or does not bring a first
 * message in time is dropped; the listener goes on. The connections are bounded as `limits` say.
 */
export function listenPeers(port: number, onPeer: (link: PeerLink, first: PeerMessage) => void, host = '0.0.0.0', limits: PeerListenLimits = {}): Promise<Server> {
  const o = { ...PEER_LIMIT_DEFAULTS, ...limits };
  let pendingCount = 0;
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('error', () => socket.destroy());
    if (pendingCount >= o.maxPendingConnections) return void socket.destroy();
    pendingCount++;
    let pending = true;
    const settle = () => {
      if (!pending) return;
      pending = false;
      pendingCount--;
      clearTimeout(timer);
    };
    const timer = setTimeout(() => socket.destroy(), o.handshakeTimeoutMs);
    socket.once('close', settle);
    const stream = new FrameStream(socket, o.readTimeoutMs);
    void (async () => {
      const q = frameQueue(socket, stream);
      try {
        const hs = new NoiseHandshake('responder');
        hs.readMessage(await q.next());
        socket.write(frame(hs.writeMessage()));
        const link = noiseLink(socket, hs.session(), stream, q.rest(), o.maxQueuedMessages);
        let first = true;
        link.onMessage((m) => {
          if (!first) return;
          first = false;
          settle();
          onPeer(link, m);
        });
      } catch {
        stream.stop();
        socket.destroy();
      }
    })();
  });
  server.maxConnections = o.maxConnections;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      // (a listening server's later errors, as an accept that failed: the server goes on)
      server.on('error', () => undefined);
      resolve(server);
    });
  });
}

/**
 * The peer transport of a node that talks to other nodes: TCP with Noise NN, the responder's FSM
 * listening on the `port` of its connect params (one listener per port, shared).
 */
export function tcpPeerTransport(options: { readonly host?: string } & PeerListenLimits = {}): PeerTransport {
  const servers = new Map<number, Server>();
  const { host, ...limits } = options;
  return {
    connect: (peerHost, port, signal) => connectPeer(peerHost, port, { ...limits, signal }),
    async listen(port, onPeer) {
      if (servers.has(port)) return;
      servers.set(port, await listenPeers(port, onPeer, host, limits));
    },
    unlisten(port) {
      const server = servers.get(port);
      servers.delete(port);
      // (stops accepting at once; the connections it took stay, as the links of running channels)
      server?.close();
    },
    async close() {
      for (const s of servers.values()) await new Promise<void>((r) => s.close(() => r()));
      servers.clear();
    },
  };
}
