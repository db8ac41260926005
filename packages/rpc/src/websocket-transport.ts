import { AESC_ERROR__RPC__CONNECT_FAILED, AESC_ERROR__RPC__NO_WEBSOCKET, AescError } from '@aesc/errors';
import type { Transport, TransportConnector, TransportHandlers } from './transport.js';

/** The part of a WebSocket (browser, undici or `ws`) this transport uses. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: string, listener: (event: never) => void): void;
  /** Present on `ws` sockets in Node: sends a ping frame. */
  ping?: () => void;
  /** Present on `ws` sockets in Node: destroys the socket without a closing handshake. */
  terminate?: () => void;
  /** Present on `ws` sockets in Node (EventEmitter): pong frames are reported as `pong` events. */
  on?: (event: 'pong', listener: () => void) => void;
}

/** A WebSocket constructor: `globalThis.WebSocket`, `ws`'s default export, or a test double. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** Options of {@link webSocketConnector}. */
export interface WebSocketConnectorOptions {
  /** The implementation to use; by default `globalThis.WebSocket`, else `ws` loaded on demand. */
  readonly WebSocket?: WebSocketConstructor;
  /** Sub-protocols passed to the constructor. */
  readonly protocols?: string | string[];
}

/**
 * The WebSocket implementation of this runtime: `globalThis.WebSocket` when present (browsers,
 * Node ≥ 22), else the `ws` package, imported lazily with a computed specifier so that browser
 * bundles never include it.
 */
export async function resolveWebSocket(): Promise<WebSocketConstructor> {
  const native = (globalThis as { WebSocket?: unknown }).WebSocket;
  if (typeof native === 'function') return native as WebSocketConstructor;
  const specifier = 'ws';
  try {
    const mod = (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as {
      default?: unknown;
      WebSocket?: unknown;
    };
    const ctor = mod.WebSocket ?? mod.default;
    if (typeof ctor === 'function') return ctor as WebSocketConstructor;
    throw new Error('the ws module has no WebSocket export');
  } catch (e) {
    throw new AescError(
      AESC_ERROR__RPC__NO_WEBSOCKET,
      { reason: e instanceof Error ? e.message : String(e) },
      { cause: e },
    );
  }
}

function dataToText(data: unknown): string {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
  if (ArrayBuffer.isView(data)) return new TextDecoder().decode(data);
  return String(data);
}

/**
 * A {@link TransportConnector} for a WebSocket URL. In Node with `ws`, `ping()` sends ping frames.
 *
 * @example
 * ```ts
 * const client = createRpcClient({ connect: webSocketConnector('ws://127.0.0.1:3014/channel?…') });
 * ```
 */
export function webSocketConnector(url: string, options: WebSocketConnectorOptions = {}): TransportConnector {
  return async (handlers: TransportHandlers, signal?: AbortSignal): Promise<Transport> => {
    const Impl = options.WebSocket ?? (await resolveWebSocket());
    signal?.throwIfAborted();
    const socket = options.protocols === undefined ? new Impl(url) : new Impl(url, options.protocols);
    return new Promise<Transport>((resolve, reject) => {
      let opened = false;
      let closed = false;
      const onAbort = () => {
        socket.close();
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      socket.addEventListener('open', () => {
        opened = true;
        signal?.removeEventListener('abort', onAbort);
        const transport: Transport = {
          send: (text) => socket.send(text),
          close: (code, reason) => socket.close(code ?? 1000, reason),
          ...(typeof socket.ping === 'function' ? { ping: () => socket.ping?.() } : {}),
          ...(typeof socket.terminate === 'function' ? { terminate: () => socket.terminate?.() } : {}),
        };
        if (typeof socket.on === 'function' && handlers.onPong !== undefined) socket.on('pong', handlers.onPong);
        resolve(transport);
      });
      socket.addEventListener('message', (event: { data: unknown }) => {
        handlers.onMessage(dataToText(event.data));
      });
      socket.addEventListener('error', (event: { message?: string; error?: unknown }) => {
        if (!opened) {
          signal?.removeEventListener('abort', onAbort);
          reject(
            new AescError(AESC_ERROR__RPC__CONNECT_FAILED, {
              url,
              reason: event.message ?? (event.error instanceof Error ? event.error.message : 'connection error'),
            }),
          );
        }
      });
      socket.addEventListener('close', (event: { code: number; reason: string }) => {
        if (closed) return;
        closed = true;
        if (!opened) {
          signal?.removeEventListener('abort', onAbort);
          reject(new AescError(AESC_ERROR__RPC__CONNECT_FAILED, { url, reason: `closed with code ${event.code}` }));
          return;
        }
        handlers.onClose(event.code, String(event.reason ?? ''));
      });
    });
  };
}
