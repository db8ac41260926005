import type { AddressInfo } from 'node:net';
import {
  AESC_ERROR__RPC__CONNECTION_CLOSED,
  AESC_ERROR__RPC__REMOTE_ERROR,
  AESC_ERROR__RPC__TIMEOUT,
  aescErrorCodeOfAsync,
  isAescError,
} from '@aesc/errors';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { frameError as rpcFrameError, frameNotification as rpcFrameNotification, frameResult as rpcFrameResult, parseFrame } from './frame.js';
import type { FrameErrorOptions } from './frame.js';
import type { JsonRpcId } from './json-rpc.js';

// Frames in the æternity channel API's envelope (as @aesc/channel-api writes them), which this
// client reads as any JSON-RPC frames.
const frameResult = (id: JsonRpcId, result: unknown, channelId: string | null = null) => rpcFrameResult(id, result, { version: 1, channel_id: channelId });
const frameNotification = (method: string, data: unknown, channelId: string | null = null) =>
  rpcFrameNotification(method, { channel_id: channelId, data }, { version: 1 });
const frameError = ({ channelId, ...o }: FrameErrorOptions & { readonly channelId?: string | null }) =>
  rpcFrameError(o, { version: 1, channel_id: channelId ?? null });
import type { JsonRpcRequest } from './json-rpc.js';
import { parseJson, stringifyJson } from './lossless-json.js';
import { createRpcClient, type RpcClient, type RpcClientEvent, type RpcIncoming } from './rpc-client.js';
import { resolveWebSocket, webSocketConnector } from './websocket-transport.js';

/** A tiny node-like server: answers by method, echoes errors like the æternity node. */
let server: WebSocketServer;
let url: string;
let sockets: WebSocket[] = [];
let received: string[] = [];
let pings = 0;
let clients: RpcClient[] = [];

function handle(socket: WebSocket, text: string) {
  received.push(text);
  const f = parseFrame(text);
  if (!f.ok) {
    socket.send(frameError({ code: f.rpcCode }));
    return;
  }
  for (const m of f.messages) {
    if (m.kind !== 'request' && m.kind !== 'notification') continue;
    const req = m.message as JsonRpcRequest & { id?: bigint | number | string | null };
    const params = req.params as Record<string, unknown> | undefined;
    switch (req.method) {
      case 'echo':
        socket.send(frameResult(req.id ?? null, params ?? null, 'ch_test'));
        break;
      case 'channels.update.new':
        if (typeof params?.amount !== 'number' && typeof params?.amount !== 'bigint') {
          socket.send(
            frameError({
              id: req.id ?? null,
              code: 3,
              message: 'Rejected',
              data: [{ code: 1008, message: 'Not a number' }],
              request: JSON.parse(text),
              channelId: 'ch_test',
            }),
          );
        }
        break;
      case 'channels.get.poi':
        socket.send(frameNotification('channels.get.poi.reply', { poi: 'pi_x' }, 'ch_test'));
        break;
      case 'channels.system':
        if (params?.action === 'ping') socket.send(frameNotification('channels.system.pong', { action: 'system', tag: 'pong' }, 'ch_test'));
        break;
      case 'notify-me':
        socket.send(frameNotification('channels.info', { event: 'fsm_up', fsm_id: 'ba_x' }, null));
        break;
      case 'garbage':
        socket.send('{"jsonrpc":"2.0",,,');
        socket.send(frameResult(req.id ?? null, 'still alive'));
        break;
      case 'drop':
        socket.terminate();
        break;
      default:
        break; // silence: lets the client time out
    }
  }
}

