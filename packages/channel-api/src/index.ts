/**
 * @packageDocumentation
 * The æternity channel WebSocket API as data, shared by the client and the node: every client →
 * node method with its params schema (one file per method in `methods/`), the sign tags and
 * their reply methods, every node → client notification with its events, the error and reason
 * codes with the node's exact messages, abort codes, and the connect query parameters with their
 * defaults. Validators read messages and URLs as the node does and return typed, discriminated
 * values or coded errors.
 */
export * from './check-value.js';
export * from './client-methods.js';
export * from './connect-params.js';
export * from './error-codes.js';
export type * from './json-integer.js';
export type * from './messages.js';
export * from './methods/index.js';
export * from './node-frames.js';
export * from './node-notifications.js';
export * from './param-schema.js';
export * from './sign-tags.js';
export * from './validate-client-message.js';
export * from './validate-node-message.js';
