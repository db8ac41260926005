import { type AddressInfo, connect } from 'node:net';
import type { ChainAdapter } from '@aesc/chain-api';
import { devAccounts, devChainBlocks, inProcessAdapter, startChain } from '@aesc/chain';
import { publicKeyOf } from '@aesc/crypto';
import { decodeApi, encodeObject } from '@aesc/encoding';
import { type Tamper, peerProxy } from '@aesc/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { ChannelNode } from '../../src/channel-node.js';
import type { PeerLink, PeerMessage } from '../../src/peer/peer-message.js';
import { connectPeer, listenPeers, tcpPeerTransport } from '../../src/peer/tcp-peer.js';
import type { NodeHandle } from '../dev-node.js';
import { serveChannelEndpoint } from '../../src/ws/channel-endpoint.js';
import { decodeTx } from '@aesc/encoding';
import { type Frame, RawClient, info, method, openRawChannel, rawConnectUrl } from './raw-client.js';
import { TestNodes } from './test-nodes.js';

// A peer on the peer port (TCP, Noise NN) that speaks the protocol, then breaks it: the responder's
// FSM answers as the node's does (it stops: `died`), and is never left waiting for what cannot
// come. (Issue #21: a funding_created whose tx did not decode wedged the responder for good.)

const nodes = new TestNodes();
const links: PeerLink[] = [];
const proxies: { close(): Promise<void> }[] = [];
let custom: NodeHandle | undefined;
afterEach(async () => {
  for (const l of links.splice(0)) l.close();
  for (const p of proxies.splice(0)) await p.close();
  await custom?.close();
  custom = undefined;
  await nodes.close();
});

const AMOUNT = 1_000_000n;

/** A responder waiting on `port`, and a hostile initiator's link to it that has sent a valid channel_open and got the accept. */
async function openedByHostilePeer(node: NodeHandle, port: number) {
  const [a, b] = await devAccounts(2);
  const r = new RawClient(rawConnectUrl(node, a!, b!, 'responder', port), b!.secretKey, node.node.chainInfo.networkId);
  nodes.track(r);
  await r.next(info('fsm_up'));
  let link: PeerLink | undefined;
  for (let tries = 0; link === undefined; tries++) {
    try {
      link = await connectPeer('127.0.0.1', port);
    } catch (e) {
      if (tries > 50) throw e; // the responder's listener starts with its FSM
      await new Promise((res) => setTimeout(res, 20));
    }
  }
  links.push(link);
  const got: PeerMessage[] = [];
  let closed = false;
  link.onMessage((m) => got.push(m));
  link.onClose(() => (closed = true));
  const tempChannelId = crypto.getRandomValues(new Uint8Array(32));
  link.send({
    type: 'channel_open',
    chainHash: decodeApi(node.node.chainInfo.genesisHash as `kh_${string}`, 'kh'),
    tempChannelId,
    lockPeriod: 2,
    pushAmount: 0n,
    initiatorAmount: AMOUNT,
    responderAmount: AMOUNT,
    channelReserve: 1n,
    initiator: publicKeyOf(a!.address),
    responder: publicKeyOf(b!.address),
  });
  await expect.poll(() => got.map((m) => m.type)).toEqual(['channel_accept']);
  await r.next(info('channel_open'));
  return { r, link, tempChannelId, a: a!, b: b!, isClosed: () => closed };
}

