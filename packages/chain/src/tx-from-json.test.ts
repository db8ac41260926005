import { loadTranscripts } from '@aesc/corpus';
import { txHash } from '@aesc/crypto';
import { encodeTx, fromHex } from '@aesc/encoding';
import { describe, expect, it } from 'vitest';
import { onChainTxs } from './conformance/corpus-txs.js';
import { accountsP } from './conformance/fixtures.js';
import { DevChain } from './dev-chain.js';
import { devGenesis } from './genesis.js';
import { httpAdapter } from './http-adapter.js';
import { serveChainHttp } from './http-server.js';
import { signedSpendTx } from './spend.js';
import { signedTxFromJson } from './tx-from-json.js';
import { signedTxToJson } from './tx-json.js';

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
