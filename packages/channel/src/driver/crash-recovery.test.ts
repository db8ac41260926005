import { accountAddress, addSignature, channelId, generateKeyPair, signTransaction } from '@aesc/crypto';
import { type SignedTx, decodeTx, encodeObject, encodeTx } from '@aesc/encoding';
import { AESC_ERROR__CHANNEL__NOT_CO_SIGNED } from '@aesc/errors';
import { nextRound, offchainTx, transferUpdates } from '@aesc/protocol';
import { type TransportConnector, stringifyJson } from '@aesc/rpc';
import { type OffchainState, encodedOffchainStateHash, initialState, updateToJson } from '@aesc/state';
import { describe, expect, it } from 'vitest';
import type { ChannelEvent, ClientConfig } from '../machine/types.js';
import type { ChannelRecord, PendingProposal } from '../store/channel-record.js';
import type { ChannelStore } from '../store/channel-store.js';
import { memoryStore } from '../store/memory-store.js';
import { connectChannel } from './channel-client.js';

// The driver around the machine, with real keys and signatures: the pending proposal is durable
// before the signer is asked (C1), and a client that comes back takes its pending round only with
// both participants' signatures verified for the channel's network id (R3).

const NETWORK = 'ae_crash_test';
const [ki, kr] = [await generateKeyPair(), await generateKeyPair()];
const initiator = accountAddress(ki.publicKey);
const responder = accountAddress(kr.publicKey);
const channel = channelId(initiator, 1n, responder);
const start = initialState({ initiator, initiatorAmount: 1000n, responder, responderAmount: 1000n, pushAmount: 0n });
const base: ClientConfig = {
  role: 'initiator',
  initiator,
  responder,
  networkId: NETWORK,
  initiatorAmount: 1000n,
  responderAmount: 1000n,
  pushAmount: 0n,
  channelReserve: 1n,
  lockPeriod: 10n,
};

async function sign(tx: SignedTx, secretKey: Uint8Array, networkId = NETWORK): Promise<SignedTx> {
  return addSignature(tx, await signTransaction(encodeObject(tx.tx), networkId, secretKey));
}
const unsigned = (state: OffchainState, updates = transferUpdates({ from: initiator, to: responder, amount: 10n })) => {
  const next = nextRound(state, updates, { channelReserve: 1n });
  return { updates, next, tx: { tag: 'signed_tx', version: 1, signatures: [], tx: offchainTx(channel, next) } as SignedTx };
};
// round 1, co-signed for real
const lastTx = await sign(await sign({ tag: 'signed_tx', version: 1, signatures: [], tx: offchainTx(channel, { state: start, stateHash: encodedOffchainStateHash(start) }) } as SignedTx, ki.secretKey), kr.secretKey);

/** A node on a scripted connection: what the client sends, and a way to send it frames. */
async function scripted(config: ClientConfig, store: ChannelStore, onSign?: () => void) {
  const sent: Record<string, unknown>[] = [];
  let deliver: (text: string) => void = () => undefined;
  const connect: TransportConnector = async (handlers) => {
    deliver = handlers.onMessage;
    return { send: (text: string) => sent.push(JSON.parse(text)), close: () => undefined };
  };
  const client = await connectChannel({
    connect,
    config,
    store,
    signer: {
      address: initiator,
      signTransaction: async (bytes, o) => {
        onSign?.();
        return signTransaction(bytes, o.networkId, ki.secretKey);
      },
    },
  });
  const events: ChannelEvent[] = [];
  client.on((e) => events.push(e));
  const node = (method: string, data: Record<string, unknown>) =>
    deliver(stringifyJson({ jsonrpc: '2.0', method, params: { channel_id: method === 'channels.info' ? null : channel, data } }));
  return { client, sent, events, node };
}

const resumeConfig = (pending?: PendingProposal): ClientConfig => ({
  ...base,
  resume: { channelId: channel, fsmId: 'ba_AAAA', last: { tx: lastTx, state: start }, ...(pending === undefined ? {} : { pending }) },
});

describe('the driver in crash recovery', () => {
  it('keeps the pending proposal durable before it asks the signer, and sends the signature only after that', async () => {
    const saves: ChannelRecord[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const inner = memoryStore();
    let signerAsked = 0;
    // A store whose writes complete only when the test lets them.
    const store: ChannelStore = {
      ...inner,
      save: async (record) => {
        saves.push(record);
        await gate;
        await inner.save(record);
      },
    };
    const { client, sent, node } = await scripted(resumeConfig(), store, () => signerAsked++);
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
    expect(signerAsked).toBe(0);
    expect(sent.map((m) => m.method)).toEqual(['channels.update.new']);
    release();
    await expect.poll(() => sent.map((m) => m.method)).toEqual(['channels.update.new', 'channels.update']);
    expect(signerAsked).toBe(1);
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

