#!/usr/bin/env node
// pnpm conformance:node — replays the clients' side of every transcript that needs no contract VM
// against our node (a fresh node and fresh keys per transcript, each run once) and compares every
// frame our node sends with the recorded ones, strictly: the same frames per client, in order, none
// missing and none extra, each value held to the recorded one (ids through what the replay learned).
// Prints one line per transcript, the totals, and exits non-zero on any difference but an older
// node's documented ones (tooling/conformance/README.md). `pnpm conformance:node <text>` replays the
// transcripts whose path contains <text>; `--memory` drives the node with no socket (its client
// sessions called directly, peers linked in process, the chain in process).
import { loadTranscripts } from '@aesc/corpus';
import { OLDER_NODE, replayCorpusAgainstNode, replayedExactly } from './node-session-replay.js';

const args = process.argv.slice(2);
const transport = args.includes('--memory') ? 'memory' : 'websocket';
const only = args.find((a) => !a.startsWith('--'));
const started = Date.now();
console.log(
  `node conformance against ../shared/corpus: the recorded clients drive our node (embedded Iris chain, fresh keys${transport === 'memory' ? ', no sockets' : ''}); every node → client frame compared, strictly`,
);
const report = await replayCorpusAgainstNode(
  loadTranscripts(),
  (r) => {
    const verdict = !replayedExactly(r) ? 'FAIL' : r.olderNode.length > 0 ? 'older' : 'pass';
    const why = [...r.extraFrames, ...r.mismatches][0];
    console.log(
      `  ${verdict.padEnd(5)} ${r.file.padEnd(70)} ${String(r.framesCompared).padStart(4)} frames ${String(r.valuesCompared).padStart(5)} values` +
        `${r.repliesReordered > 0 ? `, ${r.repliesReordered} repl${r.repliesReordered === 1 ? 'y' : 'ies'} past reports` : ''}` +
        `${r.answersAfterDied > 0 ? `, ${r.answersAfterDied} answer(s) after died` : ''}` +
        `${r.olderNode.length > 0 ? `, ${r.olderNode.length} older-node difference(s)` : ''}${why === undefined ? '' : `: ${why}`}`,
    );
  },
  only === undefined ? undefined : (t) => t.file.includes(only),
  transport,
);
const { results } = report;
const failed = results.filter((r) => !replayedExactly(r));
const older = results.filter((r) => replayedExactly(r) && r.olderNode.length > 0);
const passed = results.filter((r) => replayedExactly(r) && r.olderNode.length === 0);
/** Older-node differences met where none is documented: a difference of ours. */
const undocumented = results.filter((r) => r.olderNode.length > 0 && OLDER_NODE[r.file] === undefined);
const sum = (f: (r: (typeof results)[number]) => number) => results.reduce((n, r) => n + f(r), 0);
console.log(`left out (need the contract VM):\n${report.leftOut.map((f) => `  ${f}`).join('\n')}`);
if (older.length > 0) {
  console.log('recorded by an older node (every other frame and value compared strictly):');
  for (const r of older) console.log(`  ${r.file}: ${OLDER_NODE[r.file]?.why}; ${r.olderNode.length} frame(s)`);
}
console.log(
  `totals: ${results.length} transcripts, ${passed.length} passed strictly, ${older.length} older-node recordings, ${failed.length} failed; ` +
    `${sum((r) => r.framesCompared)} frames compared, ${sum((r) => r.valuesCompared)} values compared, ` +
    `${sum((r) => r.extraFrames.length)} extra frames; ${sum((r) => r.repliesReordered)} replies matched past reports, ${sum((r) => r.answersAfterDied)} answer(s) to requests sent after died; ` +
    `each transcript run once (${((Date.now() - started) / 1000).toFixed(0)} s)`,
);
if (failed.length > 0 || undocumented.length > 0) {
  console.error(`node conformance: ${failed.length + undocumented.length} transcript(s) differ: ${[...failed, ...undocumented].map((r) => r.file).join(', ')}`);
  process.exitCode = 1;
}
