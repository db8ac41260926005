import { loadTranscripts } from '@aesc/corpus';
import { publicKeyOf, txHash, verifyTransactionSignature } from '@aesc/crypto';
import { type ChainObject, type SignedTx, decodeTx, encodeApi, encodeObject, encodeTx, fromHex } from '@aesc/encoding';
import { describe, expect, it } from 'vitest';
import { onChainTxs } from './conformance/corpus-txs.js';
import { accountsP } from './fixtures.js';
import { DevChain } from '../src/dev-chain.js';
import { devGenesis } from '../src/genesis.js';
import { httpAdapter, parseJson, signedTxFromJson, signedTxToJson, txToJson } from '@aesc/chain-api';
import { serveChainHttp } from '../src/http-server.js';
import { signedSpendTx } from '../src/spend.js';

describe('a signed tx back from the node’s JSON', () => {
  it('rebuilds every on-chain tx of the corpus byte for byte, and refuses a JSON that does not hash to its tx', () => {
    const seen = new Set<string>();
    let tags = new Set<string>();
    for (const t of loadTranscripts()) {
      for (const signed of onChainTxs(t)) {
        const tx = encodeTx(signed);
        if (seen.has(tx)) continue;
        seen.add(tx);
        tags.add(signed.tx.tag);
        const json = JSON.parse(JSON.stringify(signedTxToJson(signed, txHash(tx), null), (_k, v) => (typeof v === 'bigint' ? Number(v) : v)));
        expect(signedTxFromJson(json), `${t.file} ${signed.tx.tag}`).toBe(tx);
        // One field changed: not the tx with that hash.
        const key = Object.keys(json.tx).find((k) => typeof json.tx[k] === 'number' && k !== 'version')!;
        expect(signedTxFromJson({ ...json, tx: { ...json.tx, [key]: json.tx[key] + 1 } })).toBeUndefined();
      }
    }
    tags = new Set([...tags].sort());
    expect(seen.size).toBeGreaterThan(100);
    expect([...tags]).toEqual(expect.arrayContaining(['channel_create_tx', 'channel_deposit_tx', 'channel_withdraw_tx', 'channel_close_mutual_tx', 'channel_close_solo_tx', 'channel_settle_tx']));
  });

  it('lets the HTTP adapter give a tx by its hash', async () => {
    const [a, b] = await accountsP;
    const chain = DevChain.open({ genesis: devGenesis(await accountsP) });
    const server = await serveChainHttp(chain, { port: 0 });
    const adapter = httpAdapter(server.url);
    try {
      const tx = await signedSpendTx({ sender: a!.address, recipient: b!.address, amount: 3n, nonce: 1n, networkId: 'ae_dev', secretKey: fromHex(a!.secretKey)! });
      const hash = await adapter.postTx(tx);
      expect(await adapter.transaction(hash)).toBe(tx);
      expect(await adapter.transaction(txHash(await signedSpendTx({ sender: a!.address, recipient: b!.address, amount: 4n, nonce: 2n, networkId: 'ae_dev', secretKey: fromHex(a!.secretKey)! })))).toBeNull();
    } finally {
      await adapter.close();
      await server.close();
      await chain.close();
    }
  });
});

