import { devAccounts } from '@aesc/chain';
import { decodeTx } from '@aesc/encoding';
import { parseJson, stringifyJson } from '@aesc/rpc';
import { RawWs, wsFrame } from '@aesc/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { type Frame, type RawClient, info, method, rawConnectUrl, reply } from '../e2e/raw-client.js';
import { TestNodes } from '../e2e/test-nodes.js';
import type { NodeHandle } from '../dev-node.js';

// What an attacker sends on the /channel port: each of these stopped, wedged or misled the node
// once (issue #21). The node answers each as the æternity node would, or closes that one
// connection with a reason; the channel beside it goes on at its round.

const nodes = new TestNodes();
const sockets: RawWs<Record<string, unknown>>[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await nodes.close();
});

const roundOf = (f: Frame) => {
  const tx = decodeTx(f.params!.data!.state as string).tx;
  return tx.tag === 'channel_offchain_tx' ? tx.round : 1n;
};

async function transfer(i: RawClient, from: string, to: string, amount: number) {
  i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from, to, amount } });
  return roundOf(await i.next(method('channels.update')));
}

/** Whether a raw connection got the `channels.info` event. */
const gotInfo = (event: string) => (r: { frames: Record<string, unknown>[] }) => r.frames.some((f) => info(event)(f as Frame));

const errorOf = async (c: RawClient, id: number) => ((await c.next(reply(id))) as { error?: Record<string, unknown> }).error;

/** A responder's connect URL on `node` (a waiting responder is all a raw connection needs). */
async function responderUrl(node: NodeHandle, extra: Record<string, string | number> = {}) {
  const [a, b] = await devAccounts(2);
  return rawConnectUrl(node, a!, b!, 'responder', 16_000 + Math.floor(Math.random() * 1000), extra);
}

/** What a raw connection makes of a text frame: the node's JSON, parsed losslessly. */
const decode = (text: string) => parseJson(text) as Record<string, unknown>;

/** A raw connection at a node's `ws://host:port/channel?…` URL, destroyed after the test. */
async function raw(url: string, after?: Buffer, halfOpen = false): Promise<RawWs<Record<string, unknown>>> {
  const u = new URL(url);
  const s = await RawWs.open(u.hostname, Number(u.port), `${u.pathname}${u.search}`, { after, halfOpen, decode });
  sockets.push(s);
  return s;
}

describe('frames nested deeper than the stack', () => {
  it('are answered as the node reads them (any depth), and the channel goes on', async () => {
    const { i, a, b } = await nodes.openChannel();
    const deepArray = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const deepObject = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    i.send(deepArray);
    // a batch whose element is no request: "Invalid request", the batch echoed whole
    const e1 = await i.next((f) => 'error' in f);
    expect(e1.error).toMatchObject({ code: -32000, message: 'Invalid request' });
    expect(stringifyJson((e1.error as { request: unknown }).request)).toBe(deepArray);
    i.send(deepObject);
    expect((await i.next((f) => 'error' in f)).error).toMatchObject({ code: -32000 });
    // a transfer whose `from` is 2,000 nested arrays: the node's broken account encoding (1005)
    const from = `${'['.repeat(2000)}${']'.repeat(2000)}`;
    i.send(`{"jsonrpc":"2.0","id":7,"method":"channels.update.new","params":{"from":${from},"to":"${b.address}","amount":1}}`);
    expect(await errorOf(i, 7)).toMatchObject({ code: 3, data: [{ code: 1005 }] });
    expect(await transfer(i, a.address, b.address, 5)).toBe(2n);
  });
});

