import type { AccountAddress } from '@aesc/encoding';
import type { OffchainUpdate } from '@aesc/state';

const utf8 = new TextEncoder();
const utf8Text = new TextDecoder();

/** A transfer between the participants, as a client asks for it (`channels.update.new`). */
export interface TransferRequest {
  readonly from: AccountAddress;
  readonly to: AccountAddress;
  readonly amount: bigint;
  /** Strings carried along as meta updates, in order. */
  readonly meta?: readonly string[];
}

/** A deposit or withdrawal of one participant's own coins (`channels.deposit`, `channels.withdraw`). */
export interface OnChainRoundRequest {
  /** The participant who deposits (its `from`) or withdraws (its `to`). */
  readonly account: AccountAddress;
  readonly amount: bigint;
  readonly meta?: readonly string[];
}

/** The meta updates (version 2) of the given strings: data that travels with a round and changes no state. */
export function metaUpdates(meta: readonly string[] | undefined): OffchainUpdate[] {
  if (meta === undefined) return [];
  return meta.map((m) => ({ tag: 'channel_offchain_update_meta', version: 2, data: utf8.encode(m) }) as OffchainUpdate);
}

/**
 * The strings of meta updates, as a client's `meta` (UTF-8 decoded; bytes that are no UTF-8 text
 * decode with replacement characters), or undefined when one of the updates is no meta update:
 * what {@link metaUpdates} made them of.
 *
 * @example
 * ```ts
 * metaTexts(metaUpdates(['for the coffee'])); // ['for the coffee']
 * ```
 */
export function metaTexts(updates: readonly OffchainUpdate[]): string[] | undefined {
  const texts: string[] = [];
  for (const u of updates) {
    if (u.tag !== 'channel_offchain_update_meta') return undefined;
    texts.push(utf8Text.decode(u.data));
  }
  return texts;
}

/**
 * The updates of a transfer round, as the node's FSM makes them (`aesc_fsm` `channels.update.new`):
 * the transfer, then one meta update per meta string.
 *
 * @example
 * ```ts
 * transferUpdates({ from: initiator, to: responder, amount: 10n, meta: ['for the coffee'] });
 * // [{ tag: 'channel_offchain_update_transfer', … }, { tag: 'channel_offchain_update_meta', … }]
 * ```
 */
export function transferUpdates(request: TransferRequest): OffchainUpdate[] {
  const updates: OffchainUpdate[] = [
    { tag: 'channel_offchain_update_transfer', version: 1, from: request.from, to: request.to, amount: request.amount },
  ];
  if (request.meta !== undefined) updates.push(...metaUpdates(request.meta));
  return updates;
}

/** The updates of a deposit round: the deposit from the depositor's account, then its meta updates (`aesc_fsm:new_onchain_tx/7`). */
export function depositUpdates(request: OnChainRoundRequest): OffchainUpdate[] {
  const updates: OffchainUpdate[] = [{ tag: 'channel_offchain_update_deposit', version: 1, from: request.account, amount: request.amount }];
  if (request.meta !== undefined) updates.push(...metaUpdates(request.meta));
  return updates;
}

/** The updates of a withdrawal round: the withdrawal to the withdrawer's account, then its meta updates. */
export function withdrawUpdates(request: OnChainRoundRequest): OffchainUpdate[] {
  const updates: OffchainUpdate[] = [{ tag: 'channel_offchain_update_withdraw', version: 1, to: request.account, amount: request.amount }];
  if (request.meta !== undefined) updates.push(...metaUpdates(request.meta));
  return updates;
}
