#!/usr/bin/env node
// pnpm conformance:node — replays the clients' side of every transcript that needs no contract VM
// against our node (fresh node, fresh keys per transcript); prints pass counts per group, the
// failures with their first difference, and a final "N passed, M failed" line. It exits non-zero
// on any difference but the documented ones: an older node's recordings may differ only as
// documented (and are compared to their end), and only the unreplayable transcripts may fail.
import { loadTranscripts } from '@aesc/corpus';
import { OLDER_NODE, UNREPLAYABLE, replayCorpusAgainstNode } from './node-session-replay.js';

const only = process.argv[2];
const report = await replayCorpusAgainstNode(
  loadTranscripts(),
  (r) => {
    if (process.env.VERBOSE) console.log(`${r.mismatches.length + r.olderNode.length === 0 ? 'pass' : 'FAIL'} ${r.file} (${r.matched} messages)${r.mismatches.length ? `: ${r.mismatches[0]}` : ''}`);
  },
  only === undefined ? undefined : (t) => t.file.includes(only),
);
console.log('node conformance against ../shared/corpus: the recorded clients drive our node (embedded Iris chain, fresh keys); node → client messages compared per client');
const groups = new Map<string, { passed: number; failed: number }>();
const failed = (r: (typeof report.results)[number]) => r.mismatches.length > 0 || r.olderNode.length > 0;
for (const r of report.results) {
  const g = groups.get(r.group || '(root)') ?? { passed: 0, failed: 0 };
  if (failed(r)) g.failed++;
  else g.passed++;
  groups.set(r.group || '(root)', g);
}
for (const [group, g] of [...groups].sort()) console.log(`  ${group.padEnd(40)} ${g.passed} passed, ${g.failed} failed`);
/** Failures that are not the documented ones: any difference in a transcript that is neither unreplayable nor an older node's, or one an older node's recording does not explain. */
const unexpected = report.results.filter((r) => r.mismatches.length > 0 && UNREPLAYABLE[r.file] === undefined);
const failures = report.results.filter(failed);
if (failures.length > 0) {
  console.log('failures:');
  for (const r of failures) {
    if (r.mismatches.length === 0) {
      console.log(`  ${r.file}: known: ${OLDER_NODE[r.file]!.why}; ${r.olderNode.length} such message(s), everything else matched to the end (${r.matched} messages)`);
    } else if (UNREPLAYABLE[r.file] !== undefined) {
      console.log(`  ${r.file}: known: ${UNREPLAYABLE[r.file]}`);
    } else {
      console.log(`  ${r.file}: ${r.mismatches[0]}${r.olderNode.length > 0 ? ` (after ${r.olderNode.length} known older-node difference(s))` : ''}`);
    }
  }
}
const retried = report.results.filter((r) => r.retried);
if (retried.length > 0) console.log(`matched on a later run (timing):\n${retried.map((r) => `  ${r.file} (first run: ${r.retried})`).join('\n')}`);
console.log(`left out (need the contract VM):\n${report.leftOut.map((f) => `  ${f}`).join('\n')}`);
console.log(`${report.passed} passed, ${report.failed} failed`);
if (only === undefined && unexpected.length > 0) {
  console.error(`node conformance: ${unexpected.length} transcript(s) differ beyond the documented differences: ${unexpected.map((r) => r.file).join(', ')}`);
  process.exitCode = 1;
}
