import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import ts from 'typescript';

/**
 * The bytes each young-generation collection (scavenge) promoted to the old generation, on
 * average, while `script` ran in a child process (`node --expose-gc --trace-gc-nvp`, which
 * reports them). The script gets `globalThis.gc` and imports `module` (a TypeScript file without
 * runtime imports of its own, turned into JavaScript here) as `./<name>.mjs`, where `<name>` is the
 * file's name without `.ts`; `args` are passed to it. Throws if the script ran fewer than six
 * scavenges, too few to average.
 */
export function promotedPerScavenge(module: URL, script: string, args: readonly string[] = []): number {
  const dir = mkdtempSync(join(tmpdir(), 'aesc-gc-probe-'));
  try {
    const source = readFileSync(module, 'utf8');
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    writeFileSync(join(dir, `${basename(module.pathname, '.ts')}.mjs`), js);
    writeFileSync(join(dir, 'script.mjs'), script);
    const out = execFileSync(process.execPath, ['--expose-gc', '--trace-gc-nvp', join(dir, 'script.mjs'), ...args], { encoding: 'utf8' });
    const promoted = [...out.matchAll(/gc=s .*?promoted=(\d+)/g)].map((m) => Number(m[1]));
    if (promoted.length < 6) throw new Error(`only ${promoted.length} scavenges: too few to average`);
    return promoted.reduce((a, b) => a + b, 0) / promoted.length;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
