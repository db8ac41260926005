import { type decodeTx, encodeApi, encodeObject, fromHex, toHex, uintToBytes } from '@aesc/encoding';
import { mptFromEntries, mptProofLookup, mptProve } from '@aesc/state';
import { describe, expect, it } from 'vitest';
import { accountsP } from './fixtures.js';
import { blockHash, txsRootHash } from '../src/block.js';
import { DevChain } from '../src/dev-chain.js';
import { devGenesis } from '../src/genesis.js';
import { signedSpendTx } from '../src/spend.js';

describe('micro block txs hash (aec_txs_trees)', () => {
  it('is 32 zero bytes without txs, and a tree from each position to its serialized tx otherwise', async () => {
    expect(toHex(txsRootHash([]))).toBe('00'.repeat(32));
    const txs = Array.from({ length: 300 }, (_, i) => Uint8Array.of(0xf8, i & 0xff, i >> 8, 1, 2, 3));
    const root = txsRootHash(txs);
    const tree = mptFromEntries(txs.map((tx, i) => [uintToBytes(BigInt(i)), tx] as const));
    // Position 0 is the single byte 0 (binary:encode_unsigned), 256 is two bytes.
    for (const i of [0, 1, 255, 256, 299]) {
      const key = uintToBytes(BigInt(i));
      expect(key.length).toBe(i < 256 ? 1 : 2);
      expect(mptProofLookup(root, mptProve(tree, key), key)).toEqual(txs[i]);
    }
    // The order of the txs is part of the hash.
    expect(toHex(txsRootHash([txs[1]!, txs[0]!]))).not.toBe(toHex(txsRootHash([txs[0]!, txs[1]!])));
  });

  it('is what the dev chain puts in its micro block headers', async () => {
    const [a, b] = await accountsP;
    const chain = DevChain.open({ genesis: devGenesis(await accountsP), autoMine: false });
    try {
      const spend = (nonce: bigint) =>
        signedSpendTx({ sender: a!.address, recipient: b!.address, amount: nonce, nonce, networkId: 'ae_dev', secretKey: fromHex(a!.secretKey)! });
      for (const n of [1n, 2n, 3n]) await chain.postTx(await spend(n));
      const block = (await chain.emitMicroBlock())!;
      expect(block.txs).toHaveLength(3);
      const signed = block.txs.map((h) => encodeObject((chain.tx(h) as { signed: ReturnType<typeof decodeTx> }).signed));
      expect(block.txsHash).toBe(encodeApi('bx', txsRootHash(signed)));
      expect(blockHash(block)).toBe(block.hash);
      expect(blockHash({ ...block, txsHash: encodeApi('bx', txsRootHash([...signed].reverse())) })).not.toBe(block.hash);
    } finally {
      await chain.close();
    }
  });
});
