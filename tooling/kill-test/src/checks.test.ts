import { describe, expect, it } from 'vitest';
import { disagreement, roundsLost, settleTotal } from './checks.js';

describe('the kill test’s checks', () => {
  it('count the rounds a client lost below the highest it reported co-signed', () => {
    expect(roundsLost(7n, 7n)).toBe(0);
    expect(roundsLost(7n, 9n)).toBe(0);
    expect(roundsLost(7n, 6n)).toBe(1);
    expect(roundsLost(7n, null)).toBe(8);
    expect(roundsLost(-1n, null)).toBe(0);
  });

  it('take the sum of the balances as the total only if the interrupted deposits and withdrawals explain it', () => {
    expect(settleTotal(100n, [], 100n)).toBe(100n);
    expect(settleTotal(100n, [], 101n)).toBeUndefined();
    expect(settleTotal(100n, [5n], 105n)).toBe(105n);
    expect(settleTotal(100n, [5n], 100n)).toBe(100n);
    expect(settleTotal(100n, [5n], 95n)).toBeUndefined();
    expect(settleTotal(100n, [5n, -3n], 102n)).toBe(102n);
    expect(settleTotal(100n, [5n, -3n], 97n)).toBe(97n);
    expect(settleTotal(100n, [5n, -3n], 103n)).toBeUndefined();
  });

  it('find both clients and both FSMs at one round with the same balances, and name what differs otherwise', () => {
    const at = (who: string, round: string | null, balances: string[] | null) => ({ who, round, balances });
    expect(disagreement([at('a', '5', ['1', '2']), at('b', '5', ['1', '2']), at('c', '5', ['1', '2'])])).toBeUndefined();
    expect(disagreement([at('a', '5', ['1', '2']), at('b', '4', ['1', '2'])])).toBe('a at round 5 with 1 + 2, b at round 4 with 1 + 2');
    expect(disagreement([at('a', '5', ['1', '2']), at('b', '5', ['2', '1'])])).toContain('b at round 5 with 2 + 1');
    expect(disagreement([at('a', null, null), at('b', null, null)])).toBe('a at round none with no balances, b at round none with no balances');
    expect(disagreement([])).toBe('nothing to compare');
  });
});
