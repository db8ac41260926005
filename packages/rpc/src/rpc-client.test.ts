import {
  AESC_ERROR__RPC__ABORTED,
  AESC_ERROR__RPC__CLIENT_CLOSED,
  AESC_ERROR__RPC__CONNECTION_CLOSED,
  AESC_ERROR__RPC__MALFORMED_FRAME,
  AESC_ERROR__RPC__RECONNECT_EXHAUSTED,
  AESC_ERROR__RPC__REMOTE_ERROR,
  AESC_ERROR__RPC__TIMEOUT,
  AESC_ERROR__RPC__UNMATCHED_ERROR,
  aescErrorCodeOfAsync,
  isAescError,
} from '@aesc/errors';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay } from './backoff.js';
import { frameError as rpcFrameError, frameNotification as rpcFrameNotification, frameResult as rpcFrameResult } from './frame.js';
import type { FrameErrorOptions } from './frame.js';
import type { JsonRpcId } from './json-rpc.js';

// Frames in the æternity channel API's envelope (as @aesc/channel-api writes them), which this
// client reads as any JSON-RPC frames.
const frameResult = (id: JsonRpcId, result: unknown, channelId: string | null = null) => rpcFrameResult(id, result, { version: 1, channel_id: channelId });
const frameNotification = (method: string, data: unknown, channelId: string | null = null) =>
  rpcFrameNotification(method, { channel_id: channelId, data }, { version: 1 });
const frameError = ({ channelId, ...o }: FrameErrorOptions & { readonly channelId?: string | null }) =>
  rpcFrameError(o, { version: 1, channel_id: channelId ?? null });
import { parseJson } from './lossless-json.js';
import { createRpcClient, type RpcClient, type RpcClientEvent, type RpcIncoming } from './rpc-client.js';
import type { TransportConnector, TransportHandlers } from './transport.js';

