import { decodeTx } from '@aesc/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import { type MemoryRow, memoryStateCache } from '../../src/cache/state-cache.js';
import { type Frame, RawClient, info, method, openRawChannel, reply } from './raw-client.js';
import { TestNodes } from './test-nodes.js';

// Leave, reestablish from the state cache, the responder that keeps running, and a reconnect to a
// live FSM by its fsm id (sc_ws_leave_reestablish*, reconnect/* in the corpus).

const nodes = new TestNodes();
afterEach(() => nodes.close());

const fsmIdOf = (c: RawClient) => (c.frames.find(info('fsm_up'))!.params!.data!.fsm_id as string);
const roundOf = (f: Frame) => {
  const tx = decodeTx(f.params!.data!.state as string).tx;
  return tx.tag === 'channel_offchain_tx' ? tx.round : 1n;
};

function again(c: RawClient, role: 'initiator' | 'responder', channelId: string, port: string, fsmId = fsmIdOf(c), extra = ''): RawClient {
  const url = `${nodes.node.channelUrl}?protocol=json-rpc&role=${role}&host=127.0.0.1&port=${port}&existing_channel_id=${channelId}&existing_fsm_id=${encodeURIComponent(fsmId)}${extra}`;
  const next = new RawClient(url, c.secretKey, c.networkId);
  nodes.track(next);
  return next;
}

async function transfer(c: RawClient, from: string, to: string) {
  c.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from, to, amount: 1 } });
  return roundOf(await c.next(method('channels.update')));
}

describe('leave and reestablish', () => {
  it('both leave and die; both reestablish from the cache at the same round and go on', async () => {
    const rows = new Map<string, Map<'initiator' | 'responder', MemoryRow>>();
    const held = (channelId: string) => [...(rows.get(channelId)?.values() ?? [])].map((row) => Object.keys(row)[0]);
    const node = await nodes.start({ stateCache: memoryStateCache(rows) });
    const { i, r, a, b } = await openRawChannel(node, { keep_running: 'false' });
    nodes.track(i, r);
    expect(await transfer(i, a.address, b.address)).toBe(2n);
    const channelId = i.frames.find(method('channels.update'))!.params!.channel_id!;
    // While the FSMs run their records are held as they are; once they died, sealed.
    expect(held(channelId)).toEqual(['live', 'live']);
    const port = new URL(i.ws.url).searchParams.get('port')!;
    i.send({ jsonrpc: '2.0', method: 'channels.leave', params: {} });
    for (const c of [i, r]) {
      const left = await c.next(method('channels.leave'));
      expect(decodeTx(left.params!.data!.state as string).signatures).toHaveLength(2);
      await c.next(info('died'));
    }
    expect(held(channelId)).toEqual(['sealed', 'sealed']);
    // A wrong fsm id is refused with the node's 1016; a missing one with 2000.
    const wrong = again(i, 'initiator', channelId, port, fsmIdOf(r));
    expect((await wrong.next((f) => 'error' in f)).error).toMatchObject({ code: 3, data: [{ code: 1016, message: 'Invalid fsm id' }] });
    const r2 = again(r, 'responder', channelId, port);
    const i2 = again(i, 'initiator', channelId, port);
    for (const c of [i2, r2]) {
      await c.next(info('fsm_up'));
      await c.next(info('channel_reestablished'));
      await c.next(info('open'));
      expect(roundOf(await c.next(method('channels.update')))).toBe(2n);
    }
    expect(await transfer(r2, b.address, a.address)).toBe(3n);
    expect(roundOf(await i2.next(method('channels.update')))).toBe(3n);
  });

  it('a reestablished FSM reports a new fsm id, which opens the state from then on; the old one no longer does', async () => {
    const { i, r, a, b } = await nodes.openChannel({ keep_running: 'false' });
    const channelId = i.frames.find(method('channels.update'))!.params!.channel_id!;
    const port = new URL(i.ws.url).searchParams.get('port')!;
    const leave = async (c: RawClient, peer: RawClient) => {
      c.send({ jsonrpc: '2.0', method: 'channels.leave', params: {} });
      for (const x of [c, peer]) await x.next(info('died'));
    };
    await leave(i, r);
    const [r2, i2] = [again(r, 'responder', channelId, port, fsmIdOf(r), '&keep_running=false'), again(i, 'initiator', channelId, port)];
    for (const c of [i2, r2]) expect(roundOf(await c.next(method('channels.update')))).toBe(1n);
    // as the node's fsm_up after a reestablish: a new id (aesc_fsm prepare_initial_state)
    for (const [before, after] of [[i, i2], [r, r2]] as const) expect(fsmIdOf(after)).not.toBe(fsmIdOf(before));
    expect(await transfer(i2, a.address, b.address)).toBe(2n);
    await leave(i2, r2);
    for (const [role, old] of [['initiator', i], ['responder', r]] as const) {
      const refused = again(old, role, channelId, port);
      expect((await refused.next((f) => 'error' in f)).error).toMatchObject({ code: 3, data: [{ code: 1016 }] });
    }
    const [r3, i3] = [again(r2, 'responder', channelId, port), again(i2, 'initiator', channelId, port)];
    for (const c of [i3, r3]) expect(roundOf(await c.next(method('channels.update')))).toBe(2n);
  });

  it('a responder that keeps running sees the initiator go and come back', async () => {
    const { i, r, a, b } = await nodes.openChannel();
    const channelId = i.frames.find(method('channels.update'))!.params!.channel_id!;
    const port = new URL(i.ws.url).searchParams.get('port')!;
    i.send({ jsonrpc: '2.0', method: 'channels.leave', params: {} });
    await r.next(method('channels.leave'));
    await i.next(method('channels.leave'));
    await i.next(info('died'));
    await r.next(info('peer_disconnected'));
    const i2 = again(i, 'initiator', channelId, port);
    await i2.next(info('channel_reestablished'));
    await i2.next(info('open'));
    expect(roundOf(await i2.next(method('channels.update')))).toBe(1n);
    await r.next(info('channel_reestablished'));
    await r.next(info('open'));
    // The responder is told the state again, as the node has done since aeternity#3235 (Nov 2021):
    // the next frame after its open report, before any round.
    const next = await r.next(() => true);
    expect(next.method).toBe('channels.update');
    expect(roundOf(next)).toBe(1n);
    expect(await transfer(i2, a.address, b.address)).toBe(2n);
  });

  it('a client that reconnects to its live FSM gets fsm_up and carries on', async () => {
    const { i, a, b } = await nodes.openChannel();
    const channelId = i.frames.find(method('channels.update'))!.params!.channel_id!;
    const port = new URL(i.ws.url).searchParams.get('port')!;
    i.close();
    const i2 = again(i, 'initiator', channelId, port);
    expect((await i2.next(info('fsm_up'))).params!.data!.fsm_id).toBe(fsmIdOf(i));
    i2.send({ jsonrpc: '2.0', id: 1, method: 'channels.get.balances', params: { accounts: [a.address, b.address] } });
    expect(((await i2.next(reply(1))).result as unknown[]).length).toBe(2);
    expect(await transfer(i2, a.address, b.address)).toBe(2n);
  });
});