describe('a hostile initiator on the peer port', () => {
  it('a funding_created whose tx is no signed tx ends the responder’s FSM (died), which a real initiator can then replace', async () => {
    const node = await nodes.start({ peerTransport: tcpPeerTransport({ host: '127.0.0.1' }) });
    const spend = encodeObject({
      tag: 'spend_tx',
      version: 1,
      senderId: (await devAccounts(1))[0]!.address,
      recipientId: (await devAccounts(2))[1]!.address,
      amount: 1n,
      fee: 20_000_000_000_000n,
      ttl: 0n,
      nonce: 1n,
      payload: new Uint8Array(0),
    } as never);
    let port = 19_400 + Math.floor(Math.random() * 200);
    for (const tx of [crypto.getRandomValues(new Uint8Array(40)), spend]) {
      const { r, link, tempChannelId, isClosed } = await openedByHostilePeer(node, port++);
      link.send({ type: 'funding_created', tempChannelId, blockHash: new Uint8Array(32), tx, updates: [] });
      await r.next(info('died'), 2000);
      await expect.poll(isClosed, { timeout: 2000 }).toBe(true);
    }
    // The node goes on: a channel between real clients opens.
    const opened = await openRawChannel(node);
    nodes.track(opened.i, opened.r);
  });

  it('a message of another channel, or out of turn while opening, ends it as the node’s protocol error does', async () => {
    const node = await nodes.start({ peerTransport: tcpPeerTransport({ host: '127.0.0.1' }) });
    let port = 19_600 + Math.floor(Math.random() * 200);
    const cases: ((tempChannelId: Uint8Array) => PeerMessage)[] = [
      // another temporary channel id
      () => ({ type: 'funding_created', tempChannelId: new Uint8Array(32).fill(9), blockHash: new Uint8Array(32), tx: new Uint8Array(10), updates: [] }),
      // a second channel_open on the same link
      (t) => ({ type: 'channel_open', chainHash: new Uint8Array(32), tempChannelId: t, lockPeriod: 2, pushAmount: 0n, initiatorAmount: 1n, responderAmount: 1n, channelReserve: 0n, initiator: new Uint8Array(32), responder: new Uint8Array(32) }),
      // a lock before any funding
      (t) => ({ type: 'funding_locked', tempChannelId: t, channelId: t }),
    ];
    for (const make of cases) {
      const { r, link, tempChannelId, isClosed } = await openedByHostilePeer(node, port++);
      link.send(make(tempChannelId));
      await r.next(info('died'), 2000);
      await expect.poll(isClosed, { timeout: 2000 }).toBe(true);
    }
  });
});

describe('responders’ listen ports', () => {
  it('close with the last responder on them, as the node closes an ad hoc port: no client can make the node hold ports', async () => {
    const node = await nodes.start({ peerTransport: tcpPeerTransport({ host: '127.0.0.1' }) });
    const [a, b] = await devAccounts(2);
    const port = 19_950 + Math.floor(Math.random() * 40);
    const reachable = () =>
      new Promise<boolean>((resolve) => {
        const s = connect({ host: '127.0.0.1', port });
        s.once('connect', () => resolve(true));
        s.once('error', () => resolve(false));
        s.once('close', () => s.destroy());
        setTimeout(() => s.destroy(), 500);
      });
    const responder = () => new RawClient(rawConnectUrl(node, a!, b!, 'responder', port), b!.secretKey, node.node.chainInfo.networkId);
    const r1 = responder();
    const r2 = responder();
    await Promise.all([r1.next(info('fsm_up')), r2.next(info('fsm_up'))]);
    expect(await reachable()).toBe(true);
    r1.close();
    await expect.poll(() => node.node.fsms.length).toBe(1);
    expect(await reachable()).toBe(true); // r2 still waits there
    r2.close();
    await expect.poll(() => node.node.fsms.length).toBe(0);
    await expect.poll(reachable, { timeout: 3000 }).toBe(false);
    // and a responder that comes later listens there again
    const r3 = responder();
    nodes.track(r3);
    await r3.next(info('fsm_up'));
    await expect.poll(reachable, { timeout: 3000 }).toBe(true);
  });
});

describe('an exception inside a protocol step', () => {
  it('ends in the node’s answer (the FSM dies, its peer with it), never in an FSM left waiting', async () => {
    // a chain that fails when the initiator asks for its nonce to build the create tx
    const chain = await startChain({ port: 0 });
    const base = inProcessAdapter(chain.chain);
    const adapter: ChainAdapter = {
      ...base,
      nextNonce: () => Promise.reject(new Error('the chain is away')),
    };
    const node = await ChannelNode.start({ chain: adapter, blocks: devChainBlocks(chain.chain) });
    const detach = serveChannelEndpoint(node, chain.http.server);
    const port = (chain.http.server.address() as AddressInfo).port;
    custom = {
      node,
      chain,
      url: `http://127.0.0.1:${port}`,
      channelUrl: `ws://127.0.0.1:${port}/channel`,
      async close() {
        await detach();
        await node.close();
        await base.close();
        await chain.close();
      },
    };
    const [a, b] = await devAccounts(2);
    const networkId = node.chainInfo.networkId;
    const r = new RawClient(rawConnectUrl(custom, a!, b!, 'responder', 14_201), b!.secretKey, networkId);
    const i = new RawClient(rawConnectUrl(custom, a!, b!, 'initiator', 14_201), a!.secretKey, networkId);
    nodes.track(i, r);
    await i.next(info('channel_accept'));
    await i.next(info('died'), 2000);
    await r.next(info('died'), 2000);
    expect(node.fsms).toEqual([]);
  });
});

/**
 * A channel whose two FSMs (both on one node) talk through a man in the middle that passes every
 * message through `tamper` (while `armed()` says so: the opening goes through untouched).
 */
