import { devAccounts } from '@aesc/chain';
import { decodeTx, encodeApi, encodeTx } from '@aesc/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import { type Frame, RawClient, info, method, openRawChannel, rawConnectUrl, reply } from './raw-client.js';
import { TestNodes } from './test-nodes.js';

// A signed tx the node takes in from a client carries exactly what the chain accepts: one valid
// signature of each signer it needs, none repeated, no stranger's. The node answers a signed reply
// with nothing, as the æternity node does (`sc_ws_api_jsonrpc`: `signing_response`, `no_reply`;
// a request with an id gets "ok"), and a reply it cannot use ends as aesc_fsm ends it:
// `channels.error` with the reason and a conflict with code 1 for a round or a settle (the peer's
// FSM is told when the acknowledging side's reply was bad), `channels.error` alone for the create
// tx (the request stays open), a conflict with code 5 for close_solo and slash, nothing for
// snapshot_solo. The channel stays at its last co-signed round.

const nodes = new TestNodes();
/** 10 AE: enough for an on-chain fee. */
const AMPLE = '10000000000000000000';
afterEach(() => nodes.close());

/** The tx of a sign request with the signatures of `secrets` added, in that order (for the node's network id, as `client` signs). */
async function withSignatures(client: RawClient, tx: string, ...secrets: string[]): Promise<string> {
  let signed = tx;
  for (const s of secrets) signed = await client.signed(signed, s);
  return signed;
}

const data = (f: Frame) => f.params?.data as Record<string, unknown>;
const roundOf = (f: Frame) => {
  const tx = decodeTx(data(f).state as string).tx;
  return tx.tag === 'channel_offchain_tx' ? tx.round : 1n;
};

async function openChannel(extra: Record<string, string | number> = {}) {
  const node = await nodes.start();
  const opened = await openRawChannel(node, extra);
  nodes.track(opened.i, opened.r);
  const [, , stranger] = await devAccounts(3);
  return { ...opened, stranger: stranger!, node };
}

/**
 * Makes `client` answer the next `channels.sign.<tag>` with `reply(tx)` (a request with id 77), and
 * waits for the node's answer to it: "ok".
 */
async function answerNext(client: RawClient, tag: string, replyMethod: string, signed: (tx: string) => Promise<string>): Promise<void> {
  const asked = new Promise<string>((resolve) => {
    client.onSign = async (t, tx) => {
      if (t !== tag) return { signed_tx: await client.signed(tx) };
      client.onSign = undefined;
      resolve(tx);
      return undefined;
    };
  });
  const tx = await asked;
  client.send({ jsonrpc: '2.0', id: 77, method: replyMethod, params: { signed_tx: await signed(tx) } });
  expect(await client.next(reply(77))).toMatchObject({ result: 'ok' });
}

/** The frames a client got after its `from`th, without id (reports). */
const reportsSince = (c: RawClient, from: number) => c.frames.slice(from).filter((f) => f.id === undefined).map((f) => `${f.method} ${data(f)?.event ?? data(f)?.message ?? data(f)?.error_code ?? ''}`.trim());

/** The channel goes on from round `round`: a transfer makes round + 1 for both, co-signed by exactly two. */
async function goesOnFrom(i: RawClient, r: RawClient, a: { address: string }, b: { address: string }, round: bigint): Promise<void> {
  i.onSign = undefined;
  r.onSign = undefined;
  i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 1 } });
  const [ui, ur] = await Promise.all([i.next(method('channels.update')), r.next(method('channels.update'))]);
  expect([roundOf(ui), roundOf(ur)]).toEqual([round + 1n, round + 1n]);
  expect(decodeTx(data(ur).state as string).signatures).toHaveLength(2);
}

