import { emitKeyBlocksViaHttp } from '@aesc/chain';
import { decodeTx } from '@aesc/encoding';
import { parseJson } from '@aesc/rpc';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { stopChildren } from '../../../../tooling/vitest/processes.js';
import { nodeProcessDir } from './node-process.js';
import { openPair } from './clients.js';

// Issue 6, must-show 4: SIGKILL the node after N acknowledged rounds, restart it on the same data
// directory, reestablish both clients: both see round N and the balances are intact.

let dir: Awaited<ReturnType<typeof nodeProcessDir>> | undefined;
afterAll(async () => {
  await stopChildren();
  await dir?.dispose();
});

/** A raw JSON-RPC client on a WebSocket: the frames it got, in order. */
function rawClient(url: string): { frames: Record<string, unknown>[]; next: (pred: (f: Record<string, unknown>) => boolean) => Promise<Record<string, unknown>>; ws: WebSocket } {
  const ws = new WebSocket(url);
  const frames: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (d) => {
    frames.push(parseJson(d.toString()) as Record<string, unknown>);
    for (const w of [...waiters]) w();
  });
  const next = async (pred: (f: Record<string, unknown>) => boolean) => {
    for (;;) {
      const f = frames.find(pred);
      if (f) return f;
      await new Promise<void>((r) => {
        waiters.add(r);
        setTimeout(r, 200);
      });
    }
  };
  return { frames, next, ws };
}

const event = (e: string) => (f: Record<string, unknown>) => (f.params as { data?: { event?: string } } | undefined)?.data?.event === e;

describe('a node killed after acknowledged rounds', () => {
  it('restarts from its state cache and both clients reestablish at that round', async () => {
    dir = await nodeProcessDir();
    const first = await dir.start();
    const port = Number(new URL(first.url).port);
    const handle = { channelUrl: `ws://127.0.0.1:${port}/channel`, node: { chainInfo: { networkId: 'ae_dev' } } } as never;
    const { initiator, responder, accounts } = await openPair(handle, { port: 14100 });
    const [a, b] = accounts;
    const opened = Promise.all([initiator.waitFor('open'), responder.waitFor('open')]);
    let open = false;
    void opened.then(() => (open = true));
    while (!open) {
      await emitKeyBlocksViaHttp(first.url, 1);
      await new Promise((r) => setTimeout(r, 30));
    }
    const N = 6n;
    for (let round = 2n; round <= N; round++) {
      expect(await (round % 2n === 0n ? initiator.transfer(b.address, round) : responder.transfer(a.address, 1n))).toBe(round);
    }
    const channelId = initiator.state().channelId!;
    const fsmIds = { initiator: initiator.state().fsmId!, responder: responder.state().fsmId! };
    await dir.kill(first);
    initiator.close();
    responder.close();

    await dir.start(port);
    const reestablish = (role: 'initiator' | 'responder') =>
      rawClient(
        `ws://127.0.0.1:${port}/channel?protocol=json-rpc&role=${role}&host=127.0.0.1&port=14100&existing_channel_id=${channelId}&existing_fsm_id=${encodeURIComponent(fsmIds[role])}`,
      );
    const r = reestablish('responder');
    const i = reestablish('initiator');
    for (const c of [i, r]) {
      await c.next(event('fsm_up'));
      await c.next(event('channel_reestablished'));
      await c.next(event('open'));
      const update = await c.next((f) => f.method === 'channels.update');
      const state = (update.params as { data: { state: string } }).data.state;
      const tx = decodeTx(state).tx;
      expect(tx.tag === 'channel_offchain_tx' && tx.round).toBe(N);
      expect(decodeTx(state).signatures).toHaveLength(2);
      c.ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'channels.get.balances', params: { accounts: [a.address, b.address] } }));
      const reply = await c.next((f) => f.id === 1);
      const balances = (reply.result as { account: string; balance: number }[]).map((x) => BigInt(x.balance));
      // Transfers: I→R 2 + 4 + 6, R→I 1 + 1, on top of the push of 1.
      expect(balances).toEqual([70_000_000_000_000n - 1n - 12n + 2n, 40_000_000_000_000n + 1n + 12n - 2n]);
    }
    i.ws.close();
    r.ws.close();
  }, 60_000);
});
