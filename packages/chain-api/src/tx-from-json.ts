import { txHash } from '@aesc/crypto';
import {
  type ChainObject,
  type EncodedTx,
  type Field,
  type ObjectName,
  type SignedTx,
  decodeApi,
  decodeObject,
  decodeTx,
  encodeTx,
  getObjectDef,
} from '@aesc/encoding';
import { jsonPlaceOf } from './tx-json.js';

const camel = (key: string) => key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
/** `ChannelCloseSoloTx` → `channel_close_solo_tx` (the inverse of the API's type names). */
const tagOfType = (type: string) => type.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

function int(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v);
  throw new Error(`not an integer: ${String(v)}`);
}

/** A field's typed value from the node's JSON of it (what `aetx:serialize_for_client/1` shows). */
function fieldFromJson(field: Field<unknown>, v: unknown): unknown {
  const shape = field.shape;
  switch (shape.type) {
    case 'int':
      return int(v);
    case 'bool':
      return v === true;
    case 'bytes':
      return decodeApi(String(v), 'ba');
    case 'encoded':
    case 'id':
      return v;
    case 'raw-encoded':
      return decodeApi(String(v), shape.prefix);
    case 'list':
      return (v as unknown[]).map((x) => fieldFromJson(shape.item, x));
    case 'object': {
      const s = String(v);
      if (s.startsWith('tx_')) return decodeTx(s);
      if (s.startsWith('pi_')) return decodeObject(decodeApi(s, 'pi'));
      const bytes = decodeApi(s, 'ba');
      return bytes.length === 0 && shape.optional ? null : decodeObject(bytes);
    }
    default:
      throw new Error(`no JSON form for a ${shape.type} field`);
  }
}

/**
 * A signed tx back from the JSON the node's HTTP API gives (`GET /v3/transactions/{hash}`, the
 * transactions of a micro block), as `tx_…` — or undefined when it cannot be rebuilt exactly: the
 * result must hash to the `hash` the node gave, so a field read wrongly never passes for the tx.
 */
export function signedTxFromJson(json: unknown): EncodedTx | undefined {
  try {
    const j = json as { hash: string; signatures: string[]; tx: Record<string, unknown> };
    const name = tagOfType(String(j.tx.type)) as ObjectName;
    const def = getObjectDef(name, Number(j.tx.version));
    if (def === undefined) return undefined;
    const tx: Record<string, unknown> = { tag: name, version: def.version };
    def.keys.forEach((key, i) => {
      const place = jsonPlaceOf(key);
      const at = j.tx[place.key] ?? j.tx[camel(place.key)];
      // the node leaves a ttl of 0 out of its JSON (aetx:serialize_for_client/1)
      const value = place.side !== undefined ? (at as Record<string, unknown> | undefined)?.[place.side] : (at ?? (place.key === 'ttl' ? 0 : undefined));
      tx[key] = fieldFromJson(def.codecs[i]!, value);
    });
    const signed = { tag: 'signed_tx', version: 1, signatures: j.signatures.map((s) => decodeApi(s, 'sg')), tx: tx as unknown as ChainObject } as SignedTx;
    const encoded = encodeTx(signed);
    return txHash(encoded) === j.hash ? encoded : undefined;
  } catch {
    return undefined;
  }
}