describe('signed replies the node cannot use', () => {
  it('an update signed twice by its originator: no round, channels.error and a conflict; the peer is never asked (issue #21, item 4)', async () => {
    const { i, r, a, b } = await openChannel();
    const [fi, fr] = [i.frames.length, r.frames.length];
    const answered = answerNext(i, 'update', 'channels.update', (tx) => withSignatures(i, tx, a.secretKey, a.secretKey));
    i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 5 } });
    await answered;
    const conflict = await i.next(method('channels.conflict'));
    expect(data(conflict)).toMatchObject({ error_code: 1, error_msg: 'validation error', round: 1 });
    expect(reportsSince(i, fi)).toEqual(['channels.sign.update', 'channels.error bad_signature', 'channels.conflict 1']);
    await goesOnFrom(i, r, a, b, 1n);
    // The responder only ever saw the round that went through.
    expect(reportsSince(r, fr)).toEqual(['channels.info update', 'channels.sign.update_ack', 'channels.update']);
  });

  it('an update_ack carrying the acknowledging side’s signature twice: a conflict for both, no 3-signature state', async () => {
    const { i, r, a, b } = await openChannel();
    const answered = answerNext(r, 'update_ack', 'channels.update_ack', (tx) => withSignatures(r, tx, b.secretKey, b.secretKey));
    i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 5 } });
    await answered;
    expect(data(await r.next(method('channels.error')))).toEqual({ message: 'bad_signature' });
    expect(data(await r.next(method('channels.conflict')))).toMatchObject({ error_code: 1, round: 1 });
    // The originator's round ends with the code the peer's FSM sent.
    expect(data(await i.next(method('channels.conflict')))).toMatchObject({ error_code: 1, round: 1 });
    expect(i.frames.some((f) => f.method === 'channels.update' && roundOf(f) === 2n)).toBe(false);
    await goesOnFrom(i, r, a, b, 1n);
  });

  it('a stranger’s signature, one of the other party’s, another tx, a ga_meta_tx: each refused with the node’s reason', async () => {
    const { i, r, a, b, stranger } = await openChannel();
    const cases: [string, (tx: string) => Promise<string>][] = [
      ['bad_signature', (tx) => withSignatures(i, tx, stranger.secretKey)],
      ['bad_signature', (tx) => withSignatures(i, tx, a.secretKey, stranger.secretKey)],
      ['bad_signature', (tx) => withSignatures(i, tx, b.secretKey)],
      [
        'wrong_round',
        async (tx) => {
          const s = decodeTx(tx);
          const inner = s.tx as { round: bigint };
          return withSignatures(i, encodeTx({ ...s, tx: { ...s.tx, round: inner.round + 1n } as never }), a.secretKey);
        },
      ],
      [
        'bad_signature',
        async (tx) => {
          // the asked tx, signed, inside a generalized account's meta tx
          const inner = decodeTx(await withSignatures(i, tx, a.secretKey));
          const meta = { tag: 'ga_meta_tx', version: 2, gaId: a.address, authData: encodeApi('cb', new Uint8Array([1])), abiVersion: 3n, fee: 10n ** 15n, gas: 1000n, gasPrice: 10n ** 9n, tx: inner };
          return encodeTx({ tag: 'signed_tx', version: 1, signatures: [], tx: meta } as never);
        },
      ],
    ];
    for (const [reason, signed] of cases) {
      const answered = answerNext(i, 'update', 'channels.update', signed);
      i.send({ jsonrpc: '2.0', method: 'channels.update.new', params: { from: a.address, to: b.address, amount: 5 } });
      await answered;
      expect(data(await i.next(method('channels.error')))).toEqual({ message: reason });
      expect(data(await i.next(method('channels.conflict')))).toMatchObject({ error_code: 1, round: 1 });
    }
    await goesOnFrom(i, r, a, b, 1n);
  });

  it('deposit, withdraw and shutdown, from either side of the round: a conflict for the channel, which goes on', async () => {
    // (enough in the channel for a close_mutual's fee)
    const { i, r, a, b } = await openChannel({ initiator_amount: AMPLE, responder_amount: AMPLE });
    const rounds: [string, string, Record<string, unknown>, 'i' | 'r'][] = [
      ['deposit_tx', 'channels.deposit', { amount: 10 }, 'i'],
      ['deposit_ack', 'channels.deposit', { amount: 10 }, 'r'],
      ['withdraw_tx', 'channels.withdraw', { amount: 10 }, 'i'],
      ['withdraw_ack', 'channels.withdraw', { amount: 10 }, 'r'],
      ['shutdown_sign', 'channels.shutdown', {}, 'i'],
      ['shutdown_sign_ack', 'channels.shutdown', {}, 'r'],
    ];
    for (const [tag, start, params, who] of rounds) {
      const [client, key] = who === 'i' ? [i, a.secretKey] : [r, b.secretKey];
      const answered = answerNext(client, tag, `channels.${tag}`, (tx) => withSignatures(client, tx, key, key));
      i.send({ jsonrpc: '2.0', method: start, params });
      await answered;
      expect(data(await client.next(method('channels.error'))), tag).toEqual({ message: 'bad_signature' });
      expect(data(await client.next(method('channels.conflict'))), tag).toMatchObject({ error_code: 1, round: 1 });
      // an acknowledging side's refusal ends the originator's round too
      if (who === 'r') expect(data(await i.next(method('channels.conflict'))), tag).toMatchObject({ error_code: 1, round: 1 });
    }
    await goesOnFrom(i, r, a, b, 1n);
  });

  it('a reply that comes when nothing waits for it, or after its round ended, gets nothing but "ok"', async () => {
    const { i, r, a, b } = await openChannel();
    const signedTwice = await withSignatures(i, data(i.frames.find(method('channels.update'))!).state as string, a.secretKey);
    const before = i.frames.length;
    i.send({ jsonrpc: '2.0', id: 5, method: 'channels.update', params: { signed_tx: signedTwice } });
    expect(await i.next(reply(5))).toMatchObject({ result: 'ok' });
    i.send({ jsonrpc: '2.0', method: 'channels.update_ack', params: { signed_tx: signedTwice } });
    // (nothing without an id: the ping's pong is the next frame)
    i.send({ jsonrpc: '2.0', method: 'channels.system', params: { action: 'ping' } });
    await i.next(method('channels.system.pong'));
    expect(i.frames.slice(before).map((f) => f.method ?? 'result')).toEqual(['result', 'channels.system.pong']);
    await goesOnFrom(i, r, a, b, 1n);
  });
});

