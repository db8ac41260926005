import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { FrameReader, connectPeer, frame, listenPeers } from './tcp-peer.js';
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
