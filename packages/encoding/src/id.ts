import { AESC_ERROR__ENCODING__INVALID_ID, AescError } from '@aesc/errors';
import { decodeApiAny, encodeApi } from './api-encoding.js';
import type { Encoded } from './api-prefixes.js';

/** Id tags (`aeser_id`): the first byte of a serialized 33-byte id. */
export const ID_TAGS = { account: 1, name: 2, commitment: 3, oracle: 4, contract: 5, channel: 6 } as const;

/** The API prefix of each id kind. */
export const ID_PREFIXES = {
  account: 'ak',
  name: 'nm',
  commitment: 'cm',
  oracle: 'ok',
  contract: 'ct',
  channel: 'ch',
} as const;

/** An id kind: account, name, commitment, oracle, contract or channel. */
export type IdKind = keyof typeof ID_TAGS;

/** An API-encoded id of the given kinds, e.g. `Id<'account'>` is `` `ak_${string}` ``. */
export type Id<K extends IdKind = IdKind> = Encoded<(typeof ID_PREFIXES)[K]>;

const KIND_BY_TAG: Readonly<Record<number, IdKind>> = {
  1: 'account',
  2: 'name',
  3: 'commitment',
  4: 'oracle',
  5: 'contract',
  6: 'channel',
};
const KIND_BY_PREFIX: Readonly<Record<string, IdKind>> = {
  ak: 'account',
  nm: 'name',
  cm: 'commitment',
  ok: 'oracle',
  ct: 'contract',
  ch: 'channel',
};

/** Serializes an id as the node does: `<<Tag:8, Hash:32/binary>>`. */
export function serializeId(id: string, path = 'id'): Uint8Array {
  let decoded: ReturnType<typeof decodeApiAny>;
  try {
    decoded = decodeApiAny(id);
  } catch (cause) {
    throw new AescError(AESC_ERROR__ENCODING__INVALID_ID, { path, reason: 'not a valid API-encoded id' }, { cause });
  }
  const kind = KIND_BY_PREFIX[decoded.prefix];
  if (kind === undefined || decoded.payload.length !== 32) {
    throw new AescError(AESC_ERROR__ENCODING__INVALID_ID, {
      path,
      reason: `prefix ${decoded.prefix}_ is not an id prefix of a 32-byte hash`,
    });
  }
  const out = new Uint8Array(33);
  out[0] = ID_TAGS[kind];
  out.set(decoded.payload, 1);
  return out;
}

/** The kind of a serialized id, or undefined when the bytes are not a valid id. */
export function idKindOf(bytes: Uint8Array): IdKind | undefined {
  return bytes.length === 33 ? KIND_BY_TAG[bytes[0]!] : undefined;
}

/** Parses a serialized 33-byte id into its API-encoded form. */
export function deserializeId(bytes: Uint8Array, path = 'id'): Id {
  const kind = idKindOf(bytes);
  if (kind === undefined) {
    throw new AescError(AESC_ERROR__ENCODING__INVALID_ID, {
      path,
      reason: bytes.length === 33 ? `unknown id tag ${bytes[0]}` : `expected 33 bytes, got ${bytes.length}`,
    });
  }
  return encodeApi(ID_PREFIXES[kind], bytes.subarray(1)) as Id;
}

/** The kind of an API-encoded id string by its prefix, or undefined. */
export function idKindOfEncoded(id: string): IdKind | undefined {
  return KIND_BY_PREFIX[id.slice(0, 2)];
}
