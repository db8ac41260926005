import { fileURLToPath } from 'node:url';
import { devAccounts } from '@aesc/chain';
import { type ChannelClient, connectChannel, memoryStore } from '@aesc/channel';
import { buildConnectUrl } from '@aesc/channel-api';
import { signTransaction } from '@aesc/crypto';
import { fromHex } from '@aesc/encoding';
import { parseJson, webSocketConnector } from '@aesc/rpc';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnChild, stopChildren } from '../../../../tooling/vitest/processes.js';

// Issue 6, must-show 5: two node processes, each hosting one participant, run open / transfer /
// close over the peer protocol (TCP with Noise NN). The responder's node runs the chain; the
// initiator's node uses it through its HTTP API.

const bin = fileURLToPath(new URL('../../../../apps/cli/dist/bin.js', import.meta.url));
afterAll(() => stopChildren());

function startCliNode(args: string[]): Promise<string> {
  const child = spawnChild(process.execPath, [bin, 'node', 'start', '--port', '0', '--peers', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on ws:\/\/(127\.0\.0\.1:\d+)\/channel/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`node exited with ${code}: ${out}`)));
  });
}

describe('two nodes, one participant each', () => {
  it('open, transfer and mutual close over the peer protocol', async () => {
    const b = await startCliNode([]);
    const a = await startCliNode(['--chain', `http://${b}`]);
    const [alice, bob] = await devAccounts(2);
    const peerPort = 19000 + Math.floor(Math.random() * 1000);
    const amounts = { initiatorAmount: 70_000_000_000_000n, responderAmount: 40_000_000_000_000n, pushAmount: 0n, channelReserve: 2n, lockPeriod: 5n };
    const client = (role: 'initiator' | 'responder', node: string): Promise<ChannelClient> => {
      const acc = role === 'initiator' ? alice! : bob!;
      return connectChannel({
        connect: webSocketConnector(
          buildConnectUrl(`ws://${node}/channel`, {
            protocol: 'json-rpc',
            role,
            host: '127.0.0.1',
            port: peerPort,
            initiator_id: alice!.address,
            responder_id: bob!.address,
            initiator_amount: amounts.initiatorAmount,
            responder_amount: amounts.responderAmount,
            push_amount: 0,
            channel_reserve: 2,
            lock_period: 5,
          }),
        ),
        config: { role, initiator: alice!.address, responder: bob!.address, networkId: 'ae_dev', ...amounts },
        signer: { address: acc.address, signTransaction: (tx, o) => signTransaction(tx, o.networkId, fromHex(acc.secretKey)!) },
        store: memoryStore(),
      });
    };
    const responder = await client('responder', b);
    const initiator = await client('initiator', a);
    if (process.env.AESC_DEBUG) {
      initiator.on((e) => console.log('I', e.type, e.type === 'error' ? String(e.error) : '', 'event' in e ? e.event : 'info' in e ? e.info : 'round' in e ? e.round : 'phase' in e ? e.phase : ''));
      responder.on((e) => console.log('R', e.type, 'event' in e ? e.event : 'info' in e ? e.info : 'round' in e ? e.round : 'phase' in e ? e.phase : ''));
    }
    let stop = false;
    const blocks = (async () => {
      while (!stop) {
        await fetch(`http://${b}/emit_kb?n=1`);
        await new Promise((r) => setTimeout(r, 150));
      }
    })();
    try {
      await Promise.all([initiator.waitFor('open'), responder.waitFor('open')]);
      expect(await initiator.transfer(bob!.address, 1_000n)).toBe(2n);
      // The responder's node reports round 2 to its client on its own time (another process).
      await expect.poll(() => responder.state().last?.state.round, { timeout: 10_000 }).toBe(2n);
      await responder.waitFor('open');
      expect(await responder.transfer(alice!.address, 10n)).toBe(3n);
      // Balances are beyond 2^53: read them losslessly.
      const balance = async () => BigInt((parseJson(await (await fetch(`http://${b}/v3/accounts/${bob!.address}`)).text()) as { balance: bigint | number }).balance);
      const before = await balance();
      let finalR: bigint | undefined;
      responder.on((e) => {
        if (e.type === 'on-chain-tx' && e.tx.tx.tag === 'channel_close_mutual_tx') finalR = e.tx.tx.responderAmountFinal;
      });
      const closed = Promise.all(
        [initiator, responder].map((c) => new Promise<void>((resolve) => c.on((e) => e.type === 'info' && e.event === 'closed_confirmed' && resolve()))),
      );
      await initiator.shutdown();
      await closed;
      const after = await balance();
      // The responder is paid its final balance (40e12 + 1000 − 10, less its half of the fee).
      expect(finalR).toBeLessThan(40_000_000_000_000n + 990n);
      expect(finalR).toBeGreaterThan(30_000_000_000_000n);
      expect(after - before).toBe(finalR);
      expect((await fetch(`http://${b}/v3/channels/${initiator.state().channelId}`)).status).toBe(404);
    } finally {
      stop = true;
      await blocks;
    }
  }, 60_000);
});
