import fc from 'fast-check';
import { decodeTx } from '@aesc/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import { type Frame, method, openRawChannel, reply } from '../e2e/raw-client.js';
import { TestNodes } from '../e2e/test-nodes.js';

// Generated garbage on the /channel endpoint, from broken JSON to known methods with params of any
// shape: the node answers, keeps the socket, starts nothing, and the channel goes on at the round
// it was at. (The requests that act without params — shutdown, leave, close_solo, settle, slash,
// snapshot_solo, system — are left out: any params are valid for them.)

const nodes = new TestNodes();
afterEach(() => nodes.close());

/** Methods a client may send that need params of a shape random ones do not have, or only read. */
const METHODS = [
  'channels.update.new',
  'channels.deposit',
  'channels.withdraw',
  'channels.message',
  'channels.update',
  'channels.update_ack',
  'channels.initiator_sign',
  'channels.responder_sign',
  'channels.shutdown_sign',
  'channels.deposit_tx',
  'channels.withdraw_ack',
  'channels.get.balances',
  'channels.get.offchain_state',
  'channels.get.poi',
  'channels.get.contract',
  'channels.update.new_contract',
  'channels.update.call_contract',
  'channels.dry_run.call_contract',
  'channels.force_progress',
  'channels.no_such_method',
];

const jsonish = fc.jsonValue({ maxDepth: 3 });
const frame = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', '{', '[', '[]', 'null', '0', '"channels.update.new"', '{"jsonrpc":"2.0"}', '{"method":null}'),
  jsonish.map((v) => JSON.stringify(v) ?? 'null'),
  fc
    .record(
      {
        jsonrpc: fc.oneof(fc.constant('2.0'), jsonish),
        id: fc.oneof(fc.nat(), fc.string({ maxLength: 8 }), jsonish),
        method: fc.oneof(fc.constantFrom(...METHODS), fc.string({ maxLength: 20 }), jsonish),
        params: jsonish,
      },
      { requiredKeys: ['method'] },
    )
    .map((m) => JSON.stringify(m)),
);

const round = (f: Frame) => {
  const tx = decodeTx(f.params!.data!.state as string).tx;
  return tx.tag === 'channel_offchain_tx' ? tx.round : 1n;
};

describe('generated garbage on the /channel endpoint', () => {
  it('gets answers, starts nothing, and leaves the channel at its round', async () => {
    const node = await nodes.start();
    const { i, r, a, b } = await openRawChannel(node);
    nodes.track(i, r);
    const before = i.frames.length;
    const sent = fc.sample(frame, { numRuns: 400, seed: 42 });
    for (const text of sent) i.send(text);
    // A ping after the garbage: once its pong is in, every frame before it was handled.
    i.send({ jsonrpc: '2.0', method: 'channels.system', params: { action: 'ping' } });
    await i.next(method('channels.system.pong'));
    const answers = i.frames.slice(before);
    expect(answers.filter((f) => 'error' in f).length).toBeGreaterThan(sent.length / 2);
    const started = answers.filter((f) => f.method?.startsWith('channels.sign.') || f.method === 'channels.update' || f.method === 'channels.conflict' || f.method === 'channels.on_chain_tx');
    expect(started).toEqual([]);
    expect(i.ws.readyState).toBe(i.ws.OPEN);
    // The channel goes on where it was: the next transfer is round 2, and the balances add up.
    i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 5 } });
    expect(round(await i.next(method('channels.update')))).toBe(2n);
    i.send({ jsonrpc: '2.0', id: 1, method: 'channels.get.balances', params: { accounts: [a.address, b.address] } });
    const balances = (await i.next(reply(1))).result as { account: string; balance: number | bigint }[];
    expect(balances.map((x) => [x.account, BigInt(x.balance)])).toEqual([
      [a.address, 1_000_000n - 5n],
      [b.address, 1_000_000n + 5n],
    ]);
  });
});
