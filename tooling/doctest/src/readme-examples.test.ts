import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// Every ```ts block of a package README runs here, as a module of its own (top-level await, the
// @aesc packages from their sources). Examples check their own results with node:assert, so a
// README whose code drifts from the packages fails CI. A block fenced as ```ts fragment is a
// snippet out of a larger program and is left out (the README says what it needs).

const root = fileURLToPath(new URL('../../../', import.meta.url));
const scratch = fileURLToPath(new URL('../.examples/', import.meta.url));

interface Example {
  readonly pkg: string;
  readonly index: number;
  readonly code: string;
}

function examples(): Example[] {
  const out: Example[] = [];
  for (const pkg of readdirSync(join(root, 'packages')).sort()) {
    let text: string;
    try {
      text = readFileSync(join(root, 'packages', pkg, 'README.md'), 'utf8');
    } catch {
      continue;
    }
    let index = 0;
    for (const m of text.matchAll(/^```ts([^\n]*)\n([\s\S]*?)^```/gm)) {
      if (m[1]!.trim() !== 'fragment') out.push({ pkg, index, code: m[2]! });
      index++;
    }
  }
  return out;
}

const all = examples();
mkdirSync(scratch, { recursive: true });
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('README examples run', () => {
  it('finds examples in the package READMEs', () => {
    expect(new Set(all.map((e) => e.pkg)).size).toBeGreaterThanOrEqual(8);
  });

  it.each(all.map((e) => [`${e.pkg} #${e.index}`, e] as const))('%s', async (_name, e) => {
    const file = join(scratch, `${e.pkg}-${e.index}.ts`);
    writeFileSync(file, e.code);
    await import(/* @vite-ignore */ file);
  });
});
