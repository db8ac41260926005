import { AESC_ERROR__RPC__INVALID_MESSAGE, AESC_ERROR__RPC__REMOTE_ERROR, AESC_ERROR__RPC__UNMATCHED_ERROR, AescError } from '@aesc/errors';
import { type JsonRpcError, type JsonRpcMessage, type JsonRpcNotification, idKey } from './json-rpc.js';
import { PendingTable } from './pending-table.js';
import { stringifySorted } from './sorted-json.js';

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

/** How a pending request is settled. */
export interface Settle {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** A request waiting for its answer. */
interface Pending extends Settle {
  readonly method: string;
  /** Its params as sorted JSON (id-less requests), to match an error that echoes the request. */
  readonly paramsKey: string;
  /** The notification that answers it (id-less requests). */
  readonly replyMethod: string | undefined;
}

/** The key under which an id-less request's params are matched against an echoed request's. */
function paramsKey(params: unknown): string {
  return params === undefined ? '' : stringifySorted(params);
}

function remoteError(method: string, message: JsonRpcError): AescError {
  const { code, message: text, data } = message.error;
  return new AescError(AESC_ERROR__RPC__REMOTE_ERROR, { method, code, message: text, data: data ?? null });
}

/**
 * The requests a client waits on, and the node's ways of answering them: a result or an error by
 * id (ids beyond 2^53 included); an id-less request by its reply notification, or by an error with
 * `"id": null` that echoes its method and params. Pure: it settles what a message answers and
 * hands back what answers nothing.
 */
export class PendingRequests {
  readonly #byId = new PendingTable<string, Pending>();
  readonly #idless: Pending[] = [];

  /** Whether a request with this id key ({@link idKey}) waits. */
  hasId(key: string): boolean {
    return this.#byId.has(key);
  }

  /** Waits for the answer to an id-ful request; returns the function that stops waiting. */
  addById(key: string, method: string, settle: Settle): () => void {
    this.#byId.set(key, { ...settle, method, paramsKey: '', replyMethod: undefined });
    return () => {
      this.#byId.take(key);
    };
  }

  /** Waits for the answer to an id-less request; returns the function that stops waiting. */
  addIdless(method: string, params: unknown, replyMethod: string, settle: Settle): () => void {
    const entry: Pending = { ...settle, method, paramsKey: paramsKey(params), replyMethod };
    this.#idless.push(entry);
    return () => {
      const i = this.#idless.indexOf(entry);
      if (i >= 0) this.#idless.splice(i, 1);
    };
  }

  /** Rejects every waiting request (id-ful ones first) with the error for its method, and forgets them. */
  rejectAll(error: (method: string) => AescError): void {
    for (const [, p] of this.#byId.takeAll()) p.reject(error(p.method));
    for (const p of this.#idless.splice(0)) p.reject(error(p.method));
  }

  /** Settles the request a message answers, if one waits; otherwise returns what the message is to the client's listeners. */
  answer(m: JsonRpcMessage): RpcIncoming | undefined {
    switch (m.kind) {
      case 'result': {
        const p = this.#byId.take(idKey(m.message.id));
        if (p) {
          p.resolve(m.message.result);
          return undefined;
        }
        const reason = `result for unknown id ${String(m.message.id)}`;
        return { kind: 'error', error: new AescError(AESC_ERROR__RPC__INVALID_MESSAGE, { reason }), message: m.message };
      }
      case 'error': {
        const msg = m.message;
        if (msg.id !== null) {
          const p = this.#byId.take(idKey(msg.id));
          if (p) {
            p.reject(remoteError(p.method, msg));
            return undefined;
          }
        } else {
          const req = msg.error.request as { method?: unknown; params?: unknown } | undefined;
          if (req && typeof req.method === 'string') {
            const key = paramsKey(req.params);
            const i = this.#idless.findIndex((p) => p.method === req.method && p.paramsKey === key);
            const p = i >= 0 ? this.#idless.splice(i, 1)[0] : undefined;
            if (p) {
              p.reject(remoteError(p.method, msg));
              return undefined;
            }
          }
        }
        const { code, message, request } = msg.error;
        return {
          kind: 'error',
          error: new AescError(AESC_ERROR__RPC__UNMATCHED_ERROR, { code, message, request: request ?? null }),
          message: msg,
        };
      }
      case 'notification':
      case 'request': {
        const msg = m.message;
        const i = this.#idless.findIndex((p) => p.replyMethod === msg.method);
        const p = i >= 0 ? this.#idless.splice(i, 1)[0] : undefined;
        if (p) {
          p.resolve(msg.params);
          return undefined;
        }
        return { kind: 'notification', method: msg.method, params: msg.params, message: msg };
      }
    }
  }
}
