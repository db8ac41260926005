import { AESC_ERROR__CHANNEL__INVALID_UPDATE, AESC_ERROR__STATE__INSUFFICIENT_BALANCE, AescError } from '@aesc/errors';
import { type OffchainState, applyUpdates, balanceOf, encodedOffchainStateHash, encodedStateHashOf } from '@aesc/state';
import { describe, expect, it } from 'vitest';
import { type StateOps, nextRound } from './next-round.js';
import { transferUpdates } from './round-updates.js';
import { initiator, opening, responder, stranger } from './test-fixtures.js';

describe('nextRound', () => {
  it('applies the round’s updates to the last state, one round later, with its state hash', () => {
    const next = nextRound(opening, transferUpdates({ from: initiator, to: responder, amount: 10n, meta: ['m'] }), { channelReserve: 2n });
    expect(next.state.round).toBe(2n);
    expect(balanceOf(next.state.trees, initiator)).toBe(690n);
    expect(balanceOf(next.state.trees, responder)).toBe(410n);
    expect(next.stateHash).toBe(encodedOffchainStateHash(next.state));
    expect(next.stateHash).not.toBe(encodedOffchainStateHash(opening));
  });

  it('refuses updates that do not apply with 7005 and the state’s error as cause, leaving the last state as it was', () => {
    const before = encodedOffchainStateHash(opening);
    for (const [updates, reserve] of [
      [transferUpdates({ from: initiator, to: responder, amount: 699n }), 2n],
      [transferUpdates({ from: initiator, to: responder, amount: 701n }), 0n],
      [transferUpdates({ from: stranger, to: responder, amount: 1n }), 0n],
      [transferUpdates({ from: initiator, to: responder, amount: -1n }), 0n],
    ] as const) {
      let error: unknown;
      try {
        nextRound(opening, updates, { channelReserve: reserve });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AescError);
      expect((error as AescError).code).toBe(AESC_ERROR__CHANNEL__INVALID_UPDATE);
      expect(((error as AescError).cause as AescError).code).toBeTypeOf('number');
    }
    let below: AescError | undefined;
    try {
      nextRound(opening, transferUpdates({ from: initiator, to: responder, amount: 699n }), { channelReserve: 2n });
    } catch (e) {
      below = (e as AescError).cause as AescError;
    }
    expect(below?.code).toBe(AESC_ERROR__STATE__INSUFFICIENT_BALANCE);
    expect(encodedOffchainStateHash(opening)).toBe(before);
    expect(opening.round).toBe(1n);
  });

  it('computes with the state ops it is given (a node’s memo), which must agree with @aesc/state', () => {
    const calls: string[] = [];
    const ops: StateOps = {
      next: (state: OffchainState, updates, options) => {
        calls.push('next');
        return applyUpdates(state, updates, options);
      },
      stateHash: (trees) => {
        calls.push('hash');
        return encodedStateHashOf(trees);
      },
    };
    const updates = transferUpdates({ from: responder, to: initiator, amount: 5n });
    const next = nextRound(opening, updates, { channelReserve: 2n }, ops);
    expect(calls).toEqual(['next', 'hash']);
    expect(next.stateHash).toBe(nextRound(opening, updates, { channelReserve: 2n }).stateHash);
  });
});
