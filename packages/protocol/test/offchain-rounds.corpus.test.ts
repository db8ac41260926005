import { connectParams, loadTranscripts, type Step } from '@aesc/corpus';
import { validateClientMessage } from '@aesc/channel-api';
import type { AccountAddress } from '@aesc/encoding';
import { updateFromJson } from '@aesc/state';
import { describe, expect, it } from 'vitest';
import { offchainRound, offchainRoundOfMethod, offchainRoundOfUpdates } from '../src/offchain-rounds.js';
import { sameUpdates } from '../src/same-updates.js';

type Msg = { method?: string; params?: Record<string, unknown>; error?: { data?: { code: number }[]; request?: unknown } };

const isSignUpdate = (s: Step) => s.kind === 'recv' && (s.message as Msg | undefined)?.method === 'channels.sign.update';

/**
 * The channel's participants: from the connect URL, or (a transcript recorded on a running
 * channel) the accounts of the transfers the node took past its participants check (an
 * insufficient balance, 1001); none when neither tells.
 */
function participantsOf(steps: readonly Step[]): AccountAddress[] {
  const connect = steps.find((s) => s.kind === 'connect' && s.url !== undefined);
  if (connect !== undefined) {
    const { initiator_id, responder_id } = connectParams(connect);
    return [initiator_id, responder_id] as AccountAddress[];
  }
  const taken = steps.flatMap((s) => {
    const e = (s.message as Msg | undefined)?.error;
    const params = (e?.request as Msg | undefined)?.params;
    return e?.data?.[0]?.code === 1001 && params !== undefined ? [params.from, params.to] : [];
  });
  return [...new Set(taken)] as AccountAddress[];
}

describe('the off-chain round kinds against the node (every channels.update.new of the corpus)', () => {
  it('read each valid request, refuse it as the node does, and build the updates the node asks to sign', () => {
    let asked = 0;
    let refused = 0;
    for (const t of loadTranscripts()) {
      const participants = participantsOf(t.steps);
      t.steps.forEach((step, i) => {
        const m = step.message as Msg | undefined;
        if (step.kind !== 'send' || m?.method === undefined) return;
        const kind = offchainRoundOfMethod(m.method);
        if (kind === undefined || !validateClientMessage(m).ok) return;
        const round = offchainRound(kind);
        const request = round.request(m.params ?? {});
        // The client's params for that request are the ones sent (amounts as integers of any size).
        const { block_hash: _, ...sent } = m.params ?? {};
        expect({ ...round.params(request), amount: String(round.params(request).amount) }).toEqual({ ...sent, amount: String(sent.amount) });
        // What the node answered this request with: its sign request, or an error that echoes it.
        const answer = t.steps.slice(i + 1).find((s) => s.actor === step.actor && (isSignUpdate(s) || (s.message as Msg | undefined)?.error?.request !== undefined));
        const reply = answer?.message as Msg | undefined;
        const reason = reply?.error?.data?.[0]?.code;
        if (reason === 1003) {
          expect(round.refusal(request, participants), `${t.file} step ${i}`).toBe(1003);
          refused++;
          return;
        }
        if (answer === undefined || !isSignUpdate(answer)) return; // refused for the channel's state (balance, busy): the node's to find
        if (participants.length > 0) expect(round.refusal(request, participants), `${t.file} step ${i}`).toBeUndefined();
        const reported = ((reply?.params?.data as { updates?: unknown[] } | undefined)?.updates ?? []).map(updateFromJson);
        expect(sameUpdates(round.updates(request), reported), `${t.file} step ${i}`).toBe(true);
        // A client that kept this proposal tells from the updates alone what it had asked for.
        expect(offchainRoundOfUpdates(reported)).toEqual({ kind, request });
        asked++;
      });
    }
    expect(asked).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(0);
  });
});
