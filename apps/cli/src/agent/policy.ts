import type { SignRequest } from '@aesc/channel';
import type { AccountAddress } from '@aesc/encoding';

/** What an agent signs of the peer's proposals: `safe` (the default) or `all` that verifies. */
export type AcceptPolicy = 'safe' | 'all';

/** The abort code an agent declines a proposal with: the first of the user range (aesc_codec: ≥ 128). */
export const DECLINED_BY_POLICY = 128;

/**
 * Whether the agent signs a verified sign request. Its own requests always (the user asked for
 * them). Of the peer's proposals, with `safe`: everything but a transfer out of this party's
 * account — the node lets either party propose a transfer from either account, and a person would
 * not want an unattended agent to sign one away. With `all`: everything that verified.
 */
export function acceptDecision(
  request: Pick<SignRequest, 'peerProposal' | 'updates'>,
  me: AccountAddress,
  accept: AcceptPolicy,
): true | { readonly abort: number; readonly reason: string } {
  if (!request.peerProposal || accept === 'all') return true;
  const outgoing = request.updates.some((u) => u.tag === 'channel_offchain_update_transfer' && u.from === me);
  if (outgoing) return { abort: DECLINED_BY_POLICY, reason: 'the peer proposes to move coins out of this account (start the agent with --accept all to sign such proposals)' };
  return true;
}
