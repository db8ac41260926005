/**
 * @packageDocumentation
 * One coded error class for every aesc package: `AescError` with a stable numeric code, a typed
 * context per code and a message per code; `isAescError(e, code?)` narrows.
 */
export * from './aesc-error.js';
export * from './codes.js';
export type * from './context.js';
export * from './error-code-of.js';
export * from './messages.js';
