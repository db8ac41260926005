/**
 * @packageDocumentation
 * The rules both participants of an æternity state channel follow, written once as pure
 * functions over `@aesc/state`: the updates of a round (transfer and meta, deposit, withdrawal),
 * the next round and its state hash, the txs of a round and the check of a proposal (round, state
 * hash, channel id, amounts), the mutual close (its fee split, built and checked exactly), the solo
 * txs (close_solo, slash, settle, snapshot_solo, with their PoI and refusals), the create tx, the
 * minimum fee, and the tx inside generalized-account meta txs. The client (`@aesc/channel`) and
 * the node (`@aesc/node`) both call them. A check that fails throws an `AescError` with a stable
 * code (7000–7007 for the checks of a tx, as the client has always reported them; 11000–11999 for
 * rules new here).
 *
 * @example
 * ```ts
 * import { checkProposal, nextRound, offchainTx, transferUpdates } from '@aesc/protocol';
 * const updates = transferUpdates({ from: initiator, to: responder, amount: 10n });
 * const tx = offchainTx(channelId, nextRound(last, updates, { channelReserve: 2n })); // the proposer
 * const next = checkProposal('update', tx, updates, { channelId, last, channelReserve: 2n }); // the other side
 * ```
 */
export * from './close-mutual.js';
export * from './create-tx.js';
export * from './fees.js';
export * from './inner-tx.js';
export * from './next-round.js';
export * from './offchain-rounds.js';
export * from './proposal.js';
export * from './round-updates.js';
export * from './same-updates.js';
export * from './solo-tx.js';
export * from './tx-fields.js';
