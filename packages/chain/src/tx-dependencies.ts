import type { ChannelId, SignedTx } from '@aesc/encoding';
import { type LedgerState, type SupportedTx, getChannel, txChannelId, txOrigin } from './ledger.js';

/**
 * The accounts and channel a pooled tx reads that other txs can change, as keys (`a:ak_…`,
 * `c:ch_…`): its origin, a create's responder, its channel.
 */
export function txDeps(tx: SupportedTx, signed: SignedTx): string[] {
  const deps = [`a:${txOrigin(tx)}`];
  if (tx.tag === 'channel_create_tx') deps.push(`a:${tx.responderId}`);
  const channel = txChannelId(signed);
  if (channel !== undefined) deps.push(`c:${channel}`);
  return deps;
}

/** The accounts and channel an applied tx changed, besides the channel's peers ({@link txPeers}). */
export function txTouches(tx: SupportedTx, channelId: ChannelId | undefined): string[] {
  const out = [`a:${txOrigin(tx)}`];
  if (tx.tag === 'spend_tx') out.push(`a:${tx.recipientId}`);
  if (tx.tag === 'channel_create_tx') out.push(`a:${tx.responderId}`);
  if (channelId !== undefined) out.push(`c:${channelId}`);
  return out;
}

/** The peers of the channel a tx touches, as accounts it may pay out to (a settle, a mutual close). */
export function txPeers(state: LedgerState, tx: SupportedTx): string[] {
  if (!('channelId' in tx)) return [];
  const ch = getChannel(state, tx.channelId as ChannelId);
  return ch === undefined ? [] : [`a:${ch.initiatorId}`, `a:${ch.responderId}`];
}
