import {
  AESC_ERROR__RPC__ABORTED,
  AESC_ERROR__RPC__CLIENT_CLOSED,
  AESC_ERROR__RPC__CONNECTION_CLOSED,
  AESC_ERROR__RPC__INVALID_MESSAGE,
  AESC_ERROR__RPC__RECONNECT_EXHAUSTED,
  AESC_ERROR__RPC__REMOTE_ERROR,
  AESC_ERROR__RPC__TIMEOUT,
  AESC_ERROR__RPC__UNMATCHED_ERROR,
  AescError,
} from '@aesc/errors';
import { backoffDelay, DEFAULT_RECONNECT, type ReconnectOptions } from './backoff.js';
import { parseFrame } from './frame.js';
import { stringifySorted } from './sorted-json.js';
import { idKey, type JsonRpcError, type JsonRpcId, type JsonRpcNotification } from './json-rpc.js';
import { stringifyJson } from './lossless-json.js';
import { PendingTable } from './pending-table.js';
import type { Transport, TransportConnector } from './transport.js';

/** Keep-alive settings of {@link createRpcClient}. */
export interface KeepAliveOptions {
  /** Interval between pings, in ms. */
  readonly intervalMs: number;
  /**
   * An app-level ping, e.g. `(c) => c.notify('channels.system', { action: 'ping' })`. Without it the
   * transport's protocol ping (a WebSocket ping frame with `ws`) is used, when it has one.
   */
  readonly ping?: (client: RpcClient) => unknown;
  /**
   * How long the connection may stay silent after a ping — no frame and no pong — before the client
   * takes it for dead, drops it and reconnects (default 2 × `intervalMs`). A half-open TCP
   * connection (a peer that vanished without closing) is found this way.
   */
  readonly timeoutMs?: number;
}

/** Options of {@link createRpcClient}. */
export interface RpcClientOptions {
  /** Opens the connection (and every reconnection), e.g. {@link webSocketConnector}. */
  readonly connect: TransportConnector;
  /** Default timeout of a request, in ms (default 30 000). Includes waiting for the connection. */
  readonly requestTimeoutMs?: number;
  /** Periodic pings while connected; off by default. */
  readonly keepAlive?: KeepAliveOptions | false;
  /** Reconnect with exponential backoff when the connection drops (default on, 5 attempts). */
  readonly reconnect?: ReconnectOptions | false;
  /** A label for errors (e.g. the URL). */
  readonly label?: string;
}

/** Options of one request. */
export interface RequestOptions {
  /**
   * The id to send (`request` only), e.g. a bigint beyond 2^53 as the node's own tests use; by
   * default a counter. Must not collide with another pending request's id.
   */
  readonly id?: number | bigint | string;
  /** Cancels the request; it rejects with `AESC_ERROR__RPC__ABORTED`. */
  readonly signal?: AbortSignal;
  /** Overrides the client's default timeout. */
  readonly timeoutMs?: number;
}

/** Options of an id-less request answered by a notification. */
export interface IdlessRequestOptions extends RequestOptions {
  /** The notification method that answers it (default `<method>.reply`). */
  readonly replyMethod?: string;
}

/** Something the peer sent that is not the answer to a pending request. */
export type RpcIncoming =
  | {
      readonly kind: 'notification';
      readonly method: string;
      readonly params: unknown;
      readonly message: JsonRpcNotification;
    }
  | {
      /** An error response that matches no pending request, or a frame that could not be read. */
      readonly kind: 'error';
      readonly error: AescError;
      readonly message?: unknown;
    };

/** Connection life-cycle events. */
export type RpcClientEvent =
  | { readonly type: 'open' }
  | { readonly type: 'close'; readonly code: number; readonly reason: string }
  | { readonly type: 'reconnecting'; readonly attempt: number; readonly delayMs: number }
  | { readonly type: 'reconnected'; readonly attempt: number }
  | { readonly type: 'reconnect_failed'; readonly attempts: number; readonly error: AescError }
  /** Nothing came back after a keep-alive ping for `timeoutMs`: the connection is dropped (and reconnected). */
  | { readonly type: 'keepalive_timeout'; readonly silentMs: number };

