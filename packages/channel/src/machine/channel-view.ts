import { depositUpdates, withdrawUpdates } from '@aesc/protocol';
import { balanceOf, type OffchainUpdate } from '@aesc/state';
import type { ChannelView } from '../sign-request.js';
import type { ClientState, Command } from './types.js';
import { self } from './builder.js';

/** What the checks of a sign request see of the channel: its parties, balances and parameters. */

export function view(s: ClientState): ChannelView {
  return {
    channelId: s.channelId,
    initiator: s.config.initiator,
    responder: s.config.responder,
    self: self(s),
    channelReserve: s.config.channelReserve,
    lastCoSigned: s.last,
    ...(s.config.maxFee === undefined ? {} : { maxFee: s.config.maxFee }),
  };
}

/** The settle amounts: the balances a solo close or slash proved on chain, else the last co-signed ones. */
export function settleAmounts(s: ClientState): [bigint, bigint] {
  if (s.closingAmounts) return [s.closingAmounts[0], s.closingAmounts[1]];
  const trees = s.last?.state.trees;
  return [trees ? (balanceOf(trees, s.config.initiator) ?? 0n) : 0n, trees ? (balanceOf(trees, s.config.responder) ?? 0n) : 0n];
}

/** The depositor's and withdrawer's own updates: the deposit or withdrawal, then its meta updates. */
export function onChainUpdates(c: Extract<Command, { kind: 'deposit' | 'withdraw' }>, self: ChannelView['self']): OffchainUpdate[] {
  const request = { account: self, amount: c.amount, ...(c.meta === undefined ? {} : { meta: c.meta }) };
  return c.kind === 'deposit' ? depositUpdates(request) : withdrawUpdates(request);
}
