import type { SignedTx } from '@aesc/encoding';
import { AESC_ERROR__CHANNEL__NOT_ALLOWED_NOW, AESC_ERROR__CHANNEL__REJECTED_BY_NODE, AescError } from '@aesc/errors';
import { describe, expect, it } from 'vitest';
import type { ChannelEvent, ClientState } from '../machine/types.js';
import { type DisputableClient, type DisputeProgress, autoDispute } from './auto-dispute.js';

/** A client whose slash and settle the test answers, and whose events the test emits. */
function fakeClient() {
  const listeners = new Set<(e: ChannelEvent) => void>();
  const calls: string[] = [];
  const answers: { slash: (() => Promise<unknown>)[]; settle: (() => Promise<unknown>)[] } = { slash: [], settle: [] };
  let command: unknown;
  const client: DisputableClient = {
    state: () => ({ command, last: { state: { round: 7n } } }) as unknown as ClientState,
    on(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    slash: () => {
      calls.push('slash');
      return answers.slash.shift()?.() ?? Promise.resolve();
    },
    settle: () => {
      calls.push('settle');
      return answers.settle.shift()?.() ?? Promise.resolve();
    },
  };
  const emit = (e: ChannelEvent) => {
    for (const l of [...listeners]) l(e);
  };
  const canSlash = () => emit({ type: 'on-chain-tx', info: 'can_slash', tx: {} as SignedTx, txType: 'channel_offchain_tx' });
  return { client, calls, answers, emit, canSlash, setBusy: (busy: boolean) => (command = busy ? {} : undefined), listeners };
}

const settled = () => new Promise((r) => setTimeout(r, 0));

describe('autoDispute', () => {
  it('slashes on can_slash with the latest round, then settles', async () => {
    const f = fakeClient();
    const seen: DisputeProgress[] = [];
    autoDispute(f.client, { onProgress: (p) => seen.push(p) });
    f.canSlash();
    await settled();
    expect(f.calls).toEqual(['slash', 'settle']);
    expect(seen).toEqual([{ type: 'slashing', round: 7n }, { type: 'slashed', round: 7n }, { type: 'settling' }, { type: 'settled' }]);
  });

  it('does nothing on other chain reports (a proper solo close, a channel change)', async () => {
    const f = fakeClient();
    autoDispute(f.client);
    f.emit({ type: 'on-chain-tx', info: 'solo_closing', tx: {} as SignedTx, txType: 'channel_close_solo_tx' });
    f.emit({ type: 'on-chain-tx', info: 'channel_changed', tx: {} as SignedTx, txType: 'channel_deposit_tx' });
    f.emit({ type: 'info', event: 'closing', data: {} });
    await settled();
    expect(f.calls).toEqual([]);
  });

  it('with settle: false, only slashes', async () => {
    const f = fakeClient();
    autoDispute(f.client, { settle: false });
    f.canSlash();
    await settled();
    expect(f.calls).toEqual(['slash']);
  });

  it('waits while a round of its own runs, and slashes as soon as it ends', async () => {
    const f = fakeClient();
    f.setBusy(true);
    autoDispute(f.client, { settle: false });
    f.canSlash();
    await settled();
    expect(f.calls).toEqual([]);
    f.setBusy(false);
    f.emit({ type: 'phase', phase: 'open' });
    await settled();
    expect(f.calls).toEqual(['slash']);
  });

  it('a slash refused as busy (a race with a command) is tried again when the client is free', async () => {
    const f = fakeClient();
    f.answers.slash.push(() => Promise.reject(new AescError(AESC_ERROR__CHANNEL__NOT_ALLOWED_NOW, { command: 'slash', phase: 'busy' })));
    const seen: string[] = [];
    autoDispute(f.client, { settle: false, onProgress: (p) => seen.push(p.type) });
    f.canSlash();
    await settled();
    await settled();
    expect(f.calls).toEqual(['slash', 'slash']);
    expect(seen).toEqual(['slashing', 'slashing', 'slashed']);
  });

  it('reports a slash the node refused, and tries again on the next can_slash only', async () => {
    const f = fakeClient();
    const error = new AescError(AESC_ERROR__CHANNEL__REJECTED_BY_NODE, { method: 'channels.slash', code: 3, reason: 'no' });
    f.answers.slash.push(() => Promise.reject(error));
    const seen: DisputeProgress[] = [];
    autoDispute(f.client, { settle: false, onProgress: (p) => seen.push(p) });
    f.canSlash();
    await settled();
    expect(seen.at(-1)).toEqual({ type: 'failed', step: 'slash', error });
    f.emit({ type: 'phase', phase: 'open' });
    await settled();
    expect(f.calls).toEqual(['slash']);
    f.canSlash();
    await settled();
    expect(f.calls).toEqual(['slash', 'slash']);
  });

  it('one dispute at a time: a second can_slash during the slash does not start another', async () => {
    const f = fakeClient();
    let finish: () => void = () => undefined;
    f.answers.slash.push(() => new Promise<void>((r) => (finish = r)));
    autoDispute(f.client, { settle: false });
    f.canSlash();
    await settled();
    f.canSlash();
    await settled();
    expect(f.calls).toEqual(['slash']);
    finish();
    await settled();
    // The second report came while the first slash ran: it is acted on once that one ends.
    expect(f.calls).toEqual(['slash', 'slash']);
  });

  it('stops listening when stopped or when its signal aborts', async () => {
    const f = fakeClient();
    const stop = autoDispute(f.client);
    stop();
    const controller = new AbortController();
    autoDispute(f.client, { signal: controller.signal });
    controller.abort();
    expect(f.listeners.size).toBe(0);
    f.canSlash();
    await settled();
    expect(f.calls).toEqual([]);
  });
});
