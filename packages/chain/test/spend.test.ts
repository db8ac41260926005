import { decodeTx, encodeObject, fromHex } from '@aesc/encoding';
import { describe, expect, it } from 'vitest';
import { accountsP } from './fixtures.js';
import { DevChain } from '../src/dev-chain.js';
import { devGenesis } from '../src/genesis.js';
import { minFee } from '../src/protocol.js';
import { signedSpendTx } from '../src/spend.js';
import { TxRejection } from '../src/tx-rejection.js';

describe('signedSpendTx', () => {
  it('pays the gas price for its own size, and the chain takes it', async () => {
    const [a, b] = await accountsP;
    const chain = DevChain.open({ genesis: devGenesis(await accountsP) });
    try {
      const before = { a: chain.account(a!.address)!.balance, b: chain.account(b!.address)!.balance };
      const tx = await signedSpendTx({ sender: a!.address, recipient: b!.address, amount: 7n, nonce: 1n, networkId: 'ae_dev', secretKey: fromHex(a!.secretKey)! });
      const inner = decodeTx(tx).tx as { fee: bigint };
      // 1e9 per gas: a thousand times the consensus minimum for exactly this encoding.
      expect(inner.fee).toBe(minFee(encodeObject(decodeTx(tx).tx).length) * 1000n);
      await chain.postTx(tx);
      expect(chain.account(b!.address)!.balance).toBe(before.b + 7n);
      expect(chain.account(a!.address)!.balance).toBe(before.a - 7n - inner.fee);
    } finally {
      await chain.close();
    }
  });

  it('is refused when signed for another network', async () => {
    const [a, b] = await accountsP;
    const chain = DevChain.open({ genesis: devGenesis(await accountsP) });
    try {
      const tx = await signedSpendTx({ sender: a!.address, recipient: b!.address, amount: 7n, nonce: 1n, networkId: 'other', secretKey: fromHex(a!.secretKey)! });
      await expect(chain.postTx(tx)).rejects.toSatisfy((e) => e instanceof TxRejection && e.reason === 'signature_check_failed');
    } finally {
      await chain.close();
    }
  });
});
