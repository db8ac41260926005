/**
 * @packageDocumentation
 * Conformance harnesses: our client against the node's side of the corpus transcripts.
 */
export * from './client-replay.js';
export * from './node-session-replay.js';