/** A fake server side: every connection the client opens, what it sent, and levers to answer or drop. */
function fakeServer(options: { failFirst?: number; pongs?: boolean } = {}) {
  const connections: { handlers: TransportHandlers; sent: string[]; pings: number; closed: boolean }[] = [];
  let failures = options.failFirst ?? 0;
  const connect: TransportConnector = async (handlers) => {
    if (failures > 0) {
      failures--;
      throw new Error('refused');
    }
    const c = { handlers, sent: [] as string[], pings: 0, closed: false };
    connections.push(c);
    return {
      send: (text) => c.sent.push(text),
      close: (code = 1000, reason = '') => {
        if (c.closed) return;
        c.closed = true;
        queueMicrotask(() => handlers.onClose(code, reason));
      },
      ping: () => {
        c.pings++;
        if (options.pongs) queueMicrotask(() => handlers.onPong?.());
      },
    };
  };
  const last = () => {
    const c = connections.at(-1);
    if (!c) throw new Error('no connection');
    return c;
  };
  return {
    connect,
    connections,
    last,
    push: (text: string) => last().handlers.onMessage(text),
    sentMessages: () => last().sent.map((s) => parseJson(s) as Record<string, unknown>),
    drop: (code = 1006) => {
      const c = last();
      c.closed = true;
      c.handlers.onClose(code, 'dropped');
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
let clients: RpcClient[] = [];
function track(c: RpcClient) {
  clients.push(c);
  return c;
}
afterEach(() => {
  for (const c of clients) c.close();
  clients = [];
  vi.useRealTimers();
});

describe('createRpcClient (fake transport)', () => {
  it('matches a response by id, bigint ids included', async () => {
    const server = fakeServer();
    const client = track(createRpcClient({ connect: server.connect, reconnect: false }));
    const p = client.request('channels.get.balances', { accounts: ['ak_1'] });
    await client.ready();
    await tick();
    const sent = server.sentMessages()[0];
    expect(sent).toEqual({ jsonrpc: '2.0', id: 1, method: 'channels.get.balances', params: { accounts: ['ak_1'] } });
    server.push(frameResult(1, [{ account: 'ak_1', balance: 10000000000000000n }], 'ch_1'));
    await expect(p).resolves.toEqual([{ account: 'ak_1', balance: 10000000000000000n }]);
  });

  it('rejects with the remote error for an id-ful request', async () => {
    const server = fakeServer();
    const client = track(createRpcClient({ connect: server.connect, reconnect: false }));
    const p = client.request('channels.snapshot_solo', {});
    await client.ready();
    await tick();
    server.push(
      frameError({ id: 1, code: 2, message: 'Action not allowed', data: [{ code: 1012, message: 'Offchain tx expected' }] }),
    );
    const e = await p.catch((x: unknown) => x);
    expect(isAescError(e, AESC_ERROR__RPC__REMOTE_ERROR) && e.context).toEqual({
      method: 'channels.snapshot_solo',
      code: 2,
      message: 'Action not allowed',
      data: [{ code: 1012, message: 'Offchain tx expected' }],
    });
  });

  it('answers id-less requests with their .reply notification or their echoed error', async () => {
    const server = fakeServer();
    const client = track(createRpcClient({ connect: server.connect, reconnect: false }));
    const poi = client.requestIdless('channels.get.poi', { accounts: ['ak_1'] });
    const bad = client.requestIdless('channels.update.new', { amount: '1', from: 'ak_1', to: 'ak_2' });
    const pruned = client.requestIdless('channels.clean_contract_calls', {}, { replyMethod: 'channels.calls_pruned.reply' });
    await client.ready();
    await tick();
    expect(server.sentMessages().every((m) => !('id' in m))).toBe(true);
    // the node echoes the request with its keys sorted: matching ignores key order
    server.push(
      frameError({
        code: 3,
        message: 'Rejected',
        data: [{ code: 1008, message: 'Not a number' }],
        request: { jsonrpc: '2.0', method: 'channels.update.new', params: { to: 'ak_2', from: 'ak_1', amount: '1' } },
        channelId: 'ch_1',
      }),
    );
    server.push(frameNotification('channels.get.poi.reply', { poi: 'pi_x' }, 'ch_1'));
    server.push(frameNotification('channels.calls_pruned.reply', { action: 'calls_pruned' }, 'ch_1'));
    await expect(poi).resolves.toEqual({ channel_id: 'ch_1', data: { poi: 'pi_x' } });
    expect(await aescErrorCodeOfAsync(() => bad)).toBe(AESC_ERROR__RPC__REMOTE_ERROR);
    await expect(pruned).resolves.toEqual({ channel_id: 'ch_1', data: { action: 'calls_pruned' } });
  });

  it('surfaces unmatched errors, notifications and malformed frames on the stream', async () => {
    const server = fakeServer();
    const client = track(createRpcClient({ connect: server.connect, reconnect: false }));
    const seen: RpcIncoming[] = [];
    const ac = new AbortController();
    client.subscribe((m) => seen.push(m), { signal: ac.signal });
    await client.ready();
    server.push(frameNotification('channels.info', { event: 'fsm_up' }, null));
    server.push(frameError({ code: 3, message: 'Rejected', data: [{ code: 1016, message: 'Invalid fsm id' }], request: {} }));
    server.push('{"jsonrpc":"2.0",');
    server.push('"just a string"');
    ac.abort();
    server.push(frameNotification('channels.info', { event: 'open' }, null));
    expect(seen.map((m) => (m.kind === 'notification' ? m.method : m.error.code))).toEqual([
      'channels.info',
      AESC_ERROR__RPC__UNMATCHED_ERROR,
      AESC_ERROR__RPC__MALFORMED_FRAME,
      4001,
    ]);
  });

  it('iterates notifications until the signal aborts', async () => {
    const server = fakeServer();
    const client = track(createRpcClient({ connect: server.connect, reconnect: false }));
    await client.ready();
    const ac = new AbortController();
    const got: string[] = [];
    const done = (async () => {
      for await (const m of client.notifications({ signal: ac.signal })) {
        if (m.kind === 'notification') got.push((m.params as { data: { event: string } }).data.event);
        if (got.length === 2) ac.abort();
      }
    })();
    await tick();
    server.push(frameNotification('channels.info', { event: 'fsm_up' }));
    server.push(frameNotification('channels.info', { event: 'open' }));
    server.push(frameNotification('channels.info', { event: 'died' }));
    await done;
    expect(got).toEqual(['fsm_up', 'open']);
  });

  it('times out and aborts requests', async () => {
    const server = fakeServer();
    const client = track(createRpcClient({ connect: server.connect, reconnect: false, requestTimeoutMs: 20 }));
    expect(await aescErrorCodeOfAsync(() => client.request('slow'))).toBe(AESC_ERROR__RPC__TIMEOUT);
    const ac = new AbortController();
    const p = client.requestIdless('channels.get.poi', {}, { signal: ac.signal, timeoutMs: 10_000 });
    ac.abort(new Error('user'));
    expect(await aescErrorCodeOfAsync(() => p)).toBe(AESC_ERROR__RPC__ABORTED);
    const pre = AbortSignal.abort();
    expect(await aescErrorCodeOfAsync(() => client.request('x', {}, { signal: pre }))).toBe(AESC_ERROR__RPC__ABORTED);
    // a late answer to a timed-out id is reported, not thrown
    const seen: RpcIncoming[] = [];
    client.subscribe((m) => seen.push(m));
    server.push(frameResult(1, 'ok'));
    expect(seen).toHaveLength(1);
  });

  it('rejects pending requests when the connection drops, then reconnects with backoff', async () => {
    const server = fakeServer();
    const events: RpcClientEvent[] = [];
    const client = track(
      createRpcClient({ connect: server.connect, reconnect: { initialDelayMs: 5, attempts: 3 } }),
    );
    client.on((e) => events.push(e));
    await client.ready();
    const p = client.request('m');
    await tick();
    server.drop();
    expect(await aescErrorCodeOfAsync(() => p)).toBe(AESC_ERROR__RPC__CONNECTION_CLOSED);
    const q = client.request('again');
    await vi.waitFor(() => expect(server.connections).toHaveLength(2));
    await tick();
    server.push(frameResult(2, 'ok'));
    await expect(q).resolves.toBe('ok');
    expect(events.map((e) => e.type)).toEqual(['open', 'close', 'reconnecting', 'reconnected']);
  });

  it('gives up after the configured attempts', async () => {
    const server = fakeServer({ failFirst: 10 });
    const events: RpcClientEvent[] = [];
    const client = track(createRpcClient({ connect: server.connect, reconnect: { initialDelayMs: 1, attempts: 2 } }));
    client.on((e) => events.push(e));
    expect(await aescErrorCodeOfAsync(() => client.ready())).toBe(AESC_ERROR__RPC__RECONNECT_EXHAUSTED);
    expect(client.state()).toBe('closed');
    expect(events.map((e) => e.type)).toEqual(['reconnecting', 'reconnecting', 'reconnect_failed']);
    expect(await aescErrorCodeOfAsync(() => client.request('x'))).toBe(AESC_ERROR__RPC__CLIENT_CLOSED);
  });

  it('pings with the transport or an app-level ping', async () => {
    vi.useFakeTimers();
    const server = fakeServer({ pongs: true });
    const client = track(createRpcClient({ connect: server.connect, keepAlive: { intervalMs: 100 } }));
    await client.ready();
    await vi.advanceTimersByTimeAsync(350);
    expect(server.last().pings).toBe(3);
    const server2 = fakeServer();
    const client2 = track(
      createRpcClient({
        connect: server2.connect,
        keepAlive: { intervalMs: 100, ping: (c) => c.notify('channels.system', { action: 'ping' }) },
      }),
    );
    await client2.ready();
    vi.advanceTimersByTime(250);
    await vi.runOnlyPendingTimersAsync();
    expect(server2.sentMessages().filter((m) => m.method === 'channels.system').length).toBeGreaterThanOrEqual(2);
    client.close();
    client2.close();
  });

  it('takes a connection silent after a ping for dead: drops it, rejects what waits on it, and reconnects', async () => {
    vi.useFakeTimers();
    const server = fakeServer();
    const events: RpcClientEvent[] = [];
    const client = track(createRpcClient({ connect: server.connect, keepAlive: { intervalMs: 100, timeoutMs: 250 } }));
    client.on((e) => events.push(e));
    await client.ready();
    const pending = client.request('channels.get.balances', {}, { timeoutMs: 10_000 }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(250);
    expect(server.connections).toHaveLength(1); // not yet: 150 ms since the first ping
    await vi.advanceTimersByTimeAsync(200);
    expect(events.map((e) => e.type)).toContain('keepalive_timeout');
    expect(server.connections[0]!.closed).toBe(true);
    expect(await aescErrorCodeOfAsync(() => pending.then((e) => Promise.reject(e)))).toBe(AESC_ERROR__RPC__CONNECTION_CLOSED);
    await vi.advanceTimersByTimeAsync(5_000);
    // A new connection (the fake server never answers pings, so it is dropped again in its turn).
    expect(server.connections.length).toBeGreaterThanOrEqual(2);
    expect(events.map((e) => e.type)).toContain('reconnected');
    client.close();
  });

  it('stays connected while pongs or frames come back', async () => {
    vi.useFakeTimers();
    const withPongs = fakeServer({ pongs: true });
    const a = track(createRpcClient({ connect: withPongs.connect, keepAlive: { intervalMs: 100 } }));
    await a.ready();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(withPongs.connections).toHaveLength(1);
    expect(withPongs.last().closed).toBe(false);
    // No pongs, but the node keeps talking (app-level traffic counts as life).
    const talking = fakeServer();
    const b = track(createRpcClient({ connect: talking.connect, keepAlive: { intervalMs: 100 } }));
    await b.ready();
    for (let i = 0; i < 20; i++) {
      talking.push(frameNotification('channels.info', { event: 'x' }));
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(talking.connections).toHaveLength(1);
    expect(talking.last().closed).toBe(false);
    a.close();
    b.close();
  });

  it('close() rejects what is pending', async () => {
    const server = fakeServer();
    const client = createRpcClient({ connect: server.connect });
    await client.ready();
    const p = client.request('m');
    await tick();
    client.close();
    expect(await aescErrorCodeOfAsync(() => p)).toBe(AESC_ERROR__RPC__CLIENT_CLOSED);
    expect(server.last().closed).toBe(true);
  });
});

describe('backoffDelay', () => {
  it('grows exponentially up to the cap', () => {
    expect([1, 2, 3, 4, 10].map((a) => backoffDelay(a, { initialDelayMs: 100, maxDelayMs: 1000 }))).toEqual([
      100, 200, 400, 800, 1000,
    ]);
    expect(backoffDelay(2, { initialDelayMs: 100, jitter: true }, () => 0)).toBe(100);
  });
});
