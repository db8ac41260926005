import { devAccounts } from '@aesc/chain';
import { type SignedTx, bytesEqual, decodeApi, decodeObject, encodeApi, encodeObject } from '@aesc/encoding';
import { describe, expect, it, vi } from 'vitest';
import type { PeerMessage } from '../../src/peer/peer-message.js';
import { RawClient, info, method, rawConnectUrl, reply } from './raw-client.js';
import { tappedTestNodes } from './test-nodes.js';
import type { WireTap } from './wire-tap.js';

// Block hashes in proposals (bh_delta_* connect params): the proposer pins its update / deposit /
// withdraw / shutdown / create to the key block bh_delta_pick below the top; the acker refuses a
// block outside its own deltas (too new, too old, unknown) as a conflict for both clients. The node
// reads the three params only all together, so every connect here that sets one sends all three.

/** Every peer message the FSMs of the node send each other, and a way to change them on the wire. */
const wire = vi.hoisted((): WireTap => ({ sent: [], tamper: undefined }));
vi.mock('../../src/peer/in-process-link.js', async (importOriginal) =>
  (await import('./wire-tap.js')).tappedLinks(await importOriginal<typeof import('../../src/peer/in-process-link.js')>(), wire),
);
const nodes = tappedTestNodes(wire);

const conflictOf = async (c: RawClient) => (await c.next(method('channels.conflict'))).params!.data;
const sentOf = (type: PeerMessage['type']) => wire.sent.filter((m) => m.type === type) as (PeerMessage & { blockHash: Uint8Array })[];
const keyHashAt = (height: bigint) => decodeApi(nodes.node.chain!.chain.keyBlockAt(height)!.hash as `kh_${string}`, 'kh');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const ZERO = hex(new Uint8Array(32));