describe('signed replies to the create tx and to solo txs', () => {
  it('the create tx signed twice, by either party: channels.error, and the request stays open for a good reply', async () => {
    const node = await nodes.start();
    const [a, b] = await devAccounts(2);
    const url = (role: string) => rawConnectUrl(node, a!, b!, role, 15_950, { minimum_depth: 0, minimum_depth_strategy: 'plain' });
    const networkId = node.node.chainInfo.networkId;
    const r = new RawClient(url('responder'), b!.secretKey, networkId);
    const i = new RawClient(url('initiator'), a!.secretKey, networkId);
    nodes.track(i, r);
    for (const [client, tag, replyMethod, secret] of [
      [i, 'initiator_sign', 'channels.initiator_sign', a!.secretKey],
      [r, 'responder_sign', 'channels.responder_sign', b!.secretKey],
    ] as const) {
      let asked: string | undefined;
      client.onSign = async (t, tx) => {
        if (t === tag) asked = tx;
        return undefined;
      };
      await client.next(method(`channels.sign.${tag}`));
      client.send({ jsonrpc: '2.0', method: replyMethod, params: { signed_tx: await withSignatures(client, asked!, secret, secret) } });
      expect(data(await client.next(method('channels.error')))).toEqual({ message: 'bad_signature' });
      client.onSign = undefined;
      client.send({ jsonrpc: '2.0', method: replyMethod, params: { signed_tx: await client.signed(asked!) } });
    }
    await Promise.all([i.next(info('open')), r.next(info('open'))]);
    expect(decodeTx(data(await r.next(method('channels.update'))).state as string).signatures).toHaveLength(2);
  });

  it('close_solo signed twice: a conflict with code 5 (rejected on-chain), nothing posted; snapshot_solo: dropped; settle: channels.error and a conflict', async () => {
    const { i, r, a, b, node } = await openChannel({ lock_period: 1 });
    await goesOnFrom(i, r, a, b, 1n);
    // snapshot_solo: the request is dropped without a report
    const fs = i.frames.length;
    const snap = answerNext(i, 'snapshot_solo_tx', 'channels.snapshot_solo_sign', (tx) => withSignatures(i, tx, a.secretKey, a.secretKey));
    i.send({ jsonrpc: '2.0', id: 1, method: 'channels.snapshot_solo', params: {} });
    await snap;
    i.send({ jsonrpc: '2.0', method: 'channels.system', params: { action: 'ping' } });
    await i.next(method('channels.system.pong'));
    expect(reportsSince(i, fs)).toEqual(['channels.sign.snapshot_solo_tx', 'channels.system.pong']);
    // close_solo
    const height = node.chain!.chain.height;
    const closeSolo = answerNext(i, 'close_solo_sign', 'channels.close_solo_sign', (tx) => withSignatures(i, tx, a.secretKey, a.secretKey));
    i.send({ jsonrpc: '2.0', id: 2, method: 'channels.close_solo', params: {} });
    await closeSolo;
    expect(data(await i.next(method('channels.conflict')))).toMatchObject({ error_code: 5, error_msg: 'rejected on-chain', round: 2 });
    expect(i.frames.some((f) => f.method === 'channels.error')).toBe(false);
    expect(node.chain!.chain.height).toBe(height); // nothing was mined
    // a good close_solo, then settle signed twice
    i.send({ jsonrpc: '2.0', id: 3, method: 'channels.close_solo', params: {} });
    await i.next(info('closing'));
    const settle = answerNext(i, 'settle_sign', 'channels.settle_sign', (tx) => withSignatures(i, tx, a.secretKey, a.secretKey));
    i.send({ jsonrpc: '2.0', id: 4, method: 'channels.settle', params: {} });
    await settle;
    expect(data(await i.next(method('channels.error')))).toEqual({ message: 'bad_signature' });
    expect(data(await i.next(method('channels.conflict')))).toMatchObject({ error_code: 1, round: 2 });
  });
});
