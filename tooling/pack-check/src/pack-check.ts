/**
 * `pnpm pack:check` (in CI): packs every public package with pnpm (workspace ranges become
 * versions), checks each tarball's files, then, for each package, makes a fresh npm project,
 * installs the package from its tarball with the tarballs of the @aesc packages it needs (and
 * nothing else of the workspace: third-party packages come from the npm registry), and runs the
 * first example of its README there. Prints one line per package and fails on the first problem.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { firstExample, importsOf } from './readme-example.js';
import { aescClosure, tarballProblems } from './tarball.js';

const exec = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const pnpmVersion = (JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { packageManager: string }).packageManager.split('@')[1]!;

interface Packed {
  readonly name: string;
  readonly dir: string;
  readonly tarball: string;
  readonly manifest: Record<string, unknown>;
}

async function run(cmd: string, args: readonly string[], cwd: string, timeout = 180_000): Promise<string> {
  try {
    const { stdout } = await exec(cmd, [...args], { cwd, timeout, maxBuffer: 64 << 20, env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' } });
    return stdout;
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

async function pool<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: width }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  }));
}

async function main(): Promise<void> {
  const started = performance.now();
  const out = await mkdtemp(join(tmpdir(), 'aesc-pack-'));
  try {
    // One recursive pack of the public packages (pnpm skips private ones).
    const json = await run('npx', ['-y', `pnpm@${pnpmVersion}`, '-r', '--filter', './packages/*', 'pack', '--pack-destination', out, '--json'], root);
    const packed = new Map<string, Packed>();
    for (const { name, filename } of (JSON.parse(json) as { name: string; filename: string }[]).sort((a, b) => a.name.localeCompare(b.name))) {
      const dir = join(root, 'packages', name.replace('@aesc/', ''));
      const files = (await run('tar', ['-tzf', filename], out)).split('\n').filter((f) => f !== '');
      const inner = JSON.parse(await run('tar', ['-xzOf', filename, 'package/package.json'], out)) as Record<string, unknown>;
      const problems = tarballProblems(files, inner);
      if (problems.length > 0) throw new Error(`${name}: ${problems.join('; ')}`);
      packed.set(name, { name, dir, tarball: filename, manifest: inner });
    }
    const publicDirs = [];
    for (const d of await readdir(join(root, 'packages'))) {
      const m = JSON.parse(await readFile(join(root, 'packages', d, 'package.json'), 'utf8')) as { private?: boolean };
      if (m.private !== true) publicDirs.push(d);
    }
    if (publicDirs.length !== packed.size) throw new Error(`packed ${packed.size} packages of ${publicDirs.length} public ones`);
    console.log(`packed ${packed.size} packages into ${out} (${((performance.now() - started) / 1000).toFixed(1)} s); each has README, LICENSE, CHANGELOG and dist`);
    const dependenciesOf = (name: string) => Object.keys((packed.get(name)?.manifest.dependencies ?? {}) as Record<string, string>);

    await pool([...packed.values()], 2, async (p) => {
      const t = performance.now();
      const readme = await readFile(join(p.dir, 'README.md'), 'utf8');
      const example = firstExample(readme);
      if (example === undefined) throw new Error(`${p.name}: its README has no runnable ts or js example`);
      const { aesc, thirdParty } = importsOf(example);
      const own = aescClosure([p.name, ...aesc], dependenciesOf);
      for (const n of own) if (!packed.has(n)) throw new Error(`${p.name}: its example imports ${n}, which is not a public package`);
      // Third-party packages the example imports that no installed package brings: from the registry.
      const installed = new Set(own.flatMap((n) => dependenciesOf(n)));
      const extra = thirdParty.filter((n) => !installed.has(n));
      const project = await mkdtemp(join(out, `${p.name.replace('@aesc/', '')}-`));
      await writeFile(join(project, 'package.json'), `${JSON.stringify({ name: 'pack-check', private: true, type: 'module' })}\n`);
      await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...own.map((n) => packed.get(n)!.tarball), ...extra], project);
      const js = ts.transpileModule(example, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
      await writeFile(join(project, 'example.mjs'), js);
      await run(process.execPath, ['example.mjs'], project, 120_000);
      console.log(`${p.name}: installed from ${own.length} tarball(s)${extra.length > 0 ? ` and ${extra.join(', ')}` : ''} in a fresh npm project; its README's first example ran (${((performance.now() - t) / 1000).toFixed(1)} s)`);
    });
    console.log(`pack check: ${packed.size} packages in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

await main();
