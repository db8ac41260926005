import { ERROR_REASON_MESSAGES, type ErrorReasonCode, RPC_ERROR_MESSAGES, rpcCodeOfReason } from '@aesc/channel-api';

/** How the node answers a client request: a result, an error, or nothing (a request without id). */
export type ClientReply =
  | { readonly kind: 'result'; readonly result: unknown }
  | { readonly kind: 'error'; readonly code: number; readonly message: string; readonly data?: readonly { code: number; message: string }[] }
  | { readonly kind: 'none' };

/** `{"result":"ok"}`: the request started FSM work. */
export const OK: ClientReply = Object.freeze({ kind: 'result', result: 'ok' });
/** No reply. */
export const NONE: ClientReply = Object.freeze({ kind: 'none' });

/** An error with one reason code (`error.data[0].code`), paired with its JSON-RPC code as the node pairs them. */
export function reasonError(reason: ErrorReasonCode): ClientReply {
  const code = rpcCodeOfReason(reason);
  return { kind: 'error', code, message: RPC_ERROR_MESSAGES[code], data: [{ code: reason, message: ERROR_REASON_MESSAGES[reason] }] };
}

/** `1018 Not allowed at current channel state`. */
export const NOT_ALLOWED_NOW = reasonError(1018);

/** An error with only a JSON-RPC code (e.g. -32601 method not found, -32603 internal). */
export function rpcError(code: keyof typeof RPC_ERROR_MESSAGES): ClientReply {
  return { kind: 'error', code, message: RPC_ERROR_MESSAGES[code] };
}
