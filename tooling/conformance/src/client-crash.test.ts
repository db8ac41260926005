import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectParams, loadTranscript } from '@aesc/corpus';
import { type AccountAddress, decodeTx, toHex } from '@aesc/encoding';
import { parseJson, stringifyJson } from '@aesc/rpc';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { fileStore } from '@aesc/channel';
import type { ChannelId } from '@aesc/encoding';
import { spawnChild, stopChildren } from '../../vitest/processes.js';
import { recordedSignatures } from './client-replay.js';

// Issue 4, must-show 5: kill the client process right after it acknowledges a round; on restart it
// loads exactly that round. The client stores a co-signed round before it sends the acknowledgement.

const dist = (pkg: string) => fileURLToPath(new URL(`../../../packages/${pkg}/dist/index.js`, import.meta.url));
const dirs: string[] = [];
afterAll(async () => {
  await stopChildren(); // the client, if the test failed before it was killed
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('a client killed right after it acknowledges a round', () => {
  it('finds that round in its store on restart', async () => {
    const t = loadTranscript('sc_ws_basic_open_close.json');
    const connect = t.steps.find((s) => s.kind === 'connect' && s.actor === 'responder')!;
    const p = connectParams(connect);
    const dir = await mkdtemp(join(tmpdir(), 'aesc-crash-'));
    dirs.push(dir);
    const script = join(dir, 'client.mjs');
    // The client signs as the recorded responder did (it checks its own signature too).
    const recorded = await recordedSignatures(t.steps, 'responder', p.responder_id as AccountAddress, 'local_iris_testnet');
    const signatures = Object.fromEntries([...recorded].map(([tx, sig]) => [tx, toHex(sig)]));
    await writeFile(
      script,
      `import { connectChannel, fileStore } from ${JSON.stringify(dist('channel'))};
import { webSocketConnector } from ${JSON.stringify(dist('rpc'))};
import { generateKeyPair, signTransaction } from ${JSON.stringify(dist('crypto'))};
import { fromHex, toHex } from ${JSON.stringify(dist('encoding'))};
const keys = await generateKeyPair();
const signatures = ${JSON.stringify(signatures)};
const config = { role: 'responder', initiator: '${p.initiator_id}', responder: '${p.responder_id}', networkId: 'local_iris_testnet',
  initiatorAmount: ${p.initiator_amount}n, responderAmount: ${p.responder_amount}n, pushAmount: ${p.push_amount}n,
  channelReserve: ${p.channel_reserve}n, lockPeriod: ${p.lock_period}n };
await connectChannel({ connect: webSocketConnector(process.argv[2]), config, store: await fileStore(process.argv[3]),
  signer: { address: config.responder, signTransaction: async (tx, o) => signatures[toHex(tx)] === undefined ? signTransaction(tx, o.networkId, keys.secretKey) : fromHex(signatures[toHex(tx)]) } });
`,
    );
    // A scripted node: the responder's side of the transcript, up to its first acknowledged update.
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => server.once('listening', () => r()));
    const { port } = server.address() as { port: number };
    const store = join(dir, 'store');
    const child = spawnChild(process.execPath, [script, `ws://127.0.0.1:${port}/channel`, store], { stdio: ['ignore', 'inherit', 'inherit'] });
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    let ackedRound: bigint | undefined;
    let channelId: string | undefined;
    await new Promise<void>((resolve, reject) => {
      server.on('connection', async (ws) => {
        const frames: string[] = [];
        let waiter: (() => void) | undefined;
        ws.on('message', (d) => {
          frames.push(d.toString());
          waiter?.();
        });
        const nextFrame = async () => {
          while (frames.length === 0) await new Promise<void>((r) => (waiter = r));
          return parseJson(frames.shift()!) as { method?: string; id?: unknown };
        };
        let lastSignRound: bigint | undefined;
        for (const s of t.steps.filter((x) => x.actor === 'responder')) {
          const m = s.message as { method?: string; params?: { channel_id?: string; data?: { signed_tx?: string }; signed_tx?: string } } | undefined;
          if (s.kind === 'recv' && m !== undefined) {
            channelId ??= m.params?.channel_id;
            if (m.method === 'channels.sign.update_ack') {
              const inner = decodeTx(m.params!.data!.signed_tx!).tx;
              lastSignRound = 'round' in inner ? inner.round : undefined;
            }
            ws.send(stringifyJson(m));
          } else if (s.kind === 'send' && m?.params?.signed_tx !== undefined) {
            const sent = await nextFrame();
            if (sent.method === 'channels.update_ack') {
              ackedRound = lastSignRound;
              child.kill('SIGKILL'); // right after the acknowledgement went out
              resolve();
              return;
            }
          }
        }
        reject(new Error('the transcript has no update_ack'));
      });
    });
    await exited;
    await new Promise<void>((r) => server.close(() => r()));
    expect(ackedRound).toBe(2n);
    const reloaded = await (await fileStore(store)).load(channelId as ChannelId);
    expect(reloaded?.lastCoSigned.state.round).toBe(ackedRound);
    expect(reloaded?.lastCoSigned.tx.signatures).toHaveLength(2);
  });
});
