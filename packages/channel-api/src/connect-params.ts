import { isEncoded } from '@aesc/encoding';
import {
  AESC_ERROR__CHANNEL_API__INVALID_CONNECT_PARAM,
  AESC_ERROR__CHANNEL_API__MALFORMED_URL,
  AESC_ERROR__CHANNEL_API__MISSING_CONNECT_PARAM,
  AescError,
} from '@aesc/errors';
import type { ValidationResult } from './messages.js';

/** How a connect query parameter is typed. */
export type ConnectParamType = 'integer' | 'amount' | 'boolean' | 'string' | 'account' | 'channel' | 'fsm_id' | 'tx' | 'enum';

/** When a connect parameter is mandatory. */
export type ConnectParamRequirement =
  | 'always'
  /** initiator only (`host`) */
  | 'initiator'
  /** opening a new channel (no `existing_channel_id`) */
  | 'open'
  /** reestablishing (`existing_channel_id` given) */
  | 'reestablish'
  | 'no';

/** One connect query parameter (`sc_ws_handler` `read_channel_options/1`, `general_options/1`). */
export interface ConnectParamSpec {
  readonly type: ConnectParamType;
  readonly required: ConnectParamRequirement;
  /** The node's default when absent. */
  readonly default?: string | number | boolean;
  readonly values?: readonly string[];
  /** Read but ignored by current nodes (legacy). */
  readonly legacy?: boolean;
}

const timeout = (ms: number): ConnectParamSpec => ({ type: 'integer', required: 'no', default: ms });
const report = (on: boolean): ConnectParamSpec => ({ type: 'boolean', required: 'no', default: on });

/** Every connect query parameter of `ws://<node>/channel?…`, with the node's defaults. */
export const CONNECT_PARAMS = {
  protocol: { type: 'enum', required: 'always', values: ['json-rpc'] },
  role: { type: 'enum', required: 'always', values: ['initiator', 'responder'] },
  host: { type: 'string', required: 'initiator' },
  port: { type: 'integer', required: 'always' },
  initiator_id: { type: 'account', required: 'open' },
  responder_id: { type: 'account', required: 'open' },
  initiator_amount: { type: 'amount', required: 'open' },
  responder_amount: { type: 'amount', required: 'open' },
  channel_reserve: { type: 'amount', required: 'open' },
  lock_period: { type: 'integer', required: 'open' },
  push_amount: { type: 'amount', required: 'open' },
  minimum_depth: { type: 'integer', required: 'no' },
  minimum_depth_strategy: { type: 'enum', required: 'no', values: ['txfee', 'plain'], default: 'txfee' },
  ttl: { type: 'integer', required: 'no', default: 0 },
  fee: { type: 'amount', required: 'no' },
  gas_price: { type: 'amount', required: 'no' },
  nonce: { type: 'integer', required: 'no' },
  timeout_accept: timeout(120_000),
  timeout_funding_create: timeout(120_000),
  timeout_funding_sign: timeout(120_000),
  timeout_funding_lock: timeout(360_000),
  timeout_idle: timeout(600_000),
  timeout_sign: timeout(500_000),
  /** Defaults to `timeout_idle` (responder). */
  timeout_awaiting_open: timeout(600_000),
  /** Defaults to `timeout_accept` (initiator). */
  timeout_initialized: timeout(120_000),
  report_info: report(true),
  report_update: report(true),
  report_leave: report(true),
  report_conflict: report(true),
  report_message: report(true),
  report_error: report(true),
  report_on_chain_tx: report(true),
  report_min_depth: report(true),
  report_debug: report(false),
  bh_delta_not_newer_than: { type: 'integer', required: 'no', default: 0 },
  bh_delta_not_older_than: { type: 'integer', required: 'no', default: 10 },
  bh_delta_pick: { type: 'integer', required: 'no', default: 0 },
  /** Responder only; ignored for the initiator. */
  keep_running: { type: 'boolean', required: 'no', default: true },
  msg_forwarding: { type: 'boolean', required: 'no', default: false },
  log_keep: { type: 'integer', required: 'no', default: 10 },
  slogan: { type: 'string', required: 'no' },
  existing_channel_id: { type: 'channel', required: 'no' },
  existing_fsm_id: { type: 'fsm_id', required: 'reestablish' },
  offchain_tx: { type: 'tx', required: 'no', legacy: true },
} as const satisfies Record<string, ConnectParamSpec>;

/** A connect parameter name. */
export type ConnectParamName = keyof typeof CONNECT_PARAMS;

