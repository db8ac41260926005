#!/usr/bin/env node
// pnpm conformance:client — replays the node's side of every transcript that needs no contract VM
// against our client, driven only through its typed API; prints pass counts per group and a final
// "N passed, M failed" line.
import { loadTranscripts } from '@aesc/corpus';
import { replayCorpusClients } from './client-replay.js';

const report = await replayCorpusClients(loadTranscripts(), 'websocket');
console.log('client conformance against ../shared/corpus: a scripted WebSocket server on 127.0.0.1 plays the node (methods and param keys, per transcript, both clients)');
for (const [group, g] of [...report.groups].sort()) console.log(`  ${group.padEnd(40)} ${g.passed} passed, ${g.failed} failed`);
if (report.failures.length > 0) console.log(`failures:\n${report.failures.map((f) => `  ${f}`).join('\n')}`);
console.log(`left out (need the contract VM):\n${report.leftOut.map((f) => `  ${f}`).join('\n')}`);
console.log(`${report.passed} passed, ${report.failed} failed`);
process.exitCode = report.failed === 0 ? 0 : 1;

