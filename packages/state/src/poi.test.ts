import { type AccountAddress, type ContractAddress, encodeApi, encodeObject } from '@aesc/encoding';
import {
  AESC_ERROR__STATE__POI_BAD_PROOF,
  AESC_ERROR__STATE__POI_KEY_NOT_PRESENT,
  AESC_ERROR__STATE__POI_STATE_HASH_MISMATCH,
  aescErrorCodeOf,
} from '@aesc/errors';
import { describe, expect, it } from 'vitest';
import { mptFromEntries } from './mpt.js';
import { applyUpdates, encodedOffchainStateHash, initialState } from './offchain-state.js';
import {
  buildPoi,
  contractStoreId,
  decodePoi,
  encodePoi,
  poiBalance,
  poiBalances,
  poiHashes,
  poiLookup,
  poiStateHash,
  verifyPoi,
} from './poi.js';
import { stateHashOf, withTree } from './tree-set.js';

const I = 'ak_mLjWgLbapr5CiVD2Q248aS2TQj9itXnoPv5tteXvZaJ8tdD2C' as AccountAddress;
const R = 'ak_26jAbCjYM16ppbhFG6PCQhv6HkwRAri7QNJfoEtb1R8amLscpt' as AccountAddress;
const state = applyUpdates(
  initialState({ initiator: I, initiatorAmount: 70_000_000_000_000n, responder: R, responderAmount: 40_000_000_000_000n, pushAmount: 1n }),
  [{ tag: 'channel_offchain_update_transfer', version: 1, from: I, to: R, amount: 1n }],
);

const code = aescErrorCodeOf;

describe('proofs of inclusion', () => {
  it('proves the participants’ balances against the state hash', () => {
    const poi = buildPoi(state.trees, { accounts: [I, R] });
    expect(poi.accounts?.proof.length).toBe(3);
    expect(poi.calls).toBeNull();
    verifyPoi(poi, encodedOffchainStateHash(state));
    verifyPoi(poi, stateHashOf(state.trees));
    expect(poiBalances(poi, [I, R])).toEqual([69_999_999_999_998n, 40_000_000_000_002n]);
    expect(encodeApi('st', poiStateHash(poi))).toBe(encodedOffchainStateHash(state));
    expect(poiHashes(encodePoi(poi)).rootHashes.accounts).toEqual(state.trees.accounts.rootHash);
  });

  it('sorts the proof nodes by hash and round-trips through pi_', () => {
    const poi = buildPoi(state.trees, { accounts: [R, I] });
    const hashes = poi.accounts!.proof.map((n) => encodeApi('ba', n.hash));
    const sorted = poi.accounts!.proof.map((n) => Buffer.from(n.hash).toString('hex')).sort();
    expect(poi.accounts!.proof.map((n) => Buffer.from(n.hash).toString('hex'))).toEqual(sorted);
    expect(hashes).toHaveLength(3);
    expect(encodePoi(decodePoi(encodePoi(poi)))).toBe(encodePoi(poi));
    expect(encodePoi(poi)).toBe(encodePoi(buildPoi(state.trees, { accounts: [I, R] })));
  });

  it('proves one account only when asked for one', () => {
    const poi = buildPoi(state.trees, { accounts: [I] });
    expect(poiBalance(poi, I)).toBe(69_999_999_999_998n);
    expect(code(() => poiBalance(poi, R))).toBe(AESC_ERROR__STATE__POI_BAD_PROOF);
    expect(code(() => poiBalances(buildPoi(state.trees, {}), [I]))).toBe(AESC_ERROR__STATE__POI_BAD_PROOF);
  });

  it('refuses accounts that are not in the state', () => {
    const stranger = encodeApi('ak', new Uint8Array(32).fill(5));
    expect(code(() => buildPoi(state.trees, { accounts: [I, stranger] }))).toBe(AESC_ERROR__STATE__POI_KEY_NOT_PRESENT);
  });

  it('fails verification for another state or a changed node', () => {
    const poi = buildPoi(state.trees, { accounts: [I, R] });
    expect(code(() => verifyPoi(poi, new Uint8Array(32)))).toBe(AESC_ERROR__STATE__POI_STATE_HASH_MISMATCH);
    const node = poi.accounts!.proof[0]!;
    const changed = { ...poi, accounts: { ...poi.accounts!, proof: [{ ...node, node: [node.node[0]!, Uint8Array.of(1)] }, ...poi.accounts!.proof.slice(1)] } };
    expect(code(() => verifyPoi(changed, stateHashOf(state.trees)))).toBe(AESC_ERROR__STATE__POI_BAD_PROOF);
    const bytes = encodeObject(poi);
    for (let i = 0; i < bytes.length; i++) {
      const copy = bytes.slice();
      copy[i]! ^= 0x80;
      let rejected = false;
      try {
        verifyPoi(decodePoi(copy), stateHashOf(state.trees));
      } catch {
        rejected = true;
      }
      expect(rejected, `byte ${i}`).toBe(true);
    }
  });

  it('proves a contract with its whole store, and a non-empty tree it does not cover by its root hash', () => {
    const c = new Uint8Array(32).fill(0xc1);
    const d = new Uint8Array(32).fill(0xc2);
    const key = (contract: Uint8Array, k: number[]) => Uint8Array.from([...contractStoreId(contract), ...k]);
    const contracts = mptFromEntries([
      [c, new Uint8Array(60).fill(1)],
      [contractStoreId(c), Uint8Array.of(0)],
      [key(c, [0]), Uint8Array.of(7)],
      [key(c, [1, 2]), new Uint8Array(40).fill(8)],
      [d, new Uint8Array(60).fill(2)],
      [contractStoreId(d), Uint8Array.of(0)],
      [key(d, [0]), Uint8Array.of(9)],
    ]);
    const trees = withTree(withTree(state.trees, 'contracts', contracts), 'calls', mptFromEntries([[new Uint8Array(64).fill(3), Uint8Array.of(1)]]));
    const ct = encodeApi('ct', c) as ContractAddress;
    const poi = buildPoi(trees, { accounts: [I], contracts: [ct] });
    verifyPoi(poi, stateHashOf(trees));
    expect(poi.calls?.proof).toEqual([]);
    expect(poiLookup(poi, 'contracts', c)).toEqual(new Uint8Array(60).fill(1));
    expect(poiLookup(poi, 'contracts', key(c, [0]))).toEqual(Uint8Array.of(7));
    expect(poiLookup(poi, 'contracts', key(c, [1, 2]))).toEqual(new Uint8Array(40).fill(8));
    expect(code(() => buildPoi(trees, { contracts: [encodeApi('ct', new Uint8Array(32)) as ContractAddress] }))).toBe(
      AESC_ERROR__STATE__POI_KEY_NOT_PRESENT,
    );
  });
});
