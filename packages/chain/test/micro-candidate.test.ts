import { txHash } from '@aesc/crypto';
import { type AccountAddress, type Transaction, decodeTx } from '@aesc/encoding';
import { describe, expect, it } from 'vitest';
import { type LedgerState, emptyLedger, getAccount, putAccount } from '../src/ledger.js';
import { Mempool, type PoolEntry } from '../src/mempool.js';
import { microCandidate } from '../src/micro-candidate.js';
import { poolEntry } from '../src/pool-entry.js';
import { PoolSleepers } from '../src/pool-sleepers.js';
import { defaultRules } from '../src/protocol.js';
import { accountsP, feeFor, sign, spendTx } from './fixtures.js';

const rules = defaultRules();
const RICH = 10n ** 24n;

/** A ledger with the dev accounts: account 0 and 1 rich, account 2 with `poor` aettos. */
async function ledger(poor = 0n): Promise<LedgerState> {
  const [a0, a1, a2] = await accountsP;
  let state = emptyLedger();
  state = putAccount(state, a0!.address, { nonce: 0n, balance: RICH });
  state = putAccount(state, a1!.address, { nonce: 0n, balance: RICH });
  state = putAccount(state, a2!.address, { nonce: 0n, balance: poor });
  return state;
}

async function spend(from: number, to: number, amount: bigint, nonce: bigint, height = 1n): Promise<PoolEntry> {
  const accounts = await accountsP;
  const signed = decodeTx(await spendTx(accounts[from]!, accounts[to]!.address as AccountAddress, amount, nonce));
  return poolEntry(txHash(signed), signed, height, 6720n)!;
}

/** A spend paying `times` the fee the fixtures pay: first in pool order. */
async function dearSpend(from: number, to: number, amount: bigint, nonce: bigint, times: bigint): Promise<PoolEntry> {
  const accounts = await accountsP;
  const make = (fee: bigint): Transaction => ({ tag: 'spend_tx', version: 1, senderId: accounts[from]!.address, recipientId: accounts[to]!.address, amount, fee, ttl: 0n, nonce, payload: new Uint8Array(0) });
  const signed = decodeTx(await sign(make(feeFor(make) * times), [accounts[from]!]));
  return poolEntry(txHash(signed), signed, 1n, 6720n)!;
}

describe('microCandidate', () => {
  it('applies txs across a nonce gap in one block (the later nonce waits for the earlier), and leaves the state it started from as it was', async () => {
    const start = await ledger();
    const [a0] = await accountsP;
    const pool = new Mempool();
    const n2 = await dearSpend(0, 1, 5n, 2n, 2n);
    const n1 = await spend(0, 1, 7n, 1n);
    pool.add(n2);
    pool.add(n1);
    // the node's pool order puts the dearer one, nonce 2, first: it fails, then applies after nonce 1
    expect(pool.ordered()).toEqual([n2, n1]);
    const c = await microCandidate(pool, new PoolSleepers(), start, 1n, rules);
    expect(c.included.map((i) => i.hash)).toEqual([n1.hash, n2.hash]);
    expect([...c.done]).toEqual([n1, n2]);
    expect(c.dropped).toEqual([]);
    expect(getAccount(c.state, a0!.address as AccountAddress)?.nonce).toBe(2n);
    expect(getAccount(start, a0!.address as AccountAddress)?.nonce).toBe(0n);
    // the chain takes the included txs out once the block is on disk: still pooled here
    expect(pool.size).toBe(2);
  });

  it('marks a tx whose nonce is used invalid (dropped invalidTxTtl generations later) and includes nothing', async () => {
    const start = putAccount(await ledger(), (await accountsP)[0]!.address as AccountAddress, { nonce: 3n, balance: RICH });
    const pool = new Mempool({ invalidTxTtl: 5n });
    const used = await spend(0, 1, 1n, 2n);
    pool.add(used);
    const c = await microCandidate(pool, new PoolSleepers(), start, 10n, rules);
    expect(c.included).toEqual([]);
    expect(c.state).toBe(start);
    expect(used.gcHeight).toBe(15n);
    expect(pool.has(used.hash)).toBe(true);
  });

  it('counts a failure once per generation: a tx that did not apply sleeps until an account it reads changes', async () => {
    const start = await ledger(0n);
    const pool = new Mempool();
    const sleepers = new PoolSleepers();
    const broke = await spend(2, 1, 1n, 1n); // account 2 cannot pay the fee
    pool.add(broke);
    const first = await microCandidate(pool, sleepers, start, 1n, rules);
    expect(first.included).toEqual([]);
    expect(broke.failures).toBe(1);
    expect(broke.lastFailure).toEqual({ height: 1n, reason: 'insufficient_funds' });
    expect(sleepers.has(broke)).toBe(true);
    // asleep: not tried again, so no second failure (a new generation would count one)
    await microCandidate(pool, sleepers, start, 1n, rules);
    expect(broke.failures).toBe(1);
    // a spend to account 2 wakes it, and in the same block it applies
    const funding = await spend(0, 2, 10n ** 20n, 1n);
    pool.add(funding);
    const funded = await microCandidate(pool, sleepers, start, 1n, rules);
    expect(funded.included.map((i) => i.hash)).toEqual([funding.hash, broke.hash]);
    expect(sleepers.has(broke)).toBe(false);
  });

  it('drops a tx that failed as often as the node allows, and reports it', async () => {
    const start = await ledger(0n);
    const pool = new Mempool();
    const broke = await spend(2, 1, 1n, 1n);
    pool.add(broke);
    const dropped: PoolEntry[] = [];
    for (let h = 1n; pool.size > 0 && h < 1000n; h++) dropped.push(...(await microCandidate(pool, new PoolSleepers(), start, h, rules)).dropped);
    expect(dropped).toEqual([broke]);
    expect(pool.has(broke.hash)).toBe(false);
  });
});
