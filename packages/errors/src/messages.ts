import * as C from './codes.js';
import type { AescErrorCode } from './codes.js';

/**
 * One message template per code; `$name` is replaced by the context value of that name.
 * Templates never interpolate secrets: contexts hold lengths and public values only.
 */
export const AESC_ERROR_MESSAGES: Readonly<Record<AescErrorCode, string>> = {
  [C.AESC_ERROR__ENCODING__MALFORMED_ENCODED_STRING]: 'Malformed API-encoded string: $reason',
  [C.AESC_ERROR__ENCODING__UNKNOWN_PREFIX]: 'Unknown API encoding prefix "$prefix_"',
  [C.AESC_ERROR__ENCODING__UNEXPECTED_PREFIX]: 'Expected a value with prefix $expected, got "$prefix_"',
  [C.AESC_ERROR__ENCODING__BAD_CHECKSUM]: 'Bad checksum in "$prefix_" value',
  [C.AESC_ERROR__ENCODING__WRONG_PAYLOAD_SIZE]:
    'Wrong payload size for "$prefix_": expected $expected bytes, got $actual',
  [C.AESC_ERROR__ENCODING__RLP_MALFORMED]: 'Malformed RLP at byte $offset: $reason',
  [C.AESC_ERROR__ENCODING__RLP_NON_CANONICAL]: 'Non-canonical RLP at byte $offset: $reason',
  [C.AESC_ERROR__ENCODING__RLP_TRAILING_BYTES]:
    'Trailing bytes after RLP item: consumed $consumed of $length bytes',
  [C.AESC_ERROR__ENCODING__UNKNOWN_TAG]: 'Unknown object tag $tag',
  [C.AESC_ERROR__ENCODING__UNKNOWN_VERSION]: 'Unknown version $version of $name (tag $tag)',
  [C.AESC_ERROR__ENCODING__WRONG_FIELD_COUNT]: '$name has $expected fields, got $actual',
  [C.AESC_ERROR__ENCODING__INVALID_FIELD]: 'Invalid field $path: $reason',
  [C.AESC_ERROR__ENCODING__NON_CANONICAL_INTEGER]: 'Non-canonical integer in $path (leading zero or empty)',
  [C.AESC_ERROR__ENCODING__INVALID_ID]: 'Invalid id in $path: $reason',
  [C.AESC_ERROR__ENCODING__UNEXPECTED_TAG]: 'Unexpected object $name in $path (allowed: $allowed)',
  [C.AESC_ERROR__ENCODING__INVALID_VALUE]: 'Cannot encode $path: $reason',
  [C.AESC_ERROR__ENCODING__UNSUPPORTED_OBJECT]: 'Object $name (tag $tag) is not supported by this codec',
  [C.AESC_ERROR__CRYPTO__INVALID_SECRET_KEY]: 'Invalid secret key: expected 32 or 64 bytes, got $length',
  [C.AESC_ERROR__CRYPTO__INVALID_PUBLIC_KEY]: 'Invalid public key: expected 32 bytes, got $length',
  [C.AESC_ERROR__CRYPTO__INVALID_SIGNATURE]: 'Invalid signature: expected 64 bytes, got $length',
  [C.AESC_ERROR__CRYPTO__INVALID_NETWORK_ID]: 'Invalid network id "$networkId"',
  [C.AESC_ERROR__CRYPTO__NATIVE_ED25519_UNAVAILABLE]: 'Native Ed25519 is not available here: $reason',
  [C.AESC_ERROR__STATE__MISSING_NODE]: 'Merkle tree node $hash is not in the node store',
  [C.AESC_ERROR__STATE__MALFORMED_NODE]: 'Malformed Merkle tree node: $reason',
  [C.AESC_ERROR__STATE__INVALID_KEY]: 'Invalid Merkle tree key: $reason',
  [C.AESC_ERROR__STATE__NEGATIVE_AMOUNT]: 'Negative amount $amount in $op',
  [C.AESC_ERROR__STATE__INSUFFICIENT_BALANCE]: 'Insufficient balance of $account: $balance minus $amount is below the channel reserve $reserve',
  [C.AESC_ERROR__STATE__ACCOUNT_NOT_FOUND]: 'Account $account is not in the state',
  [C.AESC_ERROR__STATE__UPDATE_NEEDS_VM]: 'Update $op needs a contract VM',
  [C.AESC_ERROR__STATE__INVALID_UPDATE]: 'Invalid off-chain update: $reason',
  [C.AESC_ERROR__STATE__INVALID_PARTICIPANTS]: 'Invalid channel participants: $reason',
  [C.AESC_ERROR__STATE__POI_STATE_HASH_MISMATCH]: 'Proof of inclusion is for state hash $actual, expected $expected',
  [C.AESC_ERROR__STATE__POI_BAD_PROOF]: 'Bad proof of inclusion in the $tree tree: $reason',
  [C.AESC_ERROR__STATE__POI_KEY_NOT_PRESENT]: 'Key $key is not in the $tree tree (or not covered by the proof)',
  [C.AESC_ERROR__STATE__MALFORMED_STATE_TREES]: 'Malformed state trees at $path: $reason',
  [C.AESC_ERROR__STATE__DUPLICATE_KEY]: 'Duplicate key $key in the $tree tree',
  [C.AESC_ERROR__CHANNEL__UNEXPECTED_TX_TYPE]: 'Refused to sign: expected a $expected, the node sent a $actual',
  [C.AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH]: 'Refused to sign the $tx: $field is $actual, expected $expected',
  [C.AESC_ERROR__CHANNEL__STATE_HASH_MISMATCH]:
    'Refused to sign the $tx: its state hash $actual is not the $expected computed from the updates',
  [C.AESC_ERROR__CHANNEL__FEE_TOO_HIGH]: 'Refused to sign the $tx: fee $fee is above the limit $limit',
  [C.AESC_ERROR__CHANNEL__UPDATES_MISMATCH]: 'Refused to sign: the updates are not the ones requested ($reason)',
  [C.AESC_ERROR__CHANNEL__INVALID_UPDATE]: 'Refused to sign: the updates cannot be applied ($reason)',
  [C.AESC_ERROR__CHANNEL__REFUSED_BY_POLICY]: 'Refused to sign: the signing policy declined ($reason)',
  [C.AESC_ERROR__CHANNEL__PAYLOAD_MISMATCH]: 'Refused to sign the $tx: $reason',
  [C.AESC_ERROR__CHANNEL__STORE_CORRUPT]: 'The stored state of channel $channelId is unreadable: $reason',
  [C.AESC_ERROR__CHANNEL__STORE_IO]: 'Channel store $operation failed: $reason',
  [C.AESC_ERROR__CLI__USAGE]: '$reason',
  [C.AESC_ERROR__CLI__INPUT_NOT_READABLE]: 'Cannot read $source: $reason',
  [C.AESC_ERROR__CLI__INVALID_JSON]: 'Invalid JSON on line $line: $reason',
  [C.AESC_ERROR__CLI__VERIFICATION_FAILED]: '$failed signature check(s) failed',
};
