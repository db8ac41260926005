/**
 * The kill test's checks on what the clients and the node report, as pure functions (the harness
 * gathers the reports; these say what is wrong with them).
 */

/** The rounds a client lost: how far the round it holds is below the highest it reported co-signed. */
export function roundsLost(reported: bigint, held: bigint | null): number {
  const h = held ?? -1n;
  return reported > h ? Number(reported - h) : 0;
}

/**
 * Which of the interrupted deposits (+) and withdrawals (−) happened, given the sum of the balances:
 * the total it makes the channel hold, or undefined when no choice of them gives that sum.
 */
export function settleTotal(total: bigint, uncertain: readonly bigint[], sum: bigint): bigint | undefined {
  let candidates = [0n];
  for (const d of uncertain) candidates = [...candidates, ...candidates.map((c) => c + d)];
  return candidates.some((c) => total + c === sum) ? sum : undefined;
}

/**
 * The rounds and balances of both clients and of the node's two FSMs agree: undefined if so, else
 * what differs. `balances` are the initiator's and the responder's, as decimal strings.
 */
export function disagreement(views: readonly { readonly who: string; readonly round: string | null; readonly balances: readonly string[] | null }[]): string | undefined {
  const first = views[0];
  if (first === undefined) return 'nothing to compare';
  const shown = (v: (typeof views)[number]) => `${v.who} at round ${v.round ?? 'none'} with ${v.balances === null ? 'no balances' : v.balances.join(' + ')}`;
  const same = views.every((v) => v.round !== null && v.balances !== null && v.round === first.round && v.balances.join() === first.balances?.join());
  return same ? undefined : views.map(shown).join(', ');
}
