import { afterEach, describe, expect, it } from 'vitest';
import { type RawClient, method } from './raw-client.js';
import { TestNodes } from './test-nodes.js';

// Conflicts as the node resolves them (both_sign/conflicts, only_one_signs in the corpus): when both
// sides start a round at once, both rounds are dropped and both clients get channels.conflict
// with code 2 at the last co-signed round; the channel goes on from there.

const nodes = new TestNodes();
afterEach(() => nodes.close());

const conflictOf = async (c: RawClient) => (await c.next(method('channels.conflict'))).params!.data;

describe('conflicting rounds', () => {
  it('both sign their own update: both get a conflict, then a transfer goes through', async () => {
    const { i, r, a, b } = await nodes.openChannel();
    i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 1 } });
    r.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 2 } });
    expect(await conflictOf(i)).toMatchObject({ error_code: 2, error_msg: 'conflict', round: 1 });
    expect(await conflictOf(r)).toMatchObject({ error_code: 2, error_msg: 'conflict', round: 1 });
    i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 3 } });
    await i.next(method('channels.update'));
    await r.next(method('channels.update'));
  });

  it('only one signs: the other’s pending update is dropped, both get a conflict', async () => {
    const { i, r, a, b } = await nodes.openChannel();
    r.onSign = async () => undefined; // the responder's client does not sign its own update
    r.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: b.address, to: a.address, amount: 2 } });
    await r.next(method('channels.sign.update'));
    i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 1 } });
    expect(await conflictOf(r)).toMatchObject({ error_code: 2, round: 1 });
    expect(await conflictOf(i)).toMatchObject({ error_code: 2, round: 1 });
  });

  it('a new update while the peer’s withdrawal waits for this client’s signature is a conflict for both', async () => {
    const { i, r, a, b } = await nodes.openChannel();
    r.onSign = async () => undefined; // the responder does not sign the withdrawal's ack …
    i.send({ jsonrpc: '2.0', method: 'channels.withdraw', params: { amount: 1 } });
    await r.next(method('channels.sign.withdraw_ack'));
    // … and asks for a transfer instead.
    r.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 2 } });
    expect(await conflictOf(r)).toMatchObject({ error_code: 2, round: 1 });
    expect(await conflictOf(i)).toMatchObject({ error_code: 2, round: 1 });
  });
});
