/**
 * Signing round-trips: the node asks with `channels.sign.<tag>`; the client answers with one of
 * the reply methods (`{signed_tx}` with its signature added, or `{error: code}` to decline).
 * Aliases as the node accepts them (`?METHOD_SIGNED` / `?METHOD_TAG` in `sc_ws_api_jsonrpc.erl`).
 */
export const SIGN_TAGS = {
  initiator_sign: { fsmTag: 'create_tx', replies: ['channels.initiator_sign'] },
  responder_sign: { fsmTag: 'funding_created', replies: ['channels.responder_sign'] },
  deposit_tx: { fsmTag: 'deposit_tx', replies: ['channels.deposit_tx'] },
  deposit_ack: { fsmTag: 'deposit_created', replies: ['channels.deposit_ack'] },
  withdraw_tx: { fsmTag: 'withdraw_tx', replies: ['channels.withdraw_tx'] },
  withdraw_ack: { fsmTag: 'withdraw_created', replies: ['channels.withdraw_ack'] },
  update: { fsmTag: 'update', replies: ['channels.update'] },
  update_ack: { fsmTag: 'update_ack', replies: ['channels.update_ack'] },
  shutdown_sign: { fsmTag: 'shutdown', replies: ['channels.shutdown_sign'] },
  shutdown_sign_ack: { fsmTag: 'shutdown_ack', replies: ['channels.shutdown_sign_ack'] },
  close_solo_sign: { fsmTag: 'close_solo_tx', replies: ['channels.close_solo_sign', 'channels.close_solo_tx'] },
  slash_tx: { fsmTag: 'slash_tx', replies: ['channels.slash_tx', 'channels.slash_sign'] },
  settle_sign: { fsmTag: 'settle_tx', replies: ['channels.settle_sign', 'channels.settle_tx'] },
  /** `channels.snapshot_solo_tx` is accepted too but maps to the bogus FSM tag `snapshot_tx` (node bug). */
  snapshot_solo_tx: { fsmTag: 'snapshot_solo_tx', replies: ['channels.snapshot_solo_sign'] },
  force_progress_tx: {
    fsmTag: 'force_progress_tx',
    replies: ['channels.force_progress_sign', 'channels.force_progress_tx'],
  },
} as const;

/** A sign tag: `channels.sign.<SignTag>`. */
export type SignTag = keyof typeof SIGN_TAGS;

/**
 * Every method the node takes as a sign reply, with the FSM tag it maps to. Includes
 * `channels.snapshot_solo_tx` (→ `snapshot_tx`, which no FSM request matches).
 */
export const SIGN_REPLY_METHODS = {
  'channels.initiator_sign': 'create_tx',
  'channels.responder_sign': 'funding_created',
  'channels.deposit_tx': 'deposit_tx',
  'channels.deposit_ack': 'deposit_created',
  'channels.withdraw_tx': 'withdraw_tx',
  'channels.withdraw_ack': 'withdraw_created',
  'channels.update': 'update',
  'channels.update_ack': 'update_ack',
  'channels.shutdown_sign': 'shutdown',
  'channels.shutdown_sign_ack': 'shutdown_ack',
  'channels.close_solo_sign': 'close_solo_tx',
  'channels.close_solo_tx': 'close_solo_tx',
  'channels.slash_sign': 'slash_tx',
  'channels.slash_tx': 'slash_tx',
  'channels.settle_sign': 'settle_tx',
  'channels.settle_tx': 'settle_tx',
  'channels.snapshot_solo_sign': 'snapshot_solo_tx',
  'channels.snapshot_solo_tx': 'snapshot_tx',
  'channels.force_progress_sign': 'force_progress_tx',
  'channels.force_progress_tx': 'force_progress_tx',
} as const;

/** A sign reply method. */
export type SignReplyMethod = keyof typeof SIGN_REPLY_METHODS;

/** Whether `method` is a sign reply method. */
export function isSignReplyMethod(method: string): method is SignReplyMethod {
  return Object.hasOwn(SIGN_REPLY_METHODS, method);
}

/** The reply methods the node accepts for `channels.sign.<tag>`. */
export function replyMethodsFor(tag: SignTag): readonly SignReplyMethod[] {
  return SIGN_TAGS[tag].replies;
}
