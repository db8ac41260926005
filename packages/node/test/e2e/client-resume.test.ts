import { connectChannel, memoryStore, resumeFrom } from '@aesc/channel';
import { buildConnectUrl } from '@aesc/channel-api';
import { signTransaction } from '@aesc/crypto';
import { fromHex } from '@aesc/encoding';
import { webSocketConnector } from '@aesc/rpc';
import { afterEach, describe, expect, it } from 'vitest';
import { type NodeHandle, startNode } from '../dev-node.js';
import { openPair, withBlocks } from './clients.js';

// Our client comes back to its channel from its store (issue 4: reconnect to a live FSM by fsm id,
// leave and reestablish) against our node.

let node: NodeHandle | undefined;
afterEach(async () => {
  await node?.close();
  node = undefined;
});

describe('@aesc/channel resuming a channel from its store', () => {
  it('reconnects to the live FSM after its socket closed, and reestablishes after a leave', async () => {
    node = await startNode({ port: 0 });
    const store = memoryStore();
    const { initiator, responder, accounts, config } = await openPair(node, { port: 18001, initiatorStore: store });
    const [a, b] = accounts;
    await withBlocks(node, () => Promise.all([initiator.waitFor('open'), responder.waitFor('open')]));
    expect(await initiator.transfer(b.address, 10n)).toBe(2n);
    const channelId = initiator.state().channelId!;
    initiator.close();

    const again = async () => {
      const { resume, connectParams } = resumeFrom((await store.load(channelId))!);
      const url = buildConnectUrl(node!.channelUrl, { protocol: 'json-rpc', role: 'initiator', host: '127.0.0.1', port: 18001, ...connectParams });
      return connectChannel({
        connect: webSocketConnector(url),
        config: { role: 'initiator', ...config, resume },
        signer: { address: a.address, signTransaction: (tx, o) => signTransaction(tx, o.networkId, fromHex(a.secretKey)!) },
        store,
      });
    };
    const back = await again();
    await back.waitFor('open');
    expect(back.state().last!.state.round).toBe(2n);
    expect(await back.transfer(b.address, 5n)).toBe(3n);
    expect(await responder.transfer(a.address, 1n)).toBe(4n);
    await expect.poll(() => back.state().last?.state.round).toBe(4n);

    // Leave: the initiator's FSM stops; the responder's keeps running (the default).
    await back.leave();
    await expect.poll(() => node!.node.fsms.length).toBe(1);
    const reestablished = await again();
    await reestablished.waitFor('open');
    // The node restored the initiator's FSM from its state cache and reestablished with the responder's.
    await expect.poll(() => node!.node.fsms.map((f) => `${f.role} ${f.phase}`).sort()).toEqual(['initiator open', 'responder open']);
    expect(await reestablished.transfer(b.address, 1n)).toBe(5n);
  }, 60_000);
});
