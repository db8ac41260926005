import { type AcceptPolicy, DECLINED_BY_POLICY, type SignRequest, safeDecision } from '@aesc/channel';
import type { AccountAddress } from '@aesc/encoding';

export { type AcceptPolicy, DECLINED_BY_POLICY };

/**
 * The highest fee the agent signs for when the user did not give one (`--fee`): 0.001 AE, some
 * fifty times a channel tx's fee at the minimum gas price. A close the peer proposes pays its fee
 * out of the channel's balances, half from each party.
 */
export const AGENT_MAX_FEE = 10n ** 15n;

/**
 * Whether the agent signs a verified sign request: @aesc/channel's safe policy. What the user did
 * not ask for is declined (a create, an update, a deposit, a close, … that is not the one the
 * running command leads to). Of the peer's proposals, with `safe`: everything but a transfer out
 * of this party's account or a deposit or withdrawal of its coins. With `all`: every proposal
 * that verified.
 */
export function acceptDecision(
  request: Pick<SignRequest, 'tag' | 'peerProposal' | 'updates' | 'asked'>,
  me: AccountAddress,
  accept: AcceptPolicy,
): true | { readonly abort: number; readonly reason: string } {
  return safeDecision(request, me, accept);
}