describe('block hashes in proposals', () => {
  it('a proposal carries the key block bh_delta_pick below the top, and the acker’s reply carries it back', async () => {
    const node = await nodes.start();
    // The create tx is pinned and checked too: at height 0 no block is 1 deep (the node's tests mine first as well).
    await node.chain!.chain.emitKeyBlocks(11);
    const deltas = { bh_delta_not_newer_than: 1, bh_delta_not_older_than: 10, bh_delta_pick: 1 };
    const { i, r, a, b } = await nodes.openChannel(deltas);
    // The create tx was pinned too (funding_created), and the responder echoed it (funding_signed).
    const [created] = sentOf('funding_created');
    expect(hex(created!.blockHash)).not.toBe(ZERO);
    expect(hex(sentOf('funding_signed')[0]!.blockHash)).toBe(hex(created!.blockHash));

    await node.chain!.chain.emitKeyBlocks(6);
    const top = node.chain!.chain.height;
    // top − not_newer_than − min(not_older_than, not_newer_than + pick) = top − 3
    const pinned = hex(keyHashAt(top - 3n));
    i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 5 } });
    await Promise.all([i.next(method('channels.update')), r.next(method('channels.update'))]);
    expect(sentOf('update').map((m) => hex(m.blockHash))).toEqual([pinned]);

    r.send({ jsonrpc: '2.0', method: 'channels.deposit', params: { amount: 10 } });
    await Promise.all([i.next(method('channels.update')), r.next(method('channels.update'))]);
    expect(sentOf('deposit_created').map((m) => hex(m.blockHash))).toEqual([pinned]);
    expect(sentOf('deposit_signed').map((m) => hex(m.blockHash))).toEqual([pinned]);
  });

  it('a block newer than the acker’s bh_delta_not_newer_than: a conflict for both, and the channel goes on', async () => {
    const node = await nodes.start();
    await node.chain!.chain.emitKeyBlocks(11);
    // The responder takes nothing less than 2 blocks deep; the initiator pins 2 deep (pick 2).
    const { i, r, a, b } = await nodes.openChannel({}, { initiator: { bh_delta_not_newer_than: 0, bh_delta_not_older_than: 10, bh_delta_pick: 2 }, responder: { bh_delta_not_newer_than: 2, bh_delta_not_older_than: 10, bh_delta_pick: 0 } });
    await node.chain!.chain.emitKeyBlocks(4);
    wire.sent.length = 0;
    // The initiator's client names the top block (as the node's own tests do): too new for the responder.
    const top = keyHashAt(node.chain!.chain.height);
    i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 1, block_hash: encodeApi('kh', top) } });
    expect(await conflictOf(i)).toMatchObject({ error_code: 2, error_msg: 'conflict', round: 1 });
    expect(await conflictOf(r)).toMatchObject({ error_code: 2, error_msg: 'conflict', round: 1 });
    expect(hex(sentOf('update')[0]!.blockHash)).toBe(hex(top));
    expect(wire.sent.find((m) => m.type === 'update_error')).toMatchObject({ round: 1, errorCode: 2 });
    // The responder's client was never asked to sign.
    expect(r.frames.some(method('channels.sign.update_ack'))).toBe(false);
    // The initiator's own pick (2 deep) is fine, and so is the responder's (4 deep) for the initiator.
    i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 1 } });
    await Promise.all([i.next(method('channels.update')), r.next(method('channels.update'))]);
    r.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: b.address, to: a.address, amount: 1 } });
    const [ui, ur] = await Promise.all([i.next(method('channels.update')), r.next(method('channels.update'))]);
    expect(ui.params!.data!.state).toBe(ur.params!.data!.state);
    expect(sentOf('update').map((m) => hex(m.blockHash))).toEqual([hex(top), hex(keyHashAt(node.chain!.chain.height - 2n)), hex(keyHashAt(node.chain!.chain.height - 4n))]);
  });

  it('a block older than the acker’s bh_delta_not_older_than: a conflict for both; a block the client names is used as is', async () => {
    // The initiator pins 5 blocks deep; the responder takes nothing more than 3 deep.
    const { node, i, r, a, b } = await nodes.openChannel({}, { initiator: { bh_delta_not_newer_than: 0, bh_delta_not_older_than: 10, bh_delta_pick: 5 }, responder: { bh_delta_not_newer_than: 0, bh_delta_not_older_than: 3, bh_delta_pick: 0 } });
    await node.chain!.chain.emitKeyBlocks(6);
    i.send({ jsonrpc: '2.0', method: 'channels.deposit', params: { amount: 3 } });
    expect(await conflictOf(i)).toMatchObject({ error_code: 2, round: 1 });
    expect(await conflictOf(r)).toMatchObject({ error_code: 2, round: 1 });
    expect(wire.sent.find((m) => m.type === 'deposit_error')).toMatchObject({ errorCode: 2 });

    // `block_hash` in the request: the proposal is pinned to that block (3 deep: accepted).
    const named = keyHashAt(node.chain!.chain.height - 3n);
    wire.sent.length = 0;
    i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 1, block_hash: encodeApi('kh', named) } });
    await Promise.all([i.next(method('channels.update')), r.next(method('channels.update'))]);
    expect(bytesEqual(sentOf('update')[0]!.blockHash, named)).toBe(true);

    // A block the chain does not know: the request fails (`unknown_block_hash`: "Internal error").
    i.send({ jsonrpc: '2.0', id: 7, method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 1, block_hash: encodeApi('kh', new Uint8Array(32).fill(9)) } });
    expect((await i.next(reply(7))).error).toMatchObject({ code: -32603, message: 'Internal error' });
  });

  it('a block hash the acker’s chain does not know: a conflict for both', async () => {
    const { i, r, a, b } = await nodes.openChannel();
    wire.tamper = (m) => (m.type === 'update' ? { ...m, blockHash: new Uint8Array(32).fill(9) } : m);
    i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 1 } });
    expect(await conflictOf(i)).toMatchObject({ error_code: 2, round: 1 });
    expect(await conflictOf(r)).toMatchObject({ error_code: 2, round: 1 });
    // The all-zero ("not set") block hash is never refused.
    wire.tamper = (m) => (m.type === 'update' ? { ...m, blockHash: new Uint8Array(32) } : m);
    i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 1 } });
    await Promise.all([i.next(method('channels.update')), r.next(method('channels.update'))]);
  });

  it('a create tx pinned to an unknown block: the responder’s FSM stops, and the initiator’s with it', async () => {
    const node = await nodes.start();
    wire.tamper = (m) => (m.type === 'funding_created' ? { ...m, blockHash: new Uint8Array(32).fill(9) } : m);
    const [a, b] = await devAccounts(2);
    const url = (role: string) => rawConnectUrl(nodes.node, a!, b!, role, 16101);
    const r = new RawClient(url('responder'), b!.secretKey, node.node.chainInfo.networkId);
    const i = new RawClient(url('initiator'), a!.secretKey, node.node.chainInfo.networkId);
    nodes.track(i, r);
    await r.next(info('died'));
    await i.next(info('died'));
    expect(r.frames.some(method('channels.sign.responder_sign'))).toBe(false);
    expect(node.node.fsms).toHaveLength(0);
  });
});

describe('proposals the acker cannot take', () => {
  it.each([
    ['update', 'channels.update.new'],
    ['deposit_created', 'channels.deposit'],
  ] as const)('a %s whose tx is not the one its updates make: a conflict for both, and the channel goes on', async (type, request) => {
    const { i, r, a, b } = await nodes.openChannel();
    const seen = r.frames.length;
    // On the wire, the tx's state hash no longer matches the updates it comes with.
    wire.tamper = (m) => {
      if (m.type !== type) return m;
      const signed = decodeObject(m.tx) as SignedTx;
      const tx = { ...signed.tx, stateHash: encodeApi('st', new Uint8Array(32).fill(5)) } as SignedTx['tx'];
      return { ...m, tx: encodeObject({ ...signed, tx }) };
    };
    i.send({ jsonrpc: '2.0', method: request, params: request === 'channels.deposit' ? { amount: 3 } : { from: a.address, to: b.address, amount: 1 } });
    expect(await conflictOf(i)).toMatchObject({ error_code: 2, round: 1 });
    expect(await conflictOf(r)).toMatchObject({ error_code: 2, round: 1 });
    expect(wire.sent.find((m) => m.type.endsWith('_error'))).toMatchObject({ round: 1, errorCode: 2 });
    expect(r.frames.slice(seen).some((f) => String(f.method).startsWith('channels.sign.'))).toBe(false);
    wire.tamper = undefined;
    i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 1 } });
    const [ui, ur] = await Promise.all([i.next(method('channels.update')), r.next(method('channels.update'))]);
    expect(ui.params!.data!.state).toBe(ur.params!.data!.state);
  });
});
