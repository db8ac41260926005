import { txHash } from '@aesc/crypto';
import { type EncodedTx, decodeTx, fromHex } from '@aesc/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import { accountsP } from './fixtures.js';
import { DevChain } from '../src/dev-chain.js';
import { devGenesis } from '../src/genesis.js';
import { type ChainHttpServer, MAX_EMIT_KEY_BLOCKS, serveChainHttp } from '../src/http-server.js';
import { signedSpendTx } from '../src/spend.js';
import { signedTxToJson } from '@aesc/chain-api';

// The endpoints æternity's test environments call besides /v3: the dev-mode plugin's GET /emit_kb
// and /emit_mb (aeplugin_dev_mode_handler), and the debug API's mempool endpoints
// (aehttp_dispatch_int: GetPendingTransactions, GetCheckTxInPool), with the node's answers.

let chain: DevChain | undefined;
let server: ChainHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  await chain?.close();
  server = undefined;
  chain = undefined;
});

async function setup(autoMine = true) {
  chain = DevChain.open({ genesis: devGenesis(await accountsP), autoMine });
  server = await serveChainHttp(chain);
  return { chain, url: server.url };
}

async function get(url: string, init?: RequestInit) {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>) };
}

async function spend(nonce: bigint, options: { from?: number; gasPrice?: bigint; amount?: bigint } = {}): Promise<EncodedTx> {
  const accounts = await accountsP;
  const from = accounts[options.from ?? 0]!;
  return signedSpendTx({
    sender: from.address,
    recipient: accounts[3]!.address,
    amount: options.amount ?? 1n,
    nonce,
    networkId: 'ae_dev',
    secretKey: fromHex(from.secretKey)!,
    ...(options.gasPrice === undefined ? {} : { gasPrice: options.gasPrice }),
  });
}

