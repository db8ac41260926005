import { accountAddress, generateKeyPair, nobleEd25519, signTransaction } from '@aesc/crypto';
import { type AccountAddress, type SignedTx, encodeApi, encodeObject, encodeTx } from '@aesc/encoding';
import {
  AESC_ERROR__CHANNEL__GENERALIZED_ACCOUNT,
  AESC_ERROR__CHANNEL__SIGNATURE_MISSING,
  AESC_ERROR__CHANNEL__UNEXPECTED_SIGNATURES,
  aescErrorCodeOf,
} from '@aesc/errors';
import { describe, expect, it } from 'vitest';
import { expectSigners, signatureVerifier, signedTxOf } from './signatures.js';

const NETWORK = 'ae_channel_test';
const [alice, bob, carol] = await Promise.all([generateKeyPair(), generateKeyPair(), generateKeyPair()]);
const [a, b] = [alice, bob].map((k) => accountAddress(k.publicKey)) as [AccountAddress, AccountAddress];
const tx: SignedTx = {
  tag: 'signed_tx',
  version: 1,
  signatures: [],
  tx: { tag: 'channel_offchain_tx', version: 2, channelId: encodeApi('ch', new Uint8Array(32).fill(3)), round: 2n, stateHash: encodeApi('st', new Uint8Array(32).fill(4)) },
};
const bytes = encodeObject(tx.tx);
const signed = (...signatures: Uint8Array[]): SignedTx => ({ ...tx, signatures });
const sign = (k: typeof alice, form: 'raw' | 'hash' = 'raw', network = NETWORK) => signTransaction(bytes, network, k.secretKey, { form });

describe('signature verification of what the node sends', () => {
  for (const [name, ed25519] of [
    ['native', undefined],
    ['noble', nobleEd25519()],
  ] as const) {
    it(`finds each participant's signature in the raw and the hash form, as the node accepts them (${name})`, async () => {
      const v = signatureVerifier(NETWORK, [a, b], ed25519);
      const both = signed(await sign(alice), await sign(bob, 'hash'));
      expect(await v.signers(both, encodeTx(both))).toEqual({ tx: encodeTx(both), signers: [a, b], strangers: 0 });
    });

    it(`counts as strangers a signature for another network id, a third account's, random bytes and a second one of a participant (${name})`, async () => {
      const v = signatureVerifier(NETWORK, [a, b], ed25519);
      const random = new Uint8Array(64).map((_, i) => (i * 37 + 11) & 255);
      const cases: [string, Uint8Array[], AccountAddress[], number][] = [
        ['another network', [await sign(bob, 'raw', 'ae_mainnet')], [], 1],
        ['another network, hash form', [await sign(bob, 'hash', 'ae_uat')], [], 1],
        ['a third account', [await sign(carol)], [], 1],
        ['random bytes', [random], [], 1],
        ['not 64 bytes', [new Uint8Array(63)], [], 1],
        ['twice the same participant', [await sign(bob), await sign(bob, 'hash')], [b], 1],
        ['no signature', [], [], 0],
      ];
      for (const [what, signatures, signers, strangers] of cases) {
        const s = signed(...signatures);
        expect(await v.signers(s, 'x'), what).toMatchObject({ signers, strangers });
      }
    });
  }

  it('remembers a verified signature only with the bytes it signs', async () => {
    const v = signatureVerifier(NETWORK, [a, b]);
    const sig = await sign(bob);
    expect((await v.signers(signed(sig), 'x')).signers).toEqual([b]);
    // the same signature on another tx is checked afresh, and verifies for no one
    const other: SignedTx = { ...tx, tx: { ...tx.tx, round: 3n } as SignedTx['tx'], signatures: [sig] };
    expect(await v.signers(other, 'y')).toMatchObject({ signers: [], strangers: 1 });
  });

  it('names the account of a generalized-account meta tx around the tx, whose authorization it cannot check', async () => {
    const v = signatureVerifier(NETWORK, [a, b]);
    const meta: SignedTx = {
      tag: 'signed_tx',
      version: 1,
      signatures: [],
      tx: { tag: 'ga_meta_tx', version: 2, gaId: a, authData: encodeApi('cb', new Uint8Array([1])), abiVersion: 3n, fee: 1n, gas: 1n, gasPrice: 1n, tx: signed(await sign(bob)) },
    } as SignedTx;
    const found = await v.signers(meta, 'x');
    expect(found).toMatchObject({ signers: [b], strangers: 0, generalized: a });
    expect(aescErrorCodeOf(() => expectSigners(found, meta, [b]))).toBe(AESC_ERROR__CHANNEL__GENERALIZED_ACCOUNT);
  });
});

describe('expectSigners: exactly the expected signatures, as strictly as the node checks them', () => {
  const facts = (signers: AccountAddress[], strangers: number) => ({ tx: 'x', signers, strangers });
  it('passes exactly the expected signers', () => {
    expect(() => expectSigners(facts([b], 0), signed(new Uint8Array(64)), [b])).not.toThrow();
    expect(() => expectSigners(facts([a, b], 0), tx, [a, b])).not.toThrow();
    expect(() => expectSigners(facts([], 0), tx, [])).not.toThrow();
  });

  it('refuses a missing signer, a signature left over, and signatures nobody verified', () => {
    expect(aescErrorCodeOf(() => expectSigners(facts([], 1), tx, [b]))).toBe(AESC_ERROR__CHANNEL__SIGNATURE_MISSING);
    expect(aescErrorCodeOf(() => expectSigners(facts([a], 0), tx, [a, b]))).toBe(AESC_ERROR__CHANNEL__SIGNATURE_MISSING);
    expect(aescErrorCodeOf(() => expectSigners(facts([b], 1), tx, [b]))).toBe(AESC_ERROR__CHANNEL__UNEXPECTED_SIGNATURES);
    expect(aescErrorCodeOf(() => expectSigners(facts([a, b], 0), tx, [b]))).toBe(AESC_ERROR__CHANNEL__UNEXPECTED_SIGNATURES);
    expect(aescErrorCodeOf(() => expectSigners(facts([b], 0), tx, []))).toBe(AESC_ERROR__CHANNEL__UNEXPECTED_SIGNATURES);
    // no facts: the tx's signatures count as unverified
    expect(aescErrorCodeOf(() => expectSigners(undefined, signed(new Uint8Array(64)), []))).toBe(AESC_ERROR__CHANNEL__UNEXPECTED_SIGNATURES);
    expect(aescErrorCodeOf(() => expectSigners(undefined, signed(new Uint8Array(64)), [b]))).toBe(AESC_ERROR__CHANNEL__SIGNATURE_MISSING);
  });

  it('takes the tx of a sign request and of a co-signed report, nothing else', () => {
    const encoded = encodeTx(tx);
    expect(signedTxOf({ method: 'channels.sign.update_ack', params: { data: { signed_tx: encoded } } })?.encoded).toBe(encoded);
    expect(signedTxOf({ method: 'channels.update', params: { data: { state: encoded } } })?.encoded).toBe(encoded);
    expect(signedTxOf({ method: 'channels.on_chain_tx', params: { data: { tx: encoded } } })).toBeUndefined();
    expect(signedTxOf({ method: 'channels.update', params: { data: { state: 'tx_AAAA' } } })).toBeUndefined();
  });
});
