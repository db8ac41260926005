import { afterEach, describe, expect, it } from 'vitest';
import { method, reply } from './raw-client.js';
import { TestNodes } from './test-nodes.js';

// channels.history.fetch, checked as the node's own suite checks it (aehttp_sc_SUITE
// sc_ws_get_history): the FSM's event log, its n newest entries, filtered by kind and tag.

const nodes = new TestNodes();
afterEach(() => nodes.close());

type Entry = { type: string; tag: string; time: string; info: Record<string, unknown> };

describe('channels.history.fetch', () => {
  it('answers with the FSM’s recent reports, requests and peer messages, newest first', async () => {
    const { i, a, b } = await nodes.openChannel();
    i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 1 } });
    await i.next(method('channels.update'));
    let id = 100;
    const fetch = async (params: Record<string, unknown>) => {
      const n = id++;
      i.send({ jsonrpc: '2.0', id: n, method: 'channels.history.fetch', params });
      return (await i.next(reply(n))).result as Entry[];
    };
    const all = await fetch({});
    expect(all.length).toBeGreaterThanOrEqual(4);
    expect(all.length).toBeLessThanOrEqual(10); // n defaults to 10
    expect((await fetch({ n: 1000 })).length).toBeGreaterThanOrEqual(all.length);
    expect(await fetch({ n: 3 })).toHaveLength(3);
    const [update] = await fetch({ n: 1, type: ['rpt'], tag: ['update'] });
    expect(update).toMatchObject({ type: 'report', tag: 'update', info: { state: expect.stringMatching(/^tx_/) } });
    expect(update!.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    // The transfer: the initiator's FSM sent the update and received the peer's update_ack.
    expect(await fetch({ n: 1, type: ['rcv'] })).toMatchObject([{ type: 'receive', tag: 'update_ack', info: { channel_id: expect.stringMatching(/^ch_/), tx: expect.stringMatching(/^tx_/) } }]);
    expect(await fetch({ n: 1, type: ['snd'] })).toMatchObject([{ type: 'send', tag: 'update', info: { channel_id: expect.stringMatching(/^ch_/) } }]);
    expect(await fetch({ n: 1, type: ['req'] })).toMatchObject([{ type: 'request', tag: 'sign', info: { tag: 'update', signed_tx: expect.stringMatching(/^tx_/) } }]);
    // Newest first: the update report came after the sign request.
    const kinds = (await fetch({ n: 100 })).map((e) => `${e.type}:${e.tag}`);
    expect(kinds.indexOf('report:update')).toBeLessThan(kinds.indexOf('request:sign'));
  });
});
