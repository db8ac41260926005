import { type KeyPair, accountAddress, generateKeyPair } from '@aesc/crypto';
import { type EncodedTx, fromHex } from '@aesc/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import { accountsP } from './fixtures.js';
import { DevChain, type DevChainOptions } from '../src/dev-chain.js';
import { devGenesis } from '../src/genesis.js';
import { type ChainHttpServer, serveChainHttp } from '../src/http-server.js';
import { signedSpendTx } from '../src/spend.js';

// What POST /v3/transactions refuses is what the node's pool refuses (aec_tx_pool:push/3 for a tx
// created here: check_pool_db_put), with its reasons; what the pool takes waits there until it
// applies, its TTL passes, or it failed as often as the node allows; the pool is bounded.

let chain: DevChain | undefined;
let server: ChainHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  await chain?.close();
  server = undefined;
  chain = undefined;
});

async function setup(options: DevChainOptions = {}) {
  chain = DevChain.open({ genesis: devGenesis(await accountsP), ...options });
  server = await serveChainHttp(chain);
  return { chain, url: server.url };
}

async function post(url: string, tx: string) {
  const res = await fetch(`${url}/v3/transactions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tx }) });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), json: JSON.parse(await res.text()) as Record<string, unknown> };
}

/** A spend from dev account `from` (or a secret key), with the node's usual fee for `gasPrice`. */
async function spend(
  from: number | KeyPair,
  nonce: bigint,
  o: { gasPrice?: bigint; ttl?: bigint; payload?: number; amount?: bigint; networkId?: string } = {},
): Promise<EncodedTx> {
  const accounts = await accountsP;
  const key = typeof from === 'number' ? fromHex(accounts[from]!.secretKey)! : from.secretKey;
  const sender = typeof from === 'number' ? accounts[from]!.address : accountAddress(from.publicKey);
  return signedSpendTx({
    sender,
    recipient: accounts[3]!.address,
    amount: o.amount ?? 1n,
    nonce,
    networkId: o.networkId ?? 'ae_dev',
    secretKey: key,
    ...(o.gasPrice === undefined ? {} : { gasPrice: o.gasPrice }),
    ...(o.ttl === undefined ? {} : { ttl: o.ttl }),
    ...(o.payload === undefined ? {} : { payload: new Uint8Array(o.payload) }),
  });
}

const invalid = (error_code: string) => ({ status: 400, json: { reason: 'Invalid tx', error_code } });

describe('POST /v3/transactions refuses what the node’s pool refuses, and nothing else', () => {
  it('refuses bad signatures, used and far nonces, low fees, passed TTLs, duplicates and oversize txs; the chain stays as it was', async () => {
    const { chain, url } = await setup();
    await chain.emitKeyBlocks(3);
    expect((await post(url, await spend(0, 1n))).status).toBe(200);
    const [top, pending, nonce] = [chain.topBlock.hash, chain.pendingCount, chain.account((await accountsP)[0]!.address)!.nonce];
    const fresh = await generateKeyPair();
    const cases: [string, EncodedTx | string, unknown][] = [
      ['signed for another network', await spend(0, 2n, { networkId: 'ae_mainnet' }), invalid('signature_check_failed')],
      ['a used nonce', await spend(0, 1n, { amount: 2n }), invalid('nonce_too_low')],
      ['a nonce beyond the offset of 5', await spend(0, 7n), invalid('nonce_too_high')],
      ['a nonce above 1 from an account the chain does not know', await spend(fresh, 2n), invalid('nonce_too_high')],
      ['a fee below the minimum', await spend(0, 2n, { gasPrice: 1n }), invalid('too_low_fee')],
      ['a fee below the miner’s gas price', await spend(0, 2n, { gasPrice: 1_000_000n }), invalid('too_low_gas_price_for_miner')],
      ['a TTL the chain passed', await spend(0, 2n, { ttl: 2n }), invalid('ttl_expired')],
      ['the same tx again, mined', await spend(0, 1n), invalid('already_accepted')],
      ['too much gas for any block', await spend(0, 2n, { payload: 300_000 }), invalid('gas_limit_exceeded')],
      ['a body over 1 MiB', `tx_${'A'.repeat(1_100_000)}`, { status: 413, json: { reason: 'Request body too large' } }],
    ];
    for (const [what, tx, answer] of cases) expect(await post(url, tx), what).toMatchObject(answer as object);
    expect([chain.topBlock.hash, chain.pendingCount, chain.account((await accountsP)[0]!.address)!.nonce]).toEqual([top, pending, nonce]);
  });

  it('takes what does not apply yet: a nonce after a gap, an unknown or broke account; each waits, and a pooled one again is already_known', async () => {
    const { chain, url } = await setup();
    const fresh = await generateKeyPair();
    const gap = await spend(0, 3n);
    const unknown = await spend(fresh, 1n);
    const broke = await spend(1, 1n, { amount: 10n ** 40n });
    for (const tx of [gap, unknown, broke]) expect((await post(url, tx)).status).toBe(200);
    expect(chain.pendingCount).toBe(3);
    expect(await post(url, gap)).toMatchObject(invalid('already_known'));
    // the gap filled: the waiting tx goes into the same micro block
    expect((await post(url, await spend(0, 1n))).status).toBe(200);
    const top = chain.topBlock.hash;
    expect((await post(url, await spend(0, 2n))).status).toBe(200);
    expect(chain.topBlock).toMatchObject({ prevHash: top, txs: [expect.any(String), expect.any(String)] });
    expect(chain.account((await accountsP)[0]!.address)!.nonce).toBe(3n);
    expect(chain.pendingCount).toBe(2);
  });

  it('a tx whose TTL is the height is taken but never mined (the node picks a tx only below its TTL), and collected at the next key block', async () => {
    const { chain, url } = await setup({ autoMine: false });
    await chain.emitKeyBlocks(2);
    const r = await post(url, await spend(0, 1n, { ttl: 2n }));
    expect(r.status).toBe(200);
    expect(await chain.emitMicroBlock()).toBeUndefined();
    expect(chain.tx(r.json.tx_hash as string)?.status).toBe('pending');
    await chain.emitKeyBlocks(1);
    expect(chain.tx(r.json.tx_hash as string)).toBeUndefined();
  });
});

describe('a micro block’s gas', () => {
  it('takes at most the node’s 6,000,000 gas of txs; the rest waits for the next micro block', async () => {
    const { chain, url } = await setup({ autoMine: false });
    // two spends of 3,000,000+ gas each (a 150 kB payload): one block holds one of them
    const big = [await spend(0, 1n, { payload: 150_000 }), await spend(1, 1n, { payload: 150_000 })];
    const small = await spend(2, 1n);
    for (const tx of [...big, small]) expect((await post(url, tx)).status).toBe(200);
    const first = await chain.emitMicroBlock();
    expect(first?.txs).toHaveLength(2); // one big, and the small one that still fits
    expect(chain.pendingCount).toBe(1);
    const second = await chain.emitMicroBlock();
    expect(second?.txs).toHaveLength(1);
    expect(chain.pendingCount).toBe(0);
  });
});

describe('what waits in the pool', () => {
  it('is dropped once it has failed as often as the node allows (a spend from an unknown account: 5 generations), unless it applies first', async () => {
    const { chain, url } = await setup();
    const [lost, saved] = [await generateKeyPair(), await generateKeyPair()];
    const a = (await post(url, await spend(lost, 1n))).json.tx_hash as string;
    const b = (await post(url, await spend(saved, 1n))).json.tx_hash as string;
    expect(chain.checkPoolTx(a)).toBe('account_not_found');
    await chain.emitKeyBlocks(3); // 4 failures each: one at the post, one after each key block
    expect([chain.tx(a)?.status, chain.tx(b)?.status]).toEqual(['pending', 'pending']);
    // the second account is funded: its spend goes into the same micro block as the funding
    const funding = await post(url, await signedSpendTx({ ...(await fundingOf(saved)), nonce: 1n }));
    expect(funding.status).toBe(200);
    expect(chain.tx(b)?.status).toBe('mined');
    const blockOf = (hash: string) => (chain.tx(hash) as { blockHash?: string } | undefined)?.blockHash;
    expect(blockOf(b)).toBe(blockOf(funding.json.tx_hash as string));
    await chain.emitKeyBlocks(1); // the 5th failure
    expect(chain.tx(a)).toBeUndefined();
    expect(chain.pendingCount).toBe(0);
  });

  it('of two txs with one nonce, the higher fee is mined and the other dropped (tx_nonce_already_used_for_account: 1 failure)', async () => {
    const { chain, url } = await setup({ autoMine: false });
    const low = (await post(url, await spend(0, 1n))).json.tx_hash as string;
    const high = (await post(url, await spend(0, 1n, { gasPrice: 2_000_000_000n }))).json.tx_hash as string;
    await chain.emitMicroBlock();
    expect([chain.tx(high)?.status, chain.tx(low)]).toEqual(['mined', undefined]);
  });
});

describe('the pool’s bounds (hostile floods)', () => {
  it('answers 503 Temporary overload, as the node does when it sheds load, at each bound; the chain stays as it was and drains', async () => {
    const { chain, url } = await setup({ autoMine: false, mempool: { maxTxs: 6, maxPerAccount: 3 } });
    const overloaded = { status: 503, retryAfter: '3', json: { reason: 'Temporary overload' } };
    for (let n = 1n; n <= 3n; n++) expect((await post(url, await spend(0, n))).status).toBe(200);
    expect(await post(url, await spend(0, 4n)), 'a fourth of one account').toMatchObject(overloaded);
    // a flood from fresh accounts: the pool takes them up to its bound, then sheds
    const flood = await Promise.all(Array.from({ length: 20 }, async () => post(url, await spend(await generateKeyPair(), 1n))));
    expect(flood.filter((r) => r.status === 200)).toHaveLength(3);
    expect(flood.filter((r) => r.status !== 200).every((r) => r.status === 503 && r.json.reason === 'Temporary overload')).toBe(true);
    expect(chain.pendingCount).toBe(6);
    expect(chain.height).toBe(0n);
    // a block takes account 0's three; there is room again
    await chain.emitMicroBlock();
    expect(chain.pendingCount).toBe(3);
    expect((await post(url, await spend(0, 4n))).status).toBe(200);
  });

  it('bounds the bytes too', async () => {
    const { chain, url } = await setup({ autoMine: false, mempool: { maxBytes: 20_000 } });
    expect((await post(url, await spend(0, 1n, { payload: 15_000 }))).status).toBe(200);
    expect((await post(url, await spend(0, 2n, { payload: 15_000 }))).status).toBe(503);
    expect(chain.pendingCount).toBe(1);
  });
});

/** A spend funding the account of `keys` from dev account 2. */
async function fundingOf(keys: KeyPair) {
  const accounts = await accountsP;
  return {
    sender: accounts[2]!.address,
    recipient: accountAddress(keys.publicKey),
    amount: 10n ** 18n,
    networkId: 'ae_dev',
    secretKey: fromHex(accounts[2]!.secretKey)!,
  };
}

