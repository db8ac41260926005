import { type ChannelOffchainTxV2, type SignedTx, decodeTx, encodeApi, encodeObject, encodeTx } from '@aesc/encoding';
import { aescErrorCodeOf } from '@aesc/errors';
import { describe, expect, it } from 'vitest';
import { objectBytes, objectFromBytes, sameObject, txFromText, txText } from './object-bytes.js';

const offchain: ChannelOffchainTxV2 = {
  tag: 'channel_offchain_tx',
  version: 2,
  channelId: encodeApi('ch', new Uint8Array(32).fill(3)) as ChannelOffchainTxV2['channelId'],
  round: 7n,
  stateHash: encodeApi('st', new Uint8Array(32).fill(4)) as ChannelOffchainTxV2['stateHash'],
};
const signed: SignedTx = { tag: 'signed_tx', version: 1, signatures: [new Uint8Array(64).fill(5)], tx: offchain };

describe('object bytes', () => {
  it('encodes as encodeObject / encodeTx do, once per object', () => {
    const bytes = objectBytes(signed);
    expect(bytes).toEqual(encodeObject(signed));
    expect(objectBytes(signed)).toBe(bytes);
    expect(txText(signed)).toBe(encodeTx(signed));
    // another object with the same content has its own entry, with the same bytes
    const copy = { ...signed };
    expect(objectBytes(copy)).not.toBe(bytes);
    expect(objectBytes(copy)).toEqual(bytes);
  });

  it('decodes as decodeTx does, and a decoded object keeps the bytes it came from', () => {
    const text = encodeTx(signed);
    const o = txFromText(text);
    expect(o).toEqual(decodeTx(text));
    expect(txText(o)).toBe(text);
    const bytes = encodeObject(signed);
    const back = objectFromBytes(bytes);
    expect(objectBytes(back)).toBe(bytes);
  });

  it('gives the object a bytes array came from back for the same array, and decodes others anew', () => {
    const text = encodeTx(signed);
    const first = txFromText(text);
    // what the peer's FSM on the same node decodes: the same bytes array, so the same object
    expect(objectFromBytes(objectBytes(first))).toBe(first);
    const made = { ...signed };
    expect(objectFromBytes(objectBytes(made))).toBe(made);
    // equal bytes in another array: a new object, with the same text
    const there = objectFromBytes(objectBytes(first).slice());
    expect(there).not.toBe(first);
    expect(there).toEqual(first);
    expect(txText(there)).toBe(text);
    expect(txText({ ...there })).toBe(text); // another object: encoded anew, same text
  });

  it('gives a decoded signed tx’s inner tx the bytes it was decoded from, so comparing and checking it encodes nothing', () => {
    const outer = encodeObject(signed);
    const decoded = objectFromBytes(outer) as SignedTx;
    const inner = objectBytes(decoded.tx);
    expect(inner).toEqual(encodeObject(offchain));
    // a view into the signed tx's own bytes: taken from them, not encoded again
    expect(inner.buffer).toBe(outer.buffer);
    expect(inner.byteOffset + inner.length).toBe(outer.byteOffset + outer.length);
    // the same for a signed tx the node makes and encodes
    const made: SignedTx = { ...signed, tx: { ...offchain } };
    const madeBytes = objectBytes(made);
    const madeInner = objectBytes(made.tx);
    expect(madeInner).toEqual(encodeObject(offchain));
    expect(madeInner.buffer).toBe(madeBytes.buffer);
    expect(madeInner.byteOffset + madeInner.length).toBe(madeBytes.byteOffset + madeBytes.length);
  });

  it('tells objects with the same encoding from others', () => {
    expect(sameObject(signed.tx, txFromText(encodeTx(signed)).tx)).toBe(true);
    expect(sameObject(signed.tx, { ...offchain, round: 8n })).toBe(false);
    expect(sameObject(signed, { ...signed, signatures: [] })).toBe(false);
  });

  it('refuses what decodeTx refuses, with the same codes', () => {
    const inner = encodeTx(offchain); // a tx_ string that is not a signed tx
    const badChecksum = `${encodeTx(signed).slice(0, -2)}AA`;
    for (const text of [inner, badChecksum, 'tx_', 'ak_2']) {
      const expected = aescErrorCodeOf(() => decodeTx(text));
      expect(expected).toBeDefined();
      expect(aescErrorCodeOf(() => txFromText(text))).toBe(expected);
    }
  });
});
