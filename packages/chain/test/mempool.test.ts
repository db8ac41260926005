import { txHash } from '@aesc/crypto';
import { type AccountAddress, type SignedTx, decodeApi, decodeTx, fromHex } from '@aesc/encoding';
import { AESC_ERROR__CHAIN__POOL_FULL, isAescError } from '@aesc/errors';
import { describe, expect, it } from 'vitest';
import { accountsP } from './fixtures.js';
import type { SupportedTx } from '../src/ledger.js';
import { Mempool, type PoolEntry } from '../src/mempool.js';
import { signedSpendTx } from '../src/spend.js';
import { txFailureLimit } from '../src/tx-failure-limits.js';

async function entry(from: number, nonce: bigint, gasPrice = 1_000_000_000n, payload = 0): Promise<PoolEntry> {
  const accounts = await accountsP;
  const a = accounts[from]!;
  const signed: SignedTx = decodeTx(
    await signedSpendTx({ sender: a.address, recipient: accounts[3]!.address, amount: 1n, nonce, networkId: 'ae_dev', secretKey: fromHex(a.secretKey)!, gasPrice, payload: new Uint8Array(payload) }),
  );
  return {
    hash: txHash(signed),
    signed,
    tx: signed.tx as SupportedTx,
    origin: a.address as AccountAddress,
    size: 200 + payload,
    gas: 20_000n,
    deps: [`a:${a.address}`],
    gcHeight: 100n,
    signatures: undefined,
    failures: 0,
    lastFailure: undefined,
    persisted: false,
  };
}

describe('Mempool', () => {
  it('orders as the node’s pool: highest fee first, then origin (as bytes), nonce and hash', async () => {
    const pool = new Mempool();
    const [a0n1, a0n2hi, a1n1, a2n3hi, a0n3] = [await entry(0, 1n), await entry(0, 2n, 5_000_000_000n), await entry(1, 1n), await entry(2, 3n, 5_000_000_000n), await entry(0, 3n)];
    for (const e of [a0n1, a0n2hi, a1n1, a2n3hi, a0n3]) pool.add(e);
    const before = (x: PoolEntry, y: PoolEntry) => Buffer.compare(decodeApi(x.origin, 'ak'), decodeApi(y.origin, 'ak')) < 0;
    const high = before(a0n2hi, a2n3hi) ? [a0n2hi, a2n3hi] : [a2n3hi, a0n2hi];
    const low = before(a0n1, a1n1) ? [a0n1, a0n3, a1n1] : [a1n1, a0n1, a0n3];
    expect(pool.ordered()).toEqual([...high, ...low]);
    pool.delete(a0n1.hash);
    expect(pool.ordered()).toEqual([...high, ...low.filter((e) => e !== a0n1)]);
  });

  it('refuses an entry over a bound with POOL_FULL naming the bound, and stays as it was', async () => {
    const pool = new Mempool({ maxTxs: 3, maxPerAccount: 2, maxBytes: 700 });
    const bound = (e: PoolEntry) => {
      try {
        pool.add(e);
        return 'added';
      } catch (err) {
        return isAescError(err, AESC_ERROR__CHAIN__POOL_FULL) ? err.context.bound : 'other';
      }
    };
    expect(bound(await entry(0, 1n))).toBe('added');
    expect(bound(await entry(0, 2n))).toBe('added');
    const third = await entry(0, 3n);
    expect(bound(third)).toBe('account');
    expect(bound(await entry(1, 1n, undefined, 400))).toBe('bytes'); // 400 + 600 bytes > 700
    expect(bound(await entry(1, 1n))).toBe('added');
    expect(bound(await entry(2, 1n))).toBe('txs');
    expect([pool.size, pool.bytes]).toEqual([3, 600]);
    pool.delete(pool.ordered().find((e) => e.tx.nonce === 1n && e.origin === third.origin)!.hash);
    expect(bound(third)).toBe('added');
    expect([pool.size, pool.bytes]).toEqual([3, 600]);
  });

  it('counts failures once a generation and drops at the node’s limit for the type and reason', async () => {
    const pool = new Mempool();
    const e = await entry(0, 1n);
    pool.add(e);
    // insufficient_funds: 20 for a spend
    expect(txFailureLimit('spend_tx', 'insufficient_funds')).toBe(20);
    for (let h = 1n; h <= 19n; h++) {
      expect(pool.fail(e, 'insufficient_funds', h)).toBe(false);
      expect(pool.fail(e, 'insufficient_funds', h)).toBe(false); // again in the same generation: not counted
    }
    expect(e.failures).toBe(19);
    expect(pool.fail(e, 'insufficient_funds', 20n)).toBe(true);
    expect(pool.has(e.hash)).toBe(false);
    // a reason whose limit is 1 drops at once
    const f = await entry(0, 2n);
    pool.add(f);
    expect(pool.fail(f, 'tx_nonce_already_used_for_account', 5n)).toBe(true);
  });

  it('collects what garbage collection reaches, and moves an invalid entry’s collection to invalid_tx_ttl from now', async () => {
    const pool = new Mempool({ invalidTxTtl: 5n });
    const e = await entry(0, 1n);
    const f = await entry(0, 2n);
    pool.add(e);
    pool.add(f);
    pool.invalid(e, 10n);
    expect(e.gcHeight).toBe(15n);
    pool.invalid(e, 12n); // never later than it was
    expect(e.gcHeight).toBe(15n);
    expect(pool.collect(14n)).toEqual([]);
    expect(pool.collect(15n)).toEqual([e]);
    expect(pool.collect(100n)).toEqual([f]);
    expect(pool.size).toBe(0);
  });

  it('has the node’s failure limits (aeternity_config_schema mempool.tx_failures)', () => {
    expect(txFailureLimit('channel_settle_tx', 'channel_not_closed')).toBe(20);
    expect(txFailureLimit('channel_slash_tx', 'channel_not_closing')).toBe(20);
    expect(txFailureLimit('channel_slash_tx', 'old_round')).toBe(1);
    expect(txFailureLimit('channel_close_solo_tx', 'channel_not_active')).toBe(1);
    expect(txFailureLimit('spend_tx', 'tx_nonce_too_high_for_account')).toBe(30);
    expect(txFailureLimit('spend_tx', 'account_not_found')).toBe(5);
    expect(txFailureLimit('channel_deposit_tx', 'anything_else')).toBe(5);
  });
});
