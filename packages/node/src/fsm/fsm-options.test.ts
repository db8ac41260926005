import { parseConnectUrl } from '@aesc/channel-api';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BLOCK_HASH_DELTA } from './block-hash-delta.js';
import { MAX_LOG_KEEP, fsmOptionsOf } from './fsm-options.js';

const BASE =
  'ws://localhost:3014/channel?protocol=json-rpc&role=initiator&host=localhost&port=3333&initiator_id=ak_2a1j2Mk9YSmC1gioUq4PWRm3bsv887MbuRVwyv4KaUGoR1eiKi' +
  '&responder_id=ak_2a1j2Mk9YSmC1gioUq4PWRm3bsv887MbuRVwyv4KaUGoR1eiKi&lock_period=10&push_amount=0&initiator_amount=10&responder_amount=10&channel_reserve=1';

/** The options the node makes of a connect URL (as ChannelNode.connect does). */
function deltaOf(query: string) {
  const parsed = parseConnectUrl(`${BASE}${query}`);
  if (!parsed.ok) throw parsed.error;
  return fsmOptionsOf(parsed.value).blockHashDelta;
}

describe('bh_delta_* connect params, read as the node reads them', () => {
  it('take effect only all three together, and consistent', () => {
    expect(deltaOf('')).toEqual(DEFAULT_BLOCK_HASH_DELTA);
    expect(deltaOf('&bh_delta_not_newer_than=1&bh_delta_not_older_than=20&bh_delta_pick=3')).toEqual({ notNewerThan: 1, notOlderThan: 20, pick: 3 });
    // one or two of them alone: the node's defaults for all three (its map lacks a key)
    expect(deltaOf('&bh_delta_pick=5')).toEqual(DEFAULT_BLOCK_HASH_DELTA);
    expect(deltaOf('&bh_delta_not_newer_than=2&bh_delta_pick=5')).toEqual(DEFAULT_BLOCK_HASH_DELTA);
    expect(deltaOf('&bh_delta_not_older_than=30&bh_delta_pick=5')).toEqual(DEFAULT_BLOCK_HASH_DELTA);
    // all three, inconsistent (not_older_than < not_newer_than + pick): the defaults too
    expect(deltaOf('&bh_delta_not_newer_than=5&bh_delta_not_older_than=6&bh_delta_pick=2')).toEqual(DEFAULT_BLOCK_HASH_DELTA);
  });
});

describe('log_keep', () => {
  it('is read as the node reads it (a negative one is the default), and is at most MAX_LOG_KEEP', () => {
    const keepOf = (query: string) => {
      const parsed = parseConnectUrl(`${BASE}${query}`);
      if (!parsed.ok) throw parsed.error;
      return fsmOptionsOf(parsed.value).logKeep;
    };
    expect([keepOf(''), keepOf('&log_keep=0'), keepOf('&log_keep=-5'), keepOf('&log_keep=50')]).toEqual([10, 0, 10, 50]);
    expect(keepOf(`&log_keep=${Number.MAX_SAFE_INTEGER}`)).toBe(MAX_LOG_KEEP);
  });
});
