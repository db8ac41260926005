import { loadTranscripts, type Transcript } from '@aesc/corpus';
import {
  AESC_ERROR__CHANNEL_API__INVALID_CONNECT_PARAM,
  AESC_ERROR__CHANNEL_API__INVALID_PARAMS,
  isAescError,
} from '@aesc/errors';
import { stringifyJson } from '@aesc/rpc';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConnectUrl } from '../src/connect-params.js';
import { validateClientMessage } from '../src/validate-client-message.js';
import { validateNodeMessage } from '../src/validate-node-message.js';

/** Reasons that depend on channel or chain state: a static validator must accept those messages. */
const STATE_DEPENDENT = new Set([100, 1001, 1003, 1004, 1007, 1011, 1012, 1013, 1016, 1018]);

interface ErrorFrame {
  id: unknown;
  error: { code: number; data?: { code: number }[]; request?: unknown };
}

let transcripts: Transcript[];
beforeAll(() => {
  transcripts = loadTranscripts();
});

/**
 * Indexes a transcript's responses: by actor and id, and (for `"id": null` errors) by actor and the
 * echoed request, each a queue of step indices in order.
 */
function indexResponses(t: Transcript): Map<string, number[]> {
  const index = new Map<string, number[]>();
  t.steps.forEach((r, j) => {
    if (r.kind !== 'recv') return;
    const m = r.message as Partial<ErrorFrame> & { result?: unknown };
    let key: string | undefined;
    if ('id' in m && m.id !== null) key = `${r.actor} id ${String(m.id)}`;
    else if (m.error && m.error.request !== undefined) key = `${r.actor} req ${stringifyJson(m.error.request)}`;
    if (key === undefined) return;
    const q = index.get(key) ?? [];
    q.push(j);
    index.set(key, q);
  });
  return index;
}

/** The node's error answer to the `send` at `index`: by id, or by the echoed request for id-less ones. */
function nodeErrorFor(t: Transcript, index: number, responses: Map<string, number[]>): ErrorFrame | undefined {
  const step = t.steps[index];
  const msg = step?.message as { id?: unknown };
  const key =
    'id' in msg && msg.id !== null
      ? `${step?.actor} id ${String(msg.id)}`
      : `${step?.actor} req ${stringifyJson(msg)}`;
  const q = responses.get(key);
  while (q && q.length > 0 && (q[0] as number) < index) q.shift();
  const j = q?.shift();
  if (j === undefined) return undefined;
  const m = t.steps[j]?.message as Partial<ErrorFrame>;
  return m.error ? (m as ErrorFrame) : undefined;
}

describe('corpus conformance', () => {
  it('validates every client message as the node judged it', () => {
    const counts = { send: 0, valid: 0, validRejectedForState: 0, flaggedAsNode: 0 };
    const flaggedByCode = new Map<string, number>();
    for (const t of transcripts) {
      const responses = indexResponses(t);
      t.steps.forEach((step, i) => {
        if (step.kind !== 'send') return;
        counts.send++;
        const where = `${t.file} step ${i}: ${stringifyJson(step.message).slice(0, 200)}`;
        const r = validateClientMessage(step.message);
        const nodeError = nodeErrorFor(t, i, responses);
        const nodeCodes = nodeError?.error.data?.map((d) => d.code) ?? [];
        if (nodeError && !nodeCodes.every((c) => STATE_DEPENDENT.has(c))) {
          expect(r.ok, where).toBe(false);
          if (r.ok) return;
          expect(isAescError(r.error, AESC_ERROR__CHANNEL_API__INVALID_PARAMS), where).toBe(true);
          if (!isAescError(r.error, AESC_ERROR__CHANNEL_API__INVALID_PARAMS)) return;
          expect(r.error.context.nodeCodes, where).toEqual(nodeCodes);
          expect(r.error.context.rpcCode, where).toBe(nodeError.error.code);
          counts.flaggedAsNode++;
          const key = nodeCodes.join('+');
          flaggedByCode.set(key, (flaggedByCode.get(key) ?? 0) + 1);
        } else {
          expect(r.ok ? 'valid' : r.error.message, where).toBe('valid');
          if (nodeError) counts.validRejectedForState++;
          else counts.valid++;
        }
      });
    }
    console.log('client messages', counts, Object.fromEntries(flaggedByCode));
    expect(counts.send).toBe(10910);
    expect(counts.valid + counts.validRejectedForState + counts.flaggedAsNode).toBe(10910);
    // 5662 deliberately invalid messages flagged with the node's own codes; 116 valid ones the node
    // refused for state reasons (unknown call, insufficient balance, not allowed now, …).
    expect(counts).toEqual({ send: 10910, valid: 5132, validRejectedForState: 116, flaggedAsNode: 5662 });
    expect(Object.fromEntries(flaggedByCode)).toEqual({
      '1002': 2,
      '1005': 962,
      '1006': 1524,
      '1008': 2377,
      '1009': 692,
      '1014': 65,
      '1005+1006': 40,
    });
  });

  it('validates every node message', () => {
    const kinds = { result: 0, error: 0, notification: 0 };
    for (const t of transcripts) {
      t.steps.forEach((step, i) => {
        if (step.kind !== 'recv') return;
        const r = validateNodeMessage(step.message);
        expect(r.ok ? 'valid' : r.error.message, `${t.file} step ${i}`).toBe('valid');
        if (r.ok) kinds[r.value.kind]++;
      });
    }
    console.log('node messages', kinds);
    expect(kinds.result + kinds.error + kinds.notification).toBe(17273);
    expect(kinds).toEqual({ result: 2460, error: 5818, notification: 8995 });
  });

  it('parses every connect URL, flagging the broken ones as the node did', () => {
    const counts = { urls: 0, valid: 0, validRejectedForState: 0, flaggedAsNode: 0 };
    for (const t of transcripts) {
      t.steps.forEach((step, i) => {
        if (step.kind !== 'connect' || !step.url) return;
        counts.urls++;
        let nodeCodes: number[] | undefined;
        for (let j = i + 1; j < t.steps.length; j++) {
          const r = t.steps[j];
          if (r?.actor !== step.actor) continue;
          if (r.kind === 'connect') break;
          if (r.kind !== 'recv') continue;
          const m = r.message as Partial<ErrorFrame>;
          if (m.error && stringifyJson(m.error.request) === '{}') nodeCodes = m.error.data?.map((d) => d.code) ?? [];
          break;
        }
        const where = `${t.file} step ${i}: ${step.url}`;
        const r = parseConnectUrl(step.url);
        const flagged = !r.ok && isAescError(r.error, AESC_ERROR__CHANNEL_API__INVALID_CONNECT_PARAM) ? r.error.context.nodeCodes : undefined;
        if (nodeCodes && flagged) {
          expect(flagged, where).toEqual(nodeCodes);
          counts.flaggedAsNode++;
        } else if (nodeCodes?.every((c) => STATE_DEPENDENT.has(c))) {
          expect(r.ok ? 'valid' : r.error.message, where).toBe('valid');
          counts.validRejectedForState++;
        } else {
          expect(nodeCodes, where).toBeUndefined();
          expect(r.ok ? 'valid' : r.error.message, where).toBe('valid');
          counts.valid++;
        }
      });
    }
    console.log('connect URLs', counts);
    expect(counts).toEqual({ urls: 293, valid: 253, validRejectedForState: 10, flaggedAsNode: 30 });
  });
});