/** Connect parameters as `buildConnectUrl` takes them (amounts may be bigint). */
export type ConnectParamsInput = { readonly [K in ConnectParamName]?: string | number | bigint | boolean };

/** Parsed connect parameters: integers as `number`, amounts as `bigint`, booleans as booleans, defaults filled. */
export type ConnectParams = { readonly [K in ConnectParamName]?: string | number | bigint | boolean } & {
  readonly protocol: 'json-rpc';
  readonly role: 'initiator' | 'responder';
  readonly port: number;
};

/** The defaults the node applies, by parameter. */
export const CONNECT_DEFAULTS: Readonly<Partial<Record<ConnectParamName, string | number | boolean>>> = Object.fromEntries(
  Object.entries(CONNECT_PARAMS as Record<string, ConnectParamSpec>)
    .filter(([, s]) => s.default !== undefined)
    .map(([k, s]) => [k, s.default as string | number | boolean]),
);

function bad(param: string, value: string, reason: string, nodeCodes: readonly number[] = []): ValidationResult<never> {
  return { ok: false, error: new AescError(AESC_ERROR__CHANNEL_API__INVALID_CONNECT_PARAM, { param, value, reason, nodeCodes }) };
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The values of the integer (not amount) params this node can act on, where narrower than the safe
 * integers: a port, the minimum depth as `channel_accept` carries it (4 bytes), and no negative
 * nonce, TTL or timeout (the node's FSM cannot build a tx or arm a timer with one). A negative
 * `lock_period` is the node's "Value too low" (105), checked with the amounts. The node reads these as Erlang
 * integers of any size and fails later, in ways the client is not told of; here a value beyond
 * them is refused at connect.
 */
const INTEGER_RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  port: [0n, 65535n],
  minimum_depth: [0n, 0xffffffffn],
  ttl: [0n, MAX_SAFE],
  nonce: [0n, MAX_SAFE],
  timeout_accept: [0n, MAX_SAFE],
  timeout_funding_create: [0n, MAX_SAFE],
  timeout_funding_sign: [0n, MAX_SAFE],
  timeout_funding_lock: [0n, MAX_SAFE],
  timeout_idle: [0n, MAX_SAFE],
  timeout_sign: [0n, MAX_SAFE],
  timeout_awaiting_open: [0n, MAX_SAFE],
  timeout_initialized: [0n, MAX_SAFE],
};

/** A value as an error shows it: a long one cut (a client may send 400 digits). */
const shown = (raw: string) => (raw.length > 24 ? `${raw.slice(0, 24)}…(${raw.length})` : raw);

function parseValue(name: string, spec: ConnectParamSpec, raw: string, role: string): ValidationResult<string | number | bigint | boolean> {
  switch (spec.type) {
    case 'integer':
    case 'amount': {
      if (!/^-?\d+$/.test(raw)) return bad(name, shown(raw), 'is not an integer');
      // Read losslessly: a number of 400 digits is a bigint here, never Infinity.
      const value = BigInt(raw);
      if (spec.type === 'amount') return { ok: true, value };
      // (a negative lock period, of any size, is the node's 105, checked with the amounts below)
      if (name === 'lock_period' && value < 0n) return { ok: true, value: -1 };
      const [min, max] = INTEGER_RANGES[name] ?? [-MAX_SAFE, MAX_SAFE];
      if (value < min || value > max) return bad(name, shown(raw), `is out of range (${min}…${max})`);
      return { ok: true, value: Number(value) };
    }
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') return bad(name, raw, 'is not true or false');
      return { ok: true, value: raw === 'true' };
    case 'enum':
      if (!spec.values?.includes(raw)) return bad(name, raw, `is not one of ${spec.values?.join(', ')}`);
      return { ok: true, value: raw };
    case 'account':
      if (name === 'initiator_id' && raw === 'any' && role === 'responder') return { ok: true, value: raw };
      if (!isEncoded(raw, 'ak')) return bad(name, raw, 'is not a valid ak_ address');
      return { ok: true, value: raw };
    case 'channel':
      if (!isEncoded(raw, 'ch')) return bad(name, raw, 'is not a valid ch_ id');
      return { ok: true, value: raw };
    case 'fsm_id':
      // A ba_ string of 32 bytes; anything else is "Invalid fsm id" (1016).
      if (!isEncoded(raw, 'ba') || raw.length < 40) return bad(name, raw, 'is not a 32-byte ba_ fsm id', [1016]);
      return { ok: true, value: raw };
    case 'tx':
      if (!isEncoded(raw, 'tx')) return bad(name, raw, 'is not a valid tx_ string');
      return { ok: true, value: raw };
    case 'string':
      return { ok: true, value: raw };
  }
}

/** The block-hash-delta params: the node takes them only all together. */
const BH_DELTA_PARAMS = ['bh_delta_not_newer_than', 'bh_delta_not_older_than', 'bh_delta_pick'] as const;

/**
 * Parses and validates the query of a channel connect URL as the node does: required parameters
 * per role and mode (open or reestablish), types, and the node's checks on amounts (reserve ≥ 0,
 * push ≥ 0, lock period ≥ 0, each side's amount after the push ≥ reserve; "Value too low" 105),
 * fsm ids (1016) and `existing_fsm_id` when reestablishing (2000). Defaults are filled in.
 * Unknown parameters are ignored, as the node does. Numbers are read losslessly (amounts as
 * bigint); an integer param beyond what a node can act on (a port above 65535, a negative nonce,
 * TTL or timeout, anything beyond 2^53) is refused with no node code. Never throws.
 *
 * @example
 * ```ts
 * const r = parseConnectUrl('ws://localhost:3014/channel?protocol=json-rpc&role=responder&port=1234&existing_channel_id=ch_…');
 * if (!r.ok) r.error.context; // { param: 'existing_fsm_id', role: 'responder' } — the node sends 2000
 * ```
 */
export function parseConnectUrl(url: string): ValidationResult<ConnectParams> {
  let query: URLSearchParams;
  try {
    query = new URL(url).searchParams;
  } catch (e) {
    return {
      ok: false,
      error: new AescError(AESC_ERROR__CHANNEL_API__MALFORMED_URL, { url, reason: e instanceof Error ? e.message : String(e) }),
    };
  }
  const role = query.get('role') ?? '';
  const out: Record<string, string | number | bigint | boolean> = { ...CONNECT_DEFAULTS };
  const missing = (param: string): ValidationResult<never> => ({
    ok: false,
    error: new AescError(AESC_ERROR__CHANNEL_API__MISSING_CONNECT_PARAM, { param, role }),
  });
  const reestablish = query.has('existing_channel_id');
  for (const [name, spec] of Object.entries(CONNECT_PARAMS as Record<string, ConnectParamSpec>)) {
    const raw = query.get(name);
    if (raw === null) {
      const needed =
        spec.required === 'always' ||
        (spec.required === 'initiator' && role === 'initiator') ||
        (spec.required === 'open' && !reestablish) ||
        (spec.required === 'reestablish' && reestablish);
      if (needed) {
        if (name === 'existing_fsm_id') {
          return bad(name, '', 'is missing (reestablish needs existing_fsm_id)', [2000]);
        }
        return missing(name);
      }
      continue;
    }
    const v = parseValue(name, spec, raw, role);
    if (!v.ok) return v;
    out[name] = v.value;
  }
  // The node reads the bh_delta_* params into one map and falls back to its defaults for all three
  // unless all three are there (`check_block_hash_deltas/1`): one or two alone change nothing.
  if (!BH_DELTA_PARAMS.every((name) => query.has(name))) {
    for (const name of BH_DELTA_PARAMS) out[name] = CONNECT_DEFAULTS[name]!;
  }
  if (!reestablish) {
    const reserve = out.channel_reserve as bigint;
    const push = out.push_amount as bigint;
    const value = (k: string) => shown(String(out[k]));
    if (reserve < 0n) return bad('channel_reserve', value('channel_reserve'), 'is negative', [105]);
    if (push < 0n) return bad('push_amount', value('push_amount'), 'is negative', [105]);
    if ((out.initiator_amount as bigint) - push < reserve) {
      return bad('initiator_amount', value('initiator_amount'), 'minus push_amount is below channel_reserve', [105]);
    }
    if ((out.responder_amount as bigint) + push < reserve) {
      return bad('responder_amount', value('responder_amount'), 'plus push_amount is below channel_reserve', [105]);
    }
    if ((out.lock_period as number) < 0) return bad('lock_period', shown(query.get('lock_period') ?? ''), 'is negative', [105]);
  }
  return { ok: true, value: out as ConnectParams };
}

/**
 * Builds a channel connect URL: `baseUrl` (e.g. `ws://localhost:3014/channel`) with the parameters
 * as its query, in the order given. Parameters equal to the node's default are kept (explicit).
 *
 * @example
 * ```ts
 * buildConnectUrl('ws://localhost:3014/channel', { protocol: 'json-rpc', role: 'responder', port: 12340, … });
 * ```
 */
export function buildConnectUrl(baseUrl: string, params: ConnectParamsInput): string {
  const url = new URL(baseUrl);
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined) url.searchParams.set(k, String(v));
  }
  return url.toString();
}
