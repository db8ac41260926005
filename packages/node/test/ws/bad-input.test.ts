import { devAccounts } from '@aesc/chain';
import { decodeTx, encodeTx } from '@aesc/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import { type Frame, type RawClient, method, openRawChannel, reply } from '../e2e/raw-client.js';
import { TestNodes } from '../e2e/test-nodes.js';

// Bad input on the client surface gets the node's error and leaves the FSM as it was.

const nodes = new TestNodes();
afterEach(() => nodes.close());

async function openChannel(extra: Record<string, string | number> = {}) {
  const node = await nodes.start();
  const opened = await openRawChannel(node, extra);
  nodes.track(opened.i, opened.r);
  return opened;
}

const round = (f: Frame) => {
  const tx = decodeTx(f.params!.data!.state as string).tx;
  return tx.tag === 'channel_offchain_tx' ? tx.round : 1n;
};

async function transfer(i: RawClient, from: string, to: string, amount: number) {
  i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from, to, amount } });
  return round(await i.next(method('channels.update')));
}

describe('bad input on the /channel endpoint', () => {
  it('answers malformed frames, unknown methods and bad params with the node’s errors, and goes on', async () => {
    const { i, a, b } = await openChannel();
    i.send('{"jsonrpc": "2.0", "method": ');
    expect((await i.next((f) => 'error' in f)).error).toMatchObject({ code: -32700, message: 'Parse error' });
    i.send({ jsonrpc: '2.0', id: 7, method: 'channels.no_such_thing', params: {} });
    expect(await i.next(reply(7))).toMatchObject({ error: { code: -32601, message: 'Method not found' } });
    i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: '1' } });
    expect((await i.next((f) => 'error' in f)).error).toMatchObject({ code: 3, data: [{ code: 1008, message: 'Not a number' }] });
    i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 10 ** 9 } });
    expect((await i.next((f) => 'error' in f)).error).toMatchObject({ code: 3, data: [{ code: 1001, message: 'Insufficient balance' }] });
    i.send({ jsonrpc: '2.0', method: 'channels.update', params: { error: 42 } });
    expect((await i.next((f) => 'error' in f)).error).toMatchObject({ code: 3, data: [{ code: 1018 }] });
    // The FSM is where it was: the next transfer is round 2.
    expect(await transfer(i, a.address, b.address, 5)).toBe(2n);
  });

  it('answers a sign reply with another tx or a stranger’s signature with nothing; the round ends in a conflict and the channel goes on', async () => {
    const { i, a, b } = await openChannel();
    const [, , c] = await devAccounts(3);
    let asked: string | undefined;
    i.onSign = async (_tag, tx) => {
      asked = tx;
      return undefined;
    };
    const update = async () => {
      i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 5 } });
      await i.next(method('channels.sign.update'));
      return asked!;
    };
    const tx = await update();
    const inner = decodeTx(tx).tx as { round: bigint };
    const other = encodeTx({ ...decodeTx(tx), tx: { ...decodeTx(tx).tx, round: inner.round + 1n } as never });
    i.send({ jsonrpc: '2.0', id: 1, method: 'channels.update', params: { signed_tx: await i.signed(other) } });
    expect(await i.next(reply(1))).toMatchObject({ result: 'ok' });
    expect((await i.next(method('channels.error'))).params!.data).toEqual({ message: 'wrong_round' });
    expect((await i.next(method('channels.conflict'))).params!.data).toMatchObject({ error_code: 1, round: 1 });
    i.send({ jsonrpc: '2.0', id: 2, method: 'channels.update', params: { signed_tx: await i.signed(await update(), c!.secretKey) } });
    expect(await i.next(reply(2))).toMatchObject({ result: 'ok' });
    expect((await i.next(method('channels.error'))).params!.data).toEqual({ message: 'bad_signature' });
    expect((await i.next(method('channels.conflict'))).params!.data).toMatchObject({ error_code: 1, round: 1 });
    i.onSign = undefined;
    expect(await transfer(i, a.address, b.address, 5)).toBe(2n);
  });

  it('a peer whose client vanishes mid-round: the round times out, the originator gets a conflict, round N stays', async () => {
    const { i, r, a, b } = await openChannel({ timeout_sign: 400 });
    r.onSign = async () => undefined; // the responder's client never answers …
    i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 5 } });
    await r.next(method('channels.sign.update_ack'));
    r.close(); // … and goes away
    const conflict = await i.next(method('channels.conflict'));
    expect(conflict.params!.data).toMatchObject({ error_code: 3, error_msg: 'timeout', round: 1 });
    i.send({ jsonrpc: '2.0', id: 9, method: 'channels.get.offchain_state', params: {} });
    const state = (await i.next(reply(9))).result as { signed_tx: string };
    expect(decodeTx(state.signed_tx).tx.tag).toBe('channel_create_tx');
  });
});
