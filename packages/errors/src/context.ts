import type * as C from './codes.js';

/** The typed context each error code carries. Keys are substituted into the message template. */
export interface AescErrorContext {
  [C.AESC_ERROR__ENCODING__MALFORMED_ENCODED_STRING]: { value: string; reason: string };
  [C.AESC_ERROR__ENCODING__UNKNOWN_PREFIX]: { prefix: string };
  [C.AESC_ERROR__ENCODING__UNEXPECTED_PREFIX]: { prefix: string; expected: string };
  [C.AESC_ERROR__ENCODING__BAD_CHECKSUM]: { prefix: string };
  [C.AESC_ERROR__ENCODING__WRONG_PAYLOAD_SIZE]: { prefix: string; expected: number; actual: number };
  [C.AESC_ERROR__ENCODING__RLP_MALFORMED]: { offset: number; reason: string };
  [C.AESC_ERROR__ENCODING__RLP_NON_CANONICAL]: { offset: number; reason: string };
  [C.AESC_ERROR__ENCODING__RLP_TRAILING_BYTES]: { length: number; consumed: number };
  [C.AESC_ERROR__ENCODING__UNKNOWN_TAG]: { tag: number };
  [C.AESC_ERROR__ENCODING__UNKNOWN_VERSION]: { tag: number; name: string; version: number };
  [C.AESC_ERROR__ENCODING__WRONG_FIELD_COUNT]: { name: string; expected: number; actual: number };
  [C.AESC_ERROR__ENCODING__INVALID_FIELD]: { path: string; reason: string };
  [C.AESC_ERROR__ENCODING__NON_CANONICAL_INTEGER]: { path: string };
  [C.AESC_ERROR__ENCODING__INVALID_ID]: { path: string; reason: string };
  [C.AESC_ERROR__ENCODING__UNEXPECTED_TAG]: { path: string; name: string; allowed: string };
  [C.AESC_ERROR__ENCODING__INVALID_VALUE]: { path: string; reason: string };
  [C.AESC_ERROR__ENCODING__UNSUPPORTED_OBJECT]: { tag: number; name: string };
  [C.AESC_ERROR__CRYPTO__INVALID_SECRET_KEY]: { length: number };
  [C.AESC_ERROR__CRYPTO__INVALID_PUBLIC_KEY]: { length: number };
  [C.AESC_ERROR__CRYPTO__INVALID_SIGNATURE]: { length: number };
  [C.AESC_ERROR__CRYPTO__INVALID_NETWORK_ID]: { networkId: string };
  [C.AESC_ERROR__CRYPTO__NATIVE_ED25519_UNAVAILABLE]: { reason: string };
  [C.AESC_ERROR__STATE__MISSING_NODE]: { hash: string };
  [C.AESC_ERROR__STATE__MALFORMED_NODE]: { reason: string };
  [C.AESC_ERROR__STATE__INVALID_KEY]: { reason: string };
  [C.AESC_ERROR__STATE__NEGATIVE_AMOUNT]: { op: string; amount: string };
  [C.AESC_ERROR__STATE__INSUFFICIENT_BALANCE]: { account: string; balance: string; amount: string; reserve: string };
  [C.AESC_ERROR__STATE__ACCOUNT_NOT_FOUND]: { account: string };
  [C.AESC_ERROR__STATE__UPDATE_NEEDS_VM]: { op: string };
  [C.AESC_ERROR__STATE__INVALID_UPDATE]: { reason: string };
  [C.AESC_ERROR__STATE__INVALID_PARTICIPANTS]: { reason: string };
  [C.AESC_ERROR__STATE__POI_STATE_HASH_MISMATCH]: { expected: string; actual: string };
  [C.AESC_ERROR__STATE__POI_BAD_PROOF]: { tree: string; reason: string };
  [C.AESC_ERROR__STATE__POI_KEY_NOT_PRESENT]: { tree: string; key: string };
  [C.AESC_ERROR__STATE__MALFORMED_STATE_TREES]: { path: string; reason: string };
  [C.AESC_ERROR__STATE__DUPLICATE_KEY]: { tree: string; key: string };
  [C.AESC_ERROR__CLI__USAGE]: { reason: string };
  [C.AESC_ERROR__CLI__INPUT_NOT_READABLE]: { source: string; reason: string };
  [C.AESC_ERROR__CLI__INVALID_JSON]: { line: number; reason: string };
  [C.AESC_ERROR__CLI__VERIFICATION_FAILED]: { failed: number };
}
