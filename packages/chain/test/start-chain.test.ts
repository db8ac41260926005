import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AESC_ERROR__CHAIN__INVALID_GENESIS, isAescError } from '@aesc/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { spendTx } from './fixtures.js';
import { devAccounts, parseGenesis } from '../src/genesis.js';
import { type ChainHandle, emitKeyBlocksViaHttp, startChain } from '../src/start-chain.js';

let handle: ChainHandle | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await handle?.close();
  handle = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the functions the CLI calls', () => {
  it('dev accounts are deterministic and funded by the default genesis', async () => {
    const [a, b] = await devAccounts(2);
    expect(a!.address).toMatch(/^ak_/);
    expect(a!.secretKey).toMatch(/^[0-9a-f]{128}$/);
    expect((await devAccounts(1))[0]).toEqual(a);
    expect(a!.address).not.toBe(b!.address);
    handle = await startChain({ port: 0 });
    expect(handle.chain.account(a!.address)?.balance).toBe(10n ** 24n);
  });

  it('starts from a genesis file with nonces, at Iris with a network id, on disk; emit via HTTP', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aesc-chain-start-'));
    dirs.push(dir);
    const [a] = await devAccounts(1);
    const file = join(dir, 'genesis.json');
    writeFileSync(file, `{"${a!.address}": {"balance": 100000000000000000000000000, "nonce": 7}}`);
    handle = await startChain({ port: 0, dataDir: join(dir, 'data'), protocol: 'iris', networkId: 'local_iris_testnet', genesis: file });
    expect(handle.chain.account(a!.address)).toEqual({ balance: 10n ** 26n, nonce: 7n });
    const status = (await (await fetch(`${handle.url}/v3/status`)).json()) as { network_id: string; protocols: { version: number }[] };
    expect(status.network_id).toBe('local_iris_testnet');
    expect(status.protocols[0]!.version).toBe(5);
    expect(await emitKeyBlocksViaHttp(handle.url, 3)).toMatchObject({ height: 3n });
  });

  it('mines on an interval when asked', async () => {
    const [a, b] = await devAccounts(2);
    handle = await startChain({ port: 0, blockIntervalMs: 30 });
    const hash = await handle.chain.postTx(await spendTx(a!, b!.address, 1n, 1n));
    expect(handle.chain.tx(hash)?.status).toBe('pending');
    const end = Date.now() + 3000;
    while (handle.chain.tx(hash)?.status !== 'mined' && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(handle.chain.tx(hash)?.status).toBe('mined');
    expect(handle.chain.height).toBeGreaterThanOrEqual(1n);
  });

  it('refuses a bad genesis with a coded error', () => {
    for (const bad of ['nope', '[]', '{"ak_x": 1}', '{"accounts": {"ak_2CuofqWZHrABCrM7GY95YSQn8PyFvKQadnvFnpwhjUnDCFAWmf": -1}}']) {
      expect(() => parseGenesis(bad)).toThrow();
      try {
        parseGenesis(bad);
      } catch (e) {
        expect(isAescError(e, AESC_ERROR__CHAIN__INVALID_GENESIS)).toBe(true);
      }
    }
  });
});
