import { parseConnectUrl } from '@aesc/channel-api';
import { type ChannelId, type StateHash, encodeApi, encodeTx } from '@aesc/encoding';
import { emptyTreeSet, encodedStateHashOf, encodeStateTrees } from '@aesc/state';
import { describe, expect, it } from 'vitest';
import { fsmOptionsOf } from '../fsm/fsm-options.js';
import { stateMemo } from '../fsm/state-memo.js';
import { copyState } from './state-copy.js';
import { newFsmState, restoredFsmState, step } from './step.js';
import type { FsmConfig, FsmState } from './types.js';

const I = 'ak_2a1j2Mk9YSmC1gioUq4PWRm3bsv887MbuRVwyv4KaUGoR1eiKi';
const R = 'ak_tHggZ5wKxbrxY2Yt1EAviybdDcKk9Mq4DZQiwKCDWkEaXE8U';

function configOf(role: 'initiator' | 'responder'): FsmConfig {
  const parsed = parseConnectUrl(
    `ws://localhost:3014/channel?protocol=json-rpc&role=${role}&host=localhost&port=3333&initiator_id=${I}&responder_id=${R}` +
      '&lock_period=10&push_amount=0&initiator_amount=100000000000000&responder_amount=100000000000000&channel_reserve=1',
  );
  if (!parsed.ok) throw parsed.error;
  const options = fsmOptionsOf(parsed.value);
  return {
    role,
    fsmId: 'ba_fsm',
    options,
    genesisHash: new Uint8Array(32).fill(7),
    minMinerGasPrice: 1_000_000_000n,
    createTxVersion: 2,
    hasBlocks: false,
    idleArm: { type: 'arm', name: 'idle', ms: options.timeouts.idle },
    durableCache: false,
  };
}

describe('copyState', () => {
  it('carries every field of the state to its own place: a state whose fields each hold a value of their own is copied field for field', () => {
    const fresh = newFsmState(configOf('initiator'));
    // one distinct object per field: a field dropped, or read from another field, shows
    const marked = Object.fromEntries(Object.keys(fresh).map((k) => [k, { field: k }])) as unknown as FsmState;
    const copy = copyState(marked);
    expect(copy).not.toBe(marked);
    expect(Object.keys(copy)).toEqual(Object.keys(marked));
    for (const k of Object.keys(marked) as (keyof FsmState)[]) expect(copy[k], k).toBe(marked[k]);
  });

  it('makes a shallow copy: writing it leaves the state it copied as it was, and big values are shared, not copied', () => {
    const s = newFsmState(configOf('responder'));
    const before = { ...s };
    const copy = copyState(s);
    copy.phase = 'terminated';
    copy.peer = 7;
    copy.cont = { k: 'done' };
    expect(s).toEqual(before);
    expect(copy.watches).toBe(s.watches);
    expect(copy.log).toBe(s.log);
    expect(copy.config).toBe(s.config);
  });

  it('lists the fields in the order the machine makes every state (new, restored, stepped): one shape for all', () => {
    const order = Object.keys(copyState(newFsmState(configOf('initiator'))));
    const fresh = newFsmState(configOf('initiator'));
    expect(Object.keys(fresh)).toEqual(order);
    const stepped = step(fresh, { type: 'start', at: 1 }, { states: stateMemo() }).state;
    expect(stepped).not.toBe(fresh);
    expect(Object.keys(stepped)).toEqual(order);
    const channelId = encodeApi('ch', new Uint8Array(32).fill(3)) as ChannelId;
    const trees = emptyTreeSet();
    const stateHash: StateHash = encodedStateHashOf(trees);
    const restored = restoredFsmState(configOf('responder'), {
      channelId,
      role: 'responder',
      fsmId: 'ba_fsm',
      initiatorId: I,
      responderId: R,
      port: 3333,
      host: 'localhost',
      lockPeriod: '10',
      channelReserve: '1',
      minimumDepth: 0,
      minimumDepthStrategy: 'plain',
      round: '1',
      signedTx: encodeTx({ tag: 'signed_tx', version: 1, signatures: [], tx: { tag: 'channel_offchain_tx', version: 2, channelId, round: 1n, stateHash } }),
      trees: encodeStateTrees(trees),
    });
    expect(restored.phase).toBe('awaiting_reestablish');
    expect(restored.offchain?.round).toBe(1n);
    expect(Object.keys(restored)).toEqual(order);
  });
});
