/**
 * @packageDocumentation
 * The æternity state channel client: a pure state machine (`step(state, event) → { state,
 * effects }`) that follows the node's channel protocol, verified signing — before it signs
 * anything, the client checks the transaction the node sent against what it asked for and against
 * the state hash it computes itself with @aesc/state, and refuses anything that differs — and a
 * crash-safe store for the latest co-signed state.
 *
 * @example
 * ```ts
 * import { checkSignRequest } from '@aesc/channel';
 * const verdict = checkSignRequest(view, { kind: 'offchain', updates: [transfer] }, decodeTx(signRequest.signed_tx));
 * if (!verdict.ok) reply({ error: verdict.abortCode }); // never signed; verdict.error says which field differs
 * ```
 */
export * from './machine/phase.js';
export * from './machine/reducer.js';
export type * from './machine/types.js';
export * from './resume.js';
export * from './sign-request.js';
export * from './signatures.js';
export * from './signing-policy.js';
export * from './store/channel-record.js';
export * from './store/channel-store.js';
export * from './store/file-store.js';
export * from './store/indexeddb-store.js';
export * from './store/memory-store.js';
export * from './driver/auto-dispute.js';
export * from './driver/channel-client.js';
