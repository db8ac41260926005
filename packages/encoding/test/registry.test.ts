import {
  AESC_ERROR__ENCODING__INVALID_FIELD,
  AESC_ERROR__ENCODING__INVALID_ID,
  AESC_ERROR__ENCODING__INVALID_VALUE,
  AESC_ERROR__ENCODING__NON_CANONICAL_INTEGER,
  AESC_ERROR__ENCODING__RLP_TRAILING_BYTES,
  AESC_ERROR__ENCODING__UNEXPECTED_TAG,
  AESC_ERROR__ENCODING__UNKNOWN_TAG,
  AESC_ERROR__ENCODING__UNKNOWN_VERSION,
  AESC_ERROR__ENCODING__UNSUPPORTED_OBJECT,
  AESC_ERROR__ENCODING__WRONG_FIELD_COUNT,
  aescErrorCodeOf,
} from '@aesc/errors';
import { SEED_TRANSCRIPT, loadTranscript } from '@aesc/corpus';
import { describe, expect, it } from 'vitest';
import { decodeApi, encodeApi } from '../src/api-encoding.js';
import { concatBytes } from '../src/bytes.js';
import { uintToBytes } from '../src/integer.js';
import type { ChannelCreateTxV1, SignedTx } from '../src/objects/index.js';
import { decodeObject, encodeObject, objectFromJson, objectToJson } from '../src/registry.js';
import { rlpDecode, rlpEncode } from '../src/rlp.js';
import { decodeTx, encodeTx } from '../src/tx.js';

// The seed transcript's co-signed create tx (abort_updates/sc_ws_abort_settle), as the node sent it.
function seedCreateTx(): string {
  for (const step of loadTranscript(SEED_TRANSCRIPT).steps) {
    const m = step.message as { method?: string; params?: { data?: { info?: string; tx?: string } } } | undefined;
    if (m?.method === 'channels.on_chain_tx' && m.params?.data?.info === 'funding_signed') return m.params.data.tx!;
  }
  throw new Error('seed transcript has no funding_signed on_chain_tx');
}
const codeOf = aescErrorCodeOf;
const u = (n: number) => uintToBytes(BigInt(n));

describe('chain object codecs', () => {
  it('decodes the seed create tx into a typed object', () => {
    const encoded = seedCreateTx();
    const signed: SignedTx = decodeTx(encoded);
    const tx = signed.tx as ChannelCreateTxV1;
    expect(tx.tag).toBe('channel_create_tx');
    expect(tx.version).toBe(1);
    // The seed's amounts (70000000000000 and 40000000000000, reserve 2, lock period 10; protocol.md §0).
    expect(tx.initiatorAmount).toBe(70000000000000n);
    expect(tx.responderAmount).toBe(40000000000000n);
    expect(tx.channelReserve).toBe(2n);
    expect(tx.lockPeriod).toBe(10n);
    expect(tx.ttl).toBe(0n);
    expect(tx.delegateIds).toEqual([]);
    expect(tx.stateHash).toMatch(/^st_/);
    expect(signed.signatures).toHaveLength(2);
    expect(encodeTx(signed)).toBe(encoded);
  });

  const transfer = {
    tag: 'channel_offchain_update_transfer',
    version: 1,
    from: encodeApi('ak', new Uint8Array(32).fill(1)),
    to: encodeApi('ak', new Uint8Array(32).fill(2)),
    amount: 10n,
  } as const;

  it('encodes a typed object and decodes it back', () => {
    const bytes = encodeObject(transfer);
    expect(decodeObject(bytes)).toEqual(transfer);
    expect(objectFromJson(JSON.parse(JSON.stringify(objectToJson(transfer))))).toEqual(transfer);
    expect(objectToJson(transfer)).toMatchObject({ amount: '10', tag: 'channel_offchain_update_transfer' });
  });

  it('gives a distinct code for each kind of malformed object', () => {
    const items = rlpDecode(encodeObject(transfer)) as Uint8Array[];
    const withTag = (tag: number, version: number, rest = items.slice(2)) => rlpEncode([u(tag), u(version), ...rest]);
    expect(codeOf(() => decodeObject(withTag(9999, 1)))).toBe(AESC_ERROR__ENCODING__UNKNOWN_TAG);
    expect(codeOf(() => decodeObject(withTag(570, 7)))).toBe(AESC_ERROR__ENCODING__UNKNOWN_VERSION);
    expect(codeOf(() => decodeObject(withTag(22, 1)))).toBe(AESC_ERROR__ENCODING__UNSUPPORTED_OBJECT);
    expect(codeOf(() => decodeObject(withTag(570, 1, items.slice(2, 4))))).toBe(AESC_ERROR__ENCODING__WRONG_FIELD_COUNT);
    expect(codeOf(() => decodeObject(concatBytes(encodeObject(transfer), Uint8Array.of(0))))).toBe(
      AESC_ERROR__ENCODING__RLP_TRAILING_BYTES,
    );
    expect(codeOf(() => decodeObject(withTag(570, 1, [items[2]!, items[3]!, Uint8Array.of(0, 10)])))).toBe(
      AESC_ERROR__ENCODING__NON_CANONICAL_INTEGER,
    );
    expect(codeOf(() => decodeObject(withTag(570, 1, [items[2]!, items[3]!, [u(1)] as never])))).toBe(
      AESC_ERROR__ENCODING__INVALID_FIELD,
    );
    const contractId = concatBytes(Uint8Array.of(5), new Uint8Array(32));
    expect(codeOf(() => decodeObject(withTag(570, 1, [contractId, items[3]!, items[4]!])))).toBe(
      AESC_ERROR__ENCODING__INVALID_FIELD,
    );
    expect(codeOf(() => decodeObject(withTag(570, 1, [Uint8Array.of(9, 9), items[3]!, items[4]!])))).toBe(
      AESC_ERROR__ENCODING__INVALID_ID,
    );
  });

  it('refuses a nested object of the wrong type', () => {
    const signed = rlpEncode([u(11), u(1), [], encodeObject(transfer)]);
    expect(codeOf(() => decodeObject(signed))).toBe(AESC_ERROR__ENCODING__UNEXPECTED_TAG);
  });

  it('refuses invalid values when encoding', () => {
    expect(codeOf(() => encodeObject({ ...transfer, amount: -1n }))).toBe(AESC_ERROR__ENCODING__INVALID_VALUE);
    expect(codeOf(() => encodeObject({ ...transfer, to: 'ct_11111111111111111111111111111115rHyByZ' } as never))).not.toBe(
      undefined,
    );
    const { amount: _, ...missing } = transfer;
    expect(codeOf(() => encodeObject(missing as never))).toBe(AESC_ERROR__ENCODING__INVALID_VALUE);
    expect(codeOf(() => objectFromJson({ ...objectToJson(transfer), extra: 1 }))).toBe(AESC_ERROR__ENCODING__INVALID_VALUE);
    expect(codeOf(() => objectFromJson({ ...objectToJson(transfer), amount: '01' }))).toBe(AESC_ERROR__ENCODING__INVALID_VALUE);
  });

  it('keeps decodeApi payloads and encodeObject bytes consistent for tx_ strings', () => {
    const bytes = encodeObject(transfer);
    expect(decodeApi(encodeApi('tx', bytes), 'tx')).toEqual(bytes);
  });
});