describe('WebSocket protocol violations', () => {
  it('each closes that one connection with the code RFC 6455 gives it, and the channel beside goes on', async () => {
    const { node, i, a, b } = await nodes.openChannel();
    const url = await responderUrl(node);
    const cases: [string, Buffer, number][] = [
      ['a text frame over 1 MiB', wsFrame('x'.repeat(1024 * 1024 + 1)), 1009],
      ['a 10 MB text frame', wsFrame('x'.repeat(10_000_000)), 1009],
      ['a 2 MB binary frame', wsFrame(new Uint8Array(2_000_000), { opcode: 2 }), 1009],
      ['invalid UTF-8 in a text frame', wsFrame(Uint8Array.of(0xff, 0xfe)), 1007],
      ['RSV1 set', wsFrame('{}', { rsv: 0x40 }), 1002],
      ['opcode 3', wsFrame('{}', { opcode: 3 }), 1002],
      ['an unmasked client frame', wsFrame('{}', { mask: false }), 1002],
      ['a ping with FIN=0', wsFrame('', { opcode: 9, fin: false }), 1002],
      ['a close frame with code 999', wsFrame(Uint8Array.of(0x03, 0xe7), { opcode: 8 }), 1002],
      ['a length header of 2^63-1', Buffer.from([0x81, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4]), 1009],
      ['a continuation frame with no start', wsFrame('{}', { opcode: 0 }), 1002],
    ];
    for (const [what, bytes, code] of cases) {
      const s = await raw(url);
      await s.until(gotInfo('fsm_up'));
      s.write(bytes);
      const got = await s.until((r) => r.closed, 10_000);
      expect([what, got.status, got.closeCode]).toEqual([what, 101, code]);
    }
    expect(await transfer(i, a.address, b.address, 5)).toBe(2n);
  });
});

describe('connect parameters with huge numbers', () => {
  it('are refused at connect (Invalid params, or the node’s 105 for a negative lock period), either sign, either role', async () => {
    const { node, i, a, b } = await nodes.openChannel();
    const huge = `1${'0'.repeat(400)}`;
    for (const role of ['initiator', 'responder'] as const) {
      for (const sign of ['', '-']) {
        for (const param of ['lock_period', 'ttl', 'nonce', 'timeout_idle']) {
          const url = rawConnectUrl(node, a, b, role, 17_000, { [param]: `${sign}${huge}` });
          const s = await raw(url);
          const r = await s.until((x) => x.closeCode !== undefined && x.frames.length > 0);
          const expected = param === 'lock_period' && sign === '-' ? { code: 3, data: [{ code: 105 }] } : { code: -32602, message: 'Invalid params' };
          expect(r.frames[0], `${role} ${param}=${sign}1e400`).toMatchObject({ error: expected, id: null });
        }
      }
    }
    expect(await transfer(i, a.address, b.address, 5)).toBe(2n);
  });

  it('take a timeout longer than a Node.js timer as the node does: the FSM waits, no 1 ms timer', async () => {
    const node = await nodes.start();
    const s = await raw(await responderUrl(node, { timeout_awaiting_open: 2 ** 40 }));
    await s.until(gotInfo('fsm_up'));
    await new Promise((r) => setTimeout(r, 300));
    expect(s.received.frames.filter((f) => info('timeout')(f as Frame) || info('died')(f as Frame))).toEqual([]);
    expect(s.received.closed).toBe(false);
  });
});

