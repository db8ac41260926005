import { type ChainObject, type SignedTx, encodeApi, encodeObject, encodeTx } from '@aesc/encoding';
import { encodePoi } from '@aesc/state';

/**
 * Where the node's JSON of a tx keeps a field: under its name in snake_case, except the two
 * delegate lists of a v2 create tx (Iris on), which are the sides of one `delegate_ids` map
 * (`aesc_create_tx:for_client/1`).
 */
export function jsonPlaceOf(key: string): { readonly key: string; readonly side?: 'initiator' | 'responder' } {
  if (key === 'initiatorDelegateIds') return { key: 'delegate_ids', side: 'initiator' };
  if (key === 'responderDelegateIds') return { key: 'delegate_ids', side: 'responder' };
  return { key: key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) };
}

/** The node's JSON type name of a tx (`aetx:type_to_swagger_name/1`): `channel_deposit_tx` → `ChannelDepositTx`. */
export function txTypeName(tag: string): string {
  return tag
    .split('_')
    .map((w) => (w === 'tx' ? 'Tx' : w.charAt(0).toUpperCase() + w.slice(1)))
    .join('');
}

function fieldJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return encodeApi('ba', value);
  if (Array.isArray(value)) return value.map((v) => fieldJson(v));
  if (value !== null && typeof value === 'object' && 'tag' in value) {
    const obj = value as ChainObject;
    if (obj.tag === 'signed_tx') return encodeTx(obj as SignedTx);
    if (obj.tag === 'trees_poi') return encodePoi(obj);
    return encodeApi('ba', encodeObject(obj));
  }
  return value;
}

/**
 * A tx as the node's HTTP API shows it (`aetx:serialize_for_client/1`): its fields in snake_case,
 * ids and hashes in their API encoding, payloads `ba_`/`tx_`, PoIs `pi_`, plus `version` and `type`;
 * a `ttl` of 0 is left out, as the node leaves it out, and a v2 create tx's delegates are one
 * `delegate_ids` map with `initiator` and `responder` lists.
 */
export function txToJson(tx: ChainObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(tx)) {
    if (k === 'tag' || k === 'version') continue;
    if (k === 'payload' && v === null) {
      out.payload = encodeApi('ba', new Uint8Array(0));
      continue;
    }
    const place = jsonPlaceOf(k);
    if (place.side === undefined) out[place.key] = fieldJson(v);
    else out[place.key] = { ...(out[place.key] as Record<string, unknown> | undefined), [place.side]: fieldJson(v) };
  }
  if (out.ttl === 0n || out.ttl === 0) delete out.ttl;
  out.version = (tx as { version: number }).version;
  out.type = txTypeName(tx.tag);
  return out;
}

/**
 * A signed tx as the node's HTTP API shows it (`aetx_sign:serialize_for_client/5`): its block
 * (`none` and -1 while pending), `encoded_tx` (the whole signed tx, `tx_…`), `hash`, `signatures`
 * (`sg_`) and the inner tx.
 */
export function signedTxToJson(signed: SignedTx, hash: string, block: { hash: string; height: bigint } | null): Record<string, unknown> {
  return {
    block_hash: block ? block.hash : 'none',
    block_height: block ? block.height : -1,
    encoded_tx: encodeTx(signed),
    hash,
    signatures: signed.signatures.map((s) => encodeApi('sg', s)),
    tx: txToJson(signed.tx),
  };
}
