#!/usr/bin/env node
// The `aesc` command the workspace links into node_modules/.bin: it runs the built CLI
// (dist/bin.js), and before a build says how to make it instead of failing on a missing file.
import { existsSync } from 'node:fs';

const built = new URL('../dist/bin.js', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  process.stderr.write('aesc: the CLI is not built yet: run "npx -y pnpm@10.34.9 run build" in the repository\n');
  process.exitCode = 2;
}
