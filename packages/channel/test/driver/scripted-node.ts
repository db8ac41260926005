import { accountAddress, addSignature, channelId, generateKeyPair, signTransaction } from '@aesc/crypto';
import { type SignedTx, encodeObject, encodeTx } from '@aesc/encoding';
import { nextRound, offchainTx, transferUpdates } from '@aesc/protocol';
import { type TransportConnector, stringifyJson } from '@aesc/rpc';
import { type OffchainState, encodedOffchainStateHash, initialState, updateToJson } from '@aesc/state';
import { afterEach, beforeEach, expect } from 'vitest';
import { type ChannelClientOptions, connectChannel } from '../../src/driver/channel-client.js';
import type { ChannelEvent, ClientConfig } from '../../src/machine/types.js';
import type { PendingProposal } from '../../src/store/channel-record.js';

/**
 * The driver's tests against a scripted node: a channel of two real key pairs at round 1
 * (co-signed for real on `network`), a client of its initiator on a connection whose frames the
 * test writes, and a guard against promise rejections left unhandled.
 */
export async function scriptedChannel(network: string) {
  const [ki, kr] = [await generateKeyPair(), await generateKeyPair()];
  const initiator = accountAddress(ki.publicKey);
  const responder = accountAddress(kr.publicKey);
  const channel = channelId(initiator, 1n, responder);
  const start = initialState({ initiator, initiatorAmount: 1000n, responder, responderAmount: 1000n, pushAmount: 0n });
  const sign = async (tx: SignedTx, secretKey: Uint8Array, networkId = network): Promise<SignedTx> =>
    addSignature(tx, await signTransaction(encodeObject(tx.tx), networkId, secretKey));
  const lastTx = await sign(await sign({ tag: 'signed_tx', version: 1, signatures: [], tx: offchainTx(channel, { state: start, stateHash: encodedOffchainStateHash(start) }) } as SignedTx, ki.secretKey), kr.secretKey);
  const base: ClientConfig = {
    role: 'initiator',
    initiator,
    responder,
    networkId: network,
    initiatorAmount: 1000n,
    responderAmount: 1000n,
    pushAmount: 0n,
    channelReserve: 1n,
    lockPeriod: 10n,
  };
  /** The config of a client coming back at round 1 (fsm id `ba_AAAA`), with `pending` if given. */
  const resumeConfig = (pending?: PendingProposal): ClientConfig => ({
    ...base,
    resume: { channelId: channel, fsmId: 'ba_AAAA', last: { tx: lastTx, state: start }, ...(pending === undefined ? {} : { pending }) },
  });
  /** A transfer of `amount` from the initiator after `state`, unsigned. */
  const unsigned = (state: OffchainState, updates = transferUpdates({ from: initiator, to: responder, amount: 10n })) => {
    const next = nextRound(state, updates, { channelReserve: 1n });
    return { updates, next, tx: { tag: 'signed_tx', version: 1, signatures: [], tx: offchainTx(channel, next) } as SignedTx };
  };

  /**
   * The initiator's client on a scripted connection: what it sends (`sent`), what it reports
   * (`events`), `node` to write it a notification, and `close` to close the socket. `failSend`
   * makes the socket's send throw while it says so.
   */
  async function scripted(config: ClientConfig, options: Partial<ChannelClientOptions> = {}, failSend = () => false) {
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
    const events: ChannelEvent[] = [];
    client.on((e) => events.push(e));
    const node = (method: string, data: Record<string, unknown>) =>
      deliver(stringifyJson({ jsonrpc: '2.0', method, params: { channel_id: method === 'channels.info' ? null : channel, data } }));
    /** The node asks the client to sign its transfer of 10 after `state` (round 1 by default). */
    const signUpdate = (state: OffchainState = start) => {
      const { updates, tx } = unsigned(state);
      node('channels.sign.update', { signed_tx: encodeTx(tx), updates: updates.map(updateToJson) });
    };
    return { client, sent, events, node, signUpdate, signerAsked: () => signerAsked, close: () => closed(1006, 'gone') };
  }

  return { ki, kr, initiator, responder, channel, start, lastTx, base, sign, resumeConfig, unsigned, scripted };
}

/** The methods of the frames a client sent, in order. */
export const methods = (sent: readonly Record<string, unknown>[]) => sent.map((m) => m.method);

/**
 * Fails each test of the calling `describe` after which a promise rejection was left unhandled
 * (what the app's code or a failing store throws must never escape the driver that way).
 */
export function expectNoUnhandledRejections(): void {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(async () => {
    // rejections are reported after the microtasks of the task that left them unhandled
    await new Promise((r) => setTimeout(r, 10));
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });
}
