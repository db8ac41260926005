import { isAescError } from '@aesc/errors';
import { describe, expect, it } from 'vitest';
import { AE, formatAe, parseAmount } from './amount.js';

describe('amounts', () => {
  it('reads aettos and AE exactly', () => {
    expect(parseAmount('5000', '--amount')).toBe(5000n);
    expect(parseAmount('1.5ae', '--amount')).toBe(AE + AE / 2n);
    expect(parseAmount('0.000000000000000001AE', '--amount')).toBe(1n);
    expect(parseAmount('12ae', '--amount')).toBe(12n * AE);
  });
  it('refuses what is not an exact amount, with the usage code', () => {
    for (const bad of ['-1', '1.5', '1e18', 'ae', '0.0000000000000000001ae', '']) {
      let error: unknown;
      try {
        parseAmount(bad, '--amount');
      } catch (e) {
        error = e;
      }
      expect(isAescError(error, 10000), bad).toBe(true);
    }
  });
  it('prints AE without losing digits', () => {
    expect(formatAe(47n * AE)).toBe('47 AE');
    expect(formatAe(AE / 10n)).toBe('0.1 AE');
    expect(formatAe(AE + 1n)).toBe('1.000000000000000001 AE');
    expect(formatAe(-2n * AE)).toBe('-2 AE');
  });
});
