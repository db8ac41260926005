import { type AccountAddress, encodeApi } from '@aesc/encoding';
import { isAescError } from '@aesc/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newAccountValue } from './account.js';
import { emptyMpt, mptPut } from './mpt.js';
import { type OffchainState, applyUpdates, balanceOf, encodedOffchainStateHash, initialState } from './offchain-state.js';
import type { OffchainUpdate } from './offchain-update.js';
import { emptyTreeSet, encodedStateHashOf, withTree } from './tree-set.js';

const I = encodeApi('ak', new Uint8Array(32).fill(0x11)) as AccountAddress;
const R = encodeApi('ak', new Uint8Array(32).fill(0xee)) as AccountAddress;
const RESERVE = 2n;

const amount = fc.bigInt({ min: 0n, max: 1_000n });
/** Any update, valid or not for the state it meets. */
const update: fc.Arbitrary<OffchainUpdate> = fc.oneof(
  fc.tuple(fc.boolean(), amount).map(([dir, a]) => ({
    tag: 'channel_offchain_update_transfer' as const,
    version: 1 as const,
    from: dir ? I : R,
    to: dir ? R : I,
    amount: a,
  })),
  fc.tuple(fc.boolean(), amount).map(([who, a]) => ({ tag: 'channel_offchain_update_deposit' as const, version: 1 as const, from: who ? I : R, amount: a })),
  fc.tuple(fc.boolean(), amount).map(([who, a]) => ({ tag: 'channel_offchain_update_withdraw' as const, version: 1 as const, to: who ? I : R, amount: a })),
  fc.uint8Array({ maxLength: 8 }).map((data) => ({ tag: 'channel_offchain_update_meta' as const, version: 2 as const, data })),
  amount.map((a) => ({ tag: 'channel_offchain_update_transfer' as const, version: 1 as const, from: I, to: R, amount: -a - 1n })),
);
const rounds = fc.array(fc.array(update, { minLength: 1, maxLength: 3 }), { maxLength: 25 });
const start = fc.tuple(fc.bigInt({ min: 0n, max: 3_000n }), fc.bigInt({ min: 0n, max: 3_000n }));

function total(s: OffchainState): bigint {
  return (balanceOf(s.trees, I) ?? 0n) + (balanceOf(s.trees, R) ?? 0n);
}

function net(u: OffchainUpdate): bigint {
  if (u.tag === 'channel_offchain_update_deposit') return u.amount;
  if (u.tag === 'channel_offchain_update_withdraw') return -u.amount;
  return 0n;
}

describe('off-chain state properties', () => {
  it('keeps the sum of balances (up to deposits and withdrawals) and refuses invalid rounds, leaving the state as it was', () => {
    fc.assert(
      fc.property(start, rounds, ([ia, ra], rs) => {
        let s = initialState({ initiator: I, initiatorAmount: ia, responder: R, responderAmount: ra });
        let expectedTotal = ia + ra;
        for (const updates of rs) {
          const before = encodedOffchainStateHash(s);
          let next: OffchainState | undefined;
          try {
            next = applyUpdates(s, updates, { channelReserve: RESERVE });
          } catch (e) {
            expect(isAescError(e)).toBe(true);
            expect((e as { code: number }).code).toBeGreaterThanOrEqual(3000);
            expect((e as { code: number }).code).toBeLessThan(4000);
          }
          expect(encodedOffchainStateHash(s)).toBe(before);
          if (next === undefined) continue;
          expectedTotal += updates.reduce((n, u) => n + net(u), 0n);
          expect(total(next)).toBe(expectedTotal);
          expect(balanceOf(next.trees, I)! >= 0n && balanceOf(next.trees, R)! >= 0n).toBe(true);
          expect(next.round).toBe(s.round + 1n);
          s = next;
        }
        if (rs.every((u) => u.every((x) => x.tag === 'channel_offchain_update_transfer' || x.tag === 'channel_offchain_update_meta'))) {
          expect(total(s)).toBe(ia + ra);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the sum of balances constant under any valid sequence of transfers and meta updates', () => {
    const valid = fc.array(
      fc.oneof(
        fc.tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 2n ** 64n })).map(([dir, a]) => ({ dir, a })),
        fc.constant(undefined),
      ),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(start, valid, ([ia, ra], steps) => {
        let s = initialState({ initiator: I, initiatorAmount: ia + RESERVE, responder: R, responderAmount: ra + RESERVE });
        const sum = total(s);
        for (const step of steps) {
          let u: OffchainUpdate;
          if (step === undefined) u = { tag: 'channel_offchain_update_meta', version: 2, data: Uint8Array.of(1) };
          else {
            const from = step.dir ? I : R;
            // Keep the transfer valid: never more than the payer holds above the reserve.
            const amount = step.a % (balanceOf(s.trees, from)! - RESERVE + 1n);
            u = { tag: 'channel_offchain_update_transfer', version: 1, from, to: step.dir ? R : I, amount };
          }
          s = applyUpdates(s, [u], { channelReserve: RESERVE });
          expect(total(s)).toBe(sum);
          expect(balanceOf(s.trees, I)! >= RESERVE && balanceOf(s.trees, R)! >= RESERVE).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('has a state hash that depends on the balances only, not on the history or the insertion order', () => {
    fc.assert(
      fc.property(start, rounds, fc.boolean(), ([ia, ra], rs, responderFirst) => {
        let s = initialState({ initiator: I, initiatorAmount: ia, responder: R, responderAmount: ra });
        for (const updates of rs) {
          try {
            s = applyUpdates(s, updates, { channelReserve: RESERVE });
          } catch {
            // refused rounds change nothing
          }
        }
        const accounts: [AccountAddress, bigint][] = [
          [I, balanceOf(s.trees, I)!],
          [R, balanceOf(s.trees, R)!],
        ];
        if (responderFirst) accounts.reverse();
        let tree = emptyMpt();
        for (const [who, balance] of accounts) tree = mptPut(tree, decode(who), newAccountValue(balance));
        expect(encodedStateHashOf(withTree(emptyTreeSet(), 'accounts', tree))).toBe(encodedOffchainStateHash(s));
      }),
      { numRuns: 200 },
    );
  });
});

function decode(a: AccountAddress): Uint8Array {
  return a === I ? new Uint8Array(32).fill(0x11) : new Uint8Array(32).fill(0xee);
}
