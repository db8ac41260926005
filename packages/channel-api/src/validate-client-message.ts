import {
  AESC_ERROR__CHANNEL_API__INVALID_PARAMS,
  AESC_ERROR__CHANNEL_API__MALFORMED_MESSAGE,
  AESC_ERROR__CHANNEL_API__UNKNOWN_METHOD,
  AescError,
} from '@aesc/errors';
import { CLIENT_METHODS, isClientMethod } from './client-methods.js';
import { checkValue, isEncodedWith, isJsonInteger } from './check-value.js';
import { isValidAbortCode } from './error-codes.js';
import type { ClientMessage, ValidationResult } from './messages.js';
import type { ClientMethodSpec } from './param-schema.js';
import { isSignReplyMethod } from './sign-tags.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function malformed(reason: string): ValidationResult<never> {
  return { ok: false, error: new AescError(AESC_ERROR__CHANNEL_API__MALFORMED_MESSAGE, { direction: 'client', reason }) };
}

function invalid(
  method: string,
  param: string,
  reason: string,
  rpcCode: number,
  nodeCodes: readonly number[],
): ValidationResult<never> {
  return {
    ok: false,
    error: new AescError(AESC_ERROR__CHANNEL_API__INVALID_PARAMS, { method, param, reason, rpcCode, nodeCodes }),
  };
}

function encodedOk(value: unknown, prefixes: readonly string[]): boolean {
  if (Array.isArray(value)) return value.every((v) => isEncodedWith(v, prefixes));
  return isEncodedWith(value, prefixes);
}

function prefixesOf(spec: ClientMethodSpec, key: string): readonly string[] {
  const type = spec.params[key]?.type;
  if (type?.kind === 'encoded') return type.prefixes;
  if (type?.kind === 'list' && type.of.kind === 'encoded') return type.of.prefixes;
  return [];
}

function validateParams(spec: ClientMethodSpec, params: Record<string, unknown>): ValidationResult<true> {
  const { method } = spec;
  // 1. The node's request pattern: every mandatory key present (else "Method not found").
  for (const [key, p] of Object.entries(spec.params)) {
    if (p.required && !(key in params)) return invalid(method, key, 'is missing', -32601, []);
  }
  // 2. Integer assertions, in the node's order: 1008 "Not a number".
  for (const key of spec.integers) {
    if (!isJsonInteger(params[key])) return invalid(method, key, 'is not an integer', 3, [1008]);
  }
  // 3. Mandatory enums (channels.system action): anything else is unhandled.
  for (const [key, p] of Object.entries(spec.params)) {
    if (p.required && p.type.kind === 'enum' && checkValue(p.type, params[key])) {
      return invalid(method, key, `is not one of ${p.type.values.join(', ')}`, -32601, []);
    }
  }
  // 4. Encodings, each failing group adds its reason code, in the node's order.
  const codes: number[] = [];
  let firstBad: string | undefined;
  for (const check of spec.encodings) {
    const bad = check.keys.find((k) => k in params && !encodedOk(params[k], prefixesOf(spec, k)));
    if (bad === undefined) continue;
    firstBad ??= bad;
    if (check.code === null) return invalid(method, bad, 'is not a valid encoding', -32603, []);
    if (!codes.includes(check.code)) codes.push(check.code);
  }
  if (firstBad !== undefined) return invalid(method, firstBad, 'has a broken encoding', 3, codes);
  // 5. Remaining typed keys (mandatory strings, optional params): `meta` → 1014, others "Internal error".
  for (const [key, p] of Object.entries(spec.params)) {
    if (!(key in params) || spec.integers.includes(key)) continue;
    if (spec.encodings.some((c) => c.keys.includes(key))) continue;
    const reason = checkValue(p.type, params[key]);
    if (reason === undefined) continue;
    if (key === 'meta') return invalid(method, key, reason, 3, [1014]);
    return invalid(method, key, reason, p.required ? -32601 : -32603, []);
  }
  // 6. Static semantic checks the node makes before touching channel state.
  if (method === 'channels.update.new') {
    const amount = params.amount as number | bigint;
    if (amount < 0) return invalid(method, 'amount', 'is negative', 3, [1002]);
  }
  return { ok: true, value: true };
}

/**
 * Validates a client → node message of the channel API as the node would read it. A valid message
 * is returned typed (discriminated by `method`); otherwise a coded error says why, and for
 * `AESC_ERROR__CHANNEL_API__INVALID_PARAMS` which JSON-RPC code and `error.data` reason codes the
 * node answers with (e.g. `rpcCode: 3, nodeCodes: [1008]` for a string amount). Never throws.
 * Errors that depend on the channel state (insufficient balance, unknown call, not allowed now)
 * are the node's to find.
 *
 * @example
 * ```ts
 * const r = validateClientMessage({ jsonrpc: '2.0', method: 'channels.deposit', params: { amount: '2' } });
 * if (!r.ok && isAescError(r.error, AESC_ERROR__CHANNEL_API__INVALID_PARAMS)) r.error.context.nodeCodes; // [1008]
 * ```
 */
export function validateClientMessage(msg: unknown): ValidationResult<ClientMessage> {
  if (!isObject(msg)) return malformed('not an object');
  if (msg.jsonrpc !== '2.0') return malformed('"jsonrpc" is not "2.0"');
  if (typeof msg.method !== 'string') return malformed('"method" is missing or not a string');
  if ('id' in msg) {
    const id = msg.id;
    if (!(id === null || typeof id === 'string' || isJsonInteger(id))) return malformed('"id" is not a number, string or null');
  }
  const method = msg.method;
  const params = msg.params;
  if (params !== undefined && !isObject(params)) return malformed('"params" is not an object');
  if (isSignReplyMethod(method)) {
    if (params === undefined) return invalid(method, 'params', 'is missing', -32601, []);
    if ('error' in params) {
      if (!isValidAbortCode(params.error)) {
        return invalid(method, 'error', 'is not an abort code in 1…65535', -32603, []);
      }
    } else if ('signed_tx' in params) {
      if (!isEncodedWith(params.signed_tx, ['tx'])) return invalid(method, 'signed_tx', 'has a broken encoding', 3, [1010]);
    } else {
      return invalid(method, 'signed_tx', 'is missing (or error)', -32601, []);
    }
    return { ok: true, value: msg as unknown as ClientMessage };
  }
  if (!isClientMethod(method)) {
    return { ok: false, error: new AescError(AESC_ERROR__CHANNEL_API__UNKNOWN_METHOD, { direction: 'client', method }) };
  }
  const spec: ClientMethodSpec = CLIENT_METHODS[method];
  if (params === undefined && spec.paramsRequired) return invalid(method, 'params', 'is missing', -32601, []);
  const r = validateParams(spec, params ?? {});
  if (!r.ok) return r;
  return { ok: true, value: msg as unknown as ClientMessage };
}
