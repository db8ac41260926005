import { fileURLToPath } from 'node:url';
import { startChain } from '@aesc/chain';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnChild, stopChildren } from '../../../../tooling/vitest/processes.js';
import WebSocket from 'ws';
import type { Io } from '../io.js';
import { main } from '../main.js';

afterEach(() => stopChildren()); // a server a failed test did not stop

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), readStdin: async () => '', readFile: async () => '' };
  return { status: await main(args, io), out, err };
}

describe('aesc node', () => {
  it('refuses bad usage with one coded line', async () => {
    expect((await run(['node'])).err[0]).toMatch(/^aesc: error 10000: aesc node needs a subcommand/);
    expect((await run(['node', 'start', '--protocol', 'lima'])).err[0]).toMatch(/^aesc: error 10000: --protocol is iris or ceres/);
    expect((await run(['node', 'start', '--chain', 'http://x', '--genesis', 'g.json'])).err[0]).toMatch(/^aesc: error 10000: --chain uses a running chain/);
    expect((await run(['node', '--help'])).out.join('\n')).toContain('aesc node start');
  });

  it('serves /channel and the chain API on one port, answers a bad connect with the node’s error, stops on SIGTERM', async () => {
    const bin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
    const child = spawnChild(process.execPath, [bin, 'node', 'start', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        output += d.toString();
        const m = /listening on ws:\/\/(127\.0\.0\.1:\d+)\/channel/.exec(output);
        if (m) resolve(m[1]!);
      });
      child.on('exit', () => reject(new Error(`exited early: ${output}`)));
    });
    await expect.poll(() => output).toContain('press Ctrl-C to stop');
    expect(output).toMatch(/funded dev accounts/);
    // with their secret keys, as a dev chain shows them, under the warning that they are dev keys
    const dev = JSON.parse((await run(['chain', 'accounts', '--json', '--count', '10'])).out.join('\n')) as { address: string; secretKey: string }[];
    for (const [i, a] of dev.entries()) expect(output).toContain(`(${i}) ${a.address}\n      secret key ${a.secretKey}`);
    expect(output).toContain('these keys are the same for everyone: use them on this dev chain only, never on a real network');
    expect(output).toContain('key blocks only when asked ("aesc chain emit N")');
    const status = await (await fetch(`http://${url}/v3/status`)).json();
    expect(status.network_id).toBe('ae_dev');
    // A responder for an account the chain does not know: the node's 1011 "Participant not found".
    const ws = new WebSocket(
      `ws://${url}/channel?protocol=json-rpc&role=responder&port=1234&initiator_id=ak_2MGLPW2CHTDXJhqFJezqSwYSNwbZokSKkG7wSbGtVmeyjGfHtm&responder_id=ak_2MGLPW2CHTDXJhqFJezqSwYSNwbZokSKkG7wSbGtVmeyjGfHtm&initiator_amount=10&responder_amount=10&channel_reserve=1&lock_period=1&push_amount=0`,
    );
    const frame = await new Promise<string>((resolve) => ws.once('message', (d) => resolve(d.toString())));
    expect(JSON.parse(frame)).toMatchObject({ id: null, error: { code: 3, data: [{ code: 1011, message: 'Participant not found' }] } });
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
    expect(output).toContain('stopped');
  });
});

describe('aesc node start on a port it cannot have', () => {
  it('a port in use (embedded chain or --chain) or out of range: a coded error and exit 2', async () => {
    const taken = await startChain({ port: 0 });
    const port = new URL(taken.url).port;
    try {
      const embedded = await run(['node', 'start', '--port', port]);
      expect([embedded.status, embedded.err]).toEqual([2, [`aesc: error 8040: Cannot listen on 127.0.0.1:${port}: EADDRINUSE`]]);
      const remote = await run(['node', 'start', '--port', port, '--chain', taken.url]);
      expect([remote.status, remote.err]).toEqual([2, [`aesc: error 8040: Cannot listen on 127.0.0.1:${port}: EADDRINUSE`]]);
    } finally {
      await taken.close();
    }
    const big = await run(['node', 'start', '--port', '99999']);
    expect([big.status, big.err]).toEqual([2, ['aesc: error 10000: --port takes a port, 0–65535, not "99999" (see "aesc node --help")']]);
  });
});

describe('aesc node start --app', () => {
  it('refuses an app directory without a built app', async () => {
    expect((await run(['node', 'start', '--app-dir', '/nonexistent'])).err[0]).toMatch(/^aesc: error 10000: no built app in \/nonexistent/);
  });
});
