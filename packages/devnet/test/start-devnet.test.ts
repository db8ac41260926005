import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AESC_ERROR__CHAIN__LISTEN_FAILED, isAescError } from '@aesc/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { type DevnetHandle, startDevnet } from '../src/start-devnet.js';
import { upgradeStatus } from './upgrade.js';

let devnet: DevnetHandle | undefined;
afterEach(async () => {
  await devnet?.close();
  devnet = undefined;
});

describe('startDevnet', () => {
  it('serves the dev chain’s /v3 API and the node’s /channel on one port, the node on that chain', async () => {
    devnet = await startDevnet({ port: 0, networkId: 'ae_devnet_test' });
    expect(new URL(devnet.channelUrl).port).toBe(new URL(devnet.url).port);
    const status = (await (await fetch(`${devnet.url}/v3/status`)).json()) as { network_id: string };
    expect(status.network_id).toBe('ae_devnet_test');
    expect(devnet.node.chainInfo.networkId).toBe('ae_devnet_test');
    expect(await upgradeStatus(devnet.channelUrl.replace('/channel', '/channel?protocol=json-rpc'))).toBe(101);
    await devnet.chain.chain.emitKeyBlocks(2);
    expect((await (await fetch(`${devnet.url}/v3/key-blocks/current/height`)).json()) as unknown).toEqual({ height: 2 });
  });

  it('closes the node and the chain: the port is free again', async () => {
    devnet = await startDevnet({ port: 0 });
    const port = Number(new URL(devnet.url).port);
    await devnet.close();
    devnet = undefined;
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    expect((server.address() as AddressInfo).port).toBe(port);
    await new Promise((r) => server.close(r));
  });

  it('refuses a port in use with error 8040 and starts nothing', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = (taken.address() as AddressInfo).port;
      const error = await startDevnet({ port }).catch((e: unknown) => e);
      expect(isAescError(error, AESC_ERROR__CHAIN__LISTEN_FAILED)).toBe(true);
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });
});
