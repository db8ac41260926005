import { devAccounts } from '@aesc/chain';
import { signTransaction } from '@aesc/crypto';
import { type SignedTx, type Transaction, encodeApi, encodeObject, fromHex } from '@aesc/encoding';
import { describe, expect, it } from 'vitest';
import { signatureCheck } from './signature-check.js';

describe('the node’s signature check', () => {
  it('finds an account’s signature in either form, among others, and nothing else', async () => {
    const [a, b, c] = await devAccounts(3);
    const tx: Transaction = {
      tag: 'channel_offchain_tx',
      version: 2,
      channelId: encodeApi('ch', new Uint8Array(32).fill(3)),
      round: 7n,
      stateHash: encodeApi('st', new Uint8Array(32).fill(4)),
    } as Transaction;
    const bytes = encodeObject(tx);
    const sigA = await signTransaction(bytes, 'ae_dev', fromHex(a!.secretKey)!);
    const sigB = await signTransaction(bytes, 'ae_dev', fromHex(b!.secretKey)!, { form: 'hash' });
    const signed: SignedTx = { tag: 'signed_tx', version: 1, signatures: [sigA, sigB], tx };
    const check = signatureCheck('ae_dev');
    // Twice each: the second answer comes from what the first remembered, and must agree.
    for (let i = 0; i < 2; i++) {
      expect(await check(signed, a!.address)).toBe(true);
      expect(await check(signed, b!.address)).toBe(true);
      expect(await check(signed, c!.address)).toBe(false);
    }
    // Remembered for this tx only: the same signatures on another round prove nothing.
    const other = { ...signed, tx: { ...tx, round: 8n } as Transaction };
    expect(await check(other, a!.address)).toBe(false);
    // Another network id: nothing verifies.
    expect(await signatureCheck('ae_mainnet')(signed, a!.address)).toBe(false);
    expect(await check({ ...signed, signatures: [] }, a!.address)).toBe(false);
    expect(await check({ ...signed, signatures: [new Uint8Array(10)] }, a!.address)).toBe(false);
  });
});
