import { readFileSync } from 'node:fs';
import { blake2b256, defaultEd25519, publicKeyOf } from '@aesc/crypto';
import { type AccountAddress, decodeApi, fromHex } from '@aesc/encoding';
import { describe, expect, it } from 'vitest';
import { blockHash, headerBinary } from '../src/block.js';
import { DevChain } from '../src/dev-chain.js';
import { type GenesisAccount, devAccounts, devGenesis } from '../src/genesis.js';
import { signedSpendTx } from '../src/spend.js';

// The genesis key block hashes of æternity's public networks, as their nodes report them in
// `/v3/status` (`genesis_key_block_hash`), and the genesis accounts the node ships for each
// (data/aecore/.genesis in aeternity/aeternity: accounts_uat.json, accounts.json).
const UAT_GENESIS = 'kh_wUCideEB8aDtUaiHCtKcfywU6oHZW6gnyci8Mw6S1RSTCnCRu';
const MAINNET_GENESIS = 'kh_pbtwgLrNu23k9PA6XCZnUbtsvEFeQGgavY4FS2do3QP8kcp2z';
const uatAccounts: GenesisAccount[] = [{ address: 'ak_2a1j2Mk9YSmC1gioUq4PWRm3bsv887MbuRVwyv4KaUGoR1eiKi' as AccountAddress, balance: 100000000000001n, nonce: 0n }];
function mainnetAccounts(): GenesisAccount[] {
  const text = readFileSync(new URL('./test-vectors/ae-mainnet-genesis-accounts.json', import.meta.url), 'utf8');
  // balances exceed 2^53: read them as the digits they are
  return [...text.matchAll(/"(ak_\w+)":\s*(\d+)/g)].map((m) => ({ address: m[1] as AccountAddress, balance: BigInt(m[2]!), nonce: 0n }));
}

describe('the genesis block is the node’s', () => {
  it('gives the hash of the ae_uat genesis (one account)', () => {
    const chain = DevChain.open({ genesis: uatAccounts, rules: { networkId: 'ae_uat' } });
    try {
      expect(chain.keyBlockAt(0n)!.hash).toBe(UAT_GENESIS);
    } finally {
      void chain.close();
    }
  });

  it('gives the hash of the ae_mainnet genesis (716 accounts, its own target)', () => {
    const accounts = mainnetAccounts();
    expect(accounts).toHaveLength(716);
    const chain = DevChain.open({ genesis: accounts, rules: { networkId: 'ae_mainnet' } });
    try {
      expect(chain.keyBlockAt(0n)!.hash).toBe(MAINNET_GENESIS);
      // one token more in one account and the state hash, so the block hash, is another
      const [first, ...rest] = accounts;
      const other = DevChain.open({ genesis: [{ ...first!, balance: first!.balance + 1n }, ...rest], rules: { networkId: 'ae_mainnet' } });
      expect(other.keyBlockAt(0n)!.hash).not.toBe(MAINNET_GENESIS);
      void other.close();
    } finally {
      void chain.close();
    }
  });
});

describe('the dev chain’s leader', () => {
  it('mines the key blocks and signs the micro blocks over their header with a blank signature', async () => {
    const accounts = await devAccounts(2);
    const chain = DevChain.open({ genesis: devGenesis(accounts) });
    try {
      const leader = await chain.leader();
      const key = await chain.emitKeyBlocks(1);
      expect(key.miner).toBe(leader.address);
      // a 7.3.0 node's key block after genesis: the info flag, and the version as the last 4 bytes
      const bin = headerBinary(key);
      expect(bin[4]).toBe(0xc0);
      expect([...bin.subarray(bin.length - 4)]).toEqual([0, 0, 2, 218]); // 730
      expect(headerBinary(chain.keyBlockAt(0n)!)[4]).toBe(0x80); // genesis: no info
      expect(blockHash({ ...key, info: 731 })).not.toBe(key.hash);
      const [a, b] = accounts;
      await chain.postTx(await signedSpendTx({ sender: a!.address, recipient: b!.address, amount: 1n, nonce: 1n, networkId: 'ae_dev', secretKey: fromHex(a!.secretKey)! }));
      const micro = chain.topBlock;
      expect(micro.kind).toBe('micro');
      expect(micro.prevKeyHash).toBe(key.hash);
      const ed25519 = defaultEd25519();
      const signature = decodeApi(micro.signature!, 'sg');
      // the signature is the miner's of the key block it follows, over the header without it
      expect(await ed25519.verify(signature, headerBinary(micro, true), publicKeyOf(key.miner!))).toBe(true);
      expect(await ed25519.verify(signature, headerBinary(micro), publicKeyOf(key.miner!))).toBe(false);
      // and it is part of the block hash
      expect(blockHash(micro)).toBe(micro.hash);
      const { signature: _, ...unsigned } = micro;
      expect(blockHash(unsigned)).not.toBe(micro.hash);
      expect(decodeApi(micro.hash, 'mh')).toEqual(blake2b256(headerBinary(micro)));
    } finally {
      await chain.close();
    }
  });
});
