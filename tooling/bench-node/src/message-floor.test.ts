import { describe, expect, it } from 'vitest';
import { type TraceFrame, messageFloor } from './message-floor.js';

// The frames of a transfer as the bench records them: the initiator's client asks, the node asks it
// to sign, it signs, the node tells the responder twice in one turn, and so on.
const TRANSFER: TraceFrame[] = [
  { client: 'i', fromNode: false, text: 'update.new' },
  { client: 'i', fromNode: true, text: 'sign.update' },
  { client: 'i', fromNode: false, text: 'update' },
  { client: 'r', fromNode: true, text: 'info' },
  { client: 'r', fromNode: true, text: 'sign.update_ack' },
  { client: 'r', fromNode: false, text: 'update_ack' },
  { client: 'i', fromNode: true, text: 'channels.update i' },
  { client: 'r', fromNode: true, text: 'channels.update r' },
];

describe('messageFloor', () => {
  it('passes every frame of the recorded round, in order, to the side it went to, round after round', async () => {
    const seen: string[] = [];
    const floor = await messageFloor(TRANSFER, (at, text) => seen.push(`${at}:${text}`));
    try {
      for (let k = 0; k < 3; k++) await floor.round();
    } finally {
      await floor.close();
    }
    // Order holds per socket (across two sockets, frames written in one turn may arrive either way).
    const at = (place: string, list: readonly string[]) => list.filter((x) => x.startsWith(`${place}:`));
    const once = TRANSFER.map((f) => `${f.fromNode ? f.client : 'node'}:${f.text}`);
    for (const place of ['node', 'i', 'r']) expect(at(place, seen)).toEqual(at(place, [...once, ...once, ...once]));
    expect(seen).toHaveLength(3 * TRANSFER.length);
  });

  it('refuses a round that does not start with a client frame', async () => {
    await expect(messageFloor(TRANSFER.slice(1))).rejects.toThrow(/starts with a client frame/);
    await expect(messageFloor([])).rejects.toThrow(/starts with a client frame/);
  });
});
