import { encodeApi } from '@aesc/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import { accountsP, spendTx } from './fixtures.js';
import { DevChain } from '../src/dev-chain.js';
import { devGenesis } from '../src/genesis.js';
import { type ChainHttpServer, MAX_BODY_BYTES, serveChainHttp, uptimeText } from '../src/http-server.js';
import { emitKeyBlocksViaHttp } from '../src/start-chain.js';

let chain: DevChain | undefined;
let server: ChainHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  await chain?.close();
  server = undefined;
  chain = undefined;
});

async function setup() {
  chain = DevChain.open({ genesis: devGenesis(await accountsP) });
  server = await serveChainHttp(chain);
  return { chain, url: server.url };
}

async function req(url: string, init?: RequestInit) {
  const res = await fetch(url, init);
  return { status: res.status, json: JSON.parse(await res.text()) as Record<string, unknown> };
}

const postTx = (url: string, body: string) => req(`${url}/v3/transactions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('the node’s HTTP API', () => {
  it('serves status, key blocks, accounts, txs, micro blocks and channels', async () => {
    const { url } = await setup();
    const [a, b] = await accountsP;
    const status = await req(`${url}/v3/status`);
    expect(status.json).toMatchObject({ network_id: 'ae_dev', top_block_height: 0, protocols: [{ version: 6, effective_at_height: 0 }], node_version: '7.3.0' });
    expect(status.json.uptime).toMatch(/^(\d+d:)?(\d+h:)?(\d+m:)?\d+s(\.\d+)?$/);
    // as the node writes it: no zero padding, milliseconds only below an hour
    expect([5_123, 5_005, 61_005, 2 * 3_600_000 + 3 * 60_000 + 4_000, 90_000_000].map(uptimeText)).toEqual(['5s.123', '5s.5', '1m:1s.5', '2h:3m:4s', '1d:1h:0m:0s']);
    const spend = JSON.stringify({ tx: await spendTx(a!, b!.address, 7n, 1n) });
    const posted = { ...(await postTx(url, spend)), body: spend };
    expect(posted.status).toBe(200);
    const hash = posted.json.tx_hash as string;
    const tx = await req(`${url}/v3/transactions/${hash}`);
    expect(tx.json).toMatchObject({ hash, block_height: 0, tx: { type: 'SpendTx', version: 1, sender_id: a!.address, recipient_id: b!.address, amount: 7, nonce: 1, payload: 'ba_Xfbg4g==' } });
    // the whole signed tx too, as the node writes it (since 6.13)
    expect(tx.json.encoded_tx).toBe(JSON.parse(posted.body).tx);
    const mb = await req(`${url}/v3/micro-blocks/hash/${tx.json.block_hash}/transactions`);
    expect((mb.json.transactions as { hash: string }[])[0]!.hash).toBe(hash);
    // the micro block's header, signed by the miner of the key block it follows (the leader)
    const header = (await req(`${url}/v3/micro-blocks/hash/${tx.json.block_hash}/header`)).json;
    expect(header).toMatchObject({ hash: tx.json.block_hash, height: 0, pof_hash: 'no_fraud', signature: expect.stringMatching(/^sg_/), txs_hash: expect.stringMatching(/^bx_/), version: 6 });
    const genesis = (await req(`${url}/v3/key-blocks/height/0`)).json;
    expect(genesis).toMatchObject({ hash: header.prev_key_hash, height: 0, time: 0, version: 1, miner: encodeApi('ak', new Uint8Array(32)), target: 0x2100ffff });
    expect(genesis).not.toHaveProperty('pow');
    expect((await req(`${url}/v3/micro-blocks/hash/${header.prev_key_hash}/header`)).status).toBe(400);
    expect(await emitKeyBlocksViaHttp(url, 2)).toMatchObject({ height: 2n });
    expect((await req(`${url}/v3/key-blocks/current/height`)).json).toEqual({ height: 2 });
    const kb = await req(`${url}/v3/key-blocks/height/1`);
    expect(kb.json).toMatchObject({ height: 1, hash: expect.stringMatching(/^kh_/), prev_hash: tx.json.block_hash });
    expect(kb.json.miner).toBe((await chain!.leader()).address);
    expect(kb.json.info).toBe(encodeApi('cb', Uint8Array.of(0, 0, 2, 218))); // 7.3.0's block info
    expect(genesis.info).toBe(encodeApi('cb', new Uint8Array(0)));
    expect((await req(`${url}/v3/key-blocks/current`)).json).toMatchObject({ height: 2 });
    expect((await req(`${url}/v3/accounts/${a!.address}`)).json).toMatchObject({ id: a!.address, nonce: 1, kind: 'basic', payable: true });
    expect((await req(`${url}/v3/accounts/${a!.address}/next-nonce`)).json).toEqual({ next_nonce: 2 });
    // a tx waiting for nonce 2 in the mempool: max counts it, continuity stops at the gap
    expect((await postTx(url, JSON.stringify({ tx: await spendTx(a!, b!.address, 1n, 3n) }))).status).toBe(200);
    expect((await req(`${url}/v3/accounts/${a!.address}/next-nonce?strategy=max`)).json).toEqual({ next_nonce: 4 });
    expect((await req(`${url}/v3/accounts/${a!.address}/next-nonce?strategy=continuity`)).json).toEqual({ next_nonce: 2 });
    expect((await req(`${url}/v3/accounts/${a!.address}/next-nonce?strategy=x`)).status).toBe(400);
    const pending = await req(`${url}/v3/status`);
    expect(pending.json.pending_transactions_count).toBe(1);
    expect(await req(`${url}/v3/transactions/${hash}/info`)).toEqual({ status: 400, json: { reason: 'Tx has no info' } });
  });

  it('answers bad input with the node’s error shapes and leaves the chain untouched', async () => {
    const { chain, url } = await setup();
    const [a, b] = await accountsP;
    const top = chain.topBlock.hash;
    expect(await postTx(url, '{"tx": ')).toMatchObject({ status: 400, json: { reason: 'validation_error', parameter: 'body' } });
    expect(await postTx(url, '{"tx": 42}')).toMatchObject({ status: 400, json: { reason: 'validation_error', info: { error: 'wrong_type' } } });
    expect(await postTx(url, '[]')).toMatchObject({ status: 400, json: { reason: 'validation_error' } });
    expect(await postTx(url, '{"tx": "tx_notbase64check"}')).toEqual({ status: 400, json: { reason: 'Invalid api encoding', error_code: 'invalid_encoding' } });
    expect(await postTx(url, '{"tx": "th_notbase64check"}')).toEqual({ status: 400, json: { reason: 'Invalid api encoding', error_code: 'invalid_prefix' } });
    expect(await postTx(url, JSON.stringify({ tx: encodeApi('tx', new Uint8Array([0xc2, 1, 2])) }))).toEqual({ status: 400, json: { reason: 'Invalid tx', error_code: 'broken_tx' } });
    expect(await postTx(url, JSON.stringify({ tx: await spendTx(a!, b!.address, 1n, 1n, 'other') }))).toEqual({ status: 400, json: { reason: 'Invalid tx', error_code: 'signature_check_failed' } });
    expect(await postTx(url, JSON.stringify({ tx: 'x'.repeat(MAX_BODY_BYTES + 10) }))).toEqual({ status: 413, json: { reason: 'Request body too large' } });
    expect(await req(`${url}/v3/nope`)).toEqual({ status: 404, json: { reason: 'Not found' } });
    expect(await req(`${url}/v2/status`)).toEqual({ status: 404, json: { reason: 'Not found' } });
    expect(await req(`${url}/v3/accounts/ak_bad`)).toEqual({ status: 400, json: { reason: 'Invalid public key', error_code: 'invalid_encoding' } });
    expect(await req(`${url}/v3/channels/${a!.address}`)).toEqual({ status: 400, json: { reason: 'Invalid public key', error_code: 'invalid_prefix' } });
    expect(await req(`${url}/v3/accounts/${encodeApi('ak', new Uint8Array(32))}/next-nonce`)).toEqual({ status: 404, json: { reason: 'Account not found', error_code: 'account_not_found' } });
    expect(await req(`${url}/v3/key-blocks/height/abc`)).toEqual({ status: 400, json: { reason: 'Invalid height' } });
    expect(await req(`${url}/v3/key-blocks/height/99`)).toEqual({ status: 404, json: { reason: 'Block not found' } });
    expect(await req(`${url}/v3/transactions/th_x`)).toEqual({ status: 400, json: { reason: 'Invalid hash', error_code: 'invalid_encoding' } });
    expect(await req(`${url}/v3/transactions/${encodeApi('th', new Uint8Array(32))}`)).toEqual({ status: 404, json: { reason: 'Transaction not found' } });
    expect(await req(`${url}/v3/channels/${encodeApi('ch', new Uint8Array(32))}`)).toEqual({ status: 404, json: { reason: 'Channel not found', error_code: 'not_found' } });
    expect(chain.topBlock.hash).toBe(top);
    expect(chain.account(a!.address)?.nonce).toBe(0n);
  });
});
