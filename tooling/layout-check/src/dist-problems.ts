/**
 * What must never be built into a package's `dist/`: tests and the support that only tests use
 * (end-to-end helpers, corpus replays, test vectors, fixtures, the state cache's test record), and
 * any import of a tooling package (the corpus reader, the GC probe, …), which a published package
 * cannot resolve.
 */
const FORBIDDEN_PATHS: readonly RegExp[] = [
  /\.test\.(js|d\.ts|ts|mjs)(\.map)?$/,
  /\.property\.test\./,
  /(^|\/)test\//,
  /(^|\/)e2e\//,
  /(^|\/)conformance\//,
  /(^|\/)test-vectors\//,
  /(^|\/)fixtures?\.(js|d\.ts)(\.map)?$/,
  /(^|\/)test-record\.(js|d\.ts)(\.map)?$/,
];

/** The files (paths relative to a package's `dist/`) that should not be there, each with why. */
export function forbiddenDistFiles(files: readonly string[]): string[] {
  return files.filter((f) => FORBIDDEN_PATHS.some((r) => r.test(f))).map((f) => `${f}: test code or test support`);
}

/** The tooling packages a built file imports (`import … from '@aesc/corpus'`, `import('…')`). */
export function toolingImports(source: string, toolingNames: ReadonlySet<string>): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(/(?:from\s*|import\s*\(?\s*)['"]([^'"]+)['"]/g)) {
    const spec = m[1]!;
    const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
    if (toolingNames.has(name)) found.add(name);
  }
  return [...found].sort();
}
