/**
 * `pnpm kill:test`: the seeded kill test (see the package README).
 *
 *   node tooling/kill-test/dist/kill.js [--seed S] [--kills N] [--target node|client|both|all]
 *     [--bound-ms MS] [--quiet] [--cli apps/cli/dist/bin.js]
 *
 * Without `--target`, each target in turn (a channel of its own each). Prints a summary per target
 * (kills, recovered, rounds lost, recovery times) and every failed check with its seed and kill
 * index, and exits 1 on any failure.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type KillSummary, TARGETS, type Target, runKills } from './kill-run.js';
import { plainSpawn } from './spawn.js';
import { summaryLines } from './summary.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    kills: { type: 'string', default: '10' },
    target: { type: 'string' },
    'bound-ms': { type: 'string', default: '20000' },
    quiet: { type: 'boolean', default: false },
    cli: { type: 'string', default: fileURLToPath(new URL('../../../apps/cli/dist/bin.js', import.meta.url)) },
  },
});
const kills = Number(values.kills);
const bound = Number(values['bound-ms']);
if (!Number.isSafeInteger(kills) || kills < 1) throw new Error('--kills is a positive integer');
if (!Number.isSafeInteger(bound) || bound < 1_000) throw new Error('--bound-ms is an integer of at least 1000');
if (values.target !== undefined && !TARGETS.includes(values.target as Target)) throw new Error(`--target is one of ${TARGETS.join(', ')}`);
const targets = values.target === undefined ? TARGETS : [values.target as Target];
const clientScript = fileURLToPath(new URL('./client-main.js', import.meta.url));

const summaries: KillSummary[] = [];
for (const target of targets) {
  summaries.push(
    await runKills({
      seed: values.seed,
      target,
      kills,
      cli: values.cli,
      clientScript,
      spawn: plainSpawn,
      boundMs: bound,
      ...(values.quiet ? {} : { log: (line: string) => console.log(line) }),
    }),
  );
}
for (const line of summaryLines(summaries)) console.log(line);
process.exitCode = summaries.some((s) => s.failures.length > 0 || s.recovered < s.kills || s.kills < kills) ? 1 : 0;
