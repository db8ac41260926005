import { decodeTx, encodeApi, encodeObject, fromHex, toHex } from '@aesc/encoding';
import {
  AESC_ERROR__CRYPTO__INVALID_NETWORK_ID,
  AESC_ERROR__CRYPTO__INVALID_PUBLIC_KEY,
  AESC_ERROR__CRYPTO__INVALID_SECRET_KEY,
  AESC_ERROR__CRYPTO__INVALID_SIGNATURE,
  isAescError,
  aescErrorCodeOfAsync,
} from '@aesc/errors';
import { describe, expect, it } from 'vitest';
import { nativeEd25519, nobleEd25519 } from './ed25519.js';
import { blake2b256 } from './blake2b.js';
import { channelId, contractId, txHash } from './ids.js';
import { accountAddress, generateKeyPair, keyPairFromSecretKey, publicKeyOf } from './keys.js';
import { addSignature, signEncodedTx, signTransaction, signingMessage, sortSignatures, verifyTransactionSignature } from './sign-tx.js';
import { signersOf, verifySignedTx } from './signature-report.js';

const codeOf = (f: () => unknown) => aescErrorCodeOfAsync(async () => f());
const backends = [nativeEd25519(), nobleEd25519()];

// RFC 8032 §7.1, test 1 and test 2.
const RFC = [
  {
    seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    pk: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    msg: '',
    sig: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    pk: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    msg: '72',
    sig: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
];

describe.each(backends)('ed25519 ($name)', (ed) => {
  it('matches the RFC 8032 vectors', async () => {
    for (const v of RFC) {
      const seed = fromHex(v.seed)!;
      expect(toHex(await ed.getPublicKey(seed))).toBe(v.pk);
      expect(toHex(await ed.sign(fromHex(v.msg)!, seed))).toBe(v.sig);
      expect(await ed.verify(fromHex(v.sig)!, fromHex(v.msg)!, fromHex(v.pk)!)).toBe(true);
      expect(await ed.verify(fromHex(v.sig)!, Uint8Array.of(1), fromHex(v.pk)!)).toBe(false);
    }
  });

  it('signs and verifies with keys prepared once', async () => {
    const v = RFC[1]!;
    const signer = ed.signerFor(fromHex(v.seed)!);
    expect(toHex(await signer(fromHex(v.msg)!))).toBe(v.sig);
    const verifier = ed.verifierFor(fromHex(v.pk)!);
    expect(await verifier(fromHex(v.sig)!, fromHex(v.msg)!)).toBe(true);
    expect(await verifier(fromHex(v.sig)!, Uint8Array.of(0))).toBe(false);
    expect(await ed.verifierFor(new Uint8Array(31))(fromHex(v.sig)!, fromHex(v.msg)!)).toBe(false);
  });

  it('verifies off the calling thread with the same results, where it can', async () => {
    // node:crypto has a thread pool to run checks on; @noble runs on the calling thread only
    if (ed.name === 'noble') return expect(ed.offThreadVerifierFor).toBeUndefined();
    const offThread = ed.offThreadVerifierFor!;
    for (const v of RFC) {
      const verifier = offThread(fromHex(v.pk)!);
      expect(await verifier(fromHex(v.sig)!, fromHex(v.msg)!)).toBe(true);
      expect(await verifier(fromHex(v.sig)!, Uint8Array.of(1))).toBe(false);
      const flipped = fromHex(v.sig)!;
      flipped[5]! ^= 1;
      expect(await verifier(flipped, fromHex(v.msg)!)).toBe(false);
      expect(await verifier(fromHex(v.sig)!.subarray(1), fromHex(v.msg)!)).toBe(false);
    }
    expect(await offThread(new Uint8Array(31))(fromHex(RFC[0]!.sig)!, fromHex(RFC[0]!.msg)!)).toBe(false);
  });

  it('gives each key its own result when more keys pass than it keeps prepared', async () => {
    // 300 keys, more than the native backend keeps prepared, used twice over in turn: a key
    // evicted and prepared again, or a neighbour's prepared key, must never change a result.
    const seeds = Array.from({ length: 300 }, (_, i) => Uint8Array.from({ length: 32 }, (_, j) => (i * 7 + j) & 0xff));
    const pks = await Promise.all(seeds.map((s) => ed.getPublicKey(s)));
    const msg = Uint8Array.of(9, 9);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < seeds.length; i += 7) {
        const sig = await ed.sign(msg, seeds[i]!);
        expect(await ed.verify(sig, msg, pks[i]!)).toBe(true);
        expect(await ed.verify(sig, msg, pks[(i + 1) % pks.length]!)).toBe(false);
      }
    }
  });

  it('signs and verifies a tx in both forms', async () => {
    const keys = await keyPairFromSecretKey(fromHex(RFC[0]!.seed)!, ed);
    const tx = Uint8Array.of(1, 2, 3);
    for (const form of ['raw', 'hash'] as const) {
      const sig = await signTransaction(tx, 'ae_mainnet', keys.secretKey, { form, ed25519: ed });
      expect(await verifyTransactionSignature(sig, tx, 'ae_mainnet', keys.publicKey, { ed25519: ed })).toBe(form);
      expect(await verifyTransactionSignature(sig, tx, 'ae_uat', keys.publicKey, { ed25519: ed })).toBeNull();
      expect(await verifyTransactionSignature(sig, Uint8Array.of(1, 2, 4), 'ae_mainnet', keys.publicKey, { ed25519: ed })).toBeNull();
    }
  });
});