beforeEach(async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => server.once('listening', () => r()));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/channel`;
  server.on('connection', (socket) => {
    sockets.push(socket);
    socket.on('ping', () => pings++);
    socket.on('message', (data) => handle(socket, data.toString()));
  });
});

afterEach(async () => {
  for (const c of clients) c.close();
  clients = [];
  for (const s of sockets) s.terminate();
  sockets = [];
  received = [];
  pings = 0;
  await new Promise<void>((r) => server.close(() => r()));
});

function connect(options: Partial<Parameters<typeof createRpcClient>[0]> = {}) {
  const c = createRpcClient({ connect: webSocketConnector(url), reconnect: false, requestTimeoutMs: 2000, ...options });
  clients.push(c);
  return c;
}

describe('WebSocket transport against a real ws server', () => {
  it('uses ws in Node 20 (no global WebSocket) or the global one', async () => {
    const Impl = await resolveWebSocket();
    expect(typeof Impl).toBe('function');
  });

  it('round-trips requests and keeps params beyond 2^53 exact', async () => {
    const client = connect();
    const params = { amount: 10000000000000000n, id: -576460752303423488n, small: 1 };
    await expect(client.request('echo', params)).resolves.toEqual(params);
    expect(received[0]).toBe(
      '{"jsonrpc":"2.0","id":1,"method":"echo","params":{"amount":10000000000000000,"id":-576460752303423488,"small":1}}',
    );
  });

  it('round-trips bigint request ids beyond 2^53 exactly', async () => {
    const client = connect();
    const ids = [-576460752303423488n, -576460752303421160n, 2n ** 64n + 1n];
    const results = await Promise.all(ids.map((id) => client.request('echo', { id }, { id })));
    expect(results).toEqual(ids.map((id) => ({ id })));
    expect(received.map((t) => /"id":(-?\d+)/.exec(t)?.[1])).toEqual(ids.map(String));
  });

  it('reports a response to an unknown bigint id with the id intact', async () => {
    // The node's ids are Erlang unique integers: answer a raw request with such an id.
    const client = connect();
    await client.ready();
    const seen: RpcIncoming[] = [];
    client.subscribe((m) => seen.push(m));
    const socket = sockets[0];
    socket?.send(frameResult(-576460752303423488n, 'ok'));
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    const first = seen[0];
    expect(first?.kind === 'error' && (first.message as { id: unknown }).id).toBe(-576460752303423488n);
    expect(stringifyJson(parseJson(frameResult(-576460752303423488n, 'ok')))).toContain('-576460752303423488');
  });

  it('matches an id-less error echo to its request', async () => {
    const client = connect();
    const e = await client
      .requestIdless('channels.update.new', { from: 'ak_1', to: 'ak_2', amount: '1' })
      .catch((x: unknown) => x);
    expect(isAescError(e, AESC_ERROR__RPC__REMOTE_ERROR) && e.context.data).toEqual([{ code: 1008, message: 'Not a number' }]);
    await expect(client.requestIdless('channels.get.poi', { accounts: [] })).resolves.toEqual({
      channel_id: 'ch_test',
      data: { poi: 'pi_x' },
    });
  });

  it('delivers notifications', async () => {
    const client = connect();
    const ac = new AbortController();
    const it = client.notifications({ signal: ac.signal });
    await client.notify('notify-me');
    const first = await it.next();
    ac.abort();
    expect(first.value).toMatchObject({ kind: 'notification', method: 'channels.info', params: { data: { event: 'fsm_up' } } });
  });

  it('times out and survives malformed frames', async () => {
    const client = connect();
    expect(await aescErrorCodeOfAsync(() => client.request('silence', {}, { timeoutMs: 50 }))).toBe(AESC_ERROR__RPC__TIMEOUT);
    const seen: RpcIncoming[] = [];
    client.subscribe((m) => seen.push(m));
    await expect(client.request('garbage')).resolves.toBe('still alive');
    expect(seen.map((m) => m.kind)).toEqual(['error']);
  });

  it('sends ws ping frames and app-level pings', async () => {
    const client = connect({ keepAlive: { intervalMs: 20 } });
    await client.ready();
    await vi.waitFor(() => expect(pings).toBeGreaterThanOrEqual(2));
    const seen: RpcIncoming[] = [];
    const app = connect({ keepAlive: { intervalMs: 20, ping: (c) => c.notify('channels.system', { action: 'ping' }) } });
    app.subscribe((m) => seen.push(m));
    await vi.waitFor(() => expect(seen.filter((m) => m.kind === 'notification' && m.method === 'channels.system.pong').length).toBeGreaterThanOrEqual(2));
  });

  it('reconnects after the server drops the socket', async () => {
    const events: RpcClientEvent[] = [];
    const client = connect({ reconnect: { initialDelayMs: 10, attempts: 5 } });
    client.on((e) => events.push(e));
    await client.ready();
    expect(await aescErrorCodeOfAsync(() => client.request('drop'))).toBe(AESC_ERROR__RPC__CONNECTION_CLOSED);
    await expect(client.request('echo', { after: 'reconnect' })).resolves.toEqual({ after: 'reconnect' });
    expect(events.map((e) => e.type)).toEqual(['open', 'close', 'reconnecting', 'reconnected']);
    expect(sockets).toHaveLength(2);
  });

  it('answers a malformed frame with the node error frame', async () => {
    const client = connect();
    await client.ready();
    const seen: RpcIncoming[] = [];
    client.subscribe((m) => seen.push(m));
    sockets[0]?.emit('message', Buffer.from('not json'));
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    const first = seen[0];
    expect(first?.kind === 'error' && first.message).toEqual({
      channel_id: null,
      error: { code: -32700, message: 'Parse error' },
      id: null,
      jsonrpc: '2.0',
      version: 1,
    });
  });

  it('finds a server that went silent (no pongs, no frames) with the keep-alive and reconnects', async () => {
    const silent = new WebSocketServer({ host: '127.0.0.1', port: 0, autoPong: false });
    await new Promise<void>((resolve) => silent.once('listening', () => resolve()));
    let connections = 0;
    silent.on('connection', () => connections++);
    const events: RpcClientEvent[] = [];
    const client = createRpcClient({
      connect: webSocketConnector(`ws://127.0.0.1:${(silent.address() as AddressInfo).port}`),
      keepAlive: { intervalMs: 40, timeoutMs: 100 },
      reconnect: { initialDelayMs: 10, attempts: 5 },
    });
    clients.push(client);
    client.on((e) => events.push(e));
    await client.ready();
    await vi.waitFor(() => expect(events.map((e) => e.type)).toContain('reconnected'), { timeout: 3_000 });
    expect(events.map((e) => e.type).slice(0, 4)).toEqual(['open', 'keepalive_timeout', 'close', 'reconnecting']);
    expect(connections).toBeGreaterThanOrEqual(2);
    client.close();
    for (const c of silent.clients) c.terminate();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });
});