/** The connection state of a client. */
export type RpcClientState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** A JSON-RPC 2.0 client over one {@link Transport}; see {@link createRpcClient}. */
export interface RpcClient {
  /** The connection state. */
  readonly state: () => RpcClientState;
  /** Resolves when the connection is open (rejects if the client closes first). */
  readonly ready: () => Promise<void>;
  /** Sends a request with an id and resolves with its `result`. */
  readonly request: <T = unknown>(method: string, params?: unknown, options?: RequestOptions) => Promise<T>;
  /**
   * Sends a request without an id, as the node expects for data queries, and resolves with the
   * `params` of the `<method>.reply` notification that answers it. An error response with
   * `"id": null` whose echoed `error.request` has the same method and params rejects it.
   */
  readonly requestIdless: <T = unknown>(method: string, params?: unknown, options?: IdlessRequestOptions) => Promise<T>;
  /** Sends a notification (no id, no answer expected). Errors the peer echoes come as `kind: 'error'`. */
  readonly notify: (method: string, params?: unknown, options?: RequestOptions) => Promise<void>;
  /** Listens to notifications and unmatched errors; returns the unsubscribe function. */
  readonly subscribe: (listener: (incoming: RpcIncoming) => void, options?: { signal?: AbortSignal }) => () => void;
  /** The same stream as an async iterator; ends (dropping what is still queued) when `signal` aborts or the client closes. */
  readonly notifications: (options?: { signal?: AbortSignal }) => AsyncIterableIterator<RpcIncoming>;
  /** Listens to connection events; returns the unsubscribe function. */
  readonly on: (listener: (event: RpcClientEvent) => void, options?: { signal?: AbortSignal }) => () => void;
  /** Closes the connection for good; pending requests reject with `AESC_ERROR__RPC__CLIENT_CLOSED`. */
  readonly close: () => void;
}

