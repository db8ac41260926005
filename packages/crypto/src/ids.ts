import {
  type AccountAddress,
  type ChannelId,
  type ContractAddress,
  type SignedTx,
  type TxHash,
  decodeApi,
  decodeTx,
  encodeApi,
  encodeObject,
  uintToBytes,
} from '@aesc/encoding';
import { AESC_ERROR__ENCODING__INVALID_VALUE, AescError } from '@aesc/errors';
import { blake2b256 } from './blake2b.js';

function nonce256(nonce: bigint): Uint8Array {
  if (nonce < 0n || nonce >= 2n ** 256n) {
    throw new AescError(AESC_ERROR__ENCODING__INVALID_VALUE, { path: 'nonce', reason: 'out of range for 256 bits' });
  }
  const out = new Uint8Array(32);
  let n = nonce;
  for (let i = 31; i >= 0 && n > 0n; i--) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

function channelIdOf(initiator: AccountAddress, middle: Uint8Array, responder: AccountAddress): ChannelId {
  const i = decodeApi(initiator, 'ak');
  const r = decodeApi(responder, 'ak');
  const bin = new Uint8Array(96);
  bin.set(i, 0);
  bin.set(middle, 32);
  bin.set(r, 64);
  return encodeApi('ch', blake2b256(bin));
}

/**
 * The channel id (`aesc_channels:pubkey/3`): blake2b256(initiator ‖ nonce as 256-bit big-endian ‖
 * responder), where nonce is the create tx's nonce.
 */
export function channelId(initiator: AccountAddress, nonce: bigint, responder: AccountAddress): ChannelId {
  return channelIdOf(initiator, nonce256(nonce), responder);
}

/** The auth id of a ga_meta_tx (`aega_meta_tx:auth_id/2`): blake2b256(ga_pubkey ‖ auth_data). */
export function gaAuthId(gaId: AccountAddress, authData: string): Uint8Array {
  const pk = decodeApi(gaId, 'ak');
  const data = decodeApi(authData, 'cb');
  const bin = new Uint8Array(pk.length + data.length);
  bin.set(pk, 0);
  bin.set(data, pk.length);
  return blake2b256(bin);
}

/**
 * The channel id a (co-)signed create tx makes (`aesc_utils:channel_pubkey/1`). For an initiator
 * with a generalized account the create tx sits in ga_meta_txs with nonce 0, and the id uses the
 * auth id of the initiator's meta tx instead of the nonce.
 */
export function channelIdFromCreateTx(tx: SignedTx | string): ChannelId {
  let signed = typeof tx === 'string' ? decodeTx(tx) : tx;
  const initiatorAuthIds: Uint8Array[] = [];
  let inner = signed.tx;
  // walk into the innermost tx, remembering the auth ids of the meta txs
  while (inner.tag === 'ga_meta_tx') {
    initiatorAuthIds.push(gaAuthId(inner.gaId, inner.authData));
    const gaId = inner.gaId;
    signed = inner.tx;
    inner = signed.tx;
    if (inner.tag === 'channel_create_tx' && inner.initiatorId !== gaId) initiatorAuthIds.pop();
  }
  if (inner.tag !== 'channel_create_tx') {
    throw new AescError(AESC_ERROR__ENCODING__INVALID_VALUE, { path: 'tx', reason: `expected a channel_create_tx, got ${inner.tag}` });
  }
  const authId = initiatorAuthIds.at(-1);
  if (inner.nonce === 0n) {
    if (authId === undefined) {
      throw new AescError(AESC_ERROR__ENCODING__INVALID_VALUE, { path: 'tx', reason: 'nonce 0 without the initiator\u2019s ga_meta_tx' });
    }
    return channelIdOf(inner.initiatorId, authId, inner.responderId);
  }
  return channelId(inner.initiatorId, inner.nonce, inner.responderId);
}

/**
 * The id of a contract (`aect_contracts:compute_contract_pubkey/2`): blake2b256(owner ‖ nonce as
 * minimal big-endian bytes). Off-chain, the nonce is the round that creates the contract.
 */
export function contractId(owner: AccountAddress, nonce: bigint): ContractAddress {
  const pk = decodeApi(owner, 'ak');
  const n = uintToBytes(nonce);
  const bin = new Uint8Array(pk.length + n.length);
  bin.set(pk, 0);
  bin.set(n, pk.length);
  return encodeApi('ct', blake2b256(bin));
}

/** The hash of a signed transaction (`th_…`): blake2b256 of its serialization. */
export function txHash(tx: SignedTx | string | Uint8Array): TxHash {
  const bytes = tx instanceof Uint8Array ? tx : typeof tx === 'string' ? decodeApi(tx, 'tx') : encodeObject(tx);
  return encodeApi('th', blake2b256(bytes));
}
