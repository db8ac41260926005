import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ChainHandle, devChainBlocks, inProcessAdapter, startChain } from '@aesc/chain';
import { AESC_ERROR__CHAIN__LISTEN_FAILED, isAescError } from '@aesc/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { type NodeHandle, startNode } from '../src/start-node.js';
import WebSocket from 'ws';

let chain: ChainHandle | undefined;
let node: NodeHandle | undefined;
/** Whether a WebSocket to `url` opens (the upgrade is accepted). */
const opens = (url: string) =>
  new Promise<boolean>((resolve) => {
    const ws = new WebSocket(url);
    ws.once('open', () => {
      ws.terminate();
      resolve(true);
    });
    ws.once('error', () => resolve(false));
  });

afterEach(async () => {
  await node?.close();
  await chain?.close();
  node = undefined;
  chain = undefined;
});

describe('@aesc/node without a dev chain', () => {
  it('depends on @aesc/chain-api for its chain, never on @aesc/chain (the dev chain, SQLite and all)', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies)).toContain('@aesc/chain-api');
    expect(Object.keys(manifest.dependencies)).not.toContain('@aesc/chain');
  });
});

describe('startNode', () => {
  it('with chainUrl: serves /channel on a server of its own, on that chain, and closes the server', async () => {
    chain = await startChain({ port: 0, networkId: 'ae_remote_test' });
    node = await startNode({ chainUrl: chain.url, port: 0 });
    expect(node.url).not.toBe(chain.url);
    expect(node.node.chainInfo.networkId).toBe('ae_remote_test');
    expect(await opens(`${node.channelUrl}?protocol=json-rpc`)).toBe(true);
    expect((await fetch(`${node.url}/v3/status`)).status).toBe(404);
    const port = Number(new URL(node.url).port);
    await node.close();
    node = undefined;
    const again = createServer();
    await new Promise<void>((resolve, reject) => again.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise((r) => again.close(r));
  });

  it('on a server it is given: adds /channel there and leaves the server and the adapter to their owner', async () => {
    chain = await startChain({ port: 0 });
    const adapter = inProcessAdapter(chain.chain);
    node = await startNode({ chain: adapter, blocks: devChainBlocks(chain.chain), server: chain.http.server });
    expect(node.url).toBe(chain.url);
    expect(await opens(node.channelUrl)).toBe(true);
    await node.close();
    node = undefined;
    expect(chain.http.server.listening).toBe(true);
    expect((await fetch(`${chain.url}/v3/status`)).status).toBe(200);
    expect(await adapter.height()).toBe(0n);
    await adapter.close();
  });

  it('refuses a port in use with error 8040', async () => {
    chain = await startChain({ port: 0 });
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const error = await startNode({ chainUrl: chain.url, port: (taken.address() as AddressInfo).port }).catch((e: unknown) => e);
      expect(isAescError(error, AESC_ERROR__CHAIN__LISTEN_FAILED)).toBe(true);
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });
});
