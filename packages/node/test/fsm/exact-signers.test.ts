import { devAccounts } from '@aesc/chain';
import { signTransaction } from '@aesc/crypto';
import { type SignedTx, type Transaction, encodeApi, encodeObject, fromHex } from '@aesc/encoding';
import { describe, expect, it } from 'vitest';
import { signedExactlyBy } from '../../src/fsm/exact-signers.js';
import { signatureCheck } from '../../src/fsm/signature-check.js';

describe('signedExactlyBy: exactly one valid signature of each signer, nothing else', () => {
  it('takes what the chain takes and refuses repeats, strangers, missing and extra signatures', async () => {
    const [a, b, c] = await devAccounts(3);
    const tx = { tag: 'channel_offchain_tx', version: 2, channelId: encodeApi('ch', new Uint8Array(32).fill(1)), round: 3n, stateHash: encodeApi('st', new Uint8Array(32).fill(2)) } as Transaction;
    const sig = (secret: string, form: 'raw' | 'hash' = 'raw') => signTransaction(encodeObject(tx), 'ae_dev', fromHex(secret)!, { form });
    const [sa, sb, sc, sbHash] = await Promise.all([sig(a!.secretKey), sig(b!.secretKey), sig(c!.secretKey), sig(b!.secretKey, 'hash')]);
    const check = signatureCheck('ae_dev');
    const signed = (...signatures: Uint8Array[]): SignedTx => ({ tag: 'signed_tx', version: 1, signatures, tx });
    const both = [a!.address, b!.address];
    // Twice: the second round answers from what the check remembered, and must agree.
    for (let run = 0; run < 2; run++) {
      expect(await signedExactlyBy(check, signed(sa), [a!.address])).toBe(true);
      expect(await signedExactlyBy(check, signed(sa, sb), both)).toBe(true);
      expect(await signedExactlyBy(check, signed(sb, sa), both)).toBe(true); // any order
      expect(await signedExactlyBy(check, signed(sa, sbHash), both)).toBe(true); // either form
      expect(await signedExactlyBy(check, signed(sa, sa), both)).toBe(false); // one repeated, the other missing
      expect(await signedExactlyBy(check, signed(sa, sa), [a!.address])).toBe(false); // one too many
      expect(await signedExactlyBy(check, signed(sa, sb, sb), both)).toBe(false);
      expect(await signedExactlyBy(check, signed(sa, sb, sc), both)).toBe(false); // a stranger's besides
      expect(await signedExactlyBy(check, signed(sa, sc), both)).toBe(false); // a stranger's instead
      expect(await signedExactlyBy(check, signed(sa, sb), [a!.address])).toBe(false);
      expect(await signedExactlyBy(check, signed(sb), [a!.address])).toBe(false);
      expect(await signedExactlyBy(check, signed(), [])).toBe(true);
      expect(await signedExactlyBy(check, signed(), [a!.address])).toBe(false);
    }
    // The right signature inside a generalized account's meta tx: not a basic account's signature.
    const meta = { tag: 'ga_meta_tx', version: 2, gaId: a!.address, authData: encodeApi('cb', new Uint8Array([1])), abiVersion: 3n, fee: 1n, gas: 1n, gasPrice: 1n, tx: signed(sa) } as unknown as Transaction;
    expect(await signedExactlyBy(check, { tag: 'signed_tx', version: 1, signatures: [sa], tx: meta }, [a!.address])).toBe(false);
  });
});
