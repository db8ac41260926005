import { addSignature } from '@aesc/crypto';
import { type SignedTx, decodeTx, encodeTx } from '@aesc/encoding';
import { AESC_ERROR__CHANNEL__NOT_CO_SIGNED, AESC_ERROR__CHANNEL__STORE_FAILED, type AescError } from '@aesc/errors';
import { transferUpdates } from '@aesc/protocol';
import { updateToJson } from '@aesc/state';
import { describe, expect, it } from 'vitest';
import { expectNoUnhandledRejections, methods, scriptedChannel } from '../../test/driver/scripted-node.js';
import type { ChannelEvent, ClientConfig } from '../machine/types.js';
import type { ChannelRecord, PendingProposal } from '../store/channel-record.js';
import type { ChannelStore } from '../store/channel-store.js';
import { memoryStore } from '../store/memory-store.js';

// The driver around the machine, with real keys and signatures: the pending proposal is durable
// before the signer is asked (C1), and a client that comes back takes its pending round only with
// both participants' signatures verified for the channel's network id (R3).

const NETWORK = 'ae_crash_test';
const { kr, ki, initiator, responder, channel, start, lastTx, sign, resumeConfig, unsigned, scripted: scriptedClient } = await scriptedChannel(NETWORK);
/** The initiator's client, coming back with `config`, on a scripted node and `store`. */
const scripted = (config: ClientConfig, store: ChannelStore) => scriptedClient(config, { store });

