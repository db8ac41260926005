import { encodeApi, rlpEncode, uintToBytes } from '@aesc/encoding';
import { AESC_ERROR__STATE__DUPLICATE_KEY, AESC_ERROR__STATE__MALFORMED_STATE_TREES, aescErrorCodeOf } from '@aesc/errors';
import { describe, expect, it } from 'vitest';
import { mptFromEntries, mptGet } from './mpt.js';
import { initialState } from './offchain-state.js';
import {
  encodeCallsTree,
  encodeStateTrees,
  parseCallsTree,
  parseStateTrees,
  serializeStateTrees,
  stateTreesHashes,
} from './state-trees-format.js';
import { emptyTreeSet, rootHashesOf, stateHashOf, withTree } from './tree-set.js';

const I = encodeApi('ak', new Uint8Array(32).fill(0x11));
const R = encodeApi('ak', new Uint8Array(32).fill(0xee));

const code = aescErrorCodeOf;

describe('ss_ and cs_ serialization', () => {
  it('round-trips state trees and keeps their hashes', () => {
    const s = initialState({ initiator: I, initiatorAmount: 5n, responder: R, responderAmount: 6n });
    const trees = withTree(s.trees, 'calls', mptFromEntries([[new Uint8Array(64).fill(2), Uint8Array.of(1, 2)]]));
    const ss = encodeStateTrees(trees);
    expect(ss.startsWith('ss_')).toBe(true);
    const back = parseStateTrees(ss);
    expect(rootHashesOf(back)).toEqual(rootHashesOf(trees));
    expect(encodeStateTrees(back)).toBe(ss);
    expect(stateTreesHashes(ss).stateHash).toEqual(stateHashOf(trees));
    expect(encodeCallsTree(parseCallsTree(encodeCallsTree(trees.calls)))).toBe(encodeCallsTree(trees.calls));
  });

  it('lists the entries in descending key order, as aeu_mtrees:serialize/1 does', () => {
    const trees = withTree(emptyTreeSet(), 'ns', mptFromEntries([
      [Uint8Array.of(1), Uint8Array.of(10)],
      [Uint8Array.of(2), Uint8Array.of(20)],
    ]));
    const int = (n: number) => uintToBytes(BigInt(n));
    const mtree = (values: Uint8Array[]) => rlpEncode([int(63), int(1), values]);
    const value = (k: number, v: number) => rlpEncode([int(64), int(1), Uint8Array.of(k), Uint8Array.of(v)]);
    const wrap = (tag: number, values: Uint8Array[]) => rlpEncode([int(tag), int(1), mtree(values)]);
    const expected = rlpEncode([
      int(62),
      int(0),
      wrap(621, []),
      wrap(622, []),
      wrap(623, []),
      wrap(624, [value(2, 20), value(1, 10)]),
      wrap(625, []),
      wrap(626, []),
    ]);
    expect(serializeStateTrees(trees)).toEqual(expected);
    expect(mptGet(parseStateTrees(expected).ns, Uint8Array.of(2))).toEqual(Uint8Array.of(20));
  });

  it('rejects malformed objects and duplicate keys with coded errors', () => {
    const int = (n: number) => uintToBytes(BigInt(n));
    const v = rlpEncode([int(64), int(1), Uint8Array.of(1), Uint8Array.of(1)]);
    const dup = rlpEncode([int(626), int(1), rlpEncode([int(63), int(1), [v, v]])]);
    const empty = (tag: number) => rlpEncode([int(tag), int(1), rlpEncode([int(63), int(1), []])]);
    const trees = (accounts: Uint8Array) =>
      rlpEncode([int(62), int(0), empty(621), empty(622), empty(623), empty(624), empty(625), accounts]);
    expect(parseStateTrees(trees(empty(626))).accounts.rootHash).toBeUndefined();
    expect(code(() => parseStateTrees(trees(dup)))).toBe(AESC_ERROR__STATE__DUPLICATE_KEY);
    expect(code(() => parseStateTrees(trees(empty(621))))).toBe(AESC_ERROR__STATE__MALFORMED_STATE_TREES);
    expect(code(() => parseStateTrees(Uint8Array.of(0xc0)))).toBe(AESC_ERROR__STATE__MALFORMED_STATE_TREES);
    expect(code(() => parseStateTrees(Uint8Array.of(0xc5)))).toBe(AESC_ERROR__STATE__MALFORMED_STATE_TREES);
  });
});
