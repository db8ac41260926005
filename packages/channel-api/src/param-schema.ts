import type { SignTag } from './sign-tags.js';

/**
 * How one value of a channel API message is typed. `integer` is a JSON integer (a `number`, or a
 * `bigint` beyond 2^53); the node answers anything else with reason 1008 "Not a number".
 */
export type ParamType =
  | { readonly kind: 'integer' }
  /** An integer, or a string of decimal digits (the node's optional params accept both). */
  | { readonly kind: 'integer-like' }
  | { readonly kind: 'string' }
  | { readonly kind: 'boolean' }
  /** An API-encoded string with one of these prefixes (checksum and size are checked). */
  | { readonly kind: 'encoded'; readonly prefixes: readonly string[] }
  | { readonly kind: 'list'; readonly of: ParamType }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'object' }
  | { readonly kind: 'any' };

/** One key of a params object. */
export interface ParamSpec {
  readonly type: ParamType;
  readonly required: boolean;
}

/** A group of keys whose broken encoding the node reports with one reason code. */
export interface EncodingCheck {
  readonly keys: readonly string[];
  /** `error.data[].code` the node sends: 1005 account, 1006 contract, 1009 bytearray, 1010 transaction;
   * `null` when the node has no reason code for it (it then answers -32603 "Internal error"). */
  readonly code: number | null;
}

/** What the node sends back for a well-formed request. */
export type Answer =
  /** `{"result":"ok"}` if the request had an id, nothing otherwise. */
  | 'ok'
  /** `{"result": …}` with an id, else the `replyMethod` notification. */
  | 'data'
  /** Nothing but side effects (notifications). */
  | 'none';

/** A client → node method of the channel WebSocket API, as data. */
export interface ClientMethodSpec {
  readonly method: string;
  /** The node needs a `params` object (else it answers -32601 "Method not found"). */
  readonly paramsRequired: boolean;
  readonly params: Readonly<Record<string, ParamSpec>>;
  /** Keys the node asserts to be integers first, in its order (reason 1008). */
  readonly integers: readonly string[];
  /** Encoded keys the node decodes next, in its order. */
  readonly encodings: readonly EncodingCheck[];
  readonly answer: Answer;
  /** The notification that answers an id-less data request. */
  readonly replyMethod?: string;
  /** The sign request (`channels.sign.<tag>`) the node sends once it has built the tx the request asks for. */
  readonly signTag?: SignTag;
}

/** Shorthands to write param specs. */
export const t = {
  integer: { kind: 'integer' },
  integerLike: { kind: 'integer-like' },
  string: { kind: 'string' },
  boolean: { kind: 'boolean' },
  object: { kind: 'object' },
  any: { kind: 'any' },
  encoded: (...prefixes: string[]): ParamType => ({ kind: 'encoded', prefixes }),
  list: (of: ParamType): ParamType => ({ kind: 'list', of }),
  enumOf: (...values: string[]): ParamType => ({ kind: 'enum', values }),
} as const satisfies Record<string, ParamType | ((...a: never[]) => ParamType)>;

/** A required param. */
export function req(type: ParamType): ParamSpec {
  return { type, required: true };
}

/** An optional param. */
export function opt(type: ParamType): ParamSpec {
  return { type, required: false };
}

/** The optional params of an on-chain operation (`nonce`, `fee`, `gas_price`), as the node reads them. */
export const ONCHAIN_OPTIONAL = {
  nonce: opt(t.integerLike),
  fee: opt(t.integerLike),
  gas_price: opt(t.integerLike),
} as const;

/** The optional params of an off-chain update (`block_hash`, `meta`). */
export const OFFCHAIN_OPTIONAL = {
  block_hash: opt(t.encoded('kh', 'mh')),
  meta: opt(t.list(t.string)),
} as const;
