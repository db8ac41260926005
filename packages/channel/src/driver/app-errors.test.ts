import { accountAddress, addSignature, channelId, generateKeyPair, signTransaction } from '@aesc/crypto';
import { type SignedTx, decodeTx, encodeObject, encodeTx } from '@aesc/encoding';
import { isAescError } from '@aesc/errors';
import { nextRound, offchainTx, transferUpdates } from '@aesc/protocol';
import { type TransportConnector, stringifyJson } from '@aesc/rpc';
import { encodedOffchainStateHash, initialState, updateToJson } from '@aesc/state';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelEvent, ClientConfig } from '../machine/types.js';
import { type ChannelClientOptions, connectChannel } from './channel-client.js';

// What the app's own code (its signing policy, its listeners) or a closing socket throws never
// escapes as an unhandled rejection, never skips what the client does next, and never signs.

const NETWORK = 'ae_app_errors';
const [ki, kr] = [await generateKeyPair(), await generateKeyPair()];
const initiator = accountAddress(ki.publicKey);
const responder = accountAddress(kr.publicKey);
const channel = channelId(initiator, 1n, responder);
const start = initialState({ initiator, initiatorAmount: 1000n, responder, responderAmount: 1000n, pushAmount: 0n });
const sign = async (tx: SignedTx, secretKey: Uint8Array) => addSignature(tx, await signTransaction(encodeObject(tx.tx), NETWORK, secretKey));
const lastTx = await sign(await sign({ tag: 'signed_tx', version: 1, signatures: [], tx: offchainTx(channel, { state: start, stateHash: encodedOffchainStateHash(start) }) } as SignedTx, ki.secretKey), kr.secretKey);
const config: ClientConfig = {
  role: 'initiator',
  initiator,
  responder,
  networkId: NETWORK,
  initiatorAmount: 1000n,
  responderAmount: 1000n,
  pushAmount: 0n,
  channelReserve: 1n,
  lockPeriod: 10n,
  resume: { channelId: channel, fsmId: 'ba_AAAA', last: { tx: lastTx, state: start } },
};

/** A client at round 1 on a scripted node; `failSend` makes the socket's send throw. */
async function scripted(options: Partial<ChannelClientOptions> = {}, failSend = () => false) {
  const sent: Record<string, unknown>[] = [];
  let deliver: (text: string) => void = () => undefined;
  let closed: (code: number, reason: string) => void = () => undefined;
  const connect: TransportConnector = async (handlers) => {
    deliver = handlers.onMessage;
    closed = handlers.onClose;
    return {
      send: (text: string) => {
        if (failSend()) throw new Error('WebSocket is not open');
        sent.push(JSON.parse(text));
      },
      close: () => undefined,
    };
  };
  let signerAsked = 0;
  const client = await connectChannel({
    connect,
    config,
    signer: {
      address: initiator,
      signTransaction: async (bytes, o) => {
        signerAsked++;
        return signTransaction(bytes, o.networkId, ki.secretKey);
      },
    },
    ...options,
  });
  const node = (method: string, data: Record<string, unknown>) =>
    deliver(stringifyJson({ jsonrpc: '2.0', method, params: { channel_id: method === 'channels.info' ? null : channel, data } }));
  node('channels.info', { event: 'fsm_up', fsm_id: 'ba_AAAA' });
  await client.waitFor('open');
  const signUpdate = () => {
    const updates = transferUpdates({ from: initiator, to: responder, amount: 10n });
    const tx = { tag: 'signed_tx', version: 1, signatures: [], tx: offchainTx(channel, nextRound(start, updates, { channelReserve: 1n })) } as SignedTx;
    node('channels.sign.update', { signed_tx: encodeTx(tx), updates: updates.map(updateToJson) });
  };
  return { client, sent, node, signUpdate, signerAsked: () => signerAsked, close: () => closed(1006, 'gone') };
}

const methods = (sent: readonly Record<string, unknown>[]) => sent.map((m) => m.method);

describe('the driver when the app’s code or the socket throws', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(async () => {
    await new Promise((r) => setTimeout(r, 10));
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });

  it('a signing policy that throws declines: the request is aborted with code 1, nothing is signed, the transfer fails', async () => {
    const c = await scripted({
      policy: async () => {
        throw new Error('policy bug holding a secret: hunter2');
      },
    });
    const transfer = c.client.transfer(responder, 10n);
    await expect.poll(() => methods(c.sent)).toEqual(['channels.update.new']);
    c.signUpdate();
    const error = await transfer.then(() => undefined, (e: unknown) => e);
    expect(isAescError(error)).toBe(true);
    expect(String((error as Error).message)).not.toContain('hunter2');
    expect(c.sent[1]).toMatchObject({ method: 'channels.update', params: { error: 1 } });
    expect(c.signerAsked()).toBe(0);
    expect(c.client.state().last?.state.round).toBe(1n);
    c.client.close();
  });

  it('a listener that throws: the others hear every event, the round goes on to the end, the app gets the error', async () => {
    const thrown: unknown[] = [];
    const c = await scripted({ onListenerError: (e) => thrown.push(e) });
    const heard: ChannelEvent['type'][] = [];
    c.client.on(() => {
      throw new Error('listener bug');
    });
    c.client.on((e) => heard.push(e.type));
    const transfer = c.client.transfer(responder, 10n);
    await expect.poll(() => methods(c.sent)).toEqual(['channels.update.new']);
    c.signUpdate();
    await expect.poll(() => methods(c.sent).length).toBe(2);
    const coSigned = await sign(decodeTx(String((c.sent[1]!.params as { signed_tx: string }).signed_tx)), kr.secretKey);
    c.node('channels.update', { state: encodeTx(coSigned) });
    expect(await transfer).toBe(2n);
    expect(heard).toContain('round');
    expect(thrown.length).toBe(heard.length);
    expect(thrown.every((e) => (e as Error).message === 'listener bug')).toBe(true);
    c.client.close();
  });

  it('a socket whose send throws: no unhandled rejection, and the close that follows ends the transfer', async () => {
    let failing = false;
    const c = await scripted({}, () => failing);
    failing = true;
    const transfer = c.client.transfer(responder, 10n);
    const outcome = transfer.then(() => 'resolved', (e: unknown) => (isAescError(e) ? 'rejected' : 'other'));
    await c.client.idle();
    expect(c.sent).toEqual([]);
    c.close();
    expect(await outcome).toBe('rejected');
    c.client.close();
  });
});
