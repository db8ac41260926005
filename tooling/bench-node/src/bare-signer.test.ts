import { devAccounts } from '@aesc/chain';
import { signEncodedTx } from '@aesc/crypto';
import { type SignedTx, encodeTx, fromHex } from '@aesc/encoding';
import { describe, expect, it } from 'vitest';
import { bareSignTx, bareSigningKey } from './bare-signer.js';

describe('bareSignTx', async () => {
  const [a, b] = await devAccounts(2);
  const spend: SignedTx = {
    tag: 'signed_tx',
    version: 1,
    signatures: [],
    tx: { tag: 'spend_tx', version: 1, senderId: a!.address, recipientId: b!.address, amount: 12345n, fee: 20000n, ttl: 0n, nonce: 7n, payload: new Uint8Array([1, 2, 3]) },
  };

  it('adds the same signature, in the same place, as @aesc/crypto', async () => {
    const tx = encodeTx(spend);
    const once = bareSignTx(tx, bareSigningKey(a!.secretKey), 'ae_dev');
    expect(once).toBe(await signEncodedTx(tx, 'ae_dev', fromHex(a!.secretKey)!));
    // a second signature goes into byte order with the first
    const twice = bareSignTx(once, bareSigningKey(b!.secretKey), 'ae_dev');
    expect(twice).toBe(await signEncodedTx(once, 'ae_dev', fromHex(b!.secretKey)!));
    expect(twice).not.toBe(bareSignTx(once, bareSigningKey(b!.secretKey), 'ae_uat'));
  });

  it('refuses a tx_ string whose checksum does not match', () => {
    const tx = encodeTx(spend);
    const other = tx[20] === 'A' ? 'B' : 'A'; // a payload byte, not a padding bit
    expect(() => bareSignTx(`${tx.slice(0, 20)}${other}${tx.slice(21)}`, bareSigningKey(a!.secretKey), 'ae_dev')).toThrow(/checksum/);
  });
});
