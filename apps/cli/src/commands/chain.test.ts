import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startChain } from '@aesc/chain';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnChild, stopChildren } from '../../../../tooling/vitest/processes.js';
import type { Io } from '../io.js';
import { main } from '../main.js';

afterEach(() => stopChildren()); // a server a failed test did not stop

/** A URL nothing listens on: a port the system gave out and took back. */
async function closedUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return `http://127.0.0.1:${port}`;
}

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
  });

  it('emit: an unreachable chain is a coded error and exit 3, as for account balance', async () => {
    const closed = await closedUrl();
    const down = await run(['chain', 'emit', '1', '--url', closed]);
    expect([down.status, down.err]).toEqual([3, [`aesc: error 10009: Cannot reach ${closed}: ECONNREFUSED`]]);
    // a port fetch never connects to (9, discard) says so
    expect((await run(['chain', 'emit', '1', '--url', 'http://127.0.0.1:9'])).err).toEqual(['aesc: error 10009: Cannot reach http://127.0.0.1:9: bad port']);
    // a server that is not a chain in dev mode: the chain's HTTP error, exit 3, never "internal error"
    const other = createServer((_req, res) => res.end('<html>hello</html>'));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
      const wrong = await run(['chain', 'emit', '1', '--url', url]);
      expect([wrong.status, wrong.err]).toEqual([3, [`aesc: error 8004: Node HTTP API answered 200: no dev-mode emit_kb at ${url} `]]);
    } finally {
      other.close();
    }
    const notUrl = await run(['chain', 'emit', '1', '--url', 'localhost:3013']);
    expect([notUrl.status, notUrl.err]).toEqual([2, ['aesc: error 10000: --url takes an http:// or https:// URL, not "localhost:3013"']]);
  });

  it('emit: a count that is not one names the argument, not an option that does not exist', async () => {
    for (const bad of ['abc', '0', '-1', '1.5', '1e3']) {
      const r = await run(['chain', 'emit', bad]);
      expect(r.status).toBe(2);
      expect(r.err[0]).not.toContain('--n');
      expect(r.err[0]).toMatch(/^aesc: error 10000: (the number of key blocks is a whole number from 1, not|Unknown option|unknown option|Option)/);
    }
    expect((await run(['chain', 'emit', 'abc'])).err).toEqual(['aesc: error 10000: the number of key blocks is a whole number from 1, not "abc" (see "aesc chain --help")']);
    expect((await run(['chain', 'emit'])).err[0]).toMatch(/^aesc: error 10000: aesc chain emit takes the number of key blocks, e\.g\. "aesc chain emit 10"/);
  });

  it('emit --json prints one JSON object, and its errors are JSON too', async () => {
    const chain = await startChain({ port: 0 });
    try {
      const r = await run(['chain', 'emit', '2', '--url', chain.url, '--json']);
      expect(r.status).toBe(0);
      expect(JSON.parse(r.out.join('\n'))).toEqual({ emitted: 2, height: '2', hash: expect.stringMatching(/^kh_/) });
    } finally {
      await chain.close();
    }
    const closed = await closedUrl();
    const down = await run(['chain', 'emit', '1', '--url', closed, '--json']);
    expect(down.status).toBe(3);
    expect(down.err).toEqual([]);
    expect(JSON.parse(down.out.join('\n'))).toEqual({ error: { code: 10009, message: `Cannot reach ${closed}: ECONNREFUSED` } });
    const bad = await run(['chain', 'emit', 'abc', '--json']);
    expect([bad.status, JSON.parse(bad.out.join('\n')).error.code]).toEqual([2, 10000]);
  });

  it('start: a port in use or out of range is a coded error and exit 2, and nothing is left open', async () => {
    const taken = await startChain({ port: 0 });
    const port = new URL(taken.url).port;
    try {
      const inUse = await run(['chain', 'start', '--port', port]);
      expect([inUse.status, inUse.err]).toEqual([2, [`aesc: error 8040: Cannot listen on 127.0.0.1:${port}: EADDRINUSE`]]);
      expect(await (await fetch(`${taken.url}/v3/status`)).json()).toMatchObject({ network_id: 'ae_dev' });
    } finally {
      await taken.close();
    }
    for (const p of ['99999', '65536', 'abc', '80.5']) {
      const r = await run(['chain', 'start', '--port', p]);
      expect([r.status, r.err]).toEqual([2, [`aesc: error 10000: --port takes a port, 0–65535, not "${p}" (see "aesc chain --help")`]]);
    }
    expect((await run(['chain', 'start', '--port', '-1'])).err[0]).toMatch(/^aesc: error 10000: /);
    // the library refuses it too, with the listen error, when a caller passes a number
    await expect(startChain({ port: 99_999 })).rejects.toMatchObject({ code: 8040, context: { port: 99_999 } });
  });

  it('runs in the foreground and stops cleanly on SIGTERM', async () => {
    const bin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
    const child = spawnChild(process.execPath, [bin, 'chain', 'start', '--port', '0', '--protocol', 'iris', '--network-id', 'local_iris_testnet'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        output += d.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (m) resolve(m[1]!);
      });
      child.on('exit', () => reject(new Error(`exited early: ${output}`)));
    });
    const status = await (await fetch(`${url}/v3/status`)).json();
    expect(status.network_id).toBe('local_iris_testnet');
    // the funded dev accounts, with their keys and the warning that they are dev keys
    await expect.poll(() => output).toContain('press Ctrl-C to stop');
    const [first] = (await run(['chain', 'accounts', '--json', '--count', '1'])).out.map((l) => l);
    const dev = JSON.parse(first!) as [{ address: string; secretKey: string }];
    expect(output).toContain(`(0) ${dev[0].address}\n      secret key ${dev[0].secretKey}`);
    expect(output).toContain('use them on this dev chain only, never on a real network');
    expect(output.match(/^ {2}\(\d\) ak_/gm)).toHaveLength(10);
    expect(await (await fetch(`${url}/v3/accounts/${dev[0].address}`)).json()).toMatchObject({ balance: expect.anything() });
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
