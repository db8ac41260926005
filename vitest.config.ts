import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests import workspace packages from their sources, so `vitest` needs no build of the libraries.
const root = fileURLToPath(new URL('.', import.meta.url));
const alias: Record<string, string> = {};
for (const area of ['packages', 'tooling']) {
  for (const dir of readdirSync(`${root}${area}`)) {
    const entry = `${root}${area}/${dir}/src/index.ts`;
    if (existsSync(entry)) alias[`@aesc/${dir}`] = entry;
  }
}

export default defineConfig({
  resolve: { alias },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'tooling/*/src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // fails the run if a process a test started is still running at its end
    globalSetup: ['./tooling/vitest/global-setup.ts'],
    // property tests run from a fixed seed (FC_SEED to explore others)
    setupFiles: ['./tooling/vitest/fast-check-seed.ts'],
    reporters: ['default', './tooling/vitest/summary-reporter.ts'],
  },
});
