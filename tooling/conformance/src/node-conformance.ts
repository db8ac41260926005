#!/usr/bin/env node
// pnpm conformance:node — replays the clients' side of every transcript that needs no contract VM
// against our node (fresh node, fresh keys per transcript); prints pass counts per group, the
// failures with their first difference, and a final "N passed, M failed" line.
import { loadTranscripts } from '@aesc/corpus';
import { KNOWN_DIFFERENCES, replayCorpusAgainstNode } from './node-session-replay.js';

const only = process.argv[2];
const report = await replayCorpusAgainstNode(
  loadTranscripts(),
  (r) => {
    if (process.env.VERBOSE) console.log(`${r.mismatches.length === 0 ? 'pass' : 'FAIL'} ${r.file} (${r.matched} messages)${r.mismatches.length ? `: ${r.mismatches[0]}` : ''}`);
  },
  only === undefined ? undefined : (t) => t.file.includes(only),
);
console.log('node conformance against ../shared/corpus: the recorded clients drive our node (embedded Iris chain, fresh keys); node → client messages compared per client');
const groups = new Map<string, { passed: number; failed: number }>();
for (const r of report.results) {
  const g = groups.get(r.group || '(root)') ?? { passed: 0, failed: 0 };
  if (r.mismatches.length === 0) g.passed++;
  else g.failed++;
  groups.set(r.group || '(root)', g);
}
for (const [group, g] of [...groups].sort()) console.log(`  ${group.padEnd(40)} ${g.passed} passed, ${g.failed} failed`);
const failures = report.results.filter((r) => r.mismatches.length > 0);
if (failures.length > 0) {
  console.log('failures:');
  for (const r of failures) console.log(`  ${r.file}: ${KNOWN_DIFFERENCES[r.file] ? `known: ${KNOWN_DIFFERENCES[r.file]}` : r.mismatches[0]}`);
}
const retried = report.results.filter((r) => r.retried);
if (retried.length > 0) console.log(`passed on a second run (timing):\n${retried.map((r) => `  ${r.file}`).join('\n')}`);
console.log(`left out (need the contract VM):\n${report.leftOut.map((f) => `  ${f}`).join('\n')}`);
console.log(`${report.passed} passed, ${report.failed} failed`);
// CI fails when fewer pass than this (the known differences above aside, the goal is all of them).
const MIN_PASSING = Number(process.env.AESC_NODE_CONFORMANCE_MIN ?? 89);
if (only === undefined && report.passed < MIN_PASSING) {
  console.error(`node conformance: ${report.passed} passed, fewer than ${MIN_PASSING}`);
  process.exitCode = 1;
}
