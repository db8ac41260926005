// `pnpm check:cycles`: no import cycle between the source files of any package, app or tool.
// Type-only imports count too (`tsPreCompilationDeps`): a cycle of types is still two files that
// cannot be understood, moved or split apart one without the other. Workspace packages are
// resolved to their builds, which are not cruised: `tsc -b` project references already refuse a
// cycle between packages.
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle, through value or type-only imports. Break it by design: shared types in a file of their own, or the dependency passed in.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
  },
};
