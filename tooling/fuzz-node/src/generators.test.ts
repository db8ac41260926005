import { describe, expect, it } from 'vitest';
import { corpusQueries, mutatedTarget } from './connect-urls.js';
import { hostileFrame } from './hostile-json.js';
import { randomMessage } from './peer-cases.js';
import { Rng } from '@aesc/test-support';
import { violation } from './ws-violations.js';

const accounts = ['ak_2a1j2Mk9YSmC1gioUq4PWRm3bsv887MbuRVwyv4KaUGoR1eiKi', 'ak_26jAbCjYM16ppbhFG6PCQhv6HkwRAri7QNJfoEtb1R8amLscpt'];

describe('the fuzzer’s cases', () => {
  it('are the same for the same seed, and others for another', () => {
    const queries = corpusQueries();
    const run = (seed: string) => {
      const r = new Rng(seed);
      return [
        ...Array.from({ length: 50 }, () => hostileFrame(r, accounts).slice(0, 200)),
        ...Array.from({ length: 50 }, () => mutatedTarget(r, queries, accounts, 20_000).slice(0, 200)),
        ...Array.from({ length: 20 }, () => violation(r).name),
        ...Array.from({ length: 20 }, () => randomMessage(r, new Uint8Array(32)).type),
      ];
    };
    expect(run('7')).toEqual(run('7'));
    expect(run('7')).not.toEqual(run('8'));
  });

  it('reach every kind they list: the corpus’s 293 connect URLs, every violation, every peer message type', () => {
    expect(corpusQueries()).toHaveLength(293);
    const r = new Rng('kinds');
    const names = new Set(Array.from({ length: 2000 }, () => violation(r).name));
    expect(names.size).toBe(16);
    const types = new Set(Array.from({ length: 3000 }, () => randomMessage(r, new Uint8Array(32)).type));
    expect(types.size).toBe(25);
    const frames = Array.from({ length: 3000 }, () => hostileFrame(r, accounts));
    expect(frames.some((f) => f.startsWith('[[[[[') || f.startsWith('{"a":{"a":'))).toBe(true); // deep
    expect(frames.some((f) => f.includes('1E2') || f.includes('1.9999999999999999999'))).toBe(true); // floats
    expect(frames.some((f) => f.length > 100_000)).toBe(true); // large
  });
});
