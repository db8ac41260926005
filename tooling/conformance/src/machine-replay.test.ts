import { type Transcript, connectParams, loadTranscripts } from '@aesc/corpus';
import { type AccountAddress, decodeTx, isEncoded } from '@aesc/encoding';
import { AESC_ERROR__CHANNEL__NOT_ALLOWED_NOW } from '@aesc/errors';
import { describe, expect, it } from 'vitest';
import {
  type ClientEvent,
  type ClientMessage,
  type ClientState,
  type Effect,
  type NodeMessage,
  initialClientState,
  signatureVerifier,
  signedTxOf,
  step,
} from '@aesc/channel';
import { apiCallOf, sameMethod, transcriptNetworkId } from './client-replay.js';

type Sent = { method?: string; params?: Record<string, unknown> };

const validAk = (v: unknown): v is AccountAddress => typeof v === 'string' && isEncoded(v, 'ak');

interface Outcome {
  readonly file: string;
  readonly actor: string;
  matched: number;
  refusedInput: number;
  readonly mismatches: string[];
}

/**
 * Drives our state machine with one actor's side of a transcript and compares what it sends. The
 * signatures on the txs of the node's messages are verified as the driver does, beforehand.
 */
async function replay(t: Transcript, actor: 'initiator' | 'responder'): Promise<Outcome | undefined> {
  const connect = t.steps.find((s) => s.kind === 'connect' && s.actor === actor);
  if (connect === undefined) return undefined;
  const p = connectParams(connect);
  if (p.existing_channel_id !== undefined || !validAk(p.initiator_id) || !validAk(p.responder_id)) return undefined;
  const num = (k: string) => BigInt(p[k] ?? '0');
  const networkId = await transcriptNetworkId(t.steps, [p.initiator_id, p.responder_id]);
  const verifier = signatureVerifier(networkId, [p.initiator_id, p.responder_id]);
  let state: ClientState = initialClientState({
    role: actor,
    initiator: p.initiator_id,
    responder: p.responder_id,
    networkId,
    initiatorAmount: num('initiator_amount'),
    responderAmount: num('responder_amount'),
    pushAmount: num('push_amount'),
    channelReserve: num('channel_reserve'),
    lockPeriod: num('lock_period'),
  });
  const out: Outcome = { file: t.file, actor, matched: 0, refusedInput: 0, mismatches: [] };
  const outbox: ClientMessage[] = [];
  let pendingSign: string | undefined;
  let commandId = 0;
  const rejected: number[] = [];
  const run = (event: ClientEvent) => {
    const queue: ClientEvent[] = [event];
    while (queue.length > 0) {
      const r = step(state, queue.shift()!);
      state = r.state;
      for (const e of r.effects as Effect[]) {
        if (e.type === 'send') outbox.push(e.message);
        else if (e.type === 'sign') pendingSign = e.tag;
        else if (e.type === 'store') queue.push({ type: 'stored' });
        else if (e.type === 'reject') rejected.push(e.error.code);
      }
    }
  };
  // The node answers our request ids; the transcript shows the recorded client's. Map them.
  const ids = new Map<string, number>();
  const steps = t.steps.filter((s) => s.actor === actor);
  for (const [i, s] of steps.entries()) {
    if (s.kind === 'connect' && i > 0) break; // a reconnect starts another session
    if (s.kind === 'recv') {
      const msg = s.message as NodeMessage;
      const ours = msg.id !== undefined && msg.id !== null ? ids.get(String(msg.id)) : undefined;
      const found = signedTxOf(msg);
      const signers = found === undefined ? {} : { signers: await verifier.signers(found.signed, found.encoded) };
      run({ type: 'message', message: ours === undefined ? msg : { ...msg, id: ours }, ...signers });
    }
    if (s.kind !== 'send') continue;
    const m = s.message as Sent;
    const command = apiCallOf(m);
    if (command === null) {
      out.refusedInput++;
      continue;
    }
    if (command !== undefined) run({ type: 'command', id: ++commandId, command });
    else if (pendingSign !== undefined && m.params?.signed_tx !== undefined) {
      run({ type: 'signed', tag: pendingSign, signedTx: decodeTx(m.params.signed_tx as string) });
      pendingSign = undefined;
    } else if (m.params?.error !== undefined) {
      if (pendingSign === undefined) {
        // an abort with no signing round to abort: our API refuses it with a coded error (the
        // node answers such a reply with 1018, not allowed)
        const before = rejected.length;
        run({ type: 'command', id: ++commandId, command: { kind: 'abort', code: Number(m.params.error) } });
        if (rejected[before] !== AESC_ERROR__CHANNEL__NOT_ALLOWED_NOW) out.mismatches.push(`#${i} an abort with nothing to abort was not refused`);
        out.refusedInput++;
        continue;
      }
      run({ type: 'command', id: ++commandId, command: { kind: 'abort', code: Number(m.params.error) } });
      pendingSign = undefined;
    }
    const sent = outbox.shift();
    const keys = (x: Record<string, unknown> | undefined) => Object.keys(x ?? {}).sort().join(',');
    if (sent === undefined) out.mismatches.push(`#${i} expected ${m.method}(${keys(m.params)}), sent nothing`);
    else if (!sameMethod(sent.method, m.method) || keys(sent.params) !== keys(m.params)) {
      out.mismatches.push(`#${i} expected ${m.method}(${keys(m.params)}), sent ${sent.method}(${keys(sent.params)})`);
    } else {
      out.matched++;
      const recordedId = (m as { id?: unknown }).id;
      if (recordedId !== undefined && sent.id !== undefined) ids.set(String(recordedId), sent.id);
    }
  }
  if (outbox.length > 0) out.mismatches.push(`sent more: ${outbox.map((x) => x.method).join(', ')}`);
  return out;
}

const VM = /^(contracts|force_progress|generalized_accounts)|remote_call_contract|force_progress/;
const transcripts = loadTranscripts().filter((t) => !VM.test(t.file));
const outcomes = (await Promise.all(transcripts.flatMap((t) => [replay(t, 'initiator'), replay(t, 'responder')]))).filter(
  (o): o is Outcome => o !== undefined,
);

describe('corpus: the client state machine sends what the recorded clients sent', () => {
  it('replays the first session of every self-contained non-VM transcript, both sides', () => {
    const passed = outcomes.filter((o) => o.mismatches.length === 0);
    const failed = outcomes.filter((o) => o.mismatches.length > 0);
    console.log(
      `machine replay: ${passed.length} of ${outcomes.length} client sessions send exactly the recorded methods and param keys; ` +
        `${outcomes.reduce((n, o) => n + o.matched, 0)} messages matched, ${outcomes.reduce((n, o) => n + o.refusedInput, 0)} invalid inputs refused by the typed API`,
    );
    for (const f of failed) console.log(`  ${f.file} (${f.actor}): ${f.mismatches.slice(0, 3).join('; ')}`);
    expect(outcomes.length).toBeGreaterThan(100);
    expect(passed.length).toBeGreaterThanOrEqual(MIN_PASSING);
  });
});

// The number of sessions that replay exactly today; it only goes up.
const MIN_PASSING = 153;
