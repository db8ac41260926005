import { fromHex } from '@aesc/encoding';
import { describe, expect, it } from 'vitest';
import { accountsP } from './fixtures.js';
import { DevChain } from '../src/dev-chain.js';
import { devGenesis } from '../src/genesis.js';
import { signedSpendTx } from '../src/spend.js';

describe('the mempool’s garbage collection, as the node’s (aec_tx_pool_gc)', () => {
  const spendOf = async (nonce: bigint, ttl: bigint) => {
    const [a, b] = await accountsP;
    return signedSpendTx({ sender: a!.address, recipient: b!.address, amount: 1n, nonce, ttl, networkId: 'ae_dev', secretKey: fromHex(a!.secretKey)! });
  };

  it('a tx stuck behind a nonce gap leaves the pool once the top reaches its TTL; one without a TTL stays', async () => {
    const [a] = await accountsP;
    const chain = DevChain.open({ genesis: devGenesis(await accountsP) });
    try {
      const h = chain.height;
      // Nonce 3 while the account is at 0: it waits for nonces 1 and 2, which do not come yet.
      const expiring = await chain.postTx(await spendOf(3n, h + 2n));
      const forever = await chain.postTx(await spendOf(4n, 0n));
      expect(chain.pendingCount).toBe(2);
      await chain.emitKeyBlocks(1); // height h + 1: below its TTL
      expect(chain.tx(expiring)?.status).toBe('pending');
      await chain.emitKeyBlocks(1); // h + 2: the node collects a tx whose TTL the top reached
      expect(chain.tx(expiring)).toBeUndefined();
      expect(chain.tx(forever)?.status).toBe('pending');
      expect(chain.pendingCount).toBe(1);
      // The gap filled, the rest is mined in order, in one micro block.
      await chain.postTx(await spendOf(1n, 0n));
      await chain.postTx(await spendOf(2n, 0n));
      const top = chain.topBlock.hash;
      await chain.postTx(await spendOf(3n, 0n));
      expect(chain.tx(forever)?.status).toBe('mined');
      expect(chain.topBlock.prevHash).toBe(top);
      expect(chain.topBlock.txs).toHaveLength(2);
      expect(chain.account(a!.address)!.nonce).toBe(4n);
      expect(chain.pendingCount).toBe(0);
    } finally {
      await chain.close();
    }
  });

  it('a tx without a TTL is collected mempool.tx_ttl generations after it came in', async () => {
    const chain = DevChain.open({ genesis: devGenesis(await accountsP), mempool: { txTtl: 3n } });
    try {
      const waiting = await chain.postTx(await spendOf(2n, 0n)); // behind a nonce gap
      await chain.emitKeyBlocks(2);
      expect(chain.tx(waiting)?.status).toBe('pending');
      await chain.emitKeyBlocks(1);
      expect(chain.tx(waiting)).toBeUndefined();
      // (the node would refuse it again with already_known; this chain takes it back: see the README)
      expect(await chain.postTx(await spendOf(2n, 0n))).toBe(waiting);
    } finally {
      await chain.close();
    }
  });
});
