import type { AccountAddress } from '@aesc/encoding';

/** The channel's opening amounts and parameters. */
export interface OpenAmounts {
  readonly initiatorAmount: bigint;
  readonly responderAmount: bigint;
  readonly pushAmount: bigint;
  readonly channelReserve: bigint;
  readonly lockPeriod: bigint;
}

/** The kill test's channel: amounts large enough for every run's deposits, withdrawals and transfers. */
export const OPEN_AMOUNTS: OpenAmounts = {
  initiatorAmount: 70_000_000_000_000n,
  responderAmount: 40_000_000_000_000n,
  pushAmount: 1n,
  channelReserve: 2n,
  lockPeriod: 10n,
};

/** How many key blocks an on-chain tx of the channel waits for (the create tx, deposits, withdrawals). */
export const MINIMUM_DEPTH = 2;

/** The amounts as JSON (decimal strings), for a client's command line. */
export function amountsToJson(a: OpenAmounts): Record<keyof OpenAmounts, string> {
  return {
    initiatorAmount: a.initiatorAmount.toString(),
    responderAmount: a.responderAmount.toString(),
    pushAmount: a.pushAmount.toString(),
    channelReserve: a.channelReserve.toString(),
    lockPeriod: a.lockPeriod.toString(),
  };
}

/** The amounts from {@link amountsToJson}'s JSON. */
export function amountsFromJson(json: unknown): OpenAmounts {
  const j = json as Partial<Record<keyof OpenAmounts, unknown>>;
  const big = (k: keyof OpenAmounts) => {
    const v = j?.[k];
    if (typeof v !== 'string' || !/^[0-9]+$/.test(v)) throw new Error(`amounts.${k} is no decimal string`);
    return BigInt(v);
  };
  return {
    initiatorAmount: big('initiatorAmount'),
    responderAmount: big('responderAmount'),
    pushAmount: big('pushAmount'),
    channelReserve: big('channelReserve'),
    lockPeriod: big('lockPeriod'),
  };
}

/** The connect params that open the channel (besides protocol, role, host and port). */
export function openParams(initiator: AccountAddress, responder: AccountAddress, a: OpenAmounts) {
  return {
    initiator_id: initiator,
    responder_id: responder,
    initiator_amount: a.initiatorAmount,
    responder_amount: a.responderAmount,
    push_amount: a.pushAmount,
    channel_reserve: a.channelReserve,
    lock_period: a.lockPeriod,
    minimum_depth: MINIMUM_DEPTH,
    minimum_depth_strategy: 'plain' as const,
  };
}