describe('requests with values the node refuses', () => {
  it('deposit and withdraw with a negative fee or nonce get the node’s answer (Internal error), the FSM as it was', async () => {
    const { i, a, b } = await nodes.openChannel();
    let id = 100;
    for (const m of ['channels.deposit', 'channels.withdraw']) {
      for (const p of [{ fee: -1 }, { nonce: -1 }, { fee: '-1' }, { nonce: '-1' }]) {
        i.send({ jsonrpc: '2.0', id, method: m, params: { amount: 1, ...p } });
        expect(await errorOf(i, id), `${m} ${JSON.stringify(p)}`).toMatchObject({ code: -32603, message: 'Internal error' });
        id++;
      }
    }
    expect(await transfer(i, a.address, b.address, 5)).toBe(2n);
  });

  it('a deposit or withdrawal whose tx the chain refuses (a used nonce) ends as on the node: a conflict (5) on both sides, no round left waiting', async () => {
    const { i, r, a, b } = await nodes.openChannel();
    for (const m of ['channels.deposit', 'channels.withdraw']) {
      i.send({ jsonrpc: '2.0', method: m, params: { amount: 10, nonce: 1 } });
      await i.next(method('channels.error'));
      expect((await i.next(method('channels.conflict'))).params!.data).toMatchObject({ error_code: 5, round: 1 });
      expect((await r.next(method('channels.conflict'))).params!.data).toMatchObject({ error_code: 5, round: 1 });
    }
    expect(await transfer(i, a.address, b.address, 5)).toBe(2n);
  });

  it('a generic message over the node’s 65,000 bytes is an invalid request, one at the limit goes to the peer', async () => {
    const { i, r, b } = await nodes.openChannel();
    i.send({ jsonrpc: '2.0', id: 1, method: 'channels.message', params: { to: b.address, info: 'x'.repeat(65_001) } });
    expect(await errorOf(i, 1)).toMatchObject({ code: -32000, message: 'Invalid request' });
    i.send({ jsonrpc: '2.0', method: 'channels.message', params: { to: b.address, info: 'y'.repeat(65_000) } });
    const got = await r.next(method('channels.message'));
    expect(((got.params!.data as { message: { info: string } }).message.info).length).toBe(65_000);
  });

  it('amounts written as floats are no integers to the node (1008), never rounded; -0 is the integer 0 to it', async () => {
    const { i, a, b } = await nodes.openChannel();
    let id = 200;
    for (const amount of ['1.9999999999999999999', '1.0000000000000000001', '1E2', '0.0', '1e0', '2.5']) {
      for (const m of ['channels.update.new', 'channels.deposit', 'channels.withdraw']) {
        const params = m === 'channels.update.new' ? `{"from":"${a.address}","to":"${b.address}","amount":${amount}}` : `{"amount":${amount}}`;
        i.send(`{"jsonrpc":"2.0","id":${id},"method":"${m}","params":${params}}`);
        expect(await errorOf(i, id), `${m} ${amount}`).toMatchObject({ code: 3, data: [{ code: 1008, message: 'Not a number' }] });
        id++;
      }
    }
    // jsx reads -0 as the integer 0: a transfer of nothing, round 2
    i.send(`{"jsonrpc":"2.0","method":"channels.update.new","params":{"from":"${a.address}","to":"${b.address}","amount":-0}}`);
    expect(roundOf(await i.next(method('channels.update')))).toBe(2n);
    i.send({ jsonrpc: '2.0', id: 1, method: 'channels.get.balances', params: { accounts: [a.address] } });
    expect(((await i.next(reply(1))).result as { balance: unknown }[])[0]!.balance).toBe(1_000_000);
  });
});

describe('request targets other than /channel', () => {
  it('are answered as the node’s cowboy answers them, and closed', async () => {
    const node = await nodes.start();
    const { hostname, port } = new URL(node.url);
    const query = new URL(await responderUrl(node)).search;
    const cases: [string, number][] = [
      ['/channel/', 101],
      ['/chan%6Eel', 101],
      ['//channel', 404],
      ['/channel;x', 404],
      ['/channel%00', 404],
      ['/CHANNEL', 404],
      ['/channel/x', 404],
      ['/channel%zz', 400],
      ['http://[', 400],
      ['*', 400],
    ];
    for (const [path, status] of cases) {
      const s = await RawWs.open(hostname, Number(port), `${path}${query}`, { decode });
      sockets.push(s);
      if (status === 101) await s.until(gotInfo('fsm_up'));
      else await s.until((r) => r.closed);
      expect([path, s.received.status]).toEqual([path, status]);
    }
  });
});

describe('a client that leaves with a close frame and keeps TCP open (issue #22)', () => {
  it('is gone when its close frame arrives: the peer’s next update gets the conflict within a second', async () => {
    const { node, i, r, a, b } = await nodes.openChannel();
    // The responder's client comes back on a raw connection (the FSM takes it by its fsm id) …
    const fsmId = r.frames.find(info('fsm_up'))!.params!.data!.fsm_id as string;
    const channelId = r.frames.find(method('channels.update'))!.params!.channel_id!;
    const port = new URL(r.ws.url).searchParams.get('port')!;
    const s = await raw(`${node.channelUrl}?protocol=json-rpc&role=responder&port=${port}&existing_channel_id=${channelId}&existing_fsm_id=${encodeURIComponent(fsmId)}`, undefined, true);
    await s.until(gotInfo('fsm_up'));
    // … and sends a close frame, its TCP connection kept open.
    s.write(wsFrame(Uint8Array.of(0x03, 0xe8), { opcode: 8 }));
    await s.until((x) => x.closeCode === 1000);
    const started = Date.now();
    i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 5 } });
    const conflict = await i.next(method('channels.conflict'), 1000);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(conflict.params!.data).toMatchObject({ error_code: 2, round: 1 });
    expect(s.received.closed).toBe(false); // the TCP connection is still there
  });
});

