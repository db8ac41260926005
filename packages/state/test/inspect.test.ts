import { encodedStringsByPrefix, loadTranscripts } from '@aesc/corpus';
import { encodeApi } from '@aesc/encoding';
import { describe, expect, it } from 'vitest';
import { encodeInspectedWithHashes, inspectWithHashes } from '../src/inspect.js';
import { poiHashes } from '../src/poi.js';
import { stateTreesHashes } from '../src/state-trees-format.js';

describe('inspect with hashes', () => {
  const byPrefix = encodedStringsByPrefix(loadTranscripts());

  it('adds root hashes and the state hash to every ss_ and pi_ of the corpus, and encodes back', () => {
    for (const prefix of ['ss', 'pi'] as const) {
      const values = [...(byPrefix.get(prefix) ?? [])];
      expect(values.length).toBeGreaterThan(0);
      for (const value of values) {
        const json = JSON.parse(JSON.stringify(inspectWithHashes(value)));
        const expected = prefix === 'ss' ? stateTreesHashes(value) : poiHashes(value);
        expect(json.derived.stateHash).toMatch(/^st_/);
        expect(Object.keys(json.derived.rootHashes).sort()).toEqual(['accounts', 'calls', 'channels', 'contracts', 'ns', 'oracles']);
        expect(json.derived.rootHashes.accounts).toBe(Buffer.from(expected.rootHashes.accounts!).toString('hex'));
        expect(json.derived.stateHash).toBe(encodeApi('st', expected.stateHash));
        expect(encodeInspectedWithHashes(json)).toBe(value);
      }
    }
  });

  it('leaves other values as @aesc/encoding shows them', () => {
    const tx = [...(byPrefix.get('tx') ?? [])][0]!;
    expect(inspectWithHashes(tx)).not.toHaveProperty('derived');
    expect(encodeInspectedWithHashes(JSON.parse(JSON.stringify(inspectWithHashes(tx))))).toBe(tx);
  });
});
