// `pnpm check:deps` (CI, after the typecheck): the import rules of the monorepo, checked on the
// sources of every package, app and tool.
//
// - No import cycle between source files, type-only imports included (`tsPreCompilationDeps`): a
//   cycle of types is still two files that cannot be understood, moved or split apart one without
//   the other.
// - Nothing under `packages/*/src` imports a tooling package (`@aesc/corpus`, …) or anything under
//   `tooling/` or `apps/`: a published package could not resolve it. Tests and their helpers live in
//   `packages/*/test`.
// - The dependency direction of ARCHITECTURE.md (as built: DEVELOPERS.md): each package's sources
//   import only the workspace packages listed for it in `ALLOWED` below.
//
// Workspace packages resolve to their builds (`packages/x/dist/…`), which are not followed; before a
// build they stay unresolved under their names (`@aesc/x`), so the rules match both.

/** The workspace packages each package's `src/` may import (by folder name), besides itself. */
const ALLOWED = {
  errors: [],
  encoding: ['errors'],
  crypto: ['errors', 'encoding'],
  state: ['errors', 'encoding', 'crypto'],
  rpc: ['errors'],
  'channel-api': ['errors', 'encoding', 'rpc'],
  wallet: ['errors', 'encoding', 'crypto', 'rpc'],
  channel: ['errors', 'encoding', 'crypto', 'state', 'rpc', 'channel-api', 'protocol'],
  'chain-api': ['errors', 'encoding', 'crypto', 'state'],
  chain: ['errors', 'encoding', 'crypto', 'state', 'chain-api'],
  node: ['errors', 'encoding', 'crypto', 'state', 'rpc', 'channel-api', 'chain-api', 'protocol'],
  devnet: ['crypto', 'chain', 'node'],
  protocol: ['errors', 'encoding', 'state', 'channel-api'],
};

/** Any workspace package but `names`, built (`packages/x/…`) or unresolved (`@aesc/x`). */
const anyBut = (names) => `^(packages/(?!(${names.join('|')})/)[^/]+/|@aesc/(?!(${names.join('|')})($|/)))`;

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle, through value or type-only imports. Break it by design: shared types in a file of their own, or the dependency passed in.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-tooling-in-package-src',
      comment: 'A package source imports tooling or an app (the corpus reader, a test helper, …). Tests and their helpers go in packages/<pkg>/test.',
      severity: 'error',
      from: { path: '^packages/[^/]+/src/' },
      to: { path: '^(tooling/|apps/|@aesc/(corpus|gc-probe|vitest-config|tsconfig|conformance|doctest|fuzz-node|kill-test|test-support|pack-check|layout-check|bench[a-z-]*|cli|client)($|/))' },
    },
    {
      name: 'no-test-code-in-package-src',
      comment: 'A package source imports a test or test support from packages/<pkg>/test (a test beside the code, *.test.ts, may).',
      severity: 'error',
      from: { path: '^packages/[^/]+/src/', pathNot: '\\.test\\.ts$' },
      to: { path: '^packages/[^/]+/test/' },
    },
    ...Object.entries(ALLOWED).map(([pkg, allowed]) => ({
      name: `dependency-direction-${pkg}`,
      comment: `@aesc/${pkg} may import only ${allowed.map((p) => `@aesc/${p}`).join(', ') || 'no workspace package'} (the dependency direction of ARCHITECTURE.md; a new package is added to ALLOWED).`,
      severity: 'error',
      from: { path: `^packages/${pkg}/src/` },
      to: { path: anyBut([pkg, ...allowed]) },
    })),
    {
      name: 'dependency-direction-unlisted',
      comment: 'A package that ALLOWED does not list: add it there, with the workspace packages it may import.',
      severity: 'error',
      from: { path: `^packages/((?!(${Object.keys(ALLOWED).join('|')})/)[^/]+)/src/` },
      to: { path: '^(packages/|@aesc/)', pathNot: '^packages/$1/' },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    doNotFollow: { path: '(^|/)(dist|node_modules)/' },
    exclude: { path: '(^|/)node_modules/' },
  },
};
