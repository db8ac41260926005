import { AESC_ERROR__RPC__CLIENT_CLOSED, AESC_ERROR__RPC__CONNECTION_CLOSED, AESC_ERROR__RPC__INVALID_MESSAGE, AESC_ERROR__RPC__RECONNECT_EXHAUSTED, AescError } from '@aesc/errors';
import { backoffDelay, DEFAULT_RECONNECT, type ReconnectOptions } from './backoff.js';
import { parseFrame } from './frame.js';
import { idKey } from './json-rpc.js';
import { type KeepAlive, startKeepAlive } from './keep-alive.js';
import { PendingRequests, type RpcIncoming, type Settle } from './pending-requests.js';
import { requestFrame, sendRequest } from './send-request.js';
import { subscriptionIterator } from './subscription-iterator.js';
import type { Transport, TransportConnector } from './transport.js';

export type { RpcIncoming } from './pending-requests.js';

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
  const pending = new PendingRequests();
  const listeners = new Set<(m: RpcIncoming) => void>();
  const eventListeners = new Set<(e: RpcClientEvent) => void>();
  let nextId = 1;
  let state: RpcClientState = 'connecting';
  let transport: Transport | undefined;
  let keepAlive: KeepAlive | undefined;
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

  function onMessage(text: string) {
    keepAlive?.heard();
    const frame = parseFrame(text);
    if (!frame.ok) {
      emit({ kind: 'error', error: frame.error, message: text });
      return;
    }
    for (const m of frame.messages) {
      const unanswered = pending.answer(m);
      if (unanswered !== undefined) emit(unanswered);
    }
  }

  function stopKeepAlive() {
    keepAlive?.stop();
    keepAlive = undefined;
  }

  function startKeepAliveIfAsked() {
    const ka = options.keepAlive;
    if (!ka) return;
    keepAlive = startKeepAlive({
      intervalMs: ka.intervalMs,
      timeoutMs: ka.timeoutMs ?? 2 * ka.intervalMs,
      connected: () => transport !== undefined,
      ping: () => (ka.ping ? ka.ping(client) : transport?.ping?.()),
      onSilent: (silentMs) => {
        // Silent since the last ping for too long: the connection is dead; reconnect.
        const t = transport!;
        keepAlive = undefined;
        emitEvent({ type: 'keepalive_timeout', silentMs });
        if (t.terminate) t.terminate();
        else t.close(4000, 'keep-alive timeout');
      },
    });
  }

  function onClose(code: number, reason: string) {
    transport = undefined;
    stopKeepAlive();
    pending.rejectAll((method) => new AescError(AESC_ERROR__RPC__CONNECTION_CLOSED, { code, reason: `${reason} (${method})`.trim() }));
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
    pending.rejectAll(() => error);
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
      const t = await options.connect({ onMessage, onClose, onPong: () => keepAlive?.heard() }, lifetime.signal);
      if (state === 'closed') {
        t.close(1000, 'client closed');
        return;
      }
      transport = t;
      state = 'open';
      startKeepAliveIfAsked();
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

  /** Sends a message once the connection is open (see {@link sendRequest}); rejects at once when the client is closed. */
  function send<T>(method: string, frame: () => string, opts: RequestOptions, register?: (settle: Settle) => () => void): Promise<T> {
    if (state === 'closed') return Promise.reject(new AescError(AESC_ERROR__RPC__CLIENT_CLOSED, { method }));
    const timeoutMs = opts.timeoutMs ?? defaultTimeout;
    return sendRequest<T>({ method, frame, timeoutMs, signal: opts.signal, ...(register ? { register } : {}) }, ready, () => transport);
  }

  client = Object.freeze({
    state: () => state,
    ready,
    request: <T>(method: string, params?: unknown, opts: RequestOptions = {}) => {
      const id = opts.id ?? nextId++;
      const key = idKey(id);
      if (pending.hasId(key)) {
        const reason = `id ${String(id)} is already pending`;
        return Promise.reject(new AescError(AESC_ERROR__RPC__INVALID_MESSAGE, { reason }));
      }
      return send<T>(method, () => requestFrame(method, params, id), opts, (settle) => pending.addById(key, method, settle));
    },
    requestIdless: <T>(method: string, params?: unknown, opts: IdlessRequestOptions = {}) =>
      send<T>(method, () => requestFrame(method, params), opts, (settle) => pending.addIdless(method, params, opts.replyMethod ?? `${method}.reply`, settle)),
    notify: (method: string, params?: unknown, opts: RequestOptions = {}) =>
      send<void>(method, () => requestFrame(method, params), opts),
    subscribe: (listener: (m: RpcIncoming) => void, opts: { signal?: AbortSignal } = {}) => {
      const off = () => {
        listeners.delete(listener);
      };
      if (opts.signal?.aborted || state === 'closed') return off;
      listeners.add(listener);
      opts.signal?.addEventListener('abort', off, { once: true });
      return off;
    },
    notifications: (opts: { signal?: AbortSignal } = {}) => subscriptionIterator<RpcIncoming>(client.subscribe, lifetime.signal, opts.signal),
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
