import { SEED_TRANSCRIPT, connectParams, loadTranscript } from '@aesc/corpus';
import { type AccountAddress, decodeTx, encodeTx } from '@aesc/encoding';
import { applyUpdates, encodedOffchainStateHash } from '@aesc/state';
import { type TxSigners, signatureVerifier, signedTxOf } from '../../src/signatures.js';
import { initialClientState, step } from '../../src/machine/reducer.js';
import type { ClientEvent, ClientState, Effect, NodeMessage } from '../../src/machine/types.js';

// Test support for the client's state machine: the seed transcript's recorded frames up to an open
// channel, and the node's frames of later rounds.

// The seed transcript's initiator, up to its open channel.
export const seed = loadTranscript(SEED_TRANSCRIPT);
const p = connectParams(seed.steps.find((s) => s.kind === 'connect' && s.actor === 'initiator')!);
export const initiator = p.initiator_id as AccountAddress;
export const responder = p.responder_id as AccountAddress;
export const config = {
  role: 'initiator' as const,
  initiator,
  responder,
  networkId: 'local_iris_testnet',
  initiatorAmount: 70000000000000n,
  responderAmount: 40000000000000n,
  pushAmount: 1n,
  channelReserve: 2n,
  lockPeriod: 10n,
};

export function run(state: ClientState, events: ClientEvent[]): { state: ClientState; effects: Effect[] } {
  const effects: Effect[] = [];
  for (const e of events) {
    const r = step(state, e);
    state = r.state;
    effects.push(...r.effects);
  }
  return { state, effects };
}

// The machine decides on the signatures the driver verified: the seed's are checked here as the driver does.
const verifier = signatureVerifier(config.networkId, [initiator, responder]);
const seedSigners = new Map<string, TxSigners>();
for (const s of seed.steps) {
  const found = s.kind === 'recv' ? signedTxOf(s.message as NodeMessage) : undefined;
  if (found !== undefined) seedSigners.set(found.encoded, await verifier.signers(found.signed, found.encoded));
}
export const seedEvent = (message: NodeMessage): ClientEvent => {
  const found = signedTxOf(message);
  const signers = found === undefined ? undefined : seedSigners.get(found.encoded);
  return { type: 'message', message, ...(signers === undefined ? {} : { signers }) };
};

/** The seed's initiator session up to `channels.update` of the open channel, signing with the recorded reply. */
export function openChannel(): ClientState {
  let state = initialClientState(config);
  for (const s of seed.steps) {
    if (s.actor !== 'initiator') continue;
    if (s.kind === 'recv') state = step(state, seedEvent(s.message as NodeMessage)).state;
    const m = s.message as { method?: string; params?: { signed_tx?: string } } | undefined;
    if (s.kind === 'send' && m?.method === 'channels.initiator_sign') {
      state = step(state, { type: 'signed', tag: 'initiator_sign', signedTx: decodeTx(m.params!.signed_tx!) }).state;
    }
    if (state.phase === 'open' && state.last !== undefined) break;
  }
  return state;
}

/**
 * The node asking `open`'s client to co-sign the responder's transfer of 5 to the initiator, with
 * what the driver found of its signatures (the responder's, verified).
 */
export function askUpdateAck(open: ClientState, offchainTx: string): ClientEvent {
  return {
    type: 'message',
    message: {
      method: 'channels.sign.update_ack',
      params: { channel_id: open.channelId!, data: { signed_tx: offchainTx, updates: [{ op: 'OffChainTransfer', from: responder, to: initiator, amount: 5 }] } },
    },
    signers: { tx: offchainTx, signers: [responder], strangers: 0 },
  };
}

/** The node reporting `signed` co-signed, with both participants' signatures found valid by the driver. */
export function coSignedReport(open: ClientState, signed: ReturnType<typeof forgedUpdate>['signedBoth']): ClientEvent {
  const state = encodeTx(signed);
  return {
    type: 'message',
    message: { method: 'channels.update', params: { channel_id: open.channelId!, data: { state } } },
    signers: { tx: state, signers: [initiator, responder], strangers: 0 },
  };
}

/**
 * A round-2 off-chain tx for a transfer of `amount` (from → to) on the state `s` holds, as the node
 * would send it for acknowledging (with a stand-in signature of the proposer), and the same with two
 * stand-in signatures (for the co-signed form). The machine takes the driver's word on whose they are.
 */
export function forgedUpdate(s: ClientState, amount: bigint, from = initiator, to = responder) {
  const next = applyUpdates(s.last!.state, [{ tag: 'channel_offchain_update_transfer', version: 1, from, to, amount }]);
  const tx = { tag: 'channel_offchain_tx', version: 2, channelId: s.channelId!, round: next.round, stateHash: encodedOffchainStateHash(next) } as const;
  const proposed = { tag: 'signed_tx', version: 1, signatures: [new Uint8Array(64).fill(2)], tx } as const;
  const signedBoth = { ...proposed, signatures: [new Uint8Array(64).fill(1), new Uint8Array(64).fill(2)] };
  return { offchainTx: encodeTx(proposed), signedBoth };
}
