/**
 * Signing round-trips: the node asks with `channels.sign.<tag>`; the client answers with one of
 * the reply methods (`{signed_tx}` with its signature added, or `{error: code}` to decline).
 * Aliases as the node accepts them (`?METHOD_SIGNED` / `?METHOD_TAG` in `sc_ws_api_jsonrpc.erl`).
 *
 * For each tag, besides the FSM tag and every reply method the node takes:
 * - `reply`: the reply method clients send (the one the node's own test clients use);
 * - `peerProposal`: whether the tx is the other participant's proposal (`*_ack`) rather than this
 *   client's own request;
 * - `signedFirstBy`: whether the tx comes signed by the peer already (and by no one else), or by
 *   no one.
 *
 * Which client request leads to each of a client's own tags is said by the request's method
 * (`signTag` of its spec in `CLIENT_METHODS`); the create tx's (`initiator_sign`, `responder_sign`)
 * come with the channel's opening, from the connect.
 */
export const SIGN_TAGS = {
  initiator_sign: { fsmTag: 'create_tx', replies: ['channels.initiator_sign'], reply: 'channels.initiator_sign', peerProposal: false, signedFirstBy: 'none' },
  responder_sign: { fsmTag: 'funding_created', replies: ['channels.responder_sign'], reply: 'channels.responder_sign', peerProposal: false, signedFirstBy: 'peer' },
  deposit_tx: { fsmTag: 'deposit_tx', replies: ['channels.deposit_tx'], reply: 'channels.deposit_tx', peerProposal: false, signedFirstBy: 'none' },
  deposit_ack: { fsmTag: 'deposit_created', replies: ['channels.deposit_ack'], reply: 'channels.deposit_ack', peerProposal: true, signedFirstBy: 'peer' },
  withdraw_tx: { fsmTag: 'withdraw_tx', replies: ['channels.withdraw_tx'], reply: 'channels.withdraw_tx', peerProposal: false, signedFirstBy: 'none' },
  withdraw_ack: { fsmTag: 'withdraw_created', replies: ['channels.withdraw_ack'], reply: 'channels.withdraw_ack', peerProposal: true, signedFirstBy: 'peer' },
  update: { fsmTag: 'update', replies: ['channels.update'], reply: 'channels.update', peerProposal: false, signedFirstBy: 'none' },
  update_ack: { fsmTag: 'update_ack', replies: ['channels.update_ack'], reply: 'channels.update_ack', peerProposal: true, signedFirstBy: 'peer' },
  shutdown_sign: { fsmTag: 'shutdown', replies: ['channels.shutdown_sign'], reply: 'channels.shutdown_sign', peerProposal: false, signedFirstBy: 'none' },
  shutdown_sign_ack: { fsmTag: 'shutdown_ack', replies: ['channels.shutdown_sign_ack'], reply: 'channels.shutdown_sign_ack', peerProposal: true, signedFirstBy: 'peer' },
  close_solo_sign: {
    fsmTag: 'close_solo_tx',
    replies: ['channels.close_solo_sign', 'channels.close_solo_tx'],
    reply: 'channels.close_solo_sign',
    peerProposal: false,
    signedFirstBy: 'none',
  },
  slash_tx: { fsmTag: 'slash_tx', replies: ['channels.slash_tx', 'channels.slash_sign'], reply: 'channels.slash_sign', peerProposal: false, signedFirstBy: 'none' },
  settle_sign: { fsmTag: 'settle_tx', replies: ['channels.settle_sign', 'channels.settle_tx'], reply: 'channels.settle_sign', peerProposal: false, signedFirstBy: 'none' },
  /** `channels.snapshot_solo_tx` is accepted too but maps to the bogus FSM tag `snapshot_tx` (node bug). */
  snapshot_solo_tx: {
    fsmTag: 'snapshot_solo_tx',
    replies: ['channels.snapshot_solo_sign'],
    reply: 'channels.snapshot_solo_sign',
    peerProposal: false,
    signedFirstBy: 'none',
  },
  force_progress_tx: {
    fsmTag: 'force_progress_tx',
    replies: ['channels.force_progress_sign', 'channels.force_progress_tx'],
    reply: 'channels.force_progress_sign',
    peerProposal: false,
    signedFirstBy: 'none',
  },
} as const satisfies Record<string, SignTagSpec>;

/** What the API says of one sign tag (see {@link SIGN_TAGS}). */
export interface SignTagSpec {
  /** The tag the node's FSM knows the request by. */
  readonly fsmTag: string;
  /** Every reply method the node takes for it. */
  readonly replies: readonly SignReplyMethod[];
  /** The reply method clients send. */
  readonly reply: SignReplyMethod;
  /** Whether it is the other participant's proposal. */
  readonly peerProposal: boolean;
  /** Who has signed the tx when it comes: the peer (only), or no one. */
  readonly signedFirstBy: 'peer' | 'none';
}

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

/** The prefix of sign request methods (`channels.sign.<tag>`). */
export const SIGN_REQUEST_PREFIX = 'channels.sign.';

/** The method the node asks for a signature with: `channels.sign.<tag>`. */
export function signRequestMethod(tag: SignTag): `channels.sign.${SignTag}` {
  return `channels.sign.${tag}`;
}

/**
 * The tag of a sign request method (`channels.sign.<tag>` → `<tag>`): the tag as the node sent it
 * (which may be one this API does not know: check it with `Object.hasOwn(SIGN_TAGS, tag)`), or
 * undefined for a method that is no sign request (nor the prefix alone).
 */
export function signTagOf(method: string | undefined): string | undefined {
  if (method === undefined || method.length <= SIGN_REQUEST_PREFIX.length || !method.startsWith(SIGN_REQUEST_PREFIX)) return undefined;
  return method.slice(SIGN_REQUEST_PREFIX.length);
}

/** Whether `tag` is a sign tag of the API. */
export function isSignTag(tag: string): tag is SignTag {
  return Object.hasOwn(SIGN_TAGS, tag);
}
