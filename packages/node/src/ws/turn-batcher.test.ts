import { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { turnBatcher } from './turn-batcher.js';

/** A socket stand-in that records each system-call-sized write: one entry per `_write` / `_writev`. */
function recordingSocket() {
  const calls: string[][] = [];
  const socket = new Writable({
    write(chunk: Buffer, _enc, cb) {
      calls.push([chunk.toString()]);
      cb();
    },
    writev(chunks, cb) {
      calls.push(chunks.map((c) => (c.chunk as Buffer).toString()));
      cb();
    },
  });
  return { socket, calls };
}

describe('turnBatcher', () => {
  it('sends the writes of one turn in one writev, in order, at the end of the turn', async () => {
    const { socket, calls } = recordingSocket();
    const batch = turnBatcher(socket);
    batch(() => socket.write('a'));
    batch(() => socket.write('b'));
    batch(() => {
      // ws writes a frame's header and payload under its own cork: nested inside ours
      socket.cork();
      socket.write('c1');
      socket.write('c2');
      socket.uncork();
    });
    expect(calls).toEqual([]);
    await nextTurn();
    expect(calls).toEqual([['a', 'b', 'c1', 'c2']]);
  });

  it('writes of different turns go separately, and the socket is left uncorked', async () => {
    const { socket, calls } = recordingSocket();
    const batch = turnBatcher(socket);
    batch(() => socket.write('x'));
    await nextTurn();
    batch(() => socket.write('y'));
    await nextTurn();
    expect(calls).toEqual([['x'], ['y']]);
    expect(socket.writableCorked).toBe(0);
  });
});
