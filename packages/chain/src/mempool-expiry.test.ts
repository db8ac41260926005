import { fromHex } from '@aesc/encoding';
import { describe, expect, it } from 'vitest';
import { accountsP } from './conformance/fixtures.js';
import { DevChain } from './dev-chain.js';
import { devGenesis } from './genesis.js';
import { signedSpendTx } from './spend.js';

describe('the mempool drops txs whose TTL has passed', () => {
  it('a tx stuck behind a nonce gap leaves the pool once the chain passes its TTL; one without a TTL stays', async () => {
    const [a, b] = await accountsP;
    const chain = DevChain.open({ genesis: devGenesis(await accountsP) });
    try {
      const spend = (nonce: bigint, ttl: bigint) =>
        signedSpendTx({ sender: a!.address, recipient: b!.address, amount: 1n, nonce, ttl, networkId: 'ae_dev', secretKey: fromHex(a!.secretKey)! });
      const h = chain.height;
      // Nonce 3 while the account is at 0: it waits for nonces 1 and 2, which never come.
      const expiring = await chain.postTx(await spend(3n, h + 2n));
      const forever = await chain.postTx(await spend(4n, 0n));
      expect(chain.pendingCount).toBe(2);
      await chain.emitKeyBlocks(2); // height h + 2: still within the TTL
      expect(chain.tx(expiring)?.status).toBe('pending');
      await chain.emitKeyBlocks(1); // h + 3 > ttl
      expect(chain.tx(expiring)).toBeUndefined();
      expect(chain.tx(forever)?.status).toBe('pending');
      expect(chain.pendingCount).toBe(1);
      // The gap filled, the rest is mined in order.
      await chain.postTx(await spend(1n, 0n));
      await chain.postTx(await spend(2n, 0n));
      await chain.postTx(await spend(3n, 0n));
      await chain.emitMicroBlock();
      expect(chain.tx(forever)?.status).toBe('mined');
      expect(chain.account(a!.address)!.nonce).toBe(4n);
    } finally {
      await chain.close();
    }
  });
});