const post = (url: string, tx: string) => get(`${url}/v3/transactions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tx }) });

describe('the dev-mode plugin’s GET /emit_kb and /emit_mb', () => {
  it('emit key blocks and a micro block, and answer with the old height and the chain’s top', async () => {
    const { chain, url } = await setup(false);
    const one = await get(`${url}/emit_kb`, { headers: { accept: 'application/json' } });
    expect(one).toMatchObject({ status: 200, json: { chain: { height: 1, top_hash: chain.topKeyBlock.hash }, old_height: 0 } });
    expect(chain.topKeyBlock.hash).toMatch(/^kh_/);
    // CORS, as the plugin sets it
    expect(one.headers.get('access-control-allow-origin')).toBe('*');
    expect((await get(`${url}/emit_kb?n=3`)).json).toEqual({ chain: { height: 4, top_hash: chain.topKeyBlock.hash }, old_height: 1 });
    // n that is not an integer is 0 for the plugin: nothing is emitted
    expect((await get(`${url}/emit_kb?n=many`)).json).toEqual({ chain: { height: 4, top_hash: chain.topKeyBlock.hash }, old_height: 4 });
    // the route takes a trailing slash, and pp_json pretty-prints
    const pretty = await get(`${url}/emit_kb/?n=1&pp_json`);
    expect(pretty.text).toContain('\n  "chain": {\n');
    expect(pretty.json).toMatchObject({ chain: { height: 5 }, old_height: 4 });

    // A micro block of what is pending (a chain without auto-mine, as a node in dev mode without auto-emit)
    const posted = await post(url, await spend(1n));
    expect(posted.status).toBe(200);
    expect(chain.tx(posted.json!.tx_hash as string)?.status).toBe('pending');
    const mb = await get(`${url}/emit_mb`);
    expect(mb.json).toEqual({ chain: { height: 5, top_hash: chain.topBlock.hash }, result: 'ok' });
    expect(chain.topBlock).toMatchObject({ kind: 'micro', txs: [posted.json!.tx_hash] });
    // with nothing pending, no block and the same answer
    expect((await get(`${url}/emit_mb`)).json).toEqual({ chain: { height: 5, top_hash: chain.topBlock.hash }, result: 'ok' });
  });

  it('take GET only, as the plugin’s REST handler does, and refuse an n out of range without a block', async () => {
    const { chain, url } = await setup();
    const top = chain.topBlock.hash;
    for (const [path, method] of [['/emit_kb?n=2', 'POST'], ['/emit_mb', 'POST'], ['/emit_kb', 'PUT'], ['/emit_mb', 'DELETE']] as const) {
      const r = await get(`${url}${path}`, { method });
      expect([r.status, r.text, r.headers.get('allow')]).toEqual([405, '', 'HEAD, GET, OPTIONS']);
    }
    for (const n of ['-1', String(MAX_EMIT_KEY_BLOCKS + 1), '1'.repeat(40)]) {
      expect(await get(`${url}/emit_kb?n=${n}`)).toMatchObject({ status: 400, json: { chain: { height: 0, top_hash: top }, error: 'n_out_of_range' } });
    }
    expect(chain.topBlock.hash).toBe(top);
    expect((await get(`${url}/emit_kb/extra`)).status).toBe(404);
  });
});

describe('the debug API’s mempool endpoints', () => {
  it('GET /v3/debug/transactions/pending lists the pool in the node’s order, each tx as the node shows a pending one', async () => {
    const { chain, url } = await setup(false);
    expect((await get(`${url}/v3/debug/transactions/pending`)).json).toEqual({ transactions: [] });
    // three txs of two accounts: the node orders its pool by fee (highest first), then origin and nonce
    const txs = [await spend(1n, { from: 0 }), await spend(2n, { from: 0, gasPrice: 3_000_000_000n }), await spend(1n, { from: 1, gasPrice: 2_000_000_000n })];
    for (const tx of txs) expect((await post(url, tx)).status).toBe(200);
    const listed = (await get(`${url}/v3/debug/transactions/pending`)).json!.transactions as Record<string, unknown>[];
    const byFee = [...txs].sort((x, y) => Number((decodeTx(y).tx as { fee: bigint }).fee - (decodeTx(x).tx as { fee: bigint }).fee));
    expect(listed.map((t) => t.encoded_tx)).toEqual(byFee);
    const shown = JSON.parse(JSON.stringify(signedTxToJson(decodeTx(txs[0]!), txHash(decodeTx(txs[0]!)), null), (_k, v) => (typeof v === 'bigint' ? Number(v) : v)));
    expect(listed[2]).toEqual(shown);
    expect(listed[2]).toMatchObject({ block_hash: 'none', block_height: -1, hash: expect.stringMatching(/^th_/), signatures: [expect.stringMatching(/^sg_/)] });
    await chain.emitMicroBlock();
    expect((await get(`${url}/v3/debug/transactions/pending`)).json).toEqual({ transactions: [] });
  });

  it('GET /v3/debug/check-tx/pool/{hash} says included, includable or why not, as a dry run on the top', async () => {
    const { chain, url } = await setup(false);
    const check = (hash: string) => get(`${url}/v3/debug/check-tx/pool/${hash}`);
    const ready = (await post(url, await spend(1n))).json!.tx_hash as string;
    const gap = (await post(url, await spend(3n))).json!.tx_hash as string;
    const broke = (await post(url, await spend(1n, { from: 2, amount: 10n ** 40n }))).json!.tx_hash as string;
    expect(await check(ready)).toMatchObject({ status: 200, json: { status: 'includable' } });
    expect(await check(gap)).toMatchObject({ status: 200, json: { status: 'tx_nonce_too_high_for_account' } });
    expect(await check(broke)).toMatchObject({ status: 200, json: { status: 'insufficient_funds' } });
    await chain.emitMicroBlock();
    expect(await check(ready)).toMatchObject({ status: 200, json: { status: 'included' } });
    expect(await check(gap)).toMatchObject({ status: 200, json: { status: 'tx_nonce_too_high_for_account' } });
    expect(await check('th_2w75xjDjHEmphsHDSXrThRnPx6hSUiS7hhSRcuytJABZZ2KkdG')).toMatchObject({ status: 404, json: { reason: 'tx_not_found' } });
    expect(await check('th_broken')).toMatchObject({ status: 400, json: { reason: 'Invalid hash: hash' } });
    expect(await check(chain.topBlock.hash)).toMatchObject({ status: 400, json: { reason: 'Invalid hash: hash' } });
  });
});