describe('keys', () => {
  it('derives the 64-byte secret key and the ak_ address', async () => {
    const keys = await keyPairFromSecretKey(fromHex(RFC[0]!.seed)!);
    expect(toHex(keys.secretKey)).toBe(RFC[0]!.seed + RFC[0]!.pk);
    expect(await keyPairFromSecretKey(keys.secretKey)).toEqual(keys);
    expect(publicKeyOf(accountAddress(keys.publicKey))).toEqual(keys.publicKey);
    const fresh = await generateKeyPair();
    expect(fresh.secretKey.subarray(32)).toEqual(fresh.publicKey);
    expect(fresh.publicKey).not.toEqual(keys.publicKey);
  });

  it('refuses malformed keys with coded errors that do not leak the key', async () => {
    expect(await codeOf(() => keyPairFromSecretKey(new Uint8Array(31)))).toBe(AESC_ERROR__CRYPTO__INVALID_SECRET_KEY);
    const mismatched = new Uint8Array(64).fill(7);
    try {
      await keyPairFromSecretKey(mismatched);
      expect.unreachable();
    } catch (e) {
      expect(isAescError(e, AESC_ERROR__CRYPTO__INVALID_SECRET_KEY)).toBe(true);
      expect(String(e)).not.toContain('07070707');
      expect(JSON.stringify(e)).not.toContain('7,7,7');
    }
    expect(await codeOf(() => accountAddress(new Uint8Array(31)))).toBe(AESC_ERROR__CRYPTO__INVALID_PUBLIC_KEY);
    expect(await codeOf(() => verifyTransactionSignature(new Uint8Array(63), Uint8Array.of(1), 'n', new Uint8Array(32)))).toBe(
      AESC_ERROR__CRYPTO__INVALID_SIGNATURE,
    );
    expect(await codeOf(() => verifyTransactionSignature(new Uint8Array(64), Uint8Array.of(1), 'n', new Uint8Array(31)))).toBe(
      AESC_ERROR__CRYPTO__INVALID_PUBLIC_KEY,
    );
    expect(await codeOf(() => signingMessage(Uint8Array.of(1), ''))).toBe(AESC_ERROR__CRYPTO__INVALID_NETWORK_ID);
  });
});

describe('signatures in a signed tx', () => {
  it('sorts bytewise, as the node does', () => {
    const a = Uint8Array.of(2, 0);
    const b = Uint8Array.of(1, 255);
    const c = Uint8Array.of(1, 255, 0);
    expect(sortSignatures([a, c, b])).toEqual([b, c, a]);
  });

  it('adds signatures in order and verifies the result', async () => {
    const [alice, bob] = [await generateKeyPair(), await generateKeyPair()];
    const [ak, bk] = [accountAddress(alice.publicKey), accountAddress(bob.publicKey)];
    const unsigned = {
      tag: 'signed_tx',
      version: 1,
      signatures: [],
      tx: { tag: 'channel_close_mutual_tx', version: 1, channelId: channelId(ak, 1n, bk), fromId: ak, initiatorAmountFinal: 5n, responderAmountFinal: 6n, ttl: 0n, fee: 20000n, nonce: 3n },
    } as const;
    const tx = encodeApi('tx', encodeObject(unsigned));
    const once = await signEncodedTx(tx, 'ae_uat', alice.secretKey);
    const twice = await signEncodedTx(once, 'ae_uat', bob.secretKey, { form: 'hash' });
    const decoded = decodeTx(twice);
    expect(decoded.signatures).toEqual(sortSignatures(decoded.signatures));
    const report = await verifySignedTx(twice, 'ae_uat', { expectedSigners: [ak, bk] });
    expect(report.valid).toBe(true);
    expect(report.signatures.map((s) => [s.signer, s.form]).sort()).toEqual([[ak, 'raw'], [bk, 'hash']].sort());
    expect(report.hash).toBe(txHash(twice));
    const missing = await verifySignedTx(once, 'ae_uat', { expectedSigners: [ak, bk] });
    expect(missing).toMatchObject({ valid: false, missing: [bk] });
    const wrongNetwork = await verifySignedTx(twice, 'ae_mainnet', { expectedSigners: [ak, bk] });
    expect(wrongNetwork.valid).toBe(false);
    expect(wrongNetwork.signatures.every((s) => s.signer === null)).toBe(true);
    expect(() => addSignature(decoded, new Uint8Array(3))).toThrow();
  });
});

