import { describe, expect, it } from 'vitest';
import { firstExample, importsOf } from './readme-example.js';
import { aescClosure, tarballProblems } from './tarball.js';

describe('pack check', () => {
  it('takes the first ts or js example that is not a fragment, and its imports', () => {
    const readme = ['# x', '```ts fragment', 'skip()', '```', '```sh', 'npm i', '```', '```js', "import { a } from '@aesc/encoding';", "import WebSocket from 'ws';", "import { b } from '@noble/hashes/blake2';", "import { c } from 'node:fs';", 'a();', '```', '```ts', 'later()', '```'].join('\n');
    const code = firstExample(readme)!;
    expect(code).toContain('a();');
    expect(importsOf(code)).toEqual({ aesc: ['@aesc/encoding'], thirdParty: ['@noble/hashes', 'ws'] });
    expect(firstExample('# none\n```ts fragment\nx\n```\n')).toBeUndefined();
  });

  it('names what a tarball lacks or should not ship, and workspace ranges left in', () => {
    const ok = ['package/package.json', 'package/README.md', 'package/LICENSE', 'package/CHANGELOG.md', 'package/dist/index.js', 'package/dist/index.d.ts'];
    expect(tarballProblems(ok, { license: 'ISC', dependencies: { '@aesc/errors': '^0.2.0' } })).toEqual([]);
    expect(tarballProblems([...ok.slice(1), 'package/dist/x.test.js', 'package/src/conformance/a.ts'], { license: 'MIT', dependencies: { '@aesc/errors': 'workspace:^' } })).toEqual([
      'package.json is missing',
      'dist/x.test.js should not be shipped',
      'src/conformance/a.ts should not be shipped',
      'license is MIT, not ISC',
      'dependencies.@aesc/errors is still workspace:^',
    ]);
  });

  it('follows @aesc dependencies only, once each', () => {
    const deps: Record<string, string[]> = { '@aesc/node': ['@aesc/chain', 'ws'], '@aesc/chain': ['@aesc/errors', 'libsql'], '@aesc/errors': [] };
    expect(aescClosure(['@aesc/node', '@aesc/errors'], (n) => deps[n] ?? [])).toEqual(['@aesc/chain', '@aesc/errors', '@aesc/node']);
  });
});
