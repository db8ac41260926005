/**
 * `pnpm bench:chain`: spend txs validated + applied + persisted per second and blocks per second,
 * with the dev chain's SQLite database on disk (WAL, synchronous=FULL: every block is fsynced).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DevChain, type DevAccount, devAccounts, devGenesis, minFee } from '@aesc/chain';
import { accountAddress, generateKeyPair, signTransaction } from '@aesc/crypto';
import { type Transaction, encodeObject, encodeTx, fromHex } from '@aesc/encoding';

async function spend(from: DevAccount, to: DevAccount, nonce: bigint): Promise<string> {
  const make = (fee: bigint): Transaction => ({ tag: 'spend_tx', version: 1, senderId: from.address, recipientId: to.address, amount: 1n, fee, ttl: 0n, nonce, payload: new Uint8Array(0) });
  let fee = 0n;
  for (let i = 0; i < 3; i++) fee = minFee(encodeObject(make(fee)).length) * 1000n;
  const tx = make(fee);
  const sig = await signTransaction(encodeObject(tx), 'ae_dev', fromHex(from.secretKey)!);
  return encodeTx({ tag: 'signed_tx', version: 1, signatures: [sig], tx });
}

/** A funded-nowhere account: its spends pass the pool's checks (nonce 1) and never apply. */
async function freshAccount(): Promise<DevAccount> {
  const keys = await generateKeyPair();
  return { address: accountAddress(keys.publicKey), secretKey: Buffer.from(keys.secretKey).toString('hex'), balance: 0n };
}

function rate(n: number, ms: number): string {
  return `${((n * 1000) / ms).toFixed(0)}/s (${n} in ${ms.toFixed(0)} ms)`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'aesc-bench-chain-'));
  const senders = await devAccounts(100);
  const genesis = devGenesis(senders);
  try {
    // 1. one tx per block (auto-mine, the dev mode default): each tx is validated, applied, and its block fsynced
    const chain1 = DevChain.open({ dbPath: join(dir, 'a.sqlite'), genesis });
    const txs1: string[] = [];
    for (let n = 1n; n <= 5n; n++) for (const s of senders) txs1.push(await spend(s, senders[0]!, n));
    let t = performance.now();
    for (const tx of txs1) await chain1.postTx(tx);
    console.log(`spend txs, one per micro block (auto-mine):  ${rate(txs1.length, performance.now() - t)}`);
    // 2. empty key blocks
    t = performance.now();
    await chain1.emitKeyBlocks(1000);
    console.log(`empty key blocks:                            ${rate(1000, performance.now() - t)}`);
    await chain1.close();

    // 3. batched: 100 txs per micro block
    const chain2 = DevChain.open({ dbPath: join(dir, 'b.sqlite'), genesis, autoMine: false });
    const rounds: string[][] = [];
    for (let n = 1n; n <= 20n; n++) rounds.push(await Promise.all(senders.map((s) => spend(s, senders[0]!, n))));
    t = performance.now();
    for (const round of rounds) {
      for (const tx of round) await chain2.postTx(tx);
      await chain2.emitMicroBlock();
    }
    const total = rounds.length * senders.length;
    console.log(`spend txs, ${senders.length} per micro block:               ${rate(total, performance.now() - t)}`);
    await chain2.close();

    // 4. auto-mine with the pool full of txs that do not apply (a flood from accounts the chain
    // does not know: each is tried again whenever a block is made, until 5 generations passed)
    const filling = DevChain.open({ dbPath: join(dir, 'c.sqlite'), genesis, autoMine: false });
    const limits = filling.mempoolLimits;
    for (let i = limits.maxTxs - senders.length; i > 0; i--) await filling.postTx(await spend(await freshAccount(), senders[0]!, 1n));
    await filling.close();
    t = performance.now();
    const chain3 = DevChain.open({ dbPath: join(dir, 'c.sqlite') }); // the pool comes back from the database
    console.log(`reopening with ${chain3.pendingCount} txs in the pool:         ${(performance.now() - t).toFixed(0)} ms (bound ${limits.maxTxs})`);
    const posts = await Promise.all(senders.map((s) => spend(s, senders[0]!, 1n)));
    t = performance.now();
    await chain3.postTx(posts[0]!);
    console.log(`the first post (every pooled tx tried once): ${(performance.now() - t).toFixed(0)} ms`);
    t = performance.now();
    for (const tx of posts.slice(1)) await chain3.postTx(tx);
    console.log(`spend txs, one per micro block, pool full:   ${rate(posts.length - 1, performance.now() - t)}`);
    t = performance.now();
    await chain3.emitKeyBlocks(1);
    console.log(`a key block with the pool full (all tried):  ${(performance.now() - t).toFixed(0)} ms`);
    await chain3.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