describe('the driver in crash recovery', () => {
  it('keeps the pending proposal durable before it asks the signer, and sends the signature only after that', async () => {
    const saves: ChannelRecord[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const inner = memoryStore();
    // A store whose writes complete only when the test lets them.
    const store: ChannelStore = {
      ...inner,
      save: async (record) => {
        saves.push(record);
        await gate;
        await inner.save(record);
      },
    };
    const { client, sent, node, signerAsked } = await scripted(resumeConfig(), store);
    node('channels.info', { event: 'fsm_up', fsm_id: 'ba_AAAA' });
    await client.waitFor('open');
    const transfer = client.transfer(responder, 10n);
    await expect.poll(() => sent.map((m) => m.method)).toEqual(['channels.update.new']);
    const { tx, updates } = unsigned(start);
    node('channels.sign.update', { signed_tx: encodeTx(tx), updates: updates.map(updateToJson) });
    await expect.poll(() => saves.length).toBe(1);
    expect(saves[0]?.pending).toEqual({ tag: 'update', round: 2n, updates, tx });
    // the store has not completed: the signer is not asked, nothing goes out
    await new Promise((r) => setTimeout(r, 50));
    expect(signerAsked()).toBe(0);
    expect(sent.map((m) => m.method)).toEqual(['channels.update.new']);
    release();
    await expect.poll(() => sent.map((m) => m.method)).toEqual(['channels.update.new', 'channels.update']);
    expect(signerAsked()).toBe(1);
    expect((await inner.load(channel))?.pending?.round).toBe(2n);
    // co-signed: the round is stored without the pending proposal, and the transfer resolves
    const mine = String((sent[1]!.params as { signed_tx: string }).signed_tx);
    const coSigned = await sign(decodeTx(mine), kr.secretKey);
    node('channels.update', { state: encodeTx(coSigned) });
    expect(await transfer).toBe(2n);
    await client.idle();
    const stored = await inner.load(channel);
    expect(stored?.lastCoSigned.state.round).toBe(2n);
    expect(stored?.pending).toBeUndefined();
    client.close();
  });

  it('a client that comes back takes its pending round co-signed for real, not one with a forged or another network’s signature', async () => {
    const { tx, updates } = unsigned(start);
    const pending: PendingProposal = { tag: 'update', round: 2n, updates, tx };
    const mine = await sign(tx, ki.secretKey);
    const variants: [string, SignedTx, boolean][] = [
      ['both signatures', await sign(mine, kr.secretKey), true],
      ['a forged peer signature', addSignature(mine, new Uint8Array(64).fill(7)), false],
      ['the peer’s signature for another network id', await sign(mine, kr.secretKey, 'ae_mainnet'), false],
      ['the client’s own signature only', mine, false],
    ];
    for (const [name, report, taken] of variants) {
      const store = memoryStore();
      await store.save({ channelId: channel, networkId: NETWORK, role: 'initiator', initiator, responder, channelReserve: 1n, fsmId: 'ba_AAAA', lastCoSigned: { tx: lastTx, state: start }, pending });
      const { client, events, node, sent } = await scripted(resumeConfig(pending), store);
      node('channels.info', { event: 'fsm_up', fsm_id: 'ba_AAAA' });
      node('channels.update', { state: encodeTx(report) });
      await expect.poll(() => events.some((e) => e.type === 'round' || e.type === 'error'), { timeout: 5000 }).toBe(true);
      await client.idle();
      const record = await store.load(channel);
      if (taken) {
        expect(client.state().last?.state.round, name).toBe(2n);
        expect(record?.lastCoSigned.state.round, name).toBe(2n);
        expect(record?.pending, name).toBeUndefined();
      } else {
        expect(client.state().last?.state.round, name).toBe(1n);
        expect(client.state().pending, name).toEqual(pending);
        expect(record?.lastCoSigned.state.round, name).toBe(1n);
        expect(record?.pending, name).toEqual(pending);
        expect(events.filter((e) => e.type === 'error').map((e) => (e as { error: { code: number } }).error.code), name).toEqual([AESC_ERROR__CHANNEL__NOT_CO_SIGNED]);
      }
      expect(sent, name).toEqual([]);
      client.close();
    }
  });
});


describe('the driver when the store fails', () => {
  // A store whose writes fail while `failing` says so, with a system error whose message names a
  // path (not repeated in the client's error: only its code is).
  function flakyStore(failing: (record: ChannelRecord) => boolean) {
    const inner = memoryStore();
    const attempts: ChannelRecord[] = [];
    const store: ChannelStore = {
      ...inner,
      save: async (record) => {
        attempts.push(record);
        if (failing(record)) throw Object.assign(new Error('ENOSPC: no space left on device, open /home/alice/.aesc/secret-store.tmp'), { code: 'ENOSPC' });
        await inner.save(record);
      },
    };
    return { store, inner, attempts };
  }
  expectNoUnhandledRejections();
  const codes = (events: readonly ChannelEvent[]) => events.flatMap((e) => (e.type === 'error' ? [e.error.code] : []));

  /** The client's own transfer of 10 up to its sign request, from a client at round 1. */
  async function askTransfer(store: ChannelStore) {
    const c = await scripted(resumeConfig(), store);
    c.node('channels.info', { event: 'fsm_up', fsm_id: 'ba_AAAA' });
    await c.client.waitFor('open');
    const ask = () => {
      const transfer = c.client.transfer(responder, 10n);
      const { tx, updates } = unsigned(start);
      return { transfer, send: () => c.node('channels.sign.update', { signed_tx: encodeTx(tx), updates: updates.map(updateToJson) }) };
    };
    return { ...c, ask };
  }

  it('a failed save of its pending proposal: nothing signed, the transfer rejects with STORE_FAILED (no path in it), the state as before; once the store works, the next transfer goes through', async () => {
    let fail = true;
    const { store, inner } = flakyStore(() => fail);
    const { client, sent, events, node, ask, signerAsked } = await askTransfer(store);
    const first = ask();
    await expect.poll(() => methods(sent)).toEqual(['channels.update.new']);
    first.send();
    const error = await first.transfer.then(
      () => undefined,
      (e: unknown) => e as AescError,
    );
    expect(error?.code).toBe(AESC_ERROR__CHANNEL__STORE_FAILED);
    expect(error?.message).toContain('ENOSPC');
    expect(error?.message).not.toContain('alice');
    await client.idle();
    expect(signerAsked()).toBe(0);
    expect(sent[1]).toMatchObject({ method: 'channels.update', params: { error: 1 } });
    expect(sent.some((m) => (m.params as Record<string, unknown>).signed_tx !== undefined)).toBe(false);
    expect(codes(events)).toEqual([AESC_ERROR__CHANNEL__STORE_FAILED]);
    expect(client.state().last?.state.round).toBe(1n);
    expect(client.state().pending).toBeUndefined();
    expect(client.state().round).toBeUndefined();
    expect(await inner.load(channel)).toBeUndefined();
    // the node confirms the abort; the store recovers; the same transfer again, to the end
    node('channels.info', { event: 'aborted_update' });
    await expect.poll(() => client.state().phase).toBe('open');
    fail = false;
    const second = ask();
    await expect.poll(() => methods(sent)).toEqual(['channels.update.new', 'channels.update', 'channels.update.new']);
    second.send();
    await expect.poll(() => methods(sent).length).toBe(4);
    expect(signerAsked()).toBe(1);
    const coSigned = await sign(decodeTx(String((sent[3]!.params as { signed_tx: string }).signed_tx)), kr.secretKey);
    node('channels.update', { state: encodeTx(coSigned) });
    expect(await second.transfer).toBe(2n);
    await client.idle();
    expect((await inner.load(channel))?.lastCoSigned.state.round).toBe(2n);
    client.close();
  });

  it('a store that always fails: every transfer rejects with STORE_FAILED, nothing is ever signed, the client stays at its round', async () => {
    const { store, attempts } = flakyStore(() => true);
    const { client, sent, events, node, ask, signerAsked } = await askTransfer(store);
    for (let i = 1; i <= 3; i++) {
      const t = ask();
      await expect.poll(() => methods(sent).filter((m) => m === 'channels.update.new').length).toBe(i);
      t.send();
      await expect(t.transfer).rejects.toMatchObject({ code: AESC_ERROR__CHANNEL__STORE_FAILED });
      node('channels.info', { event: 'aborted_update' });
      await expect.poll(() => client.state().phase).toBe('open');
    }
    await client.idle();
    expect(attempts).toHaveLength(3);
    expect(signerAsked()).toBe(0);
    expect(sent.filter((m) => (m.params as Record<string, unknown>).signed_tx !== undefined)).toEqual([]);
    expect(codes(events)).toEqual([AESC_ERROR__CHANNEL__STORE_FAILED, AESC_ERROR__CHANNEL__STORE_FAILED, AESC_ERROR__CHANNEL__STORE_FAILED]);
    expect(client.state().last?.state.round).toBe(1n);
    expect(client.state().pending).toBeUndefined();
    client.close();
  });

  it('a failed save of its round co-signed: the app hears STORE_FAILED and the round, the transfer resolves, the next record kept holds the round', async () => {
    // only the record of round 2 without a pending proposal fails (the co-signed save, once)
    let failures = 0;
    const { store, inner } = flakyStore((r) => r.lastCoSigned.state.round === 2n && r.pending === undefined && failures++ === 0);
    const { client, sent, events, node, ask } = await askTransfer(store);
    const t = ask();
    await expect.poll(() => methods(sent)).toEqual(['channels.update.new']);
    t.send();
    await expect.poll(() => methods(sent).length).toBe(2);
    const coSigned = await sign(decodeTx(String((sent[1]!.params as { signed_tx: string }).signed_tx)), kr.secretKey);
    node('channels.update', { state: encodeTx(coSigned) });
    expect(await t.transfer).toBe(2n);
    await client.idle();
    expect(codes(events)).toEqual([AESC_ERROR__CHANNEL__STORE_FAILED]);
    expect(events.some((e) => e.type === 'round' && e.round === 2n)).toBe(true);
    expect(client.state().last?.state.round).toBe(2n);
    // the store still holds round 1 with the pending proposal of round 2 (a client that comes back
    // takes round 2 from the node's report); the next round's pending record holds round 2
    expect((await inner.load(channel))?.pending?.round).toBe(2n);
    client.transfer(responder, 1n).catch(() => undefined);
    await expect.poll(() => methods(sent).length).toBe(3);
    const next = unsigned(client.state().last!.state, transferUpdates({ from: initiator, to: responder, amount: 1n }));
    node('channels.sign.update', { signed_tx: encodeTx(next.tx), updates: next.updates.map(updateToJson) });
    await expect.poll(() => methods(sent).length).toBe(4);
    const kept = await inner.load(channel);
    expect([kept?.lastCoSigned.state.round, kept?.pending?.round]).toEqual([2n, 3n]);
    client.close();
  });

  it('a failed save of the peer’s round co-signed here: its signature is not sent, the round is aborted, the state as before; once the store works, the ack goes out', async () => {
    let fail = true;
    const { store, inner } = flakyStore(() => fail);
    const { client, sent, events, node, signerAsked } = await askTransfer(store);
    const { tx, updates } = unsigned(start, transferUpdates({ from: responder, to: initiator, amount: 7n }));
    const theirs = await sign(tx, kr.secretKey);
    const request = () => node('channels.sign.update_ack', { signed_tx: encodeTx(theirs), updates: updates.map(updateToJson) });
    request();
    await expect.poll(() => methods(sent)).toEqual(['channels.update_ack']);
    await client.idle();
    expect(signerAsked()).toBe(1);
    expect(sent[0]).toMatchObject({ params: { error: 1 } });
    expect(codes(events)).toEqual([AESC_ERROR__CHANNEL__STORE_FAILED]);
    expect(client.state().last?.state.round).toBe(1n);
    expect(client.state().round).toBeUndefined();
    node('channels.info', { event: 'aborted_update' });
    await expect.poll(() => client.state().phase).toBe('open');
    fail = false;
    request();
    await expect.poll(() => methods(sent)).toEqual(['channels.update_ack', 'channels.update_ack']);
    expect(typeof (sent[1]!.params as { signed_tx?: unknown }).signed_tx).toBe('string');
    expect((await inner.load(channel))?.lastCoSigned.state.round).toBe(2n);
    client.close();
  });
});