// Spend txs of æternity's public networks as their nodes answered `GET /v3/transactions/{hash}`
// (quoted in public projects' tests: a Go CLI's, a wallet backend's), with the network whose id
// the sender signed for. The text is parsed as the HTTP adapter parses a response. The second has
// a ttl of 0, which the node leaves out of its JSON.
const PUBLIC_TX_JSON: readonly (readonly [networkId: string, text: string])[] = [
  [
    'ae_uat',
    `{
    "block_hash": "mh_2LHbqc3iT3kJJgsvrDUawnUwMmaoDa4ak8vyH6sdRU8N4FDBmT",
    "block_height": 108313,
    "hash": "th_2QnsbqNA7CXXikzJy1kNGaEt98vU5woYMMMGQq7ieXKRAWRzqA",
    "signatures": ["sg_Peh639PMQixTm63SP3Tebq2qc6PbNf2JY4kuBktXrLHE9NKyU2p6LKUDgL2NfwgAGNAuPeGr6TMvEFzPdUbi8HnwEmDHN"],
    "tx": {
      "amount": 1598765432100000000,
      "fee": 16920000000000,
      "nonce": 157,
      "payload": "ba_Xfbg4g==",
      "recipient_id": "ak_9HCjPndyrL7vZBjKxacSdLiR64ChrxUYjY1V6fHxzfpmKphPb",
      "sender_id": "ak_QxNXZsZnDEePC7XzmB3vUeUYAowDsMRXeFww1oPqPg2nEqfve",
      "ttl": 108323,
      "type": "SpendTx",
      "version": 1
    }
  }`,
  ],
  [
    'ae_mainnet',
    `{
    "block_hash": "mh_sJqfsWuuhA7vXDJLYFVtpagCSTmfmhzdqKWFR4pU5LK4D8W8T",
    "block_height": 113579,
    "hash": "th_oJfBC6KZKaKsL4WXTq1ZtFiSE8Wp2PQYEnwyZqtudyHcU3Qg6",
    "signatures": ["sg_F3Ecfu5g6FcPyHrgZue96hVHthnXW7CbuDUEoKwWqWvbE84xb3ifB57AGTaH1WzDr4x1cnv4biLqTorjq9ZqhzCFVJC5c"],
    "time": 1563848658206,
    "tx": {
      "amount": 252550000000000000000,
      "fee": 20500000000000,
      "nonce": 251291,
      "payload": "ba_SGVsbG8sIE1pbmVyISAvWW91cnMgQmVlcG9vbC4vKXcQag==",
      "recipient_id": "ak_ZWrS6xGhzxBasKmMbVSACfRioWqPyM5jNqMpBQ5ngP75RS6pS",
      "sender_id": "ak_nv5B93FPzRHrGNmMdTDfGdd5xGZvep3MVSpJqzcQmMp59bBCv",
      "type": "SpendTx",
      "version": 1
    }
  }`,
  ],
];

describe('txs from a real node’s JSON (æternity testnet and mainnet)', () => {
  it('rebuilds each to the hash the node gave, with the sender’s signature for its network', async () => {
    for (const [networkId, text] of PUBLIC_TX_JSON) {
      const json = parseJson(text) as { hash: string; tx: { sender_id: string; amount: number | bigint } };
      const tx = signedTxFromJson(json);
      expect(tx, json.hash).toBeDefined();
      expect(txHash(tx!)).toBe(json.hash);
      const signed = decodeTx(tx!);
      // the sender's signature over our bytes of the tx, for the mainnet network id: byte for byte the node's tx
      expect(await verifyTransactionSignature(signed.signatures[0]!, encodeObject(signed.tx), networkId, publicKeyOf(json.tx.sender_id))).toBe('raw');
      // an amount off by one, or another ttl, is not that tx
      expect(signedTxFromJson({ ...json, tx: { ...json.tx, amount: BigInt(json.tx.amount) + 1n } })).toBeUndefined();
      expect(signedTxFromJson({ ...json, tx: { ...json.tx, ttl: Number((json.tx as { ttl?: number }).ttl ?? 0) + 1 } })).toBeUndefined();
    }
  });
});

