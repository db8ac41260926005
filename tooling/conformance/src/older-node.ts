import { decodeTx, encodeTx } from '@aesc/encoding';
import { payCloseMutualFee } from '@aesc/protocol';

type Json = Record<string, unknown>;
/** A JSON-RPC frame of the node. */
export type Frame = Json & { method?: string; id?: unknown; params?: Json & { data?: Json }; result?: unknown; error?: Json };

const dataOf = (m: Frame) => (m.params?.data ?? {}) as Json;

/**
 * How a recording made by an older æternity node differs from what the node sends now (and ours),
 * and how to tell that difference from any other. A frame is compared strictly after {@link asOlder}
 * has made ours into what the older node sent, so the difference must be exactly that; a frame the
 * older node did not send at all must be exactly what {@link extra} recognizes.
 */
export interface OlderNodeDifference {
  readonly why: string;
  /**
   * Ours as the older node would have sent it, where the recorded frame shows that node's
   * difference (undefined: no such difference in this frame, compare as it is).
   */
  asOlder?(expected: Frame, actual: Frame, socket: SocketSeen): Frame | undefined;
  /**
   * Whether `actual`, which the recording does not have where it came, is a frame the current
   * node sends and the older one did not; `socket` tells what that client saw before on it.
   */
  extra?(actual: Frame, socket: SocketSeen): boolean;
  /**
   * Whether the recorded frame `expected` is one the older node sent and the current one does
   * not send at all (so ours is not looked for); `socket` tells what that client saw before.
   */
  missing?(expected: Frame, socket: SocketSeen): boolean;
}

/** What a client saw on a socket before: the last recorded frame matched there, and the state of the last `channels.update`. */
export interface SocketSeen {
  readonly lastMatched?: Frame | undefined;
  readonly lastState?: string | undefined;
}

/** The older node's default close_mutual fee: 20,000 gas at the minimum gas price (10^9 aettos). */
export const OLD_CLOSE_MUTUAL_FEE = 20_000n * 1_000_000_000n;

/**
 * A close_mutual tx of ours with the older node's default fee instead of ours, split between the
 * parties as the node splits any close_mutual fee (the balances before the fee are ours); undefined
 * when the balances cannot pay it.
 */
function withOldFee(tx: string): string | undefined {
  const signed = decodeTx(tx);
  const t = signed.tx;
  if (t.tag !== 'channel_close_mutual_tx') return undefined;
  const initiator = t.initiatorAmountFinal + (t.fee + 1n) / 2n;
  const responder = t.responderAmountFinal + t.fee / 2n;
  const ours = payCloseMutualFee(t.fee, initiator, responder);
  // ours must be the split of our fee, or the balances before it are not what we took them for
  if (ours?.initiatorAmountFinal !== t.initiatorAmountFinal || ours.responderAmountFinal !== t.responderAmountFinal) return undefined;
  const old = payCloseMutualFee(OLD_CLOSE_MUTUAL_FEE, initiator, responder);
  if (old === undefined) return undefined;
  return encodeTx({ ...signed, tx: { ...t, fee: OLD_CLOSE_MUTUAL_FEE, ...old } });
}

/**
 * The `changeable_fee/sc_ws_set_fee_*` transcripts were recorded by a node older than these two
 * changes to aesc_fsm (aeternity/aeternity history):
 * - fdc113f92 (2020-01-16, "sc gas price", #3077) removed the default fee of a close_mutual, 20,000
 *   gas at the minimum gas price (`default_fee`): since then a `channels.shutdown` without a fee
 *   gets the minimum fee for the tx's size, which ours computes too;
 * - daf6ec3e0 (2020-04-21, "sc reestablish early", #3224) added the `fsm_id` to the
 *   `funding_created` and `funding_signed` reports (`maybe_add_fsm_id`), and made the FSMs know
 *   the channel id once the create tx is signed (`on_chain_id`), so that those reports and the
 *   responder's sign request carry it (the older node sent `"channel_id": null` there).
 * (The corpus regenerated them on 2020-01-20, protocol commit 37afd21, signed for the Lima test
 * network.) A recorded funding report without `fsm_id` and channel id (or the responder's sign request
 * without channel id) is compared with ours without them; a recorded
 * close_mutual at the old default fee with ours at that fee, split as the node splits it. Every
 * other value of those frames, and every other frame, is compared strictly.
 */
