import {
  AESC_ERROR__ENCODING__DUPLICATE_DEFINITION,
  AESC_ERROR__ENCODING__NON_CANONICAL_INTEGER,
  AESC_ERROR__ENCODING__UNSUPPORTED_OBJECT,
  type AescError,
  aescErrorCodeOf,
  isAescError,
} from '@aesc/errors';
import { describe, expect, it } from 'vitest';
import { encodeApi } from './api-encoding.js';
import { bytes } from './field.js';
import { uintToBytes } from './integer.js';
import { type ObjectDef, defineObject } from './object-def.js';
import { createObjectRegistry } from './object-registry.js';
import { ALL_OBJECT_DEFS, type SignedTx, signedTxV1, spendTxV1 } from './objects/index.js';
import { chainObjects, decodeObject, encodeObject } from './registry.js';
import { type RlpItem, rlpDecode, rlpEncode } from './rlp.js';

const DEFS = ALL_OBJECT_DEFS as readonly ObjectDef[];
const u = (n: number) => uintToBytes(BigInt(n));

const signedSpend: SignedTx = {
  tag: 'signed_tx',
  version: 1,
  signatures: [new Uint8Array(64).fill(9)],
  tx: {
    tag: 'spend_tx',
    version: 1,
    senderId: encodeApi('ak', new Uint8Array(32).fill(1)),
    recipientId: encodeApi('ak', new Uint8Array(32).fill(2)),
    amount: 10n,
    fee: 20n,
    ttl: 0n,
    nonce: 1n,
    payload: new Uint8Array(0),
  },
};

/** A stand-in for spend_tx v1 that keeps every field as raw bytes. */
interface RawSpend {
  readonly tag: 'spend_tx';
  readonly version: 1;
  readonly a: Uint8Array;
  readonly b: Uint8Array;
  readonly c: Uint8Array;
  readonly d: Uint8Array;
  readonly e: Uint8Array;
  readonly f: Uint8Array;
  readonly g: Uint8Array;
}
const rawSpendV1 = defineObject<RawSpend>('spend_tx', 1, { a: bytes, b: bytes, c: bytes, d: bytes, e: bytes, f: bytes, g: bytes });

describe('object registries', () => {
  it('decode and encode the objects a field holds with the registry they are given, not a shared one', () => {
    const item = rlpDecode(encodeObject(signedSpend));
    // the signed tx's definition is the same; its tx field finds spend_tx in the registry passed down
    const raw = createObjectRegistry([signedTxV1 as ObjectDef, rawSpendV1 as ObjectDef]);
    const viaRaw = raw.decodeItem(item, '$') as unknown as { tx: RawSpend };
    expect(viaRaw.tx.tag).toBe('spend_tx');
    expect(viaRaw.tx.c).toEqual(Uint8Array.of(10)); // the amount, as bytes
    expect(rlpEncode(raw.encodeItem(viaRaw as never, '$'))).toEqual(encodeObject(signedSpend));
    // a registry without spend_tx refuses the inner tx, and the outer registry still has it
    const withoutSpend = createObjectRegistry(DEFS.filter((d) => d !== spendTxV1));
    expect(aescErrorCodeOf(() => withoutSpend.decodeItem(item, '$'))).toBe(AESC_ERROR__ENCODING__UNSUPPORTED_OBJECT);
    expect(aescErrorCodeOf(() => withoutSpend.encodeItem(signedSpend, '$'))).toBe(AESC_ERROR__ENCODING__UNSUPPORTED_OBJECT);
    expect(chainObjects.decodeItem(item, '$')).toEqual(signedSpend);
    expect(decodeObject(encodeObject(signedSpend))).toEqual(signedSpend);
  });

  it('are frozen and keep no link to the list they were made from', () => {
    expect(Object.isFrozen(chainObjects)).toBe(true);
    const defs: ObjectDef[] = [signedTxV1 as ObjectDef];
    const registry = createObjectRegistry(defs);
    defs.push(spendTxV1 as ObjectDef);
    expect(registry.def('spend_tx', 1)).toBeUndefined();
    expect(registry.versions('signed_tx')).toEqual([1]);
    expect(chainObjects.def('spend_tx', 1)).toBe(spendTxV1);
  });

  it('refuse two definitions of one object and version', () => {
    let error: unknown;
    try {
      createObjectRegistry([spendTxV1 as ObjectDef, rawSpendV1 as ObjectDef]);
    } catch (e) {
      error = e;
    }
    expect(isAescError(error, AESC_ERROR__ENCODING__DUPLICATE_DEFINITION)).toBe(true);
    expect((error as AescError).context).toEqual({ name: 'spend_tx', version: 1 });
  });

  it('say where in the nested objects a decoding failed', () => {
    const items = rlpDecode(encodeObject(signedSpend.tx)) as RlpItem[];
    const badSpend = rlpEncode([...items.slice(0, 4), Uint8Array.of(0, 10), ...items.slice(5)]);
    const signed = rlpEncode([u(11), u(1), [], badSpend]);
    let error: unknown;
    try {
      decodeObject(signed);
    } catch (e) {
      error = e;
    }
    expect(isAescError(error, AESC_ERROR__ENCODING__NON_CANONICAL_INTEGER)).toBe(true);
    expect((error as AescError).context).toEqual({ path: '$.tx.amount' });
  });
});
