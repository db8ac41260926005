/**
 * `channels.info` events (`aesc_fsm` `report(info, …)`), with the extra `data` keys each carries.
 * Keys in `optional` may be absent (e.g. `funding_created` without `fsm_id` from older nodes).
 */
export const INFO_EVENTS = {
  fsm_up: { required: ['fsm_id'], optional: [] },
  channel_open: { required: [], optional: [] },
  channel_accept: { required: [], optional: [] },
  funding_created: { required: [], optional: ['fsm_id'] },
  funding_signed: { required: [], optional: ['fsm_id'] },
  own_funding_locked: { required: [], optional: [] },
  funding_locked: { required: [], optional: [] },
  open: { required: [], optional: [] },
  update: { required: [], optional: [] },
  deposit_created: { required: [], optional: [] },
  withdraw_created: { required: [], optional: [] },
  own_deposit_locked: { required: [], optional: [] },
  deposit_locked: { required: [], optional: [] },
  own_withdraw_locked: { required: [], optional: [] },
  withdraw_locked: { required: [], optional: [] },
  channel_reestablished: { required: [], optional: [] },
  peer_disconnected: { required: [], optional: [] },
  aborted_update: { required: [], optional: [] },
  shutdown: { required: [], optional: [] },
  closing: { required: [], optional: [] },
  close_mutual: { required: [], optional: [] },
  closed_confirmed: { required: [], optional: [] },
  died: { required: [], optional: [] },
  timeout: { required: [], optional: [] },
  bad_signature: { required: [], optional: [] },
  bad_state_hash: { required: [], optional: [] },
  not_create_tx: { required: [], optional: [] },
  zombie_channel: { required: [], optional: [] },
  /** When a pending tx reaches minimum depth after `channels.assume_minimum_depth`. */
  minimum_depth_achieved: { required: ['tx_hash', 'tx_type'], optional: ['notice'] },
  /** Own snapshot reached minimum depth; `tx_hash` is raw bytes in recorded transcripts (node quirk). */
  min_depth_achieved: { required: ['tx_hash', 'type'], optional: [] },
} as const satisfies Record<string, { required: readonly string[]; optional: readonly string[] }>;

/** A `channels.info` event name. */
export type InfoEvent = keyof typeof INFO_EVENTS;

/** `channels.on_chain_tx` `info` values. */
export const ON_CHAIN_TX_INFO = [
  'funding_signed',
  'funding_created',
  'deposit_signed',
  'deposit_created',
  'withdraw_signed',
  'withdraw_created',
  'close_mutual',
  'channel_changed',
  'channel_closed',
  'solo_closing',
  'can_slash',
  'can_snapshot',
  'consumed_forced_progress',
] as const;

/** A `channels.on_chain_tx` `info` value. */
export type OnChainTxInfo = (typeof ON_CHAIN_TX_INFO)[number];

/** `channels.on_chain_tx` `type` values: the channel transaction types. */
export const ON_CHAIN_TX_TYPES = [
  'channel_create_tx',
  'channel_deposit_tx',
  'channel_withdraw_tx',
  'channel_close_mutual_tx',
  'channel_close_solo_tx',
  'channel_slash_tx',
  'channel_settle_tx',
  'channel_snapshot_solo_tx',
  'channel_force_progress_tx',
  'channel_offchain_tx',
  'channel_set_delegates_tx',
] as const;

/** A `channels.on_chain_tx` `type` value. */
export type OnChainTxType = (typeof ON_CHAIN_TX_TYPES)[number];

/**
 * The `*.reply` notifications that answer id-less data requests, with the request method.
 */
export const REPLY_NOTIFICATIONS = {
  'channels.get.contract_call.reply': 'channels.get.contract_call',
  'channels.dry_run.call_contract.reply': 'channels.dry_run.call_contract',
  'channels.get.contract.reply': 'channels.get.contract',
  'channels.get.balances.reply': 'channels.get.balances',
  'channels.get.poi.reply': 'channels.get.poi',
  'channels.get.offchain_state.reply': 'channels.get.offchain_state',
  'channels.calls_pruned.reply': 'channels.clean_contract_calls',
  'channels.history.fetch.reply': 'channels.history.fetch',
} as const;

/** A `*.reply` notification method. */
export type ReplyNotificationMethod = keyof typeof REPLY_NOTIFICATIONS;

/** The other node → client notification methods (sign requests are `channels.sign.<tag>`), by name. */
export const NOTIFICATIONS = {
  info: 'channels.info',
  onChainTx: 'channels.on_chain_tx',
  update: 'channels.update',
  leave: 'channels.leave',
  conflict: 'channels.conflict',
  message: 'channels.message',
  error: 'channels.error',
  debug: 'channels.debug',
  pong: 'channels.system.pong',
} as const;

/** One of {@link NOTIFICATIONS}. */
export type NotificationMethod = (typeof NOTIFICATIONS)[keyof typeof NOTIFICATIONS];

/** The methods of {@link NOTIFICATIONS}, as a list. */
export const NOTIFICATION_METHODS: readonly NotificationMethod[] = Object.freeze(Object.values(NOTIFICATIONS));

/** The `report_<tag>` connect parameters: which notifications the node sends, and their default. */
export const REPORT_TAGS = {
  info: true,
  update: true,
  leave: true,
  conflict: true,
  message: true,
  error: true,
  on_chain_tx: true,
  min_depth: true,
  debug: false,
} as const;
