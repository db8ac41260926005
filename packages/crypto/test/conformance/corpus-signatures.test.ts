import { CORPUS_NETWORK_IDS, type Transcript, encodedStringsOf, loadTranscripts } from '@aesc/corpus';
import { type SignedTx, decodeApi, decodeTx, encodeObject, toHex } from '@aesc/encoding';
import { beforeAll, describe, expect, it } from 'vitest';
import { nativeEd25519, nobleEd25519 } from '../../src/ed25519.js';
import { signingMessage, verifyTransactionSignature } from '../../src/sign-tx.js';

const native = nativeEd25519();
const noble = nobleEd25519();

/** Signed txs nested in a decoded object's fields (payloads, ga_meta_tx.tx), depth first. */
function embedded(value: unknown, out: SignedTx[] = []): SignedTx[] {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return out;
  if (Array.isArray(value)) {
    for (const v of value) embedded(v, out);
    return out;
  }
  for (const v of Object.values(value)) {
    if (v !== null && typeof v === 'object' && (v as { tag?: unknown }).tag === 'signed_tx') out.push(v as SignedTx);
    embedded(v, out);
  }
  return out;
}

interface Sig {
  readonly transcript: string;
  readonly signature: Uint8Array;
  readonly txBytes: Uint8Array;
  readonly outer: boolean;
  pk?: Uint8Array;
  networkId?: string;
}

const sigs: Sig[] = [];
let transcripts: Transcript[];

beforeAll(async () => {
  transcripts = loadTranscripts();
  for (const t of transcripts) {
    const strings = encodedStringsOf(t);
    const accounts = [...new Set(strings.filter((s) => s.startsWith('ak_')))].flatMap((a) => {
      try {
        return [decodeApi(a, 'ak')];
      } catch {
        return [];
      }
    });
    const txs = [...new Set(strings.filter((s) => s.startsWith('tx_')))];
    const mine: Sig[] = [];
    for (const tx of txs) {
      const signed = decodeTx(tx);
      const collect = (s: SignedTx, outer: boolean) => {
        const txBytes = encodeObject(s.tx);
        for (const signature of s.signatures) mine.push({ transcript: t.file, signature, txBytes, outer });
      };
      collect(signed, true);
      for (const inner of embedded(signed.tx)) collect(inner, false);
    }
    for (const sig of mine) {
      search: for (const networkId of CORPUS_NETWORK_IDS) {
        for (const pk of accounts) {
          if ((await verifyTransactionSignature(sig.signature, sig.txBytes, networkId, pk, { ed25519: native })) === 'raw') {
            sig.pk = pk;
            sig.networkId = networkId;
            break search;
          }
        }
      }
    }
    sigs.push(...mine);
  }
});

describe('corpus: every signature verifies with its signer and network id (raw form)', () => {
  it('counts 2573 outer and 204 embedded signatures, all valid', () => {
    const unverified = sigs.filter((s) => s.pk === undefined).map((s) => s.transcript);
    expect(unverified).toEqual([]);
    expect(sigs.filter((s) => s.outer)).toHaveLength(2573);
    expect(sigs.filter((s) => !s.outer)).toHaveLength(204);
  });

  it('finds local_lima_testnet in 9 transcripts (118 signatures) and local_iris_testnet in 98 (2659)', () => {
    const by = (n: string) => sigs.filter((s) => s.networkId === n);
    expect(new Set(by('local_lima_testnet').map((s) => s.transcript)).size).toBe(9);
    expect(by('local_lima_testnet')).toHaveLength(118);
    expect(new Set(by('local_iris_testnet').map((s) => s.transcript)).size).toBe(98);
    expect(by('local_iris_testnet')).toHaveLength(2659);
    const withSigs = new Set(sigs.map((s) => s.transcript));
    expect(transcripts.length - withSigs.size).toBe(7);
  });

  it('fails when one bit of the tx, the signature or the network id changes', async () => {
    for (const s of sigs) {
      const flipBit = (b: Uint8Array, seed: number) => {
        const copy = b.slice();
        const bit = (seed * 2654435761) % (copy.length * 8);
        copy[bit >> 3]! ^= 1 << (bit & 7);
        return copy;
      };
      const n = s.networkId!;
      const pk = s.pk!;
      const seed = s.signature[0]! + s.signature[1]! * 256;
      expect(await native.verify(s.signature, signingMessage(flipBit(s.txBytes, seed), n), pk)).toBe(false);
      expect(await native.verify(flipBit(s.signature, seed), signingMessage(s.txBytes, n), pk)).toBe(false);
      const otherNetwork = n.replace(/^./, (c) => String.fromCharCode(c.charCodeAt(0) ^ 1));
      expect(await verifyTransactionSignature(s.signature, s.txBytes, otherNetwork, pk, { ed25519: native })).toBeNull();
    }
  });

  it('gets the same verdicts from the native and the @noble paths', async () => {
    // Every signer and network id of the corpus, and every eighth signature besides: the pure-JS
    // path takes about 5 ms a verification, and all 2,777 twice ran past a minute on a loaded
    // machine. (The native path verifies every signature in the tests above.)
    const seen = new Set<string>();
    const sample = sigs.filter((s, i) => {
      const key = `${toHex(s.pk!)} ${s.networkId}`;
      const first = !seen.has(key);
      seen.add(key);
      return first || i % 8 === 0;
    });
    expect(sample.length).toBeGreaterThan(300);
    for (const s of sample) {
      const message = signingMessage(s.txBytes, s.networkId!);
      expect(await noble.verify(s.signature, message, s.pk!)).toBe(true);
      const tampered = signingMessage(s.txBytes, `${s.networkId!}x`);
      expect(await noble.verify(s.signature, tampered, s.pk!)).toBe(await native.verify(s.signature, tampered, s.pk!));
    }
  });
});