// The keys of each tx's JSON as `for_client/1` of its module in the node writes them (aec_spend_tx,
// aesc_create_tx, aesc_deposit_tx, …), besides `type` and `version`; `ttl` only when it is not 0.
const NODE_JSON_KEYS: Record<string, readonly string[]> = {
  spend_tx: ['sender_id', 'recipient_id', 'amount', 'fee', 'ttl', 'nonce', 'payload'],
  channel_create_tx: ['initiator_id', 'initiator_amount', 'responder_id', 'responder_amount', 'channel_reserve', 'lock_period', 'nonce', 'ttl', 'delegate_ids', 'state_hash', 'fee'],
  channel_deposit_tx: ['channel_id', 'from_id', 'amount', 'ttl', 'fee', 'state_hash', 'round', 'nonce'],
  channel_withdraw_tx: ['channel_id', 'to_id', 'amount', 'ttl', 'fee', 'state_hash', 'round', 'nonce'],
  channel_close_mutual_tx: ['channel_id', 'from_id', 'initiator_amount_final', 'responder_amount_final', 'ttl', 'fee', 'nonce'],
  channel_close_solo_tx: ['channel_id', 'from_id', 'payload', 'poi', 'ttl', 'fee', 'nonce'],
  channel_slash_tx: ['channel_id', 'from_id', 'payload', 'poi', 'ttl', 'fee', 'nonce'],
  channel_settle_tx: ['channel_id', 'from_id', 'initiator_amount_final', 'responder_amount_final', 'ttl', 'fee', 'nonce'],
  channel_snapshot_solo_tx: ['channel_id', 'from_id', 'payload', 'ttl', 'fee', 'nonce'],
};

describe('the JSON of txs has the node’s keys', () => {
  it('for every kind of on-chain tx of the corpus', () => {
    const kinds = new Set<string>();
    for (const t of loadTranscripts()) {
      for (const signed of onChainTxs(t)) {
        const keys = NODE_JSON_KEYS[signed.tx.tag];
        if (keys === undefined) continue; // a VM tx (contracts, generalized accounts)
        const expected = keys.filter((k) => k !== 'ttl' || (signed.tx as { ttl: bigint }).ttl !== 0n);
        expect(Object.keys(txToJson(signed.tx)).sort(), signed.tx.tag).toEqual([...expected, 'type', 'version'].sort());
        kinds.add(signed.tx.tag);
      }
    }
    expect(kinds.size).toBeGreaterThanOrEqual(7);
  });

  it('for a v2 create tx (Iris on): the delegates in one map, read back from the node’s shape', async () => {
    const [a, b, c] = await accountsP;
    const tx = {
      tag: 'channel_create_tx',
      version: 2,
      initiatorId: a!.address,
      initiatorAmount: 10n ** 18n,
      responderId: b!.address,
      responderAmount: 2n * 10n ** 18n,
      channelReserve: 5n,
      lockPeriod: 10n,
      ttl: 0n,
      fee: 20_000_000_000_000n,
      initiatorDelegateIds: [c!.address],
      responderDelegateIds: [],
      stateHash: encodeApi('st', new Uint8Array(32).fill(7)),
      nonce: 3n,
    } as unknown as ChainObject;
    const signed = { tag: 'signed_tx', version: 1, signatures: [new Uint8Array(64).fill(1)], tx } as SignedTx;
    const encoded = encodeTx(signed);
    expect(txToJson(tx).delegate_ids).toEqual({ initiator: [c!.address], responder: [] });
    // the JSON written by hand as aesc_create_tx:for_client/1 and aetx:serialize_for_client/1 write it
    const nodeJson = {
      hash: txHash(encoded),
      signatures: [encodeApi('sg', new Uint8Array(64).fill(1))],
      tx: {
        initiator_id: a!.address,
        initiator_amount: 10n ** 18n,
        responder_id: b!.address,
        responder_amount: 2n * 10n ** 18n,
        channel_reserve: 5,
        lock_period: 10,
        nonce: 3,
        delegate_ids: { initiator: [c!.address], responder: [] },
        state_hash: encodeApi('st', new Uint8Array(32).fill(7)),
        fee: 20_000_000_000_000,
        type: 'ChannelCreateTx',
        version: 2,
      },
    };
    expect(signedTxFromJson(nodeJson)).toBe(encoded);
    expect(signedTxFromJson({ ...nodeJson, tx: { ...nodeJson.tx, delegate_ids: { initiator: [], responder: [c!.address] } } })).toBeUndefined();
  });
});
