import { type Transcript, connectParams, loadTranscripts } from '@aesc/corpus';
import { type AccountAddress, decodeTx, isEncoded } from '@aesc/encoding';
import { AESC_ERROR__CHANNEL__NOT_ALLOWED_NOW } from '@aesc/errors';
import { describe, expect, it } from 'vitest';
import { initialClientState, step } from '../machine/reducer.js';
import type { ClientEvent, ClientMessage, ClientState, Command, Effect, NodeMessage } from '../machine/types.js';

type Sent = { method?: string; params?: Record<string, unknown> };

// Reply methods the node accepts under two names (?METHOD_SIGNED in sc_ws_api_jsonrpc.erl).
const ALIASES: Record<string, string> = {
  'channels.slash_tx': 'slash',
  'channels.slash_sign': 'slash',
  'channels.close_solo_tx': 'close_solo',
  'channels.close_solo_sign': 'close_solo',
  'channels.settle_tx': 'settle',
  'channels.settle_sign': 'settle',
  'channels.force_progress_tx': 'force_progress',
  'channels.force_progress_sign': 'force_progress',
};

const big = (v: unknown) => (typeof v === 'bigint' ? v : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : undefined);
const validAk = (v: unknown): v is AccountAddress => typeof v === 'string' && isEncoded(v, 'ak');
const onChain = (p: Record<string, unknown>) => ({
  ...(big(p.fee) === undefined ? {} : { fee: big(p.fee)! }),
  ...(big(p.gas_price) === undefined ? {} : { gasPrice: big(p.gas_price)! }),
  ...(big(p.nonce) === undefined ? {} : { nonce: big(p.nonce)! }),
});

/**
 * The typed command an app would have issued to make the recorded client send `m`; null when the
 * recorded input is invalid (our typed API refuses it before sending), undefined for replies.
 */
function commandOf(m: Sent): Command | null | undefined {
  const p = m.params ?? {};
  const amount = big(p.amount);
  switch (m.method) {
    case 'channels.update.new': {
      if (amount === undefined || amount < 0n || !validAk(p.from) || !validAk(p.to)) return null;
      if (p.meta !== undefined && !(Array.isArray(p.meta) && p.meta.every((x) => typeof x === 'string'))) return null;
      return { kind: 'transfer', from: p.from, to: p.to, amount, ...(p.meta === undefined ? {} : { meta: p.meta as string[] }) };
    }
    case 'channels.deposit':
      return amount === undefined ? null : { kind: 'deposit', amount, ...onChain(p) };
    case 'channels.withdraw':
      return amount === undefined ? null : { kind: 'withdraw', amount, ...onChain(p) };
    case 'channels.shutdown':
      return { kind: 'shutdown', ...onChain(p) };
    case 'channels.close_solo':
      return { kind: 'close-solo', ...onChain(p) };
    case 'channels.slash':
      return { kind: 'slash', ...onChain(p) };
    case 'channels.settle':
      return { kind: 'settle', ...onChain(p) };
    case 'channels.snapshot_solo':
      return { kind: 'snapshot-solo', ...onChain(p) };
    case 'channels.message':
      return validAk(p.to) && typeof p.info === 'string' ? { kind: 'message', to: p.to, info: p.info } : null;
    case 'channels.get.balances':
      return Array.isArray(p.accounts) && p.accounts.every(validAk) ? { kind: 'balances', accounts: p.accounts } : null;
    case 'channels.get.poi': {
      const contracts = p.contracts;
      if (!Array.isArray(p.accounts) || !p.accounts.every(validAk)) return null;
      if (contracts !== undefined && !(Array.isArray(contracts) && contracts.every((c) => typeof c === 'string' && isEncoded(c, 'ct')))) return null;
      return { kind: 'poi', accounts: p.accounts, ...(contracts === undefined ? {} : { contracts: contracts as string[] }) };
    }
    case 'channels.assume_minimum_depth':
      return typeof p.tx_hash === 'string' ? { kind: 'assume-minimum-depth', txHash: p.tx_hash } : null;
    case 'channels.get.offchain_state':
      return { kind: 'offchain-state' };
    case 'channels.leave':
      return { kind: 'leave' };
    case 'channels.system':
      return p.action === 'ping' ? { kind: 'ping' } : p.action === 'stop' ? { kind: 'stop' } : null;
    default:
      return undefined;
  }
}

interface Outcome {
  readonly file: string;
  readonly actor: string;
  matched: number;
  refusedInput: number;
  readonly mismatches: string[];
}

/** Drives our state machine with one actor's side of a transcript and compares what it sends. */
function replay(t: Transcript, actor: 'initiator' | 'responder'): Outcome | undefined {
  const connect = t.steps.find((s) => s.kind === 'connect' && s.actor === actor);
  if (connect === undefined) return undefined;
  const p = connectParams(connect);
  if (p.existing_channel_id !== undefined || !validAk(p.initiator_id) || !validAk(p.responder_id)) return undefined;
  const num = (k: string) => BigInt(p[k] ?? '0');
  let state: ClientState = initialClientState({
    role: actor,
    initiator: p.initiator_id,
    responder: p.responder_id,
    networkId: 'local_iris_testnet',
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
      run({ type: 'message', message: ours === undefined ? msg : { ...msg, id: ours } });
    }
    if (s.kind !== 'send') continue;
    const m = s.message as Sent;
    const command = commandOf(m);
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
    const same = (a: string | undefined, b: string | undefined) => a === b || (a !== undefined && b !== undefined && ALIASES[a] === ALIASES[b] && ALIASES[a] !== undefined);
    const keys = (x: Record<string, unknown> | undefined) => Object.keys(x ?? {}).sort().join(',');
    if (sent === undefined) out.mismatches.push(`#${i} expected ${m.method}(${keys(m.params)}), sent nothing`);
    else if (!same(sent.method, m.method) || keys(sent.params) !== keys(m.params)) {
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
const outcomes = transcripts.flatMap((t) => [replay(t, 'initiator'), replay(t, 'responder')]).filter((o): o is Outcome => o !== undefined);

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
