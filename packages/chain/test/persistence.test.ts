import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnChild, stopChildren } from '../../../tooling/vitest/processes.js';
import { accountsP, spendTx } from './fixtures.js';
import { DevChain } from '../src/dev-chain.js';
import { devGenesis } from '../src/genesis.js';

const CHILD = fileURLToPath(new URL('./chain-child.mjs', import.meta.url));
const dirs: string[] = [];

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'aesc-chain-'));
  dirs.push(d);
  return d;
}

afterEach(async () => {
  await stopChildren(); // before their data directories go
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function startChild(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawnChild(process.execPath, [CHILD, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve({ child, url: line.trim() });
    });
    child.once('exit', (code) => reject(new Error(`child exited ${code}`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
}

async function post(url: string, tx: string): Promise<{ status: number; json: { tx_hash?: string } }> {
  const res = await fetch(`${url}/v3/transactions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tx }) });
  return { status: res.status, json: (await res.json()) as { tx_hash?: string } };
}

async function minedHeight(url: string, hash: string): Promise<number> {
  const res = await fetch(`${url}/v3/transactions/${hash}`);
  if (res.status !== 200) return -2;
  return ((await res.json()) as { block_height: number }).block_height;
}

describe('persistence', () => {
  it('an in-process chain reopens with its state, blocks and txs', async () => {
    const dir = tempDir();
    const [a, b] = await accountsP;
    const chain = DevChain.open({ dbPath: join(dir, 'c.sqlite'), genesis: devGenesis(await accountsP), rules: { protocol: 'iris', networkId: 'my_net' } });
    const hash = await chain.postTx(await spendTx(a!, b!.address, 5n, 1n, 'my_net'));
    await chain.emitKeyBlocks(4);
    const top = chain.topBlock.hash;
    await chain.close();
    const again = DevChain.open({ dbPath: join(dir, 'c.sqlite') });
    expect(again.rules).toMatchObject({ protocol: 'iris', networkId: 'my_net' });
    expect(again.height).toBe(4n);
    expect(again.topBlock.hash).toBe(top);
    expect(again.account(a!.address)?.nonce).toBe(1n);
    expect(again.tx(hash)?.status).toBe('mined');
    await again.postTx(await spendTx(a!, b!.address, 5n, 2n, 'my_net'));
    await again.close();
  });

  it('keeps the mempool across a restart, as the node keeps its pool in its database', async () => {
    const dir = tempDir();
    const [a, b] = await accountsP;
    const path = join(dir, 'c.sqlite');
    const chain = DevChain.open({ dbPath: path, genesis: devGenesis(await accountsP) });
    const waiting = await chain.postTx(await spendTx(a!, b!.address, 5n, 2n)); // behind a nonce gap
    await chain.close();
    const again = DevChain.open({ dbPath: path });
    expect(again.tx(waiting)?.status).toBe('pending');
    expect(again.pendingTxs().map((p) => p.hash)).toEqual([waiting]);
    await again.postTx(await spendTx(a!, b!.address, 5n, 1n));
    expect(again.tx(waiting)?.status).toBe('mined');
    await again.close();
    const third = DevChain.open({ dbPath: path });
    expect([third.pendingCount, third.account(a!.address)?.nonce]).toEqual([0, 2n]);
    await third.close();
  });

  it('a tx answered 200 that waits in the pool survives SIGKILL', async () => {
    const dir = tempDir();
    const [a, b] = await accountsP;
    const { child, url } = await startChild(dir);
    const waiting: string[] = [];
    for (let n = 2n; n <= 4n; n++) {
      const r = await post(url, await spendTx(a!, b!.address, n, n));
      expect(r.status).toBe(200);
      waiting.push(r.json.tx_hash!);
    }
    child.kill('SIGKILL');
    await exited(child);
    const again = await startChild(dir);
    for (const h of waiting) expect(await minedHeight(again.url, h)).toBe(-1);
    expect((await post(again.url, await spendTx(a!, b!.address, 1n, 1n))).status).toBe(200);
    for (const h of waiting) expect(await minedHeight(again.url, h)).toBeGreaterThanOrEqual(0);
    again.child.kill('SIGKILL');
    await exited(again.child);
  }, 20_000);

  it('a restarted process keeps every mined tx (SIGTERM)', async () => {
    const dir = tempDir();
    const [a, b] = await accountsP;
    let { child, url } = await startChild(dir);
    const hashes: string[] = [];
    for (let n = 1n; n <= 5n; n++) {
      const r = await post(url, await spendTx(a!, b!.address, n, n));
      expect(r.status).toBe(200);
      hashes.push(r.json.tx_hash!);
    }
    child.kill('SIGTERM');
    await exited(child);
    ({ child, url } = await startChild(dir));
    for (const h of hashes) expect(await minedHeight(url, h)).toBeGreaterThanOrEqual(0);
    const acc = (await (await fetch(`${url}/v3/accounts/${a!.address}`)).json()) as { nonce: number };
    expect(acc.nonce).toBe(5);
  }, 20_000);

  it('SIGKILL at any moment loses nothing reported as mined', async () => {
    const dir = tempDir();
    const [a, b] = await accountsP;
    const signed: string[] = [];
    for (let n = 1n; n <= 200n; n++) signed.push(await spendTx(a!, b!.address, n, n));
    let total = 0;
    // kill while txs are being posted: a few ms after the k-th success, in the middle of later requests
    for (const [k, delayMs] of [[3, 0], [10, 2], [20, 5]] as const) {
      const { child, url } = await startChild(dir);
      const reported: string[] = [];
      const start = Number(
        ((await (await fetch(`${url}/v3/accounts/${a!.address}/next-nonce`)).json()) as { next_nonce: number }).next_nonce,
      );
      for (const tx of signed.slice(start - 1)) {
        try {
          const r = await post(url, tx);
          if (r.status === 200) reported.push(r.json.tx_hash!);
          if (reported.length === k) setTimeout(() => child.kill('SIGKILL'), delayMs);
        } catch {
          break; // killed
        }
      }
      await exited(child);
      total += reported.length;
      expect(reported.length).toBeGreaterThanOrEqual(k);
      const again = await startChild(dir);
      for (const h of reported) expect(await minedHeight(again.url, h), h).toBeGreaterThanOrEqual(0);
      again.child.kill('SIGKILL');
      await exited(again.child);
    }
    expect(total).toBeLessThan(signed.length);
  }, 30_000);
});
