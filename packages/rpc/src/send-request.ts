import { AESC_ERROR__RPC__ABORTED, AESC_ERROR__RPC__CONNECTION_CLOSED, AESC_ERROR__RPC__TIMEOUT, AescError } from '@aesc/errors';
import type { JsonRpcId } from './json-rpc.js';
import { stringifyJson } from './lossless-json.js';
import type { Settle } from './pending-requests.js';
import type { Transport } from './transport.js';

/** One message to send with {@link sendRequest}. */
export interface OutgoingRequest {
  /** The method, for errors. */
  readonly method: string;
  /** Builds the frame (once the connection is open). */
  readonly frame: () => string;
  /** Rejects (with `AESC_ERROR__RPC__TIMEOUT`) this long after the call, waiting for the connection included. */
  readonly timeoutMs: number;
  /** Rejects with `AESC_ERROR__RPC__ABORTED` when it aborts. */
  readonly signal?: AbortSignal | undefined;
  /**
   * Registers the request as waiting for an answer (just before its frame is sent), and returns
   * the function that stops waiting; without it the message is a notification, settled once sent.
   */
  readonly register?: (settle: Settle) => () => void;
}

/**
 * Waits for the connection (`ready`), sends a message on it (`transport`: the open one, or
 * undefined once it is gone) and, for a request, waits for its answer — with its timeout and
 * cancellation. Settles once; whatever settles it stops the timer, the abort listener and the wait.
 */
export function sendRequest<T>(out: OutgoingRequest, ready: () => Promise<void>, transport: () => Transport | undefined): Promise<T> {
  const { method, timeoutMs, signal, register } = out;
  return new Promise<T>((resolve, reject) => {
    let unregister: (() => void) | undefined;
    let done = false;
    const settle = (f: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      unregister?.();
      f();
    };
    const onAbort = () =>
      settle(() => reject(new AescError(AESC_ERROR__RPC__ABORTED, { method, reason: String(signal?.reason ?? 'aborted') }, { cause: signal?.reason })));
    const timer = setTimeout(() => settle(() => reject(new AescError(AESC_ERROR__RPC__TIMEOUT, { method, timeoutMs }))), timeoutMs);
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    ready().then(
      () => {
        if (done) return;
        const t = transport();
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
          t.send(out.frame());
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

/** A JSON-RPC 2.0 request (with `id`) or notification frame, written losslessly. */
export function requestFrame(method: string, params: unknown, id?: JsonRpcId): string {
  const msg: Record<string, unknown> = { jsonrpc: '2.0' };
  if (id !== undefined) msg.id = id;
  msg.method = method;
  if (params !== undefined) msg.params = params;
  return stringifyJson(msg);
}
