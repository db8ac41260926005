import { type ChannelId, type StateHash, encodeApi, encodeTx } from '@aesc/encoding';
import { emptyTreeSet, encodedStateHashOf, encodeStateTrees } from '@aesc/state';
import { describe, expect, it } from 'vitest';
import { stateMemo } from '../fsm/state-memo.js';
import { copyState } from './state-copy.js';
import { newFsmState, restoredFsmState, step } from './step.js';
import { I, R, configOf } from '../../test/machine/fsm-config.js';
import type { FsmState } from './types.js';

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
