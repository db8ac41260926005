import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startChain } from '@aesc/chain';
import { describe, expect, it } from 'vitest';
import type { Io } from '../io.js';
import { main } from '../main.js';

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), readStdin: async () => '', readFile: async () => '' };
  return { status: await main(args, io), out, err };
}

describe('aesc chain', () => {
  it('prints the dev accounts with their keys', async () => {
    const r = await run(['chain', 'accounts', '--json', '--count', '3']);
    expect(r.status).toBe(0);
    const accounts = JSON.parse(r.out.join('\n'));
    expect(accounts).toHaveLength(3);
    expect(accounts[0].address).toMatch(/^ak_/);
    expect(accounts[0].secretKey).toMatch(/^[0-9a-f]{128}$/);
    expect(accounts[0].balance).toBe('1000000000000000000000000');
    // deterministic: the same accounts every time
    expect(JSON.parse((await run(['chain', 'accounts', '--json', '--count', '3'])).out.join('\n'))).toEqual(accounts);
  });

  it('emits key blocks on a running chain', async () => {
    const chain = await startChain({ port: 0 });
    try {
      const r = await run(['chain', 'emit', '3', '--url', chain.url]);
      expect(r.status).toBe(0);
      expect(r.out[0]).toMatch(/^emitted 3 key block\(s\); height 3, kh_/);
    } finally {
      await chain.close();
    }
  });

  it('refuses bad usage with one coded line', async () => {
    expect((await run(['chain'])).err[0]).toMatch(/^aesc: error 10000: aesc chain needs a subcommand/);
    expect((await run(['chain', 'emit', 'x'])).err[0]).toMatch(/^aesc: error 10000: /);
    expect((await run(['chain', 'start', '--protocol', 'lima'])).err[0]).toMatch(/^aesc: error 10000: --protocol is iris or ceres/);
    const down = await run(['chain', 'emit', '1', '--url', 'http://127.0.0.1:9']);
    expect(down.status).toBe(2);
    expect(down.err[0]).toMatch(/^aesc: /);
  });

  it('runs in the foreground and stops cleanly on SIGTERM', async () => {
    const bin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'chain', 'start', '--port', '0', '--protocol', 'iris', '--network-id', 'local_iris_testnet'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        output += d.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (m) resolve(m[1]!);
      });
      child.on('exit', () => reject(new Error(`exited early: ${output}`)));
    });
    const status = await (await fetch(`${url}/v3/status`)).json();
    expect(status.network_id).toBe('local_iris_testnet');
    // the genesis and the leader it prints are the chain's
    await expect.poll(() => /genesis: (kh_\w+); leader .*: (ak_\w+)/.exec(output)).not.toBeNull();
    const [, genesis, leader] = /genesis: (kh_\w+); leader .*: (ak_\w+)/.exec(output)!;
    expect(genesis).toBe(status.genesis_key_block_hash);
    await run(['chain', 'emit', '1', '--url', url]);
    expect((await (await fetch(`${url}/v3/key-blocks/height/1`)).json()).miner).toBe(leader);
    const emitted = await run(['chain', 'emit', '2', '--url', url]);
    expect(emitted.out[0]).toMatch(/height 3/);
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
    expect(output).toContain('stopped');
  });
});
