import type { AescError } from '@aesc/errors';
import type { AccountAddress, ChannelId, EncodedTx } from '@aesc/encoding';
import type { JsonRpcId } from '@aesc/rpc';
import type { ClientMethod, ClientMethodParams } from './client-methods.js';
import type { ErrorReasonCode, RpcErrorCode } from './error-codes.js';
import type { JsonInteger } from './json-integer.js';
import type { InfoEvent, OnChainTxInfo, OnChainTxType, ReplyNotificationMethod } from './node-notifications.js';
import type { SignReplyMethod, SignTag } from './sign-tags.js';

/** A client → node request of `method` (no `id` is how the node's own tests send most of them). */
export type ClientRequest<M extends ClientMethod = ClientMethod> = {
  [K in M]: {
    readonly jsonrpc: '2.0';
    readonly id?: JsonRpcId;
    readonly method: K;
    readonly params: ClientMethodParams[K];
  };
}[M];

/** The params of a sign reply: the tx with the client's signature added, or an abort code. */
export type SignReplyParams =
  | { readonly signed_tx: EncodedTx }
  /** An abort code 1…65535 (the node also takes a decimal string). */
  | { readonly error: JsonInteger | `${number}` };

/** A client's answer to `channels.sign.<tag>`. */
export interface SignReply<M extends SignReplyMethod = SignReplyMethod> {
  readonly jsonrpc: '2.0';
  readonly id?: JsonRpcId;
  readonly method: M;
  readonly params: SignReplyParams;
}

/** Any client → node message, discriminated by `method`. */
export type ClientMessage = ClientRequest | SignReply;

/** Fields every node frame carries. */
interface NodeFrame {
  readonly jsonrpc: '2.0';
  readonly version: 1;
}

/** A successful response. */
export interface NodeResult<T = unknown> extends NodeFrame {
  readonly channel_id: ChannelId | null;
  readonly id: JsonRpcId;
  readonly result: T;
}

/** One reason of an error response. */
export interface ErrorReason {
  readonly code: ErrorReasonCode;
  readonly message: string;
}

/** An error response; `id` is `null` when the request had none, `request` echoes it. */
export interface NodeError extends NodeFrame {
  readonly channel_id: ChannelId | null;
  readonly id: JsonRpcId;
  readonly error: {
    readonly code: RpcErrorCode;
    readonly message: string;
    readonly data?: readonly ErrorReason[];
    readonly request?: unknown;
  };
}

/** A notification `{method, params: {channel_id, data}}`. */
export interface NodeNotificationOf<M extends string, D> extends NodeFrame {
  readonly method: M;
  readonly params: { readonly channel_id: ChannelId | null; readonly data: D };
}

/** `channels.info` data. */
export interface InfoData {
  readonly event: InfoEvent;
  readonly fsm_id?: string;
  readonly tx_hash?: string;
  readonly type?: string;
  readonly tx_type?: string;
  readonly notice?: string;
}

/** `channels.on_chain_tx` data (the docs say `signed_tx`; the node sends `tx`). */
export interface OnChainTxData {
  readonly info: OnChainTxInfo;
  readonly tx: EncodedTx;
  readonly type: OnChainTxType;
}

/** `channels.sign.<tag>` data: the tx with the signatures so far and the updates, for the client. */
export interface SignRequestData {
  readonly signed_tx: EncodedTx;
  readonly updates: readonly unknown[];
  readonly fsm_id?: string;
}

/** `channels.conflict` data. */
export interface ConflictData {
  readonly channel_id: ChannelId;
  readonly error_code: number;
  readonly error_msg: string;
  readonly round: JsonInteger;
}

/** `channels.message` data. */
export interface MessageData {
  readonly message: {
    readonly channel_id: ChannelId;
    readonly from: AccountAddress;
    readonly to: AccountAddress;
    readonly info: string;
  };
}

/** Any node → client notification, discriminated by `method`. */
export type NodeNotification =
  | NodeNotificationOf<'channels.info', InfoData>
  | NodeNotificationOf<'channels.on_chain_tx', OnChainTxData>
  | NodeNotificationOf<`channels.sign.${SignTag}`, SignRequestData>
  | NodeNotificationOf<'channels.update', { readonly state: EncodedTx }>
  | NodeNotificationOf<'channels.leave', { readonly state: EncodedTx }>
  | NodeNotificationOf<'channels.conflict', ConflictData>
  | NodeNotificationOf<'channels.message', MessageData>
  | NodeNotificationOf<'channels.error', unknown>
  | NodeNotificationOf<'channels.debug', unknown>
  | NodeNotificationOf<'channels.system.pong', { readonly action: 'system'; readonly tag: 'pong' }>
  | NodeNotificationOf<ReplyNotificationMethod, unknown>;

/** Any node → client message, discriminated by `kind` (and notifications by `method`). */
export type NodeMessage =
  | { readonly kind: 'result'; readonly message: NodeResult }
  | { readonly kind: 'error'; readonly message: NodeError }
  | { readonly kind: 'notification'; readonly message: NodeNotification };

/** A validated message or the coded error that says why it is not valid. */
export type ValidationResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: AescError };
