#!/usr/bin/env node
// The main job until the channel node exists: the CLI decodes and verifies every transaction of the
// seed transcript (../shared/corpus/abort_updates/sc_ws_abort_settle.json), printing a timeline.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SEED_TRANSCRIPT, connectParams, loadTranscript } from '../corpus/dist/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const cli = join(root, 'apps/cli/dist/bin.js');
const NETWORK_ID = 'local_iris_testnet';

function aesc(args, input) {
  const r = spawnSync(process.execPath, [cli, ...args], { input, encoding: 'utf8' });
  return { status: r.status, lines: r.stdout.split('\n').filter(Boolean), stderr: r.stderr };
}

const transcript = loadTranscript(SEED_TRANSCRIPT);
const connect = transcript.steps.find((s) => s.kind === 'connect');
const { initiator_id: initiator, responder_id: responder } = connectParams(connect);
const who = (ak) => (ak === initiator ? 'initiator' : ak === responder ? 'responder' : ak);

// Every message of the transcript, in order; the txs the node sent or a client returned are
// decoded and verified by the CLI.
const rows = [];
transcript.steps.forEach((step, index) => {
  if (step.message === undefined) return;
  const m = step.message;
  const tx = m.params?.data?.signed_tx ?? m.params?.data?.tx ?? m.params?.data?.state ?? m.params?.signed_tx;
  const arrow = step.kind === 'recv' ? '<-' : '->';
  let what = m.method ?? (m.error ? `error ${m.error.code} ${m.error.message}` : `result ${JSON.stringify(m.result)}`);
  if (m.method === 'channels.info') what = `info: ${m.params.data.event}`;
  if (m.method === 'channels.on_chain_tx') what = `on_chain_tx: ${m.params.data.info}`;
  if (m.params?.error !== undefined) what += ` {error: ${m.params.error}} (abort)`;
  if (m.method === 'channels.message') what += ` "${m.params.info ?? m.params.data?.message?.info}"`;
  if (m.method === 'channels.conflict') what += ` code ${m.params.data.error_code}`;
  rows.push({ index, actor: step.actor, arrow, what, tx: typeof tx === 'string' ? tx : undefined });
});
const txRows = rows.filter((r) => r.tx !== undefined);

console.log(`aesc demo: the seed transcript ${SEED_TRANSCRIPT}`);
console.log(`  initiator ${initiator}\n  responder ${responder}\n  network id ${NETWORK_ID}\n`);

const input = `${txRows.map((r) => r.tx).join('\n')}\n`;
const inspected = aesc(['inspect', '-'], input);
const verified = aesc(['verify', '--network-id', NETWORK_ID, '--signer', initiator, '--signer', responder, '-'], input);
if (inspected.status !== 0) {
  console.error(`aesc inspect failed:\n${inspected.stderr}`);
  process.exit(1);
}

let failures = 0;
for (const row of rows) {
  console.log(`#${String(row.index).padStart(3)} ${row.actor.padEnd(9)} ${row.arrow} ${row.what}`);
  if (row.tx === undefined) continue;
  const i = txRows.indexOf(row);
  const signed = JSON.parse(inspected.lines[i]);
  const tx = signed.tx;
  const details = [];
  if (tx.round !== undefined) details.push(`round ${tx.round}`);
  for (const k of ['initiatorAmount', 'responderAmount', 'amount', 'initiatorAmountFinal', 'responderAmountFinal', 'fee']) {
    if (tx[k] !== undefined) details.push(`${k} ${tx[k]}`);
  }
  let sigs = 'unsigned';
  if (verified.status !== null && verified.lines[i]) {
    const report = JSON.parse(verified.lines[i]);
    if (report.signatures?.length) {
      sigs = report.signatures.map((s) => (s.signer ? `signed by ${who(s.signer)} (${s.form})` : 'BAD SIGNATURE')).join(', ');
      failures += report.signatures.filter((s) => !s.signer).length;
    }
  }
  console.log(`        ${tx.tag} v${tx.version}${details.length ? ` · ${details.join(' · ')}` : ''} · ${sigs}`);
}

console.log(`\n${rows.length} messages; ${txRows.length} transactions decoded; ${failures === 0 ? 'every signature verified' : `${failures} signature(s) failed`}.`);
process.exit(failures === 0 ? 0 : 1);
