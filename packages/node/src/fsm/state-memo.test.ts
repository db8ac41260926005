import { type AccountAddress, encodeApi } from '@aesc/encoding';
import { aescErrorCodeOf } from '@aesc/errors';
import { type OffchainUpdate, applyUpdates, balanceOf, encodeStateTrees, encodedStateHashOf, initialState, parseStateTrees } from '@aesc/state';
import { describe, expect, it } from 'vitest';
import { stateMemo } from './state-memo.js';

const account = (n: number) => encodeApi('ak', new Uint8Array(32).fill(n)) as AccountAddress;
const [alice, bob] = [account(1), account(2)];
const transfer = (amount: bigint): OffchainUpdate => ({ tag: 'channel_offchain_update_transfer', version: 1, from: alice, to: bob, amount });

/** The same opening state, built twice: equal content, different objects (as two FSMs hold it). */
function twoCopies() {
  const a = initialState({ initiator: alice, initiatorAmount: 100n, responder: bob, responderAmount: 50n });
  const b = { round: a.round, trees: parseStateTrees(encodeStateTrees(a.trees)) };
  expect(b.trees).not.toBe(a.trees);
  return [a, b] as const;
}

describe('stateMemo', () => {
  it('gives the second FSM the first one’s next state for equal state and updates', () => {
    const memo = stateMemo();
    const [a, b] = twoCopies();
    const fromA = memo.next(a, [transfer(10n)], { channelReserve: 1n });
    const fromB = memo.next(b, [transfer(10n)], { channelReserve: 1n });
    expect(fromB).toBe(fromA);
    expect(Object.isFrozen(fromA)).toBe(true);
    // handed out once, then forgotten: a third asking computes it again, to an equal state
    const third = memo.next(a, [transfer(10n)], { channelReserve: 1n });
    expect(third).not.toBe(fromA);
    expect(memo.stateHash(third.trees)).toBe(memo.stateHash(fromA.trees));
    // and it is what applying the updates gives
    const direct = applyUpdates(b, [transfer(10n)], { channelReserve: 1n });
    expect(fromA.round).toBe(direct.round);
    expect(memo.stateHash(fromA.trees)).toBe(encodedStateHashOf(direct.trees));
    expect(balanceOf(fromA.trees, bob)).toBe(60n);
  });

  it('computes anew when anything differs: the updates, the reserve, the round, the state', () => {
    const memo = stateMemo();
    const [a] = twoCopies();
    const base = memo.next(a, [transfer(10n)], { channelReserve: 1n });
    expect(memo.next(a, [transfer(11n)], { channelReserve: 1n })).not.toBe(base);
    expect(memo.next(a, [transfer(10n)], { channelReserve: 2n })).not.toBe(base);
    expect(memo.next({ ...a, round: a.round + 1n }, [transfer(10n)], { channelReserve: 1n })).not.toBe(base);
    const other = memo.next(base, [transfer(10n)], { channelReserve: 1n });
    expect(other).not.toBe(base);
    expect(balanceOf(other.trees, bob)).toBe(70n);
    expect(memo.next(a, [transfer(10n), transfer(1n)], { channelReserve: 1n })).not.toBe(base);
  });

  it('remembers no failure: each call with an update that breaks the reserve gets the error', () => {
    const memo = stateMemo();
    const [a, b] = twoCopies();
    const direct = aescErrorCodeOf(() => applyUpdates(a, [transfer(100n)], { channelReserve: 1n }));
    expect(direct).toBeDefined();
    for (const s of [a, b, a]) expect(aescErrorCodeOf(() => memo.next(s, [transfer(100n)], { channelReserve: 1n }))).toBe(direct);
  });

  it('forgets the oldest result past its size', () => {
    const memo = stateMemo(2);
    const [a, b] = twoCopies();
    const first = memo.next(a, [transfer(1n)], {});
    memo.next(a, [transfer(2n)], {});
    memo.next(a, [transfer(3n)], {});
    const again = memo.next(b, [transfer(1n)], {});
    expect(again).not.toBe(first);
    expect(memo.stateHash(again.trees)).toBe(memo.stateHash(first.trees));
  });

  it('hashes and encodes trees as @aesc/state does', () => {
    const memo = stateMemo();
    const [a] = twoCopies();
    expect(memo.stateHash(a.trees)).toBe(encodedStateHashOf(a.trees));
    expect(memo.encodedTrees(a.trees)).toBe(encodeStateTrees(a.trees));
    expect(memo.encodedTrees(a.trees)).toBe(memo.encodedTrees(a.trees));
  });
});
