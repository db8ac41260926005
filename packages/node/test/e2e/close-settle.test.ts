import { type Ed25519, defaultEd25519 } from '@aesc/crypto';
import { describe, expect, it, vi } from 'vitest';
import { type StateCache, memoryStateCache } from '../../src/cache/state-cache.js';
import { startNode } from '../dev-node.js';
import { openRawChannel } from './raw-client.js';

// A node stopped while a round waits for a signature check (one that runs on another thread, or
// on a slow implementation) lets that round finish before it closes the state cache: the
// co-signed state the check completes is written, not lost to a closed cache.

describe('stopping the node in the middle of a round', () => {
  it('closes the state cache only once the round whose signature check was out has written its state', async () => {
    const log: string[] = [];
    const inner = memoryStateCache();
    const cache: StateCache = {
      ...inner,
      put: (record) => {
        log.push(`put ${record.role}@${record.round}`);
        return inner.put(record);
      },
      close: async () => {
        log.push('cache closed');
        await inner.close();
      },
    };
    // Checks go through, except from the check numbered `holdFrom` on, which wait for the test.
    const ed = defaultEd25519();
    let checks = 0;
    let holdFrom = Number.POSITIVE_INFINITY;
    const held: (() => void)[] = [];
    const holding: Ed25519 = {
      name: ed.name,
      getPublicKey: ed.getPublicKey,
      sign: ed.sign,
      verify: ed.verify,
      signerFor: ed.signerFor,
      verifierFor: (pk) => {
        const verify = ed.verifierFor(pk);
        return async (signature, message) => {
          if (++checks >= holdFrom) await new Promise<void>((go) => held.push(go));
          return verify(signature, message);
        };
      },
    };
    const node = await startNode({ port: 0, stateCache: cache, ed25519: holding });
    const { i, r, a, b } = await openRawChannel(node);
    try {
      // A transfer's checks: the initiator's sign reply, then the responder's, which completes
      // the co-signed state. The second is held.
      holdFrom = checks + 2;
      log.length = 0;
      i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 1 } });
      await vi.waitFor(() => expect(held).toHaveLength(1));
      const closed = node.close().then(() => log.push('node closed'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(log).toEqual([]); // the node waits for the round in hand
      for (const go of held.splice(0)) go();
      await closed;
      expect(log).toEqual(['put responder@2', 'cache closed', 'node closed']);
    } finally {
      i.close();
      r.close();
    }
  });
});
