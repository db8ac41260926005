/**
 * `pnpm check:dist` (in CI, after the build): no package's `dist/` holds tests or test support,
 * and no built file of a package imports a tooling package. Prints each offence and exits 1 on any.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forbiddenDistFiles, toolingImports } from './dist-problems.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

async function names(area: string): Promise<string[]> {
  const out: string[] = [];
  for (const d of await readdir(join(root, area), { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    try {
      out.push((JSON.parse(await readFile(join(root, area, d.name, 'package.json'), 'utf8')) as { name: string }).name);
    } catch {
      // not a package
    }
  }
  return out;
}

const tooling = new Set(await names('tooling'));
const problems: string[] = [];
let checked = 0;
for (const pkg of (await readdir(join(root, 'packages'), { withFileTypes: true })).filter((d) => d.isDirectory())) {
  const dist = join(root, 'packages', pkg.name, 'dist');
  let files: string[];
  try {
    files = await filesUnder(dist);
  } catch {
    problems.push(`packages/${pkg.name}: no dist (build first)`);
    continue;
  }
  checked++;
  for (const p of forbiddenDistFiles(files)) problems.push(`packages/${pkg.name}/dist/${p}`);
  for (const f of files.filter((f) => /\.(js|d\.ts)$/.test(f))) {
    for (const name of toolingImports(await readFile(join(dist, f), 'utf8'), tooling)) {
      problems.push(`packages/${pkg.name}/dist/${f}: imports the tooling package ${name}`);
    }
  }
}
for (const p of problems) console.error(p);
if (problems.length > 0) {
  console.error(`check:dist: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log(`check:dist: the dist of ${checked} packages holds no tests, no test support and no tooling import`);