async function channelThroughProxy(tamper: Tamper<PeerMessage>, extra: Record<string, string | number> = {}) {
  const node = await nodes.start({ peerTransport: tcpPeerTransport({ host: '127.0.0.1' }) });
  const [a, b] = await devAccounts(2);
  const port = 19_800 + Math.floor(Math.random() * 150);
  let armed = false;
  const proxy = await peerProxy({ listenPeers, connectPeer }, port, (m, from) => (armed ? tamper(m, from) : m));
  proxies.push(proxy);
  const networkId = node.node.chainInfo.networkId;
  const params = { minimum_depth: 0, minimum_depth_strategy: 'plain', ...extra };
  const r = new RawClient(rawConnectUrl(node, a!, b!, 'responder', port, params), b!.secretKey, networkId);
  await r.next(info('fsm_up'));
  const i = new RawClient(rawConnectUrl(node, a!, b!, 'initiator', proxy.port, params), a!.secretKey, networkId);
  nodes.track(i, r);
  await Promise.all([i.next(method('channels.update')), r.next(method('channels.update'))]);
  armed = true;
  return { i, r, a: a!, b: b! };
}

const roundOf = (f: Frame) => {
  const tx = decodeTx(f.params!.data!.state as string).tx;
  return tx.tag === 'channel_offchain_tx' ? tx.round : 1n;
};

describe('a peer that tampers with the rounds of an open channel (a man in the middle)', () => {
  it('an ack that never comes: the proposer’s round is a conflict (3, timeout) after timeout_accept, its state as it was', async () => {
    const { i, a, b } = await channelThroughProxy((m) => (m.type === 'update_ack' ? undefined : m), { timeout_accept: 600 });
    const started = Date.now();
    i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 5 } });
    const conflict = await i.next(method('channels.conflict'), 5000);
    expect(conflict.params!.data).toMatchObject({ error_code: 3, round: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    // the proposer is free again: its next update is proposed (and its ack dropped again)
    i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 5 } });
    await i.next(method('channels.sign.update'));
  });

  it('an ack that is no signed tx is a conflict (2) at once, the proposer at its last co-signed round', async () => {
    const { i, a, b } = await channelThroughProxy((m) => (m.type === 'update_ack' ? { ...m, tx: crypto.getRandomValues(new Uint8Array(60)) } : m));
    i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 5 } });
    expect((await i.next(method('channels.conflict'), 3000)).params!.data).toMatchObject({ error_code: 2, round: 1 });
    i.send({ jsonrpc: '2.0', method: 'channels.get.offchain_state', params: {}, id: 5 });
    const state = (await i.next((f) => f.id === 5)).result as { signed_tx: string };
    expect(decodeTx(state.signed_tx).tx.tag).toBe('channel_create_tx');
  });

  it('an ack without the peer’s signature (the proposer’s own half-signed tx sent back) is bad_signature and a conflict (2)', async () => {
    let half: Uint8Array | undefined;
    const { i, a, b } = await channelThroughProxy((m) => {
      if (m.type === 'update') half = m.tx;
      return m.type === 'update_ack' && half !== undefined ? { ...m, tx: half } : m;
    });
    i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 5 } });
    await i.next(info('bad_signature'), 3000);
    expect((await i.next(method('channels.conflict'), 3000)).params!.data).toMatchObject({ error_code: 2, round: 1 });
  });

  it('an update of another channel, a tx of another kind, or updates that do not decode: conflict (2), the channel at its round', async () => {
    const spoil = [
      (m: PeerMessage) => ({ ...m, channelId: new Uint8Array(32).fill(7) }),
      (m: PeerMessage) => ({ ...m, tx: crypto.getRandomValues(new Uint8Array(50)) }),
      (m: PeerMessage) => ({ ...m, updates: [Uint8Array.of(1, 2, 3)] }),
    ];
    let k = 0;
    const { i, r, a, b } = await channelThroughProxy((m, from) => (from === 'initiator' && m.type === 'update' && k < spoil.length ? spoil[k++]!(m) : m));
    for (let n = 0; n < spoil.length; n++) {
      i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 5 } });
      expect((await i.next(method('channels.conflict'), 3000)).params!.data).toMatchObject({ error_code: 2, round: 1 });
      expect((await r.next(method('channels.conflict'), 3000)).params!.data).toMatchObject({ error_code: 2, round: 1 });
    }
    i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 5 } });
    expect(roundOf(await i.next(method('channels.update')))).toBe(2n);
  });
});
