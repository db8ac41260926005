import type { AccountAddress } from '@aesc/encoding';
import { payerOf } from '@aesc/state';
import type { SignRequest, SigningPolicy } from './driver/channel-client.js';
import { signTagSpec } from './machine/sign-tags.js';

/** The abort code a policy declines a sign request with: the first of the user range (`aesc_codec.hrl`: 128 and up). */
export const DECLINED_BY_POLICY = 128;

/** What {@link safeDecision} signs of the peer's proposals: `safe` (nothing that takes from this account) or `all` that verified. */
export type AcceptPolicy = 'safe' | 'all';

/**
 * The verdict of the safe signing policy on a verified sign request (the CLI agent's, and any
 * unattended app's). What the user did not ask for is declined: a request of this client's own
 * kind (a create, an update, a deposit, a close, a settle, …) must be the one the app's running
 * command leads to. Of the peer's proposals, with `safe`: everything but an update that moves this
 * account's coins (`payerOf` of `@aesc/state`: a transfer out of it, a deposit or withdrawal of its coins, …) — the node lets either party propose
 * a transfer from either account, and no one wants an unattended agent to sign one away. With
 * `all`: every proposal that verified.
 *
 * @example
 * ```ts
 * const policy: SigningPolicy = async (request) => safeDecision(request, myAddress);
 * ```
 */
export function safeDecision(
  request: Pick<SignRequest, 'tag' | 'peerProposal' | 'updates' | 'asked'>,
  me: AccountAddress,
  accept: AcceptPolicy = 'safe',
): true | { readonly abort: number; readonly reason: string } {
  if (!request.peerProposal) {
    const asked = request.asked;
    // The tag must be the one the app's request leads to (the `asked` of SIGN_TAGS).
    if (asked === undefined || signTagSpec(request.tag)?.asked.includes(asked.kind) !== true) {
      const what = asked === undefined ? 'nothing of the kind' : `a ${asked.kind}`;
      return { abort: DECLINED_BY_POLICY, reason: `the node asks to sign a ${request.tag}, and the user asked for ${what}` };
    }
    return true;
  }
  if (accept === 'all') return true;
  // Whatever the update type: one that moves this account's coins is declined.
  if (!request.updates.some((u) => payerOf(u) === me)) return true;
  if (request.tag === 'deposit_ack' || request.tag === 'withdraw_ack') {
    return { abort: DECLINED_BY_POLICY, reason: "the peer proposes to move this account's coins on or off chain" };
  }
  return { abort: DECLINED_BY_POLICY, reason: 'the peer proposes to move coins out of this account (start the agent with --accept all to sign such proposals)' };
}

/**
 * The safe signing policy for `me` (see {@link safeDecision}), ready for `connectChannel`.
 *
 * @example
 * ```ts
 * connectChannel({ connect, config, signer, policy: safePolicy(signer.address) });
 * ```
 */
export function safePolicy(me: AccountAddress, accept: AcceptPolicy = 'safe'): SigningPolicy {
  return async (request) => safeDecision(request, me, accept);
}

/** The approve-all policy: every sign request that passed the client's verification is signed (the client's default). */
export const approveAll: SigningPolicy = async () => true;