export const SET_FEE_RECORDINGS: OlderNodeDifference = {
  why: 'recorded before aeternity fdc113f92 (2020-01-16: a close_mutual without a fee had the default 20,000 gas) and daf6ec3e0 (2020-04-21: channel id and fsm_id in the funding reports)',
  asOlder(expected, actual, { lastMatched }) {
    const e = dataOf(expected);
    const a = dataOf(actual);
    // The channel id not known yet to that node's FSMs: in the responder's funding_created report,
    // its sign request and the answer to its reply, and the initiator's funding_signed report
    // (which had no fsm_id either).
    const funding = expected.method === 'channels.info' && (e.event === 'funding_created' || e.event === 'funding_signed');
    const answer = expected.method === undefined && lastMatched?.method === 'channels.sign.responder_sign';
    if (funding || answer || expected.method === 'channels.sign.responder_sign') {
      const recorded = expected.method === undefined ? expected.channel_id : expected.params?.channel_id;
      const ours = actual.method === undefined ? actual.channel_id : actual.params?.channel_id;
      if (recorded !== null || typeof ours !== 'string' || (funding && (e.fsm_id !== undefined || a.fsm_id === undefined))) return undefined;
      if (actual.method === undefined) return { ...actual, channel_id: null };
      const { fsm_id: _, ...rest } = a;
      return { ...actual, params: { ...actual.params, channel_id: null, data: funding ? rest : a } };
    }
    for (const k of ['signed_tx', 'tx'] as const) {
      const et = e[k];
      const at = a[k];
      if (typeof et !== 'string' || typeof at !== 'string') continue;
      const recorded = decodeTx(et).tx;
      if (recorded.tag !== 'channel_close_mutual_tx' || recorded.fee !== OLD_CLOSE_MUTUAL_FEE) continue;
      const old = withOldFee(at);
      if (old !== undefined) return { ...actual, params: { ...actual.params, data: { ...a, [k]: old } } };
    }
    return undefined;
  },
};

/**
 * The recordings of a responder whose FSM kept running through the initiator's leave
 * (`keep_running`) and then saw the channel reestablished were made in March 2021; since
 * aeternity#3235 (ba0ad3de8, 2021-11-25, "Responder sends channels.update report after reestablish":
 * `force_update_report` in aesc_fsm) the node reports the co-signed state to that responder again,
 * and ours does as the current node (æternity's JS SDK, reconnecting to such an FSM, waits for that
 * report). The one frame the recording lacks is that `channels.update`, right after the
 * responder's `open` report, carrying the state this responder was last sent.
 */
export const RESPONDER_STAYS_RECORDINGS: OlderNodeDifference = {
  why: 'recorded before aeternity ba0ad3de8 (#3235, 2021-11-25: the co-signed state reported to a responder that stayed through a reestablish)',
  extra: (actual, { lastMatched, lastState }) =>
    actual.method === 'channels.update' &&
    lastMatched?.method === 'channels.info' &&
    dataOf(lastMatched).event === 'open' &&
    lastState !== undefined &&
    dataOf(actual).state === lastState,
};

/**
 * `continuous/sc_ws_update_conflict` was recorded (January 2020, with the `set_fee` recordings) by a
 * node before aeternity b3d53d489 (2020-03-03, "improve conflict tests", #3159), whose FSM, back in
 * `open` after a conflict, reported the peer's `update_error` as a conflict once more
 * (`open(cast, {?UPDATE_ERR, Msg}, D) -> report(conflict, Msg, D)`, removed there): each client got
 * a second `channels.conflict` with the same round and code after the first. The node has sent one
 * since (as in `both_sign/conflicts`, recorded in 2021), and so does ours.
 */
export const DOUBLE_CONFLICT_RECORDING: OlderNodeDifference = {
  why: 'recorded before aeternity b3d53d489 (2020-03-03: an FSM back in open no longer reports the peer’s update_error as a second conflict)',
  missing(expected, { lastMatched }) {
    if (expected.method !== 'channels.conflict' || lastMatched?.method !== 'channels.conflict') return false;
    const e = dataOf(expected);
    const last = dataOf(lastMatched);
    return e.round === last.round && e.error_code === last.error_code;
  },
};

/** Transcripts recorded by an older node, by file, with the differences they show. */
export const OLDER_NODE: Readonly<Record<string, OlderNodeDifference>> = {
  ...Object.fromEntries(
    ['close_mutual', 'close_solo', 'create', 'deposit', 'settle', 'slash', 'snapshot', 'withdrawal'].map((x) => [`changeable_fee/sc_ws_set_fee_${x}.json`, SET_FEE_RECORDINGS]),
  ),
  'sc_ws_leave_reestablish_responder_stays.json': RESPONDER_STAYS_RECORDINGS,
  'sc_ws_leave_reconnect.json': RESPONDER_STAYS_RECORDINGS,
  'continuous/sc_ws_update_conflict.json': DOUBLE_CONFLICT_RECORDING,
};
