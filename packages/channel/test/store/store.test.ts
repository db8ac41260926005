import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SEED_TRANSCRIPT, connectParams, loadTranscript } from '@aesc/corpus';
import { channelId } from '@aesc/crypto';
import { type AccountAddress, type ChannelId, type SignedTx, decodeTx, encodeTx } from '@aesc/encoding';
import { AESC_ERROR__CHANNEL__STORE_CORRUPT, aescErrorCodeOf, aescErrorCodeOfAsync } from '@aesc/errors';
import { nextRound, offchainTx, transferUpdates } from '@aesc/protocol';
import { applyUpdates, encodedOffchainStateHash, initialState } from '@aesc/state';
import { IDBFactory } from 'fake-indexeddb';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnChild, stopChildren } from '../../../../tooling/vitest/processes.js';
import { resumeFrom } from '../../src/resume.js';
import { type ChannelRecord, type PendingProposal, recordFromJson, recordToJson } from '../../src/store/channel-record.js';
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

// The initiator's own transfer of 5 in round 2, kept before it signs it.
const updates = transferUpdates({ from: initiator, to: responder, amount: 5n });
const unsigned = (tx: SignedTx['tx']): SignedTx => ({ tag: 'signed_tx', version: 1, signatures: [], tx }) as SignedTx;
const pending: PendingProposal = {
  tag: 'update',
  round: 2n,
  updates,
  tx: unsigned(offchainTx(record.channelId, nextRound(start, updates, { channelReserve: 2n }))),
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

  it('keeps the pending proposal of the next round, and a record saved without one loads without one', async () => {
    const store = await make();
    await store.save({ ...record, pending });
    const loaded = await store.load(record.channelId);
    expect(loaded?.pending).toEqual(pending);
    expect(loaded?.lastCoSigned.state.round).toBe(1n);
    await store.save(record);
    expect((await store.load(record.channelId))?.pending).toBeUndefined();
  });
});

describe('a pending proposal in a record', () => {
  const json = () => JSON.parse(JSON.stringify(recordToJson({ ...record, pending }))) as Record<string, unknown> & { pending: Record<string, unknown> };
  const other = channelId(initiator, 99n, responder);
  const next = nextRound(start, updates, { channelReserve: 2n });

  it('round-trips through its JSON form, meta updates and big amounts included', () => {
    const big = transferUpdates({ from: initiator, to: responder, amount: 2n ** 40n, meta: ['for the coffee', 'ü'] });
    const p: PendingProposal = { tag: 'update', round: 2n, updates: big, tx: unsigned(offchainTx(record.channelId, nextRound(start, big, { channelReserve: 2n }))) };
    const text = JSON.stringify(recordToJson({ ...record, pending: p }));
    expect(text).toContain('"amount":"1099511627776"');
    expect(recordFromJson(JSON.parse(text)).pending).toEqual(p);
  });

  it('is refused with STORE_CORRUPT when it is malformed, of another channel or round, signed, or does not follow from the last co-signed state', () => {
    const variants: [string, (j: ReturnType<typeof json>) => unknown][] = [
      ['another round', (j) => ({ ...j, pending: { ...j.pending, round: '3' } })],
      ['a round that is no decimal', (j) => ({ ...j, pending: { ...j.pending, round: 2 } })],
      ['another channel', (j) => ({ ...j, pending: { ...j.pending, tx: encodeTx(unsigned(offchainTx(other, next))) } })],
      ['a peer’s tag', (j) => ({ ...j, pending: { ...j.pending, tag: 'update_ack' } })],
      ['a tag of another tx type', (j) => ({ ...j, pending: { ...j.pending, tag: 'deposit_tx' } })],
      ['no updates', (j) => ({ ...j, pending: { ...j.pending, updates: [] } })],
      ['an amount as a number', (j) => ({ ...j, pending: { ...j.pending, updates: [{ op: 'OffChainTransfer', from: initiator, to: responder, amount: 5 }] } })],
      ['a negative amount', (j) => ({ ...j, pending: { ...j.pending, updates: [{ op: 'OffChainTransfer', from: initiator, to: responder, amount: '-5' }] } })],
      ['other updates than its tx', (j) => ({ ...j, pending: { ...j.pending, updates: [{ op: 'OffChainTransfer', from: initiator, to: responder, amount: '6' }] } })],
      ['a signature on it', (j) => ({ ...j, pending: { ...j.pending, tx: encodeTx({ ...pending.tx, signatures: [new Uint8Array(64).fill(1)] }) } })],
      ['a tx that does not decode', (j) => ({ ...j, pending: { ...j.pending, tx: 'tx_AAAA' } })],
      ['not an object', (j) => ({ ...j, pending: 'update' })],
    ];
    for (const [name, mutate] of variants) {
      expect(aescErrorCodeOf(() => recordFromJson(mutate(json()))), name).toBe(AESC_ERROR__CHANNEL__STORE_CORRUPT);
    }
    // a record without one, as every record was written before: loads as before
    const { pending: _, ...old } = json();
    expect(recordFromJson(old).pending).toBeUndefined();
    expect(recordFromJson(old).lastCoSigned.state.round).toBe(1n);
  });

  it('goes with the client that resumes, which comes back with offchain_tx, its latest co-signed tx; resumeFrom refuses a pending of another channel or round', () => {
    const { resume, connectParams } = resumeFrom({ ...record, pending });
    expect(connectParams).toEqual({ existing_channel_id: record.channelId, existing_fsm_id: record.fsmId, offchain_tx: encodeTx(record.lastCoSigned.tx) });
    expect(resume.pending).toEqual(pending);
    expect(resumeFrom(record).resume.pending).toBeUndefined();
    for (const bad of [{ ...pending, round: 3n }, { ...pending, tx: unsigned(offchainTx(other, next)) }]) {
      expect(aescErrorCodeOf(() => resumeFrom({ ...record, pending: bad }))).toBe(AESC_ERROR__CHANNEL__STORE_CORRUPT);
    }
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
