import { type Server, type Socket, connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { AESC_ERROR__NODE__PEER_TIMEOUT, aescErrorCodeOfAsync, isAescError } from '@aesc/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { encodePeerMessage } from './codec.js';
import { NoiseHandshake } from './noise.js';
import { FrameReader, PEER_LIMIT_DEFAULTS, connectPeer, frame, listenPeers } from './tcp-peer.js';
import type { PeerLink, PeerMessage } from './peer-message.js';

const h = (n: number) => new Uint8Array(32).fill(n);

describe('the peer link over TCP with Noise', () => {
  it('splits a byte stream into frames however it arrives', () => {
    const r = new FrameReader();
    const bytes = Uint8Array.of(...frame(Uint8Array.of(1, 2, 3)), ...frame(new Uint8Array(0)), ...frame(Uint8Array.of(9)));
    const out: Uint8Array[] = [];
    for (const b of bytes) out.push(...r.push(Uint8Array.of(b)));
    expect(out).toEqual([Uint8Array.of(1, 2, 3), new Uint8Array(0), Uint8Array.of(9)]);
  });

  it('carries messages both ways, hands the first one to the listener, reports a close, and survives garbage', async () => {
    let accepted: { link: PeerLink; first: PeerMessage } | undefined;
    const server = await listenPeers(0, (link, first) => (accepted = { link, first }), '127.0.0.1');
    const { port } = server.address() as AddressInfo;
    try {
      // A client that sends garbage instead of a Noise handshake is dropped; the listener goes on.
      const junk = connect({ host: '127.0.0.1', port });
      await new Promise((r) => junk.once('connect', r));
      junk.write(Uint8Array.of(0, 3, 1, 2, 3));
      await new Promise((r) => junk.once('close', r));

      const link = await connectPeer('127.0.0.1', port);
      const leave: PeerMessage = { type: 'leave', channelId: h(1) };
      link.send(leave);
      await expect.poll(() => accepted?.first).toEqual(leave);
      const got: PeerMessage[] = [];
      link.onMessage((m) => got.push(m));
      const big = new Uint8Array(60_000).fill(7);
      accepted!.link.send({ type: 'inband_msg', channelId: h(1), from: h(2), to: h(3), info: big });
      accepted!.link.send({ type: 'leave_ack', channelId: h(1) });
      await expect.poll(() => got.length).toBe(2);
      expect(got[0]).toMatchObject({ type: 'inband_msg', info: big });
      let closed = false;
      link.onClose(() => (closed = true));
      accepted!.link.close();
      await expect.poll(() => closed).toBe(true);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

const servers: Server[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const s of servers.splice(0)) await new Promise<void>((r) => s.close(() => r()));
});

/** A raw TCP connection to `port`, noting when it closes. */
async function tcp(port: number): Promise<{ socket: Socket; closed: () => boolean; openedAt: number; closedAt: () => number | undefined }> {
  const socket = connect({ host: '127.0.0.1', port });
  sockets.push(socket);
  socket.on('error', () => undefined);
  let closedAt: number | undefined;
  socket.on('close', () => (closedAt = performance.now()));
  await new Promise((r) => socket.once('connect', r));
  return { socket, closed: () => closedAt !== undefined, openedAt: performance.now(), closedAt: () => closedAt };
}

/** A Noise session made by hand on a raw connection (to send what connectPeer would not). */
async function handshaken(port: number) {
  const c = await tcp(port);
  const hs = new NoiseHandshake('initiator');
  c.socket.write(frame(hs.writeMessage()));
  const reply = await new Promise<Buffer>((r) => c.socket.once('data', r));
  hs.readMessage(new Uint8Array(reply.subarray(2)));
  return { ...c, session: hs.session() };
}

async function listening(onPeer: (link: PeerLink, first: PeerMessage) => void, limits: Parameters<typeof listenPeers>[3]) {
  const server = await listenPeers(0, onPeer, '127.0.0.1', limits);
  servers.push(server);
  return (server.address() as AddressInfo).port;
}

describe('the peer port under a hostile peer', () => {
  it('reads a 64 KiB frame that arrives a byte at a time, holding only what is not yet a frame', () => {
    const r = new FrameReader();
    const big = frame(new Uint8Array(0xffff).fill(3));
    const out: Uint8Array[] = [];
    const pendings: number[] = [];
    for (let k = 0; k < big.length; k++) {
      out.push(...r.push(big.subarray(k, k + 1)));
      if (k % 10_000 === 0) pendings.push(r.pending);
    }
    expect(pendings).toEqual([1, 10_001, 20_001, 30_001, 40_001, 50_001, 60_001]);
    expect(out).toHaveLength(1);
    expect(out[0]).toEqual(new Uint8Array(0xffff).fill(3));
    expect(r.pending).toBe(0);
  });

  it('drops a connection with no handshake, a partial one, or no first message, once handshakeTimeoutMs passed', async () => {
    let peers = 0;
    const port = await listening(() => peers++, { handshakeTimeoutMs: 300 });
    const none = await tcp(port);
    const partial = await tcp(port);
    partial.socket.write(Uint8Array.of(0, 32, 1, 2, 3)); // 3 of the 32 bytes of `e`
    const silent = await handshaken(port); // handshake done, then nothing
    await expect.poll(() => [none.closed(), partial.closed(), silent.closed()], { timeout: 2000 }).toEqual([true, true, true]);
    // none was closed before its time: each lived handshakeTimeoutMs from the server's accept,
    // which comes at most a few ms before the client hears it connected (measured on each, so a
    // slow set-up of the next ones cannot make it look early)
    for (const c of [none, partial, silent]) expect(c.closedAt()! - c.openedAt).toBeGreaterThanOrEqual(300 - 50);
    expect(peers).toBe(0);
  });

  it('drops a peer that stalls mid-message, even one that dribbles, once readTimeoutMs passed', async () => {
    const got: PeerMessage[] = [];
    const port = await listening((link, first) => {
      got.push(first);
      link.onMessage((m) => got.push(m));
    }, { readTimeoutMs: 300 });
    const p = await handshaken(port);
    p.socket.write(frame(p.session.encrypt(encodePeerMessage({ type: 'leave', channelId: new Uint8Array(32) }))));
    await expect.poll(() => got.length).toBe(1);
    // A whole message goes through; then one that never completes: its length says 65,535 bytes.
    p.socket.write(Uint8Array.of(0xff, 0xff, 1, 2, 3));
    const dribble = setInterval(() => p.socket.write(Uint8Array.of(7)), 50);
    try {
      await expect.poll(p.closed, { timeout: 2000 }).toBe(true);
    } finally {
      clearInterval(dribble);
    }
  });

  it('closes a connection beyond maxPendingConnections on a port at once, and takes new ones when those went', async () => {
    const port = await listening(() => undefined, { maxPendingConnections: 3, handshakeTimeoutMs: 60_000 });
    const held = [await tcp(port), await tcp(port), await tcp(port)];
    const extra = await tcp(port);
    await expect.poll(extra.closed, { timeout: 2000 }).toBe(true);
    expect(held.map((h) => h.closed())).toEqual([false, false, false]);
    held[0]!.socket.destroy();
    await new Promise((r) => setTimeout(r, 100));
    const next = await tcp(port);
    await new Promise((r) => setTimeout(r, 200));
    expect(next.closed()).toBe(false);
  });

  it('bounds the connections on a port in all', async () => {
    const server = await listenPeers(0, () => undefined, '127.0.0.1', { maxConnections: 7 });
    servers.push(server);
    expect(server.maxConnections).toBe(7);
    const defaults = await listenPeers(0, () => undefined, '127.0.0.1');
    servers.push(defaults);
    expect(defaults.maxConnections).toBe(PEER_LIMIT_DEFAULTS.maxConnections);
  });

  it('stops reading a peer whose messages wait for its FSM, and reads on once they are handled', async () => {
    const pending: (() => void)[] = [];
    let delivered = 0;
    const port = await listening((link) => {
      delivered++;
      link.onMessage(() => {
        delivered++;
        return new Promise<void>((r) => pending.push(r));
      });
    }, { maxQueuedMessages: 8 });
    const p = await handshaken(port);
    const leave = (k: number) => frame(p.session.encrypt(encodePeerMessage({ type: 'leave', channelId: new Uint8Array(32).fill(k % 256) })));
    p.socket.write(leave(0));
    await expect.poll(() => delivered).toBe(1);
    // 2,000 more, written over time: the node takes about 8 (and what one read brings), then waits.
    for (let k = 1; k <= 2000; k++) {
      p.socket.write(leave(k));
      if (k % 100 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, 300));
    const whileWaiting = delivered;
    expect(whileWaiting).toBeLessThan(1000);
    // handled as they come: the rest is read
    const drain = setInterval(() => {
      for (const r of pending.splice(0)) r();
    }, 5);
    try {
      await expect.poll(() => delivered, { timeout: 5000 }).toBe(2001);
    } finally {
      clearInterval(drain);
    }
  });

  it('an initiator gives up on a responder that does not answer the handshake, or when told to', async () => {
    const mute = createServer((s) => s.on('error', () => undefined).resume());
    servers.push(mute);
    await new Promise<void>((r) => mute.listen(0, '127.0.0.1', () => r()));
    const { port } = mute.address() as AddressInfo;
    const started = Date.now();
    expect(await aescErrorCodeOfAsync(() => connectPeer('127.0.0.1', port, { handshakeTimeoutMs: 200 }))).toBe(AESC_ERROR__NODE__PEER_TIMEOUT);
    expect(Date.now() - started).toBeLessThan(2000);
    const abort = new AbortController();
    const attempt = connectPeer('127.0.0.1', port, { handshakeTimeoutMs: 60_000, signal: abort.signal });
    setTimeout(() => abort.abort(), 100);
    const e = await attempt.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Error);
    expect(isAescError(e, AESC_ERROR__NODE__PEER_TIMEOUT)).toBe(false);
  });
});