describe('frames before the session is ready', () => {
  it('wait in the client’s socket while its connect URL is checked, then are all answered in order', async () => {
    const node = await nodes.start();
    const ping = (k: number) => wsFrame(`{"jsonrpc":"2.0","id":${k},"method":"channels.history.fetch","params":{"n":0}}`);
    const s = await raw(await responderUrl(node), Buffer.concat(Array.from({ length: 200 }, (_, k) => ping(k))));
    const got = await s.until((r) => r.frames.filter((f) => 'result' in f).length === 200);
    expect(got.frames.filter((f) => 'result' in f).map((f) => f.id)).toEqual(Array.from({ length: 200 }, (_, k) => k));
    expect(got.frames[0]).toMatchObject({ method: 'channels.info', params: { data: { event: 'fsm_up' } } });
  });
});

describe('a client that does not read', () => {
  it('is read at its own pace: its requests wait in its socket, not in the node, and every answer still comes', async () => {
    const node = await nodes.start();
    const s = await raw(await responderUrl(node));
    await s.until(gotInfo('fsm_up'));
    s.socket.pause(); // reads nothing from now on
    // 80 requests of 400 KB whose answer echoes them (32 MB of answers)
    const big = `{"jsonrpc":"2.0","id":1,"method":"channels.no_such_method","params":{"pad":"${'p'.repeat(400_000)}"}}`;
    for (let k = 0; k < 80; k++) s.send(big);
    await new Promise((r) => setTimeout(r, 1500));
    // The node stopped reading once about 1 MiB of answers waited, so most requests are still on
    // this side (what the kernel's buffers hold aside). Read in full, the node would hold 32 MB.
    expect(s.socket.writableLength).toBeGreaterThan(10_000_000);
    s.socket.resume();
    await s.until((r) => r.frames.length >= 81, 30_000);
    expect(s.received.frames.slice(1).every((f) => (f.error as { code: number }).code === -32601)).toBe(true);
    expect(s.received.closed).toBe(false);
  });

  it('is dropped once what waits for it passes 8 MiB, and its FSM goes on as for a client that left', async () => {
    const { node, i, r, a, b } = await nodes.openChannel({ msg_forwarding: 'false' });
    const fsmId = r.frames.find(info('fsm_up'))!.params!.data!.fsm_id as string;
    const channelId = r.frames.find(method('channels.update'))!.params!.channel_id!;
    const port = new URL(r.ws.url).searchParams.get('port')!;
    const s = await raw(`${node.channelUrl}?protocol=json-rpc&role=responder&port=${port}&existing_channel_id=${channelId}&existing_fsm_id=${encodeURIComponent(fsmId)}`);
    await s.until(gotInfo('fsm_up'));
    s.socket.pause();
    // the initiator's generic messages to it: 500 of 60 KB (30 MB, of which the kernel's buffers take a few)
    for (let k = 0; k < 500; k++) i.send({ jsonrpc: '2.0', method: 'channels.message', params: { to: b.address, info: 'm'.repeat(60_000) } });
    await new Promise((r) => setTimeout(r, 1500));
    s.socket.resume();
    await s.until((x) => x.closed, 20_000);
    expect(s.received.frames.filter((f) => f.method === 'channels.message').length).toBeLessThan(500);
    // the channel goes on: the responder's FSM runs without a client (a round it has not signed is refused)
    i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 5 } });
    expect((await i.next(method('channels.conflict'))).params!.data).toMatchObject({ error_code: 2, round: 1 });
  });
});

describe('many channels', () => {
  it('beyond maxFsms a new channel is refused (-32603, the node’s channel_count_limit_exceeded); a client coming back is not', async () => {
    const node = await nodes.start({ maxFsms: 2 });
    const opened = await nodes.openChannel();
    const s = await raw(await responderUrl(node));
    const got = await s.until((r) => r.closeCode !== undefined && r.frames.length > 0);
    expect(got.frames[0]).toMatchObject({ error: { code: -32603, message: 'Internal error', request: {} }, id: null });
    const fsmId = opened.r.frames.find(info('fsm_up'))!.params!.data!.fsm_id as string;
    const channelId = opened.r.frames.find(method('channels.update'))!.params!.channel_id!;
    const port = new URL(opened.r.ws.url).searchParams.get('port')!;
    const back = await raw(`${node.channelUrl}?protocol=json-rpc&role=responder&port=${port}&existing_channel_id=${channelId}&existing_fsm_id=${encodeURIComponent(fsmId)}`);
    await back.until(gotInfo('fsm_up'));
  });
});
