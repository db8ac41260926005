/** What a package's tarball must hold, and must not. */
export const REQUIRED_FILES = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'dist/index.js', 'dist/index.d.ts'] as const;

/** Paths (inside `package/`) a tarball must not ship: tests and the corpus-driven conformance suites. */
const FORBIDDEN = [/\.test\.(ts|js|d\.ts)$/, /(^|\/)conformance\//, /(^|\/)test-vectors\//];

/** What is wrong with a tarball's file list and its package.json, as sentences (none: fine). */
export function tarballProblems(files: readonly string[], manifest: Record<string, unknown>): string[] {
  const inside = new Set(files.map((f) => f.replace(/^package\//, '')));
  const problems: string[] = [];
  for (const f of REQUIRED_FILES) if (!inside.has(f)) problems.push(`${f} is missing`);
  for (const f of inside) if (FORBIDDEN.some((r) => r.test(f))) problems.push(`${f} should not be shipped`);
  if (manifest.license !== 'ISC') problems.push(`license is ${String(manifest.license)}, not ISC`);
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies'] as const) {
    const deps = (manifest[field] ?? {}) as Record<string, string>;
    for (const [name, spec] of Object.entries(deps)) if (spec.startsWith('workspace:')) problems.push(`${field}.${name} is still ${spec}`);
  }
  return problems;
}

/** The @aesc packages a package needs, itself included, through its dependencies. */
export function aescClosure(start: readonly string[], dependenciesOf: (name: string) => readonly string[]): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const d of dependenciesOf(name)) if (d.startsWith('@aesc/')) visit(d);
  };
  for (const s of start) visit(s);
  return [...seen].sort();
}
