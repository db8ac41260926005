import { describe, expect, it } from 'vitest';
import { forbiddenDistFiles, toolingImports } from './dist-problems.js';

describe('forbiddenDistFiles', () => {
  it('flags tests, end-to-end helpers, corpus replays, test vectors, fixtures and the test record', () => {
    const bad = [
      'ws/fuzz.test.js',
      'mpt.property.test.d.ts',
      'e2e/test-nodes.js',
      'e2e/clients.d.ts.map',
      'conformance/replay.js',
      'test-vectors/blake2b-kat.json',
      'cache/test-record.js',
      'fixtures.d.ts',
      'test/e2e/wire-tap.js',
    ];
    expect(forbiddenDistFiles(bad).map((p) => p.split(':')[0])).toEqual(bad);
  });

  it('leaves the library alone, names that merely contain "test" included', () => {
    expect(forbiddenDistFiles(['index.js', 'index.d.ts', 'fsm/signature-check.js', 'cache/state-cache.js', 'latest-state.js', 'contest.js'])).toEqual([]);
  });
});

describe('toolingImports', () => {
  const tooling = new Set(['@aesc/corpus', '@aesc/gc-probe']);

  it('finds static, re-exported and dynamic imports of tooling packages, subpaths included', () => {
    const src = [
      "import { loadTranscripts } from '@aesc/corpus';",
      'export * from "@aesc/gc-probe/dist/x.js";',
      "const c = await import('@aesc/corpus');",
    ].join('\n');
    expect(toolingImports(src, tooling)).toEqual(['@aesc/corpus', '@aesc/gc-probe']);
  });

  it('ignores workspace packages and strings that are not imports', () => {
    expect(toolingImports("import { x } from '@aesc/chain-api';\nconst s = '@aesc/corpus';", tooling)).toEqual([]);
  });
});
