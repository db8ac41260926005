import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SEED_TRANSCRIPT, connectParams, loadTranscript } from '@aesc/corpus';
import { type AccountAddress, type ChannelId, decodeTx } from '@aesc/encoding';
import { AESC_ERROR__CHANNEL__STORE_CORRUPT, aescErrorCodeOfAsync } from '@aesc/errors';
import { applyUpdates, encodedOffchainStateHash, initialState } from '@aesc/state';
import { IDBFactory } from 'fake-indexeddb';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnChild, stopChildren } from '../../../../tooling/vitest/processes.js';
import type { ChannelRecord } from '../../src/store/channel-record.js';
import type { ChannelStore } from '../../src/store/channel-store.js';
import { fileStore } from '../../src/store/file-store.js';
import { indexedDbStore } from '../../src/store/indexeddb-store.js';
import { memoryStore } from '../../src/store/memory-store.js';

// A record from the seed transcript: its co-signed create tx and the state it opens with.
const seed = loadTranscript(SEED_TRANSCRIPT);
const params = connectParams(seed.steps.find((s) => s.kind === 'connect')!);
const createTx = (() => {
  for (const s of seed.steps) {
    const m = s.message as { method?: string; params?: { channel_id?: string; data?: { state?: string } } } | undefined;
    if (m?.method === 'channels.update' && m.params?.data?.state) return { tx: decodeTx(m.params.data.state), id: m.params.channel_id! };
  }
  throw new Error('no co-signed create tx in the seed');
})();
const initiator = params.initiator_id as AccountAddress;
const responder = params.responder_id as AccountAddress;
const start = initialState({ initiator, initiatorAmount: 70000000000000n, responder, responderAmount: 40000000000000n, pushAmount: 1n });
const record: ChannelRecord = {
  channelId: createTx.id as ChannelId,
  networkId: 'local_iris_testnet',
  role: 'initiator',
  initiator,
  responder,
  channelReserve: 2n,
  fsmId: 'ba_VdRl+zAMvYVDGr3f',
  lastCoSigned: { tx: createTx.tx, state: start },
};

const dirs: string[] = [];
afterAll(async () => {
  await stopChildren(); // the writer below, if the test failed before it was killed
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'aesc-store-'));
  dirs.push(d);
  return d;
}

const stores: [string, () => Promise<ChannelStore>][] = [
  ['memory', async () => memoryStore()],
  ['file', async () => fileStore(await tempDir())],
  ['indexeddb', async () => indexedDbStore('test', new IDBFactory())],
];

describe.each(stores)('%s store', (_name, make) => {
  it('saves, loads, lists and removes a channel record', async () => {
    const store = await make();
    expect(await store.load(record.channelId)).toBeUndefined();
    await store.save(record);
    const loaded = await store.load(record.channelId);
    expect(loaded?.lastCoSigned.state.round).toBe(1n);
    expect(encodedOffchainStateHash(loaded!.lastCoSigned.state)).toBe(encodedOffchainStateHash(start));
    expect(loaded).toMatchObject({ channelId: record.channelId, role: 'initiator', channelReserve: 2n, fsmId: record.fsmId });
    expect(await store.list()).toEqual([record.channelId]);
    const next = applyUpdates(start, [{ tag: 'channel_offchain_update_transfer', version: 1, from: initiator, to: responder, amount: 5n }]);
    await store.save({ ...record, lastCoSigned: { tx: record.lastCoSigned.tx, state: next } });
    expect((await store.load(record.channelId))?.lastCoSigned.state.round).toBe(2n);
    await store.remove(record.channelId);
    expect(await store.list()).toEqual([]);
  });
});

describe('file store', () => {
  it('refuses a corrupted or tampered record with a coded error', async () => {
    const dir = await tempDir();
    const store = await fileStore(dir);
    await store.save(record);
    const file = join(dir, `${record.channelId}.json`);
    const json = JSON.parse(await readFile(file, 'utf8'));
    await writeFile(file, JSON.stringify({ ...json, stateHash: json.stateHash.replace(/.$/, (c: string) => (c === 'A' ? 'B' : 'A')) }));
    expect(await aescErrorCodeOfAsync(() => store.load(record.channelId))).toBe(AESC_ERROR__CHANNEL__STORE_CORRUPT);
    await writeFile(file, '{"version":1,');
    expect(await aescErrorCodeOfAsync(() => store.load(record.channelId))).toBe(AESC_ERROR__CHANNEL__STORE_CORRUPT);
  });

  it('keeps the last saved round when the process is killed with SIGKILL', async () => {
    const dir = await tempDir();
    const dist = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
    const state = fileURLToPath(new URL('../../../state/dist/index.js', import.meta.url));
    const script = join(dir, 'writer.mjs');
    await writeFile(
      script,
      `import { fileStore } from ${JSON.stringify(dist)};
import { applyUpdates, initialState } from ${JSON.stringify(state)};
import { decodeTx } from ${JSON.stringify(fileURLToPath(new URL('../../../encoding/dist/index.js', import.meta.url)))};
const store = await fileStore(${JSON.stringify(join(dir, 'store'))});
let s = initialState({ initiator: '${initiator}', initiatorAmount: 70000000000000n, responder: '${responder}', responderAmount: 40000000000000n, pushAmount: 1n });
const base = { channelId: '${record.channelId}', networkId: 'local_iris_testnet', role: 'initiator', initiator: '${initiator}', responder: '${responder}', channelReserve: 2n };
const tx = decodeTx(process.argv[2]);
for (;;) {
  s = applyUpdates(s, [{ tag: 'channel_offchain_update_transfer', version: 1, from: '${initiator}', to: '${responder}', amount: 1n }]);
  await store.save({ ...base, lastCoSigned: { tx, state: s } });
  process.stdout.write('saved ' + s.round + '\\n'); // the "ack": only after save resolved
}
`,
    );
    const { encodeTx } = await import('@aesc/encoding');
    const child = spawnChild(process.execPath, [script, encodeTx(record.lastCoSigned.tx)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let acked = 0n;
    await new Promise<void>((resolve) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        const rounds = [...chunk.toString().matchAll(/saved (\d+)/g)].map((m) => BigInt(m[1]!));
        if (rounds.length > 0) acked = rounds.at(-1)!;
        if (acked >= 25n && !child.killed) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
    });
    const loaded = await (await fileStore(join(dir, 'store'))).load(record.channelId);
    // exactly the acknowledged round, or the one after it if it was saved before the kill landed
    expect([acked, acked + 1n]).toContain(loaded?.lastCoSigned.state.round);
  });
});
