import { devAccounts } from '@aesc/chain';
import { afterEach, describe, expect, it } from 'vitest';
import { RawClient, info, method, openRawChannel, rawConnectUrl } from './raw-client.js';
import { TestNodes } from './test-nodes.js';

// Timeouts (sc_ws_timeout_open, sc_ws_min_depth_not_reached_timeout in the corpus), and the idle
// timer of an open channel (timeout_idle: the node's timer in open, restarted by every event).

const nodes = new TestNodes();
afterEach(() => nodes.close());

async function url(role: string, extra: Record<string, string | number>) {
  const [a, b] = await devAccounts(2);
  return {
    a: a!,
    b: b!,
    url: rawConnectUrl(nodes.node, a!, b!, role, 16001, extra),
  };
}

describe('FSM timeouts', () => {
  it('an initiator whose responder never comes: timeout, died (timeout_accept)', async () => {
    const node = await nodes.start();
    const { a, url: u } = await url('initiator', { timeout_accept: 300 });
    const i = new RawClient(u, a.secretKey, 'ae_dev');
    nodes.track(i);
    await i.next(info('fsm_up'));
    await i.next(info('timeout'));
    await i.next(info('died'));
    expect(node.node.fsms).toHaveLength(0);
  });

  it('a minimum depth not reached in timeout_funding_lock: the initiator times out, both die', async () => {
    const node = await nodes.start();
    // txfee with factor 1: the depth is the create fee over the gas price, thousands of blocks.
    const extra = { minimum_depth: 1, timeout_funding_lock: 500 };
    const r0 = await url('responder', extra);
    const i0 = await url('initiator', extra);
    const r = new RawClient(r0.url, r0.b.secretKey, 'ae_dev');
    const i = new RawClient(i0.url, i0.a.secretKey, 'ae_dev');
    nodes.track(i, r);
    await i.next(method('channels.on_chain_tx'));
    await node.chain!.chain.emitKeyBlocks(5);
    await i.next(info('timeout'));
    await i.next(info('died'));
    await r.next(info('died'));
    expect(r.frames.some(info('timeout'))).toBe(false);
  });

  it('an open channel idle for timeout_idle: the initiator times out and dies, the keep-running responder waits on', async () => {
    const { node, i, r, a, b } = await nodes.openChannel({ timeout_idle: 600 });
    const opened = Date.now();
    // Rounds every 250 ms for over a second: each one restarts the idle timer.
    for (let n = 1; n <= 5; n++) {
      await new Promise((res) => setTimeout(res, 250));
      i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: n } });
      await Promise.all([i.next(method('channels.update')), r.next(method('channels.update'))]);
    }
    expect(Date.now() - opened).toBeGreaterThan(1200);
    expect(i.frames.some(info('timeout'))).toBe(false);
    // Then nothing: the initiator's FSM stops.
    const quiet = Date.now();
    await i.next(info('timeout'));
    expect(Date.now() - quiet).toBeGreaterThanOrEqual(500);
    await i.next(info('died'));
    await r.next(info('peer_disconnected'));
    // The responder (keep_running) outlives further idle periods.
    await new Promise((res) => setTimeout(res, 1500));
    expect(r.frames.some(info('timeout'))).toBe(false);
    expect(r.frames.some(info('died'))).toBe(false);
    expect(node.node.fsms.map((f) => [f.role, f.phase])).toEqual([['responder', 'open']]);
  });

  it('a responder without keep_running also stops when its open channel is idle', async () => {
    const node = await nodes.start();
    // The responder's idle timer is the shorter one, so it is the first to go.
    const { i, r } = await openRawChannel(node, {}, { initiator: { timeout_idle: 5000 }, responder: { timeout_idle: 400, keep_running: 'false' } });
    nodes.track(i, r);
    await r.next(info('timeout'));
    await r.next(info('died'));
    await i.next(info('died'));
    expect(i.frames.some(info('timeout'))).toBe(false);
    expect(node.node.fsms).toHaveLength(0);
  });
});