describe('the signers a tx needs', () => {
  const pair = async () => {
    const [alice, bob] = [await generateKeyPair(), await generateKeyPair()];
    return { alice, bob, ak: accountAddress(alice.publicKey), bk: accountAddress(bob.publicKey) };
  };

  it('a channel create with no signature is not valid: both accounts it names are missing', async () => {
    const { alice, ak, bk } = await pair();
    const create = {
      tag: 'signed_tx',
      version: 1,
      signatures: [],
      tx: { tag: 'channel_create_tx', version: 2, initiatorId: ak, initiatorAmount: 10n, responderId: bk, responderAmount: 10n, channelReserve: 1n, lockPeriod: 2n, ttl: 0n, fee: 20000n, initiatorDelegateIds: [], responderDelegateIds: [], stateHash: encodeApi('st', new Uint8Array(32)), nonce: 1n },
    } as const;
    const tx = encodeApi('tx', encodeObject(create));
    const none = await verifySignedTx(tx, 'ae_uat');
    expect(none).toMatchObject({ valid: false, signatures: [], required: [ak, bk], missing: [ak, bk], participantsUnnamed: false });
    const one = await verifySignedTx(await signEncodedTx(tx, 'ae_uat', alice.secretKey), 'ae_uat');
    expect(one).toMatchObject({ valid: false, missing: [bk] });
  });

  it('a mutual close names one participant: valid only once both are given and signed', async () => {
    const { alice, bob, ak, bk } = await pair();
    const close = {
      tag: 'signed_tx',
      version: 1,
      signatures: [],
      tx: { tag: 'channel_close_mutual_tx', version: 1, channelId: channelId(ak, 1n, bk), fromId: ak, initiatorAmountFinal: 5n, responderAmountFinal: 6n, ttl: 0n, fee: 20000n, nonce: 3n },
    } as const;
    const both = await signEncodedTx(await signEncodedTx(encodeApi('tx', encodeObject(close)), 'ae_uat', alice.secretKey), 'ae_uat', bob.secretKey);
    expect(signersOf(decodeTx(both).tx)).toEqual({ named: [ak], channelParticipants: true });
    // Each signature verifies, but who the other participant is cannot be read from the tx.
    expect(await verifySignedTx(both, 'ae_uat')).toMatchObject({ valid: false, participantsUnnamed: true, missing: [] });
    expect(await verifySignedTx(both, 'ae_uat', { expectedSigners: [ak, bk] })).toMatchObject({ valid: true, participantsUnnamed: false, missing: [] });
  });

  it('names the signers the node names: the sender of a spend, the from of a settle', () => {
    const ak = encodeApi('ak', new Uint8Array(32).fill(1));
    const bk = encodeApi('ak', new Uint8Array(32).fill(2));
    const spend = { tag: 'spend_tx', version: 1, senderId: ak, recipientId: bk, amount: 1n, fee: 1n, ttl: 0n, nonce: 1n, payload: new Uint8Array(0) } as const;
    // the recipient of a spend does not sign it
    expect(signersOf(spend)).toEqual({ named: [ak], channelParticipants: false });
    const settle = { tag: 'channel_settle_tx', version: 1, channelId: channelId(ak, 1n, bk), fromId: bk, initiatorAmountFinal: 1n, responderAmountFinal: 1n, ttl: 0n, fee: 1n, nonce: 1n } as const;
    expect(signersOf(settle)).toEqual({ named: [bk], channelParticipants: false });
  });
});

describe('ids', () => {
  it('computes channel ids over a 256-bit nonce and contract ids over the minimal nonce', () => {
    const i = encodeApi('ak', new Uint8Array(32).fill(1));
    const r = encodeApi('ak', new Uint8Array(32).fill(2));
    const bin = new Uint8Array(96);
    bin.fill(1, 0, 32);
    bin[63] = 5;
    bin.fill(2, 64);
    expect(channelId(i, 5n, r)).toBe(encodeApi('ch', blake2b256(bin)));
    const own = new Uint8Array(33).fill(1);
    own[32] = 7;
    expect(contractId(i, 7n)).toBe(encodeApi('ct', blake2b256(own)));
  });
});
