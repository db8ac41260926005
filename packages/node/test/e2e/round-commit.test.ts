import { afterEach, describe, expect, it } from 'vitest';
import { groupCommit } from '../../src/cache/group-commit.js';
import { type StateCache, memoryStateCache } from '../../src/cache/state-cache.js';
import type { CachedChannel } from '../../src/fsm/cached-channel.js';
import { method, openRawChannel } from './raw-client.js';
import { TestNodes } from './test-nodes.js';

// When one node hosts both FSMs of a channel, the two writes of a co-signed round go to the state
// cache in one commit (one fsync with SQLite); each client hears of the round only once it is in.
// Before that, each FSM keeps the round in flight (issue 24): the originator before the peer sees
// it, the acker before its client is asked to co-sign it.

const nodes = new TestNodes();
afterEach(() => nodes.close());

/** A state cache that commits as the SQLite one does (the writes of one turn together, durable) and logs each commit and client frame. */
function loggingCache(log: string[]): StateCache {
  const inner = memoryStateCache();
  const commit = groupCommit<CachedChannel>((batch) => {
    for (const r of batch) void inner.put(r);
    log.push(`commit ${batch.map((r) => `${r.role}@${r.round}${r.pending === undefined ? '' : '+pending'}`).join(' ')}`);
  });
  return { ...inner, durable: true, put: (record) => commit(record) };
}

describe('the writes of a round', () => {
  it('keep the round in flight on both sides first, then share one commit when both FSMs are on this node, and no client hears of the round before it', async () => {
    const log: string[] = [];
    const node = await nodes.start({ stateCache: loggingCache(log) });
    const { i, r, a, b } = await openRawChannel(node);
    nodes.track(i, r);
    for (const [c, name] of [[i, 'initiator'], [r, 'responder']] as const) {
      c.ws.on('message', (data) => {
        const f = JSON.parse(String(data)) as { method?: string };
        if (f.method === 'channels.update') log.push(`${name} hears`);
      });
    }
    for (const [from, to, round] of [[i, b.address, 2], [r, a.address, 3], [i, b.address, 4]] as const) {
      log.length = 0;
      from.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: from === i ? a.address : b.address, to, amount: 1 } });
      await Promise.all([i.next(method('channels.update')), r.next(method('channels.update'))]);
      // the round in flight (originator, then acker), then the acker writes the co-signed state,
      // the originator on its ack: one commit, then both clients hear
      const acker = from === i ? 'responder' : 'initiator';
      const originator = from === i ? 'initiator' : 'responder';
      expect(log.slice(0, 3)).toEqual([
        `commit ${originator}@${round - 1}+pending`,
        `commit ${acker}@${round - 1}+pending`,
        `commit ${acker}@${round} ${originator}@${round}`,
      ]);
      expect(log.slice(3).sort()).toEqual(['initiator hears', 'responder hears']);
    }
  });
});
