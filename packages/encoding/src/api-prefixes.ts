/**
 * The node's API encoding prefixes and the types of API-encoded values: the table the codecs of
 * `api-encoding.ts` work from, kept apart so that their memos (`api-memo.ts`) can name the same
 * types without importing the codecs.
 */

/**
 * The node's API encoding table (`aeser_api_encoder`): per prefix, the type name, whether the
 * payload is base58check or base64check, and its fixed payload size in bytes (if any).
 */
export const API_ENCODINGS = {
  kh: { type: 'key_block_hash', encoding: 'base58', size: 32 },
  mh: { type: 'micro_block_hash', encoding: 'base58', size: 32 },
  bf: { type: 'block_pof_hash', encoding: 'base58', size: 32 },
  bx: { type: 'block_tx_hash', encoding: 'base58', size: 32 },
  bs: { type: 'block_state_hash', encoding: 'base58', size: 32 },
  ch: { type: 'channel', encoding: 'base58', size: 32 },
  ct: { type: 'contract_pubkey', encoding: 'base58', size: 32 },
  cb: { type: 'contract_bytearray', encoding: 'base64', size: undefined },
  ck: { type: 'contract_store_key', encoding: 'base64', size: undefined },
  cv: { type: 'contract_store_value', encoding: 'base64', size: undefined },
  tx: { type: 'transaction', encoding: 'base64', size: undefined },
  th: { type: 'tx_hash', encoding: 'base58', size: 32 },
  ok: { type: 'oracle_pubkey', encoding: 'base58', size: 32 },
  ov: { type: 'oracle_query', encoding: 'base64', size: undefined },
  oq: { type: 'oracle_query_id', encoding: 'base58', size: 32 },
  or: { type: 'oracle_response', encoding: 'base64', size: undefined },
  ak: { type: 'account_pubkey', encoding: 'base58', size: 32 },
  sk: { type: 'account_seckey', encoding: 'base58', size: 32 },
  sg: { type: 'signature', encoding: 'base58', size: 64 },
  cm: { type: 'commitment', encoding: 'base58', size: 32 },
  pp: { type: 'peer_pubkey', encoding: 'base58', size: 32 },
  nm: { type: 'name', encoding: 'base58', size: undefined },
  st: { type: 'state', encoding: 'base64', size: 32 },
  pi: { type: 'poi', encoding: 'base64', size: undefined },
  ss: { type: 'state_trees', encoding: 'base64', size: undefined },
  cs: { type: 'call_state_tree', encoding: 'base64', size: undefined },
  ba: { type: 'bytearray', encoding: 'base64', size: undefined },
} as const satisfies Record<string, { type: string; encoding: 'base58' | 'base64'; size: number | undefined }>;

/** A two-letter API encoding prefix. */
export type ApiPrefix = keyof typeof API_ENCODINGS;

/** An API-encoded string with the given prefix, e.g. `` `ak_${string}` ``. */
export type Encoded<P extends ApiPrefix = ApiPrefix> = `${P}_${string}`;

export type KeyBlockHash = Encoded<'kh'>;
export type MicroBlockHash = Encoded<'mh'>;
export type ChannelId = Encoded<'ch'>;
export type ContractAddress = Encoded<'ct'>;
export type ContractBytearray = Encoded<'cb'>;
export type EncodedTx = Encoded<'tx'>;
export type TxHash = Encoded<'th'>;
export type OracleAddress = Encoded<'ok'>;
export type AccountAddress = Encoded<'ak'>;
export type EncodedSignature = Encoded<'sg'>;
export type Commitment = Encoded<'cm'>;
export type NameHash = Encoded<'nm'>;
export type StateHash = Encoded<'st'>;
export type EncodedPoi = Encoded<'pi'>;
export type EncodedStateTrees = Encoded<'ss'>;
export type EncodedCallStateTree = Encoded<'cs'>;
export type Bytearray = Encoded<'ba'>;

/** Whether `prefix` is one of the node's API encoding prefixes. */
export function isApiPrefix(prefix: string): prefix is ApiPrefix {
  return Object.hasOwn(API_ENCODINGS, prefix);
}

/** An API-encoded value split into its prefix and its payload bytes (what `decodeApiAny` gives). */
export interface DecodedApi<P extends ApiPrefix = ApiPrefix> {
  readonly prefix: P;
  readonly payload: Uint8Array;
}