interface Pending {
  readonly method: string;
  readonly paramsKey: string;
  readonly replyMethod: string | undefined;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

function paramsKey(params: unknown): string {
  return params === undefined ? '' : stringifySorted(params);
}

function remoteError(method: string, message: JsonRpcError): AescError {
  const { code, message: text, data } = message.error;
  return new AescError(AESC_ERROR__RPC__REMOTE_ERROR, { method, code, message: text, data: data ?? null });
}

/**
 * Creates a JSON-RPC 2.0 client and starts connecting. Matches responses by id (ids beyond 2^53
 * included), id-less requests by their `.reply` notification or by the request the node echoes in
 * an error, times out and cancels requests, pings and reconnects.
 *
 * @example
 * ```ts
 * const client = createRpcClient({ connect: webSocketConnector(url), keepAlive: { intervalMs: 10_000 } });
 * const balances = await client.request('channels.get.balances', { accounts: [alice] });
 * client.subscribe((m) => m.kind === 'notification' && console.log(m.method));
 * ```
 */
export function createRpcClient(options: RpcClientOptions): RpcClient {
  const defaultTimeout = options.requestTimeoutMs ?? 30_000;
  const reconnect = options.reconnect === false ? undefined : { ...DEFAULT_RECONNECT, ...options.reconnect };
  const label = options.label ?? 'peer';
  const byId = new PendingTable<string, Pending>();
  const idless: Pending[] = [];
  const listeners = new Set<(m: RpcIncoming) => void>();
  const eventListeners = new Set<(e: RpcClientEvent) => void>();
  let nextId = 1;
  let state: RpcClientState = 'connecting';
  let transport: Transport | undefined;
  let keepAliveTimer: ReturnType<typeof setInterval> | undefined;
  /** When the last frame or pong came in (ms since the epoch). */
  let lastHeard = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  const lifetime = new AbortController();
  let openWaiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  let client: RpcClient;

  const emit = (m: RpcIncoming) => {
    for (const l of [...listeners]) l(m);
  };
  const emitEvent = (e: RpcClientEvent) => {
    for (const l of [...eventListeners]) l(e);
  };

  function rejectAll(error: (method: string) => AescError) {
    for (const [, p] of byId.takeAll()) p.reject(error(p.method));
    for (const p of idless.splice(0)) p.reject(error(p.method));
  }

  function onMessage(text: string) {
    lastHeard = Date.now();
    const frame = parseFrame(text);
    if (!frame.ok) {
      emit({ kind: 'error', error: frame.error, message: text });
      return;
    }
    for (const m of frame.messages) {
      switch (m.kind) {
        case 'result': {
          const key = idKey(m.message.id);
          const p = byId.take(key);
          if (p) {
            p.resolve(m.message.result);
          } else {
            const reason = `result for unknown id ${String(m.message.id)}`;
            emit({ kind: 'error', error: new AescError(AESC_ERROR__RPC__INVALID_MESSAGE, { reason }), message: m.message });
          }
          break;
        }
        case 'error': {
          const msg = m.message;
          if (msg.id !== null) {
            const key = idKey(msg.id);
            const p = byId.take(key);
            if (p) {
              p.reject(remoteError(p.method, msg));
              break;
            }
          } else {
            const req = msg.error.request as { method?: unknown; params?: unknown } | undefined;
            if (req && typeof req.method === 'string') {
              const key = paramsKey(req.params);
              const i = idless.findIndex((p) => p.method === req.method && p.paramsKey === key);
              const p = i >= 0 ? idless.splice(i, 1)[0] : undefined;
              if (p) {
                p.reject(remoteError(p.method, msg));
                break;
              }
            }
          }
          const { code, message, request } = msg.error;
          emit({
            kind: 'error',
            error: new AescError(AESC_ERROR__RPC__UNMATCHED_ERROR, { code, message, request: request ?? null }),
            message: msg,
          });
          break;
        }
        case 'notification':
        case 'request': {
          const msg = m.message;
          const i = idless.findIndex((p) => p.replyMethod === msg.method);
          const p = i >= 0 ? idless.splice(i, 1)[0] : undefined;
          if (p) p.resolve(msg.params);
          else emit({ kind: 'notification', method: msg.method, params: msg.params, message: msg });
          break;
        }
      }
    }
  }

  function stopKeepAlive() {
    if (keepAliveTimer !== undefined) clearInterval(keepAliveTimer);
    keepAliveTimer = undefined;
  }

  function startKeepAlive() {
    const ka = options.keepAlive;
    if (!ka) return;
    const timeoutMs = ka.timeoutMs ?? 2 * ka.intervalMs;
    lastHeard = Date.now();
    let pingedAt: number | undefined;
    keepAliveTimer = setInterval(() => {
      const t = transport;
      if (t === undefined) return;
      if (pingedAt !== undefined && lastHeard < pingedAt && Date.now() - pingedAt >= timeoutMs) {
        // Silent since the last ping for too long: the connection is dead; reconnect.
        stopKeepAlive();
        emitEvent({ type: 'keepalive_timeout', silentMs: Date.now() - lastHeard });
        if (t.terminate) t.terminate();
        else t.close(4000, 'keep-alive timeout');
        return;
      }
      if (pingedAt === undefined || lastHeard >= pingedAt) pingedAt = Date.now();
      try {
        if (ka.ping) {
          const r = ka.ping(client);
          if (r instanceof Promise) r.catch(() => undefined);
        } else transport?.ping?.();
      } catch {
        // a failed ping shows up as a close
      }
    }, ka.intervalMs);
    (keepAliveTimer as { unref?: () => void }).unref?.();
  }

  function onClose(code: number, reason: string) {
    transport = undefined;
    stopKeepAlive();
    rejectAll((method) => new AescError(AESC_ERROR__RPC__CONNECTION_CLOSED, { code, reason: `${reason} (${method})`.trim() }));
    if (state === 'closed') return;
    emitEvent({ type: 'close', code, reason });
    if (!reconnect) {
      finish(new AescError(AESC_ERROR__RPC__CONNECTION_CLOSED, { code, reason }));
      return;
    }
    state = 'reconnecting';
    scheduleReconnect(1);
  }

  function finish(error: AescError) {
    state = 'closed';
    lifetime.abort(error);
    for (const w of openWaiters) w.reject(error);
    openWaiters = [];
    rejectAll(() => error);
    for (const l of [...listeners]) listeners.delete(l);
  }

  function scheduleReconnect(attempt: number) {
    if (!reconnect || attempt > reconnect.attempts) {
      const error = new AescError(AESC_ERROR__RPC__RECONNECT_EXHAUSTED, { url: label, attempts: attempt - 1 });
      emitEvent({ type: 'reconnect_failed', attempts: attempt - 1, error });
      finish(error);
      return;
    }
    const delayMs = backoffDelay(attempt, reconnect);
    emitEvent({ type: 'reconnecting', attempt, delayMs });
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      void open(attempt);
    }, delayMs);
  }

  async function open(attempt: number) {
    try {
      const t = await options.connect({ onMessage, onClose, onPong: () => (lastHeard = Date.now()) }, lifetime.signal);
      if (state === 'closed') {
        t.close(1000, 'client closed');
        return;
      }
      transport = t;
      state = 'open';
      startKeepAlive();
      emitEvent(attempt === 0 ? { type: 'open' } : { type: 'reconnected', attempt });
      for (const w of openWaiters) w.resolve();
      openWaiters = [];
    } catch (e) {
      if (state === 'closed') return;
      if (!reconnect) {
        finish(
          e instanceof AescError
            ? e
            : new AescError(AESC_ERROR__RPC__CONNECTION_CLOSED, { code: 1006, reason: String(e) }),
        );
        return;
      }
      state = 'reconnecting';
      scheduleReconnect(attempt + 1);
    }
  }

  function ready(): Promise<void> {
    if (state === 'open') return Promise.resolve();
    if (state === 'closed') return Promise.reject(lifetime.signal.reason);
    return new Promise((resolve, reject) => openWaiters.push({ resolve, reject }));
  }

  /** Waits for the connection, sends, and (if `pending`) waits for the answer — with timeout and abort. */
  function send<T>(
    method: string,
    build: () => string,
    options: RequestOptions,
    register?: (p: Omit<Pending, 'method' | 'paramsKey' | 'replyMethod'>) => () => void,
  ): Promise<T> {
    if (state === 'closed') return Promise.reject(new AescError(AESC_ERROR__RPC__CLIENT_CLOSED, { method }));
    const timeoutMs = options.timeoutMs ?? defaultTimeout;
    return new Promise<T>((resolve, reject) => {
      let unregister: (() => void) | undefined;
      let done = false;
      const settle = (f: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        unregister?.();
        f();
      };
      const onAbort = () =>
        settle(() =>
          reject(
            new AescError(
              AESC_ERROR__RPC__ABORTED,
              { method, reason: String(options.signal?.reason ?? 'aborted') },
              { cause: options.signal?.reason },
            ),
          ),
        );
      const timer = setTimeout(
        () => settle(() => reject(new AescError(AESC_ERROR__RPC__TIMEOUT, { method, timeoutMs }))),
        timeoutMs,
      );
      if (options.signal?.aborted) {
        onAbort();
        return;
      }
      options.signal?.addEventListener('abort', onAbort, { once: true });
      ready().then(
        () => {
          if (done) return;
          const t = transport;
          if (!t) {
            settle(() => reject(new AescError(AESC_ERROR__RPC__CONNECTION_CLOSED, { code: 1006, reason: method })));
            return;
          }
          if (register) {
            unregister = register({
              resolve: (v) => settle(() => resolve(v as T)),
              reject: (e) => settle(() => reject(e)),
            });
          }
          try {
            t.send(build());
          } catch (e) {
            settle(() => reject(e));
            return;
          }
          if (!register) settle(() => resolve(undefined as T));
        },
        (e: unknown) => settle(() => reject(e)),
      );
    });
  }

  function frame(method: string, params: unknown, id?: JsonRpcId): string {
    const msg: Record<string, unknown> = { jsonrpc: '2.0' };
    if (id !== undefined) msg.id = id;
    msg.method = method;
    if (params !== undefined) msg.params = params;
    return stringifyJson(msg);
  }

  client = Object.freeze({
    state: () => state,
    ready,
    request: <T>(method: string, params?: unknown, opts: RequestOptions = {}) => {
      const id = opts.id ?? nextId++;
      const key = idKey(id);
      if (byId.has(key)) {
        const reason = `id ${String(id)} is already pending`;
        return Promise.reject(new AescError(AESC_ERROR__RPC__INVALID_MESSAGE, { reason }));
      }
      return send<T>(method, () => frame(method, params, id), opts, (p) => {
        byId.set(key, { ...p, method, paramsKey: '', replyMethod: undefined });
        return () => {
          byId.take(key);
        };
      });
    },
    requestIdless: <T>(method: string, params?: unknown, opts: IdlessRequestOptions = {}) =>
      send<T>(method, () => frame(method, params), opts, (p) => {
        const entry: Pending = {
          ...p,
          method,
          paramsKey: paramsKey(params),
          replyMethod: opts.replyMethod ?? `${method}.reply`,
        };
        idless.push(entry);
        return () => {
          const i = idless.indexOf(entry);
          if (i >= 0) idless.splice(i, 1);
        };
      }),
    notify: (method: string, params?: unknown, opts: RequestOptions = {}) =>
      send<void>(method, () => frame(method, params), opts),
    subscribe: (listener: (m: RpcIncoming) => void, opts: { signal?: AbortSignal } = {}) => {
      const off = () => {
        listeners.delete(listener);
      };
      if (opts.signal?.aborted || state === 'closed') return off;
      listeners.add(listener);
      opts.signal?.addEventListener('abort', off, { once: true });
      return off;
    },
    notifications: (opts: { signal?: AbortSignal } = {}) => notificationIterator(client, lifetime.signal, opts.signal),
    on: (listener: (e: RpcClientEvent) => void, opts: { signal?: AbortSignal } = {}) => {
      const off = () => {
        eventListeners.delete(listener);
      };
      if (opts.signal?.aborted) return off;
      eventListeners.add(listener);
      opts.signal?.addEventListener('abort', off, { once: true });
      return off;
    },
    close: () => {
      if (state === 'closed') return;
      if (reconnectTimer !== undefined) clearTimeout(reconnectTimer);
      stopKeepAlive();
      const t = transport;
      transport = undefined;
      finish(new AescError(AESC_ERROR__RPC__CLIENT_CLOSED, { method: 'close' }));
      t?.close(1000, 'client closed');
    },
  });
  void open(0);
  return client;
}

function notificationIterator(
  client: RpcClient,
  lifetime: AbortSignal,
  signal: AbortSignal | undefined,
): AsyncIterableIterator<RpcIncoming> {
  const queue: RpcIncoming[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  const stop = new AbortController();
  const end = () => {
    ended = true;
    stop.abort();
    wake?.();
  };
  signal?.addEventListener('abort', end, { once: true });
  lifetime.addEventListener('abort', end, { once: true });
  if (signal?.aborted || lifetime.aborted) end();
  client.subscribe(
    (m) => {
      queue.push(m);
      wake?.();
    },
    { signal: stop.signal },
  );
  const iterator: AsyncIterableIterator<RpcIncoming> = {
    async next(): Promise<IteratorResult<RpcIncoming>> {
      for (;;) {
        if (ended) return { value: undefined, done: true };
        const m = queue.shift();
        if (m) return { value: m, done: false };
        await new Promise<void>((r) => {
          wake = r;
        });
        wake = undefined;
      }
    },
    async return(): Promise<IteratorResult<RpcIncoming>> {
      end();
      signal?.removeEventListener('abort', end);
      lifetime.removeEventListener('abort', end);
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
