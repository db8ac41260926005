import {
  ASSUME_MINIMUM_DEPTH,
  CLEAN_CONTRACT_CALLS,
  CLIENT_METHODS,
  CLOSE_SOLO,
  type ClientMethodSpec,
  DEPOSIT,
  GET_BALANCES,
  GET_OFFCHAIN_STATE,
  GET_POI,
  HISTORY_FETCH,
  LEAVE,
  MESSAGE,
  SETTLE,
  SHUTDOWN,
  SLASH,
  SNAPSHOT_SOLO,
  SYSTEM,
  WITHDRAW,
} from '@aesc/channel-api';
import { OFFCHAIN_ROUNDS, type OffchainRoundName } from '@aesc/protocol';
import type { AskedFor, Command } from './types.js';

/** The method of each off-chain round kind, as `@aesc/protocol` declares it. */
const ROUND_METHODS = Object.fromEntries(Object.entries(OFFCHAIN_ROUNDS).map(([kind, round]) => [kind, round.method])) as {
  readonly [K in OffchainRoundName]: (typeof OFFCHAIN_ROUNDS)[K]['method'];
};

/**
 * The channel API method (its spec in `@aesc/channel-api`) each of the app's commands sends; an
 * abort sends none of its own: it answers the sign request it aborts with that request's reply
 * method.
 */
export const COMMAND_METHODS = {
  ...ROUND_METHODS,
  deposit: DEPOSIT,
  withdraw: WITHDRAW,
  shutdown: SHUTDOWN,
  'close-solo': CLOSE_SOLO,
  slash: SLASH,
  settle: SETTLE,
  'snapshot-solo': SNAPSHOT_SOLO,
  message: MESSAGE,
  balances: GET_BALANCES,
  poi: GET_POI,
  'offchain-state': GET_OFFCHAIN_STATE,
  history: HISTORY_FETCH,
  'clean-contract-calls': CLEAN_CONTRACT_CALLS,
  'assume-minimum-depth': ASSUME_MINIMUM_DEPTH,
  leave: LEAVE,
  ping: SYSTEM,
  stop: SYSTEM,
} as const satisfies Record<Exclude<Command['kind'], 'abort'>, ClientMethodSpec>;

/** Commands that propose a new round (and may supersede the peer's unsigned proposal): every off-chain round kind's, a deposit, a withdrawal. */
export const PROPOSALS: ReadonlySet<Command['kind']> = new Set([...(Object.keys(OFFCHAIN_ROUNDS) as OffchainRoundName[]), 'deposit', 'withdraw']);

/**
 * What of this client's leads the node to ask for a signature under `tag`: the commands whose
 * method leads to it (`signTag` of the method's spec); `open` for a tag of the client's own that no
 * method of the API leads to (the create tx, which the connect leads to); nothing for a tag that
 * only a method this client does not send leads to (force progress).
 */
export function askedFor(tag: string): AskedFor['kind'][] {
  const kinds = (Object.keys(COMMAND_METHODS) as (keyof typeof COMMAND_METHODS)[]).filter(
    (kind) => (COMMAND_METHODS[kind] as ClientMethodSpec).signTag === tag,
  );
  if (kinds.length > 0) return kinds;
  const ledTo = Object.values(CLIENT_METHODS).some((spec) => (spec as ClientMethodSpec).signTag === tag);
  return ledTo ? [] : ['open'];
}
