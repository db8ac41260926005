/**
 * JSON-RPC `error.code` values of the channel API and their messages (node `error_msgs/0`):
 * the standard codes and the Ethereum-style application codes 1–3.
 */
export const RPC_ERROR_MESSAGES = {
  [-32700]: 'Parse error',
  [-32000]: 'Invalid request',
  [-32601]: 'Method not found',
  [-32602]: 'Invalid params',
  [-32603]: 'Internal error',
  1: 'Unauthorized',
  2: 'Action not allowed',
  3: 'Rejected',
} as const;

/** A JSON-RPC `error.code` the node sends. */
export type RpcErrorCode = keyof typeof RPC_ERROR_MESSAGES;

/** `error.data[].code` reason codes and their exact messages (node `error_data_msgs/0`). */
export const ERROR_REASON_MESSAGES = {
  100: "X doesn't exist",
  101: 'Requires coin',
  102: 'Gas too low',
  103: 'Gas limit exceeded',
  104: 'Rejected',
  105: 'Value too low',
  106: 'Timeout',
  107: 'Conflict',
  108: 'Not ready',
  1001: 'Insufficient balance',
  1002: 'Negative amount',
  1003: 'Invalid pubkeys',
  1004: 'Call not found',
  1005: 'Broken encoding: account pubkey',
  1006: 'Broken encoding: contract pubkey',
  1007: 'Contract init failed',
  1008: 'Not a number',
  1009: 'Broken encoding: contract bytearray',
  1010: 'Broken encoding: transaction',
  1011: 'Participant not found',
  1012: 'Offchain tx expected',
  1013: 'Tx already on-chain',
  1014: 'Invalid meta object',
  1015: 'Invalid error code (expect 1...65535)',
  1016: 'Invalid fsm id',
  1017: 'Bad signature',
  1018: 'Not allowed at current channel state',
  1019: 'ABI version mismatch',
  1020: 'VM version mismatch',
  2000: 'Missing field: existing_fsm_id',
} as const;

/** An `error.data[].code` the node sends. */
export type ErrorReasonCode = keyof typeof ERROR_REASON_MESSAGES;

/**
 * The JSON-RPC `error.code` the node pairs with each reason code (`json_rpc_error_object/2`):
 * 2 "Action not allowed" for 1012, 3 "Rejected" for every other one.
 */
export function rpcCodeOfReason(reason: ErrorReasonCode): RpcErrorCode {
  return reason === 1012 ? 2 : 3;
}

/** The node's message for a JSON-RPC error code ("Unknown error" for others). */
export function rpcErrorMessage(code: number): string {
  return (RPC_ERROR_MESSAGES as Record<number, string>)[code] ?? 'Unknown error';
}

/** The node's message for a reason code ("Unknown error" for others). */
export function errorReasonMessage(code: number): string {
  return (ERROR_REASON_MESSAGES as Record<number, string>)[code] ?? 'Unknown error';
}

/**
 * Abort and conflict codes (`aesc_codec.hrl`): a client declines a signing request with
 * `{"error": code}` (1–65535); the peer gets `channels.conflict` with it.
 */
export const ABORT_CODES = {
  VALIDATION: 1,
  CONFLICT: 2,
  TIMEOUT: 3,
  ABORT: 4,
  ONCHAIN_REJECTED: 5,
  /** From here on codes are user-defined. */
  USER: 128,
} as const;

/** The smallest and largest abort code a sign reply may carry. */
export const ABORT_CODE_RANGE = { min: 1, max: 0xffff } as const;

/** The node's text for an abort/conflict code (`aesc_fsm:error_code_to_msg/1`). */
export function abortCodeMessage(code: number): string {
  switch (code) {
    case 1:
      return 'validation error';
    case 2:
      return 'conflict';
    case 3:
      return 'timeout';
    case 4:
      return 'abort';
    case 5:
      return 'rejected on-chain';
    default:
      return code >= 128 ? 'user-defined' : 'unknown';
  }
}

/** Whether the node accepts `code` in a sign reply's `error` (an integer, or a decimal string, in 1…65535). */
export function isValidAbortCode(code: unknown): boolean {
  const n =
    typeof code === 'number' && Number.isInteger(code)
      ? code
      : typeof code === 'bigint'
        ? Number(code)
        : typeof code === 'string' && /^-?\d+$/.test(code)
          ? Number(code)
          : Number.NaN;
  return n >= ABORT_CODE_RANGE.min && n <= ABORT_CODE_RANGE.max;
}
