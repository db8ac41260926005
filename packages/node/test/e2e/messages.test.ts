import { type AccountAddress, encodeApi } from '@aesc/encoding';
import { describe, expect, it, vi } from 'vitest';
import type { PeerMessage } from '../../src/peer/peer-message.js';
import { type Frame, type RawClient, method, reply } from './raw-client.js';
import { tappedTestNodes } from './test-nodes.js';
import type { WireTap } from './wire-tap.js';

// Generic messages (`channels.message`, the peer's inband_msg), as aesc_fsm sends and checks them:
// to the peer only, unless the channel was opened with msg_forwarding (a node relaying messages
// between channels, since aeternity#3872); and on receipt, reported only when addressed as the
// peer may address them (`check_inband_msg`), anything else dropped.

/** Every peer message the FSMs of the node send each other, and a way to change them on the wire. */
const wire = vi.hoisted((): WireTap => ({ sent: [], tamper: undefined }));
vi.mock('../../src/peer/in-process-link.js', async (importOriginal) =>
  (await import('./wire-tap.js')).tappedLinks(await importOriginal<typeof import('../../src/peer/in-process-link.js')>(), wire),
);
const nodes = tappedTestNodes(wire);

const third = encodeApi('ak', new Uint8Array(32).fill(3)) as AccountAddress;
const messages = (c: RawClient) => c.frames.filter(method('channels.message')).map((f: Frame) => f.params!.data!.message as Record<string, unknown>);
let nextId = 1;
/** Sends a message from `c` (the node answers a message it sends with nothing). */
const send = (c: RawClient, params: Record<string, unknown>) => c.send({ jsonrpc: '2.0', method: 'channels.message', params });
/** Sends a message from `c` with an id and returns the node's error answer. */
async function refused(c: RawClient, params: Record<string, unknown>): Promise<unknown> {
  const id = nextId++;
  c.send({ jsonrpc: '2.0', id, method: 'channels.message', params });
  return (await c.next(reply(id))).error;
}

describe('generic messages', () => {
  it('go to the peer only; a message from or to anyone else is refused', async () => {
    const { i, r, a, b } = await nodes.openChannel();
    send(i, { to: b.address, info: 'hello' });
    await r.next(method('channels.message'));
    expect(messages(r)).toEqual([{ channel_id: expect.stringMatching(/^ch_/), from: a.address, to: b.address, info: 'hello' }]);
    // The node's `unknown_recipient`: "Internal error".
    expect(await refused(i, { to: third, info: 'elsewhere' })).toMatchObject({ code: -32603 });
    expect(await refused(i, { from: third, to: b.address, info: 'as someone else' })).toMatchObject({ code: -32603 });
    expect(messages(r)).toHaveLength(1);
  });

  it('with msg_forwarding, go out from or to others, and are reported when to us or from the peer', async () => {
    const { i, r, a, b } = await nodes.openChannel({ msg_forwarding: 'true' });
    send(i, { from: third, to: b.address, info: 'forwarded to you' });
    send(i, { to: third, info: 'please pass on' });
    await vi.waitFor(() => expect(messages(r)).toHaveLength(2));
    expect(messages(r).map((m) => [m.from, m.to, m.info])).toEqual([
      [third, b.address, 'forwarded to you'],
      [a.address, third, 'please pass on'],
    ]);
  });

  it('that the peer addresses otherwise are dropped, not reported', async () => {
    const { i, r, a, b } = await nodes.openChannel();
    // The initiator's FSM sends what its client asked; on the wire it becomes a message from a
    // third account (without msg_forwarding the responder's FSM must drop it), then to a third.
    const rewrite = [(m: PeerMessage) => ({ ...m, from: new Uint8Array(32).fill(3) }), (m: PeerMessage) => ({ ...m, to: new Uint8Array(32).fill(3) })];
    for (const change of rewrite) {
      wire.tamper = (m) => (m.type === 'inband_msg' ? (change(m) as PeerMessage) : m);
      send(i, { to: b.address, info: 'tampered' });
      await new Promise((done) => setTimeout(done, 50));
    }
    wire.tamper = undefined;
    send(i, { to: b.address, info: 'plain' });
    await r.next(method('channels.message'));
    expect(messages(r).map((m) => [m.from, m.info])).toEqual([[a.address, 'plain']]);
  });
});
