import { type ClientMethodSpec, type ErrorReasonCode, UPDATE_NEW } from '@aesc/channel-api';
import type { AccountAddress } from '@aesc/encoding';
import type { OffchainUpdate } from '@aesc/state';
import { type TransferRequest, metaTexts, transferUpdates } from './round-updates.js';
import { sameUpdates } from './same-updates.js';

/** What every off-chain round request may carry: strings that travel with the round as meta updates. */
export interface RoundRequestBase {
  readonly meta?: readonly string[];
}

/**
 * An off-chain round that a client asks for with a method of its own and that both sides co-sign
 * through the `update` / `update_ack` sign tags (the node's `channels.update.new` and its kin).
 *
 * It is declared once, here; the client and the node derive everything else from it:
 * - the client: its command (`{ kind: <name>, …request }`), the method and params it sends, the
 *   updates it expects the node to ask it to sign, and the request behind a proposal it kept
 *   before a crash;
 * - the node: the method it takes, the request it reads from the validated params, the refusal
 *   it answers, and the updates it proposes.
 *
 * Adding such a round is one entry in {@link OFFCHAIN_ROUNDS} (beside its update type in
 * `@aesc/encoding` and `@aesc/state`, and its method in `@aesc/channel-api`).
 */
export interface OffchainRoundKind<R extends RoundRequestBase> {
  /** The client method that asks for the round (its spec in `@aesc/channel-api`). */
  readonly method: ClientMethodSpec & { readonly signTag: 'update' };
  /** The request in the method's params, which `@aesc/channel-api` has validated (its `meta` included). */
  request(params: Readonly<Record<string, unknown>>): R;
  /** The method's params for a request (its `meta` included; `block_hash` is every round's and added by the caller). */
  params(request: R): Record<string, unknown>;
  /** The node's reason code (`error.data[].code`) for a request that the channel's participants cannot make, or undefined. */
  refusal(request: R, participants: readonly (AccountAddress | undefined)[]): ErrorReasonCode | undefined;
  /** The updates of the round, in the node's order: the kind's own, then one meta update per meta string. */
  updates(request: R): OffchainUpdate[];
  /** The request whose round these updates (before their meta updates) make, or undefined when they are not this kind's. */
  fromUpdates(updates: readonly OffchainUpdate[]): Omit<R, 'meta'> | undefined;
}

/** `channels.update.new`: a transfer between the participants (`aesc_fsm` refuses any other account with reason 1003). */
const transfer = {
  method: UPDATE_NEW,
  request: (p) => {
    // (no spread of an optional part: V8 copies that on its slow path, and the node reads every transfer through here)
    const from = p.from as AccountAddress;
    const to = p.to as AccountAddress;
    const amount = BigInt(p.amount as bigint | number);
    return p.meta === undefined ? { from, to, amount } : { from, to, amount, meta: p.meta as readonly string[] };
  },
  params: (r) => ({ from: r.from, to: r.to, amount: r.amount, ...(r.meta === undefined ? {} : { meta: r.meta }) }),
  refusal: (r, participants) => (r.from === r.to || !participants.includes(r.from) || !participants.includes(r.to) ? 1003 : undefined),
  updates: transferUpdates,
  fromUpdates: ([u, ...rest]) =>
    u?.tag === 'channel_offchain_update_transfer' && rest.length === 0 ? { from: u.from, to: u.to, amount: u.amount } : undefined,
} satisfies OffchainRoundKind<TransferRequest>;

/**
 * The off-chain rounds a client asks for by a method of their own, by the name of the client's
 * command. One entry per round kind: see {@link OffchainRoundKind}.
 */
export const OFFCHAIN_ROUNDS = { transfer } as const;

/** The name of an off-chain round kind (the client's command for it). */
export type OffchainRoundName = keyof typeof OFFCHAIN_ROUNDS;

/** The request of an off-chain round kind. */
export type OffchainRoundRequest<K extends OffchainRoundName = OffchainRoundName> = Parameters<(typeof OFFCHAIN_ROUNDS)[K]['updates']>[0];

/** Whether a name (of a client's command) is an off-chain round kind's. */
export function isOffchainRound(name: string): name is OffchainRoundName {
  return Object.hasOwn(OFFCHAIN_ROUNDS, name);
}

/** The declaration of a round kind, with its request widened to every kind's (the caller holds a request of that kind). */
export function offchainRound(name: OffchainRoundName): OffchainRoundKind<OffchainRoundRequest> {
  return OFFCHAIN_ROUNDS[name] as OffchainRoundKind<OffchainRoundRequest>;
}

/** The round kind a client method asks for, or undefined for a method that asks for none. */
export function offchainRoundOfMethod(method: string): OffchainRoundName | undefined {
  for (const name in OFFCHAIN_ROUNDS) if (OFFCHAIN_ROUNDS[name as OffchainRoundName].method.method === method) return name as OffchainRoundName;
  return undefined;
}

/**
 * The round kind and request whose updates these are (the kind's own, then meta updates), or
 * undefined when no kind makes them: what a client that kept its proposal before a crash had
 * asked for.
 */
export function offchainRoundOfUpdates(
  updates: readonly OffchainUpdate[],
): { readonly kind: OffchainRoundName; readonly request: OffchainRoundRequest } | undefined {
  const firstMeta = updates.findIndex((u) => u.tag === 'channel_offchain_update_meta');
  const own = firstMeta === -1 ? updates : updates.slice(0, firstMeta);
  const meta = metaTexts(firstMeta === -1 ? [] : updates.slice(firstMeta));
  if (own.length === 0 || meta === undefined) return undefined;
  for (const kind of Object.keys(OFFCHAIN_ROUNDS) as OffchainRoundName[]) {
    const found = OFFCHAIN_ROUNDS[kind].fromUpdates(own);
    if (found === undefined) continue;
    const request = { ...found, ...(meta.length === 0 ? {} : { meta }) } as OffchainRoundRequest;
    // Only what the kind itself builds of that request (meta data that is no UTF-8 text is not).
    if (sameUpdates(offchainRound(kind).updates(request), updates)) return { kind, request };
  }
  return undefined;
}
