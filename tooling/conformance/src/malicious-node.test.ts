import { type Transcript, loadTranscript, loadTranscripts } from '@aesc/corpus';
import { accountAddress, channelIdFromCreateTx, generateKeyPair, signTransaction } from '@aesc/crypto';
import { type AccountAddress, type SignedTx, type Transaction, decodeTx, encodeApi, encodeObject, encodeTx, fromHex, toHex } from '@aesc/encoding';
import {
  AESC_ERROR__CHANNEL__FEE_TOO_HIGH,
  AESC_ERROR__CHANNEL__NOT_CO_SIGNED,
  AESC_ERROR__CHANNEL__NOT_REQUESTED,
  AESC_ERROR__CHANNEL__OTHER_CHANNEL,
  AESC_ERROR__CHANNEL__PAYLOAD_MISMATCH,
  AESC_ERROR__CHANNEL__SIGNATURE_MISSING,
  AESC_ERROR__CHANNEL__STATE_HASH_MISMATCH,
  AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH,
  AESC_ERROR__CHANNEL__UNEXPECTED_SIGNATURES,
  AESC_ERROR__CHANNEL__UNEXPECTED_TX_TYPE,
  AESC_ERROR__CHANNEL__UPDATES_MISMATCH,
} from '@aesc/errors';
import {
  type OffchainState,
  type OffchainUpdate,
  applyUpdates,
  balanceOf,
  buildPoi,
  encodedOffchainStateHash,
  initialState,
  updateToJson,
} from '@aesc/state';
import { payCloseMutualFee } from '@aesc/protocol';
import { type DevAccount, devAccounts } from '@aesc/chain';
import { type ChannelEvent, approveAll, connectChannel, memoryStore, recordToJson, resumeFrom, safePolicy } from '@aesc/channel';
import { startDevnet } from '@aesc/devnet';
import { parseJson, stringifyJson, webSocketConnector } from '@aesc/rpc';
import { afterAll, describe, expect, it } from 'vitest';
import { recordedSignatures } from './client-replay.js';
import { type Frame, type PolicyName, type Session, MAX_FEE, actorSteps, configOf, isAbort, notification, nth, openSession, replay, unmatchedSent } from './malicious-node.js';

// Issue #21, client side: a node that lies to one @aesc/channel client. Every case replays the
// honest frames of sc_ws_basic_open_close byte for byte up to a point, then sends what an attacker
// controlling the node would send instead. With the README's approve-all policy and the CLI agent's
// safe policy alike, the client's signer must never be asked to sign what the mutation brings, its
// latest co-signed state must stay as it was in memory and in its store, and it must answer as the
// protocol wants: the refused sign request aborted with code 1 and a coded `refused` event, a
// report that is not co-signed refused with a coded `error` event. The unmodified transcripts are
// the honest controls: everything in them is signed.

type Role = 'initiator' | 'responder';
const SEED = 'sc_ws_basic_open_close.json';
const seed = loadTranscript(SEED);
const POLICIES: readonly PolicyName[] = ['approve-all', 'safe'];
const totals = { cases: 0, refused: 0, unsafeSignatures: 0, falseCoSigned: 0, controls: 0, controlSignatures: 0, controlRequests: 0 };

/** What a case builds its frames with. */
interface Kit {
  readonly s: Session;
  readonly steps: ReturnType<typeof actorSteps>;
  readonly self: AccountAddress;
  readonly peer: AccountAddress;
  /** The recorded node message at step `i` of the actor (a copy). */
  recorded(i: number): Frame;
  /** The client's latest co-signed state and tx. */
  last(): { readonly state: OffchainState; readonly tx: SignedTx };
}

interface Case {
  readonly name: string;
  readonly actor: Role;
  /** The index in the actor's steps where the attack starts (the honest steps before it are replayed). */
  readonly at: (steps: ReturnType<typeof actorSteps>) => number;
  /** What the app asks for first, if anything (the attack then answers it). */
  readonly action?: (s: Session) => Promise<unknown>;
  readonly frames: (k: Kit) => Promise<Frame[]> | Frame[];
  /** The sign request the client must abort with code 1 (none: a report, which has no answer). */
  readonly refuses?: string;
  /** The code of the error the app hears (`refused` for a sign request, `error` for a report). */
  readonly code: number;
  /** Further coded errors the app must hear (reports after a refused sign request). */
  readonly also?: readonly number[];
  /** The app's transfer whose round the attack reports must stay unresolved. */
  readonly transferPending?: boolean;
}

// ---- building blocks for the attacker ----------------------------------------------------------

const stranger = await generateKeyPair();
const randomSignature = () => crypto.getRandomValues(new Uint8Array(64));
const unsigned = (tx: Transaction): SignedTx => ({ tag: 'signed_tx', version: 1, signatures: [], tx });
const withSignatures = (tx: SignedTx, ...signatures: Uint8Array[]): SignedTx => ({ ...tx, signatures });
const thirdAccountSignature = (tx: SignedTx, networkId: string) => signTransaction(encodeObject(tx.tx), networkId, stranger.secretKey);
const otherChannel = encodeApi('ch', new Uint8Array(32).fill(7));
const randomStateHash = () => encodeApi('st', crypto.getRandomValues(new Uint8Array(32)));

const signRequest = (k: Kit, tag: string, tx: SignedTx, updates: readonly OffchainUpdate[] = []): Frame =>
  notification(k.s, `channels.sign.${tag}`, { signed_tx: encodeTx(tx), updates: updates.map(updateToJson) });
const report = (k: Kit, tx: SignedTx, channelId?: string): Frame => notification(k.s, 'channels.update', { state: encodeTx(tx) }, channelId);
const transfer = (from: AccountAddress, to: AccountAddress, amount: bigint): OffchainUpdate => ({ tag: 'channel_offchain_update_transfer', version: 1, from, to, amount });

/** The next round's off-chain tx for `updates`, with the state hash the client would compute. */
function nextRound(k: Kit, updates: readonly OffchainUpdate[]): SignedTx {
  const { state } = k.last();
  const next = applyUpdates(state, updates, { channelReserve: k.s.config.channelReserve });
  return unsigned({ tag: 'channel_offchain_tx', version: 2, channelId: k.s.client.state().channelId!, round: next.round, stateHash: encodedOffchainStateHash(next) });
}
const balances = (k: Kit) => {
  const trees = k.last().state.trees;
  return [balanceOf(trees, k.s.config.initiator)!, balanceOf(trees, k.s.config.responder)!] as const;
};
const onChain = { ttl: 0n, fee: 20_000_000_000_000n, nonce: 7n };
/** A correct close_mutual of the latest state from `from`. */
function closeMutual(k: Kit, from: AccountAddress, fee = onChain.fee, shift = 0n): SignedTx {
  const [i, r] = balances(k);
  const split = payCloseMutualFee(fee, i, r)!;
  return unsigned({
    tag: 'channel_close_mutual_tx',
    version: 1,
    channelId: k.s.client.state().channelId!,
    fromId: from,
    initiatorAmountFinal: split.initiatorAmountFinal + shift,
    responderAmountFinal: split.responderAmountFinal - shift,
    ...onChain,
    fee,
  });
}
/** A close_solo, slash or snapshot of the latest co-signed state (or of `on`), as the node builds it. */
function soloTx(k: Kit, tag: 'channel_close_solo_tx' | 'channel_slash_tx' | 'channel_snapshot_solo_tx', on = k.last()): SignedTx {
  const base = { channelId: k.s.client.state().channelId!, fromId: k.self, ...onChain };
  const payload = on.tx.tx.tag === 'channel_offchain_tx' ? on.tx : null;
  if (tag === 'channel_snapshot_solo_tx') return unsigned({ tag, version: 1, ...base, payload: payload! });
  const poi = buildPoi(on.state.trees, { accounts: [k.s.config.initiator, k.s.config.responder] });
  return unsigned({ tag, version: 1, ...base, payload, poi });
}
function settleTx(k: Kit): SignedTx {
  const [i, r] = balances(k);
  return unsigned({ tag: 'channel_settle_tx', version: 1, channelId: k.s.client.state().channelId!, fromId: k.self, initiatorAmountFinal: i, responderAmountFinal: r, ...onChain });
}
function depositOrWithdraw(k: Kit, kind: 'deposit' | 'withdraw', account: AccountAddress, amount = 10n): { tx: SignedTx; update: OffchainUpdate } {
  const update: OffchainUpdate =
    kind === 'deposit' ? { tag: 'channel_offchain_update_deposit', version: 1, from: account, amount } : { tag: 'channel_offchain_update_withdraw', version: 1, to: account, amount };
  const { tx } = nextRound(k, [update]);
  const base = { channelId: k.s.client.state().channelId!, amount, ...onChain, stateHash: (tx as { stateHash: string }).stateHash, round: (tx as { round: bigint }).round };
  const t: Transaction =
    kind === 'deposit' ? ({ tag: 'channel_deposit_tx', version: 1, fromId: account, ...base } as Transaction) : ({ tag: 'channel_withdraw_tx', version: 1, toId: account, ...base } as Transaction);
  return { tx: unsigned(t), update };
}
/** The recorded sign request at step `i` with its tx replaced (its updates kept unless given). */
function replaced(k: Kit, i: number, tx: SignedTx, updates?: readonly OffchainUpdate[]): Frame {
  const m = k.recorded(i);
  const data = { ...m.params!.data!, signed_tx: encodeTx(tx), ...(updates === undefined ? {} : { updates: updates.map(updateToJson) }) };
  return { ...m, params: { ...m.params!, data } };
}
const recordedTx = (k: Kit, i: number) => decodeTx(String(k.recorded(i).params!.data!.signed_tx ?? k.recorded(i).params!.data!.state));
const mutateTx = (tx: SignedTx, patch: Record<string, unknown>): SignedTx => ({ ...tx, tx: { ...tx.tx, ...patch } as Transaction });

// Recorded own signatures (the recorded client's, which our client's signer also gives for those bytes).
const seedConfig = await configOf(seed, 'initiator');
const ownSignatures = {
  initiator: await recordedSignatures(seed.steps, 'initiator', seedConfig.initiator, seedConfig.networkId),
  responder: await recordedSignatures(seed.steps, 'responder', seedConfig.responder, seedConfig.networkId),
};
const ownSignatureOn = (k: Kit, tx: SignedTx) => ownSignatures[k.s.actor].get(toHex(encodeObject(tx.tx)))!;

// Where in each actor's steps the channel is open and idle, at round 2 and round 3.
const idleAt = (round: 2 | 3) => (steps: ReturnType<typeof actorSteps>) => nth(steps, 'channels.update', round) + 1;
const ackAt = (n = 1) => (steps: ReturnType<typeof actorSteps>) => nth(steps, 'channels.sign.update_ack', n);

// ---- the cases --------------------------------------------------------------------------------

const unrequested: Case[] = (['initiator', 'responder'] as const).flatMap((actor) => [
  { name: `${actor}: idle, a correct close_mutual of the latest state (shutdown_sign) it never asked for`, actor, at: idleAt(2), refuses: 'shutdown_sign', code: AESC_ERROR__CHANNEL__NOT_REQUESTED, frames: (k: Kit) => [signRequest(k, 'shutdown_sign', closeMutual(k, k.self))] },
  { name: `${actor}: idle, a correct close_solo of the latest state it never asked for`, actor, at: idleAt(2), refuses: 'close_solo_sign', code: AESC_ERROR__CHANNEL__NOT_REQUESTED, frames: (k: Kit) => [signRequest(k, 'close_solo_sign', soloTx(k, 'channel_close_solo_tx'))] },
  { name: `${actor}: idle, a correct slash with the latest state it never asked for`, actor, at: idleAt(2), refuses: 'slash_tx', code: AESC_ERROR__CHANNEL__NOT_REQUESTED, frames: (k: Kit) => [signRequest(k, 'slash_tx', soloTx(k, 'channel_slash_tx'))] },
  { name: `${actor}: idle, a correct snapshot_solo of the latest state it never asked for`, actor, at: idleAt(2), refuses: 'snapshot_solo_tx', code: AESC_ERROR__CHANNEL__NOT_REQUESTED, frames: (k: Kit) => [signRequest(k, 'snapshot_solo_tx', soloTx(k, 'channel_snapshot_solo_tx'))] },
  { name: `${actor}: idle, a settle paying out the latest balances it never asked for`, actor, at: idleAt(2), refuses: 'settle_sign', code: AESC_ERROR__CHANNEL__NOT_REQUESTED, frames: (k: Kit) => [signRequest(k, 'settle_sign', settleTx(k))] },
  {
    name: `${actor}: idle, a second channel_create_tx under a new nonce (more funds locked in a new channel)`,
    actor,
    at: idleAt(2),
    refuses: actor === 'initiator' ? 'initiator_sign' : 'responder_sign',
    code: AESC_ERROR__CHANNEL__NOT_REQUESTED,
    frames: (k: Kit) => {
      const tag = actor === 'initiator' ? 'initiator_sign' : 'responder_sign';
      const create = recordedTx(k, nth(k.steps, `channels.sign.${tag}`));
      return [signRequest(k, tag, mutateTx(create, { nonce: (create.tx as { nonce: bigint }).nonce + 1n }))];
    },
  },
  { name: `${actor}: idle, its own deposit it never asked for (deposit_tx, not an ack)`, actor, at: idleAt(2), refuses: 'deposit_tx', code: AESC_ERROR__CHANNEL__NOT_REQUESTED, frames: (k: Kit) => { const d = depositOrWithdraw(k, 'deposit', k.self); return [signRequest(k, 'deposit_tx', d.tx, [d.update])]; } },
  { name: `${actor}: idle, its own withdrawal it never asked for (withdraw_tx)`, actor, at: idleAt(2), refuses: 'withdraw_tx', code: AESC_ERROR__CHANNEL__NOT_REQUESTED, frames: (k: Kit) => { const d = depositOrWithdraw(k, 'withdraw', k.self); return [signRequest(k, 'withdraw_tx', d.tx, [d.update])]; } },
  { name: `${actor}: idle, its own transfer it never asked for (update)`, actor, at: idleAt(2), refuses: 'update', code: AESC_ERROR__CHANNEL__NOT_REQUESTED, frames: (k: Kit) => { const u = transfer(k.self, k.peer, 5n); return [signRequest(k, 'update', nextRound(k, [u]), [u])]; } },
]);

/** The peer's proposal "peer pays 5", forged at the place of the actor's first update_ack. */
const peerPays = (k: Kit, amount: bigint) => {
  const u = transfer(k.peer, k.self, amount);
  return { u, tx: nextRound(k, [u]) };
};
const ackForgeries: Case[] = (['initiator', 'responder'] as const).flatMap((actor) => [
  { name: `${actor}: update_ack "peer pays 5" with no peer signature`, actor, at: ackAt(), refuses: 'update_ack', code: AESC_ERROR__CHANNEL__SIGNATURE_MISSING, frames: (k: Kit) => { const p = peerPays(k, 5n); return [replaced(k, ackAt()(k.steps), p.tx, [p.u])]; } },
  { name: `${actor}: update_ack "peer pays 5" with 64 random bytes as the peer's signature`, actor, at: ackAt(), refuses: 'update_ack', code: AESC_ERROR__CHANNEL__SIGNATURE_MISSING, frames: (k: Kit) => { const p = peerPays(k, 5n); return [replaced(k, ackAt()(k.steps), withSignatures(p.tx, randomSignature()), [p.u])]; } },
  { name: `${actor}: update_ack "peer pays 5" signed by a third account`, actor, at: ackAt(), refuses: 'update_ack', code: AESC_ERROR__CHANNEL__SIGNATURE_MISSING, frames: async (k: Kit) => { const p = peerPays(k, 5n); return [replaced(k, ackAt()(k.steps), withSignatures(p.tx, await thirdAccountSignature(p.tx, k.s.config.networkId)), [p.u])]; } },
  { name: `${actor}: update_ack "peer pays 5" carrying the peer's signature of the honest proposal (other bytes)`, actor, at: ackAt(), refuses: 'update_ack', code: AESC_ERROR__CHANNEL__SIGNATURE_MISSING, frames: (k: Kit) => { const p = peerPays(k, 5n); const honest = recordedTx(k, ackAt()(k.steps)); return [replaced(k, ackAt()(k.steps), withSignatures(p.tx, ...honest.signatures), [p.u])]; } },
  { name: `${actor}: the honest update_ack with its peer signature replaced by random bytes`, actor, at: ackAt(), refuses: 'update_ack', code: AESC_ERROR__CHANNEL__SIGNATURE_MISSING, frames: (k: Kit) => { const honest = recordedTx(k, ackAt()(k.steps)); return [replaced(k, ackAt()(k.steps), withSignatures(honest, randomSignature()))]; } },
  { name: `${actor}: the honest update_ack with one more signature, random bytes (the node rejects such a tx on chain)`, actor, at: ackAt(), refuses: 'update_ack', code: AESC_ERROR__CHANNEL__UNEXPECTED_SIGNATURES, frames: (k: Kit) => { const honest = recordedTx(k, ackAt()(k.steps)); return [replaced(k, ackAt()(k.steps), withSignatures(honest, ...honest.signatures, randomSignature()))]; } },
  { name: `${actor}: the honest update_ack already carrying this client's own signature`, actor, at: ackAt(), refuses: 'update_ack', code: AESC_ERROR__CHANNEL__UNEXPECTED_SIGNATURES, frames: (k: Kit) => { const honest = recordedTx(k, ackAt()(k.steps)); return [replaced(k, ackAt()(k.steps), withSignatures(honest, ...honest.signatures, ownSignatureOn(k, honest)))]; } },
  { name: `${actor}: an update_ack whose tx is the honest one but whose updates say "peer pays 2"`, actor, at: ackAt(), refuses: 'update_ack', code: AESC_ERROR__CHANNEL__STATE_HASH_MISMATCH, frames: (k: Kit) => [replaced(k, ackAt()(k.steps), recordedTx(k, ackAt()(k.steps)), [transfer(k.peer, k.self, 2n)])] },
  { name: `${actor}: the honest update_ack, its tx wrapped in a ga_meta_tx of the peer`, actor, at: ackAt(), refuses: 'update_ack', code: AESC_ERROR__CHANNEL__UNEXPECTED_TX_TYPE, frames: (k: Kit) => { const honest = recordedTx(k, ackAt()(k.steps)); const meta = unsigned({ tag: 'ga_meta_tx', version: 2, gaId: k.peer, authData: encodeApi('cb', new Uint8Array([0x2b])), abiVersion: 3n, fee: onChain.fee, gas: 50_000n, gasPrice: 1_000_000_000n, tx: honest } as Transaction); return [replaced(k, ackAt()(k.steps), meta)]; } },
  { name: `${actor}: the honest update_ack for another channel (the envelope names it)`, actor, at: ackAt(), refuses: 'update_ack', code: AESC_ERROR__CHANNEL__OTHER_CHANNEL, frames: (k: Kit) => { const m = k.recorded(ackAt()(k.steps)); return [{ ...m, params: { ...m.params!, channel_id: otherChannel } }]; } },
  { name: `${actor}: an update_ack whose tx is for another channel`, actor, at: ackAt(), refuses: 'update_ack', code: AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH, frames: (k: Kit) => [replaced(k, ackAt()(k.steps), mutateTx(recordedTx(k, ackAt()(k.steps)), { channelId: otherChannel }))] },
  { name: `${actor}: a deposit_ack proposing that this client deposits (its own account)`, actor, at: idleAt(2), refuses: 'deposit_ack', code: AESC_ERROR__CHANNEL__UPDATES_MISMATCH, frames: (k: Kit) => { const d = depositOrWithdraw(k, 'deposit', k.self); return [signRequest(k, 'deposit_ack', withSignatures(d.tx, randomSignature()), [d.update])]; } },
  { name: `${actor}: a withdraw_ack proposing that this client withdraws (its own account)`, actor, at: idleAt(2), refuses: 'withdraw_ack', code: AESC_ERROR__CHANNEL__UPDATES_MISMATCH, frames: (k: Kit) => { const d = depositOrWithdraw(k, 'withdraw', k.self); return [signRequest(k, 'withdraw_ack', withSignatures(d.tx, randomSignature()), [d.update])]; } },
  { name: `${actor}: a deposit_ack of the peer with a transfer out of this account hidden after it`, actor, at: idleAt(2), refuses: 'deposit_ack', code: AESC_ERROR__CHANNEL__UPDATES_MISMATCH, frames: (k: Kit) => { const d = depositOrWithdraw(k, 'deposit', k.peer); return [signRequest(k, 'deposit_ack', withSignatures(d.tx, randomSignature()), [d.update, transfer(k.self, k.peer, 9n)])]; } },
  { name: `${actor}: the peer's shutdown_sign_ack whose split differs from the latest state by 1`, actor, at: idleAt(2), refuses: 'shutdown_sign_ack', code: AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH, frames: (k: Kit) => [signRequest(k, 'shutdown_sign_ack', withSignatures(closeMutual(k, k.peer, onChain.fee, 1n), randomSignature()))] },
  { name: `${actor}: the peer's correct shutdown_sign_ack with no peer signature`, actor, at: idleAt(2), refuses: 'shutdown_sign_ack', code: AESC_ERROR__CHANNEL__SIGNATURE_MISSING, frames: (k: Kit) => [signRequest(k, 'shutdown_sign_ack', closeMutual(k, k.peer))] },
  { name: `${actor}: the peer's shutdown_sign_ack whose fee (above maxFee) eats the balances`, actor, at: idleAt(2), refuses: 'shutdown_sign_ack', code: AESC_ERROR__CHANNEL__FEE_TOO_HIGH, frames: (k: Kit) => [signRequest(k, 'shutdown_sign_ack', withSignatures(closeMutual(k, k.peer, MAX_FEE + 1n), randomSignature()))] },
]);

const reports: Case[] = (['initiator', 'responder'] as const).flatMap((actor) => [
  {
    name: `${actor}: after its own transfer, the round reported with only this client's signature`,
    actor,
    at: (steps: ReturnType<typeof actorSteps>) => nth(steps, 'channels.update', actor === 'initiator' ? 2 : 3),
    code: AESC_ERROR__CHANNEL__NOT_CO_SIGNED,
    transferPending: true,
    frames: (k: Kit) => {
      const i = nth(k.steps, 'channels.update', actor === 'initiator' ? 2 : 3);
      const tx = recordedTx(k, i);
      return [report(k, withSignatures(tx, ownSignatureOn(k, tx)))];
    },
  },
  {
    name: `${actor}: an update_ack "peer pays 1000" with no peer signature, then reported back co-signed`,
    actor,
    at: ackAt(),
    refuses: 'update_ack',
    code: AESC_ERROR__CHANNEL__SIGNATURE_MISSING,
    also: [AESC_ERROR__CHANNEL__NOT_CO_SIGNED],
    frames: (k: Kit) => {
      const p = peerPays(k, 1000n);
      return [replaced(k, ackAt()(k.steps), p.tx, [p.u]), report(k, withSignatures(p.tx, randomSignature(), randomSignature())), report(k, p.tx)];
    },
  },
  { name: `${actor}: idle, the current round reported again with another tx (random state hash, the peer's signature)`, actor, at: idleAt(2), code: AESC_ERROR__CHANNEL__NOT_CO_SIGNED, frames: (k: Kit) => { const held = k.last().tx; const own = toHex(ownSignatureOn(k, held)); return [report(k, withSignatures(mutateTx(held, { stateHash: randomStateHash() }), ...held.signatures.filter((x) => toHex(x) !== own)))]; } },
  { name: `${actor}: idle, the current round's tx reported with the peer's signature only`, actor, at: idleAt(2), code: AESC_ERROR__CHANNEL__NOT_CO_SIGNED, frames: (k: Kit) => { const held = k.last().tx; const own = ownSignatureOn(k, held); return [report(k, withSignatures(held, ...held.signatures.filter((x) => toHex(x) !== toHex(own))))]; } },
  { name: `${actor}: idle, the current round's tx reported with a third signature added`, actor, at: idleAt(2), code: AESC_ERROR__CHANNEL__NOT_CO_SIGNED, frames: (k: Kit) => { const held = k.last().tx; return [report(k, withSignatures(held, ...held.signatures, randomSignature()))]; } },
  { name: `${actor}: idle, a round it never signed (round 3, random state hash)`, actor, at: idleAt(2), code: AESC_ERROR__CHANNEL__NOT_CO_SIGNED, frames: (k: Kit) => { const held = k.last().tx; return [report(k, withSignatures(mutateTx(held, { round: 3n, stateHash: randomStateHash() }), randomSignature(), randomSignature()))]; } },
  { name: `${actor}: idle at round 3, the co-signed round 2 reported again (an older state)`, actor, at: idleAt(3), code: AESC_ERROR__CHANNEL__NOT_CO_SIGNED, frames: (k: Kit) => [report(k, recordedTx(k, nth(k.steps, 'channels.update', 2)))] },
  { name: `${actor}: idle at round 3, the channel's co-signed create tx reported again`, actor, at: idleAt(3), code: AESC_ERROR__CHANNEL__NOT_CO_SIGNED, frames: (k: Kit) => [report(k, recordedTx(k, nth(k.steps, 'channels.update', 1)))] },
  { name: `${actor}: idle, the current round of another channel`, actor, at: idleAt(2), code: AESC_ERROR__CHANNEL__NOT_CO_SIGNED, frames: (k: Kit) => [report(k, mutateTx(k.last().tx, { channelId: otherChannel }))] },
  { name: `${actor}: idle, a co-signed round reported in a frame naming another channel`, actor, at: idleAt(2), code: AESC_ERROR__CHANNEL__OTHER_CHANNEL, frames: (k: Kit) => [report(k, k.last().tx, otherChannel)] },
  { name: `${actor}: idle, the current round wrapped in a ga_meta_tx of the peer`, actor, at: idleAt(2), code: AESC_ERROR__CHANNEL__NOT_CO_SIGNED, frames: (k: Kit) => [report(k, unsigned({ tag: 'ga_meta_tx', version: 2, gaId: k.peer, authData: encodeApi('cb', new Uint8Array([0x2b])), abiVersion: 3n, fee: onChain.fee, gas: 50_000n, gasPrice: 1_000_000_000n, tx: k.last().tx } as Transaction))] },
]);

const wrongPhase: Case[] = [
  { name: 'initiator: an update_ack while the channel is still opening (funding not locked)', actor: 'initiator', at: (steps) => nth(steps, 'channels.info', 1, 'funding_signed'), refuses: 'update_ack', code: AESC_ERROR__CHANNEL__NOT_REQUESTED, frames: (k) => { const m = k.recorded(ackAt()(k.steps)); return [{ ...m, params: { ...m.params!, channel_id: k.s.client.state().channelId } }]; } },
  { name: 'responder: an update_ack before the channel is open', actor: 'responder', at: (steps) => nth(steps, 'channels.info', 1, 'funding_locked'), refuses: 'update_ack', code: AESC_ERROR__CHANNEL__NOT_REQUESTED, frames: (k) => [k.recorded(ackAt()(k.steps))] },
  { name: 'initiator: a responder_sign (the other role’s create)', actor: 'initiator', at: (steps) => nth(steps, 'channels.sign.initiator_sign'), refuses: 'responder_sign', code: AESC_ERROR__CHANNEL__NOT_REQUESTED, frames: (k) => { const m = k.recorded(nth(k.steps, 'channels.sign.initiator_sign')); return [{ ...m, method: 'channels.sign.responder_sign' }]; } },
  // replays of old sign requests
  { name: 'initiator: the channel’s initiator_sign replayed while open', actor: 'initiator', at: idleAt(2), refuses: 'initiator_sign', code: AESC_ERROR__CHANNEL__NOT_REQUESTED, frames: (k) => [k.recorded(nth(k.steps, 'channels.sign.initiator_sign'))] },
  { name: 'responder: the channel’s responder_sign replayed while open', actor: 'responder', at: idleAt(2), refuses: 'responder_sign', code: AESC_ERROR__CHANNEL__NOT_REQUESTED, frames: (k) => [k.recorded(nth(k.steps, 'channels.sign.responder_sign'))] },
  { name: 'initiator: its own round-2 update replayed after the round', actor: 'initiator', at: idleAt(3), refuses: 'update', code: AESC_ERROR__CHANNEL__NOT_REQUESTED, frames: (k) => [k.recorded(nth(k.steps, 'channels.sign.update'))] },
  { name: 'initiator: the round-3 update_ack replayed after the round', actor: 'initiator', at: (steps) => nth(steps, 'channels.update', 3) + 1, refuses: 'update_ack', code: AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH, frames: (k) => [k.recorded(ackAt()(k.steps))] },
  { name: 'responder: the round-2 update_ack replayed after the round', actor: 'responder', at: idleAt(2), refuses: 'update_ack', code: AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH, frames: (k) => [k.recorded(ackAt()(k.steps))] },
  { name: 'responder: the round-2 update_ack replayed while its round is under way (signed, not yet reported)', actor: 'responder', at: (steps) => ackAt()(steps) + 1, refuses: 'update_ack', code: AESC_ERROR__CHANNEL__NOT_REQUESTED, frames: (k) => [k.recorded(ackAt()(k.steps))] },
];

/** Own requests the node answers with something else than what was asked. */
const asked: Case[] = (['initiator', 'responder'] as const).flatMap((actor) => [
  { name: `${actor}: asks to close mutually; the node's close_mutual fee is above maxFee`, actor, at: idleAt(2), action: (s: Session) => s.client.shutdown(), refuses: 'shutdown_sign', code: AESC_ERROR__CHANNEL__FEE_TOO_HIGH, frames: (k: Kit) => [signRequest(k, 'shutdown_sign', closeMutual(k, k.self, MAX_FEE + 2n))] },
  { name: `${actor}: asks to close mutually with nonce 5; the node's tx has nonce 7`, actor, at: idleAt(2), action: (s: Session) => s.client.shutdown({ nonce: 5n }), refuses: 'shutdown_sign', code: AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH, frames: (k: Kit) => [signRequest(k, 'shutdown_sign', closeMutual(k, k.self))] },
  { name: `${actor}: asks to close mutually; the split differs from the latest state`, actor, at: idleAt(2), action: (s: Session) => s.client.shutdown(), refuses: 'shutdown_sign', code: AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH, frames: (k: Kit) => [signRequest(k, 'shutdown_sign', closeMutual(k, k.self, onChain.fee, -3n))] },
  { name: `${actor}: asks to close solo; the node's tx carries the older round 2`, actor, at: idleAt(3), action: (s: Session) => s.client.closeSolo(), refuses: 'close_solo_sign', code: AESC_ERROR__CHANNEL__PAYLOAD_MISMATCH, frames: (k: Kit) => [signRequest(k, 'close_solo_sign', soloTx(k, 'channel_close_solo_tx', olderRound(k)))] },
  { name: `${actor}: asks to slash; the node's slash carries the older round 2`, actor, at: idleAt(3), action: (s: Session) => s.client.slash(), refuses: 'slash_tx', code: AESC_ERROR__CHANNEL__PAYLOAD_MISMATCH, frames: (k: Kit) => [signRequest(k, 'slash_tx', soloTx(k, 'channel_slash_tx', olderRound(k)))] },
  { name: `${actor}: asks for a snapshot; the node's snapshot carries the older round 2`, actor, at: idleAt(3), action: (s: Session) => s.client.snapshotSolo(), refuses: 'snapshot_solo_tx', code: AESC_ERROR__CHANNEL__PAYLOAD_MISMATCH, frames: (k: Kit) => [signRequest(k, 'snapshot_solo_tx', soloTx(k, 'channel_snapshot_solo_tx', olderRound(k)))] },
  { name: `${actor}: asks to deposit 10; the node's deposit_tx is for 11`, actor, at: idleAt(2), action: (s: Session) => s.client.deposit(10n), refuses: 'deposit_tx', code: AESC_ERROR__CHANNEL__UPDATES_MISMATCH, frames: (k: Kit) => { const d = depositOrWithdraw(k, 'deposit', k.self, 11n); return [signRequest(k, 'deposit_tx', d.tx, [d.update])]; } },
  { name: `${actor}: asks to deposit 10; the node reports the update asked for, its tx deposits 11`, actor, at: idleAt(2), action: (s: Session) => s.client.deposit(10n), refuses: 'deposit_tx', code: AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH, frames: (k: Kit) => { const d = depositOrWithdraw(k, 'deposit', k.self, 11n); return [signRequest(k, 'deposit_tx', d.tx, [depositOrWithdraw(k, 'deposit', k.self, 10n).update])]; } },
  { name: `${actor}: asks to transfer 1; the node asks to sign a close_mutual under the update tag`, actor, at: idleAt(2), action: (s: Session) => s.client.transfer(s.actor === 'initiator' ? s.config.responder : s.config.initiator, 1n), refuses: 'update', code: AESC_ERROR__CHANNEL__UNEXPECTED_TX_TYPE, frames: (k: Kit) => [signRequest(k, 'update', closeMutual(k, k.self), [transfer(k.self, k.peer, 1n)])] },
  { name: `${actor}: asks to transfer 1; the node's update comes with a signature on it already`, actor, at: idleAt(2), action: (s: Session) => s.client.transfer(s.actor === 'initiator' ? s.config.responder : s.config.initiator, 1n), refuses: 'update', code: AESC_ERROR__CHANNEL__UNEXPECTED_SIGNATURES, frames: (k: Kit) => { const u = transfer(k.self, k.peer, 1n); return [signRequest(k, 'update', withSignatures(nextRound(k, [u]), randomSignature()), [u])]; } },
  { name: `${actor}: asks to settle; the node's settle pays other amounts`, actor, at: idleAt(2), action: (s: Session) => s.client.settle(), refuses: 'settle_sign', code: AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH, frames: (k: Kit) => { const t = settleTx(k).tx as { initiatorAmountFinal: bigint; responderAmountFinal: bigint }; return [signRequest(k, 'settle_sign', mutateTx(settleTx(k), { initiatorAmountFinal: t.initiatorAmountFinal + 5n, responderAmountFinal: t.responderAmountFinal - 5n }))]; } },
]);

/** Round 2 as the client held it (for the solo txs built on a state that is not the latest). */
function olderRound(k: Kit): { state: OffchainState; tx: SignedTx } {
  const tx = recordedTx(k, nth(k.steps, 'channels.update', 2));
  const { config } = k.s;
  const start = initialState({ initiator: config.initiator, initiatorAmount: config.initiatorAmount, responder: config.responder, responderAmount: config.responderAmount, pushAmount: config.pushAmount });
  const state = applyUpdates(start, [transfer(config.initiator, config.responder, 1n)], { channelReserve: config.channelReserve });
  expect(encodedOffchainStateHash(state)).toBe((tx.tx as { stateHash: string }).stateHash);
  return { state, tx };
}

const CORPUS = loadTranscripts();

/** The create tx opening another channel of the same two accounts (another transcript of the corpus), co-signed by both. */
function otherChannelsCreate(): SignedTx {
  for (const t of CORPUS) {
    if (t.file === SEED || t.steps.length === 0) continue;
    const first = t.steps.find((s) => s.kind === 'connect');
    if (first?.url?.includes(seedConfig.initiator)) {
      for (const s of t.steps) {
        const state = (s.message as Frame | undefined)?.params?.data?.state;
        if (s.kind === 'recv' && typeof state === 'string' && decodeTx(state).tx.tag === 'channel_create_tx' && decodeTx(state).signatures.length === 2) return decodeTx(state);
      }
    }
  }
  throw new Error('no other channel of the same accounts in the corpus');
}

const openingCreate: Case[] = [
  ...(['initiatorAmount', 'responderAmount', 'lockPeriod', 'channelReserve'] as const).map(
    (field): Case => ({ name: `initiator: a create tx with another ${field} than configured`, actor: 'initiator', at: (steps) => nth(steps, 'channels.sign.initiator_sign'), refuses: 'initiator_sign', code: AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH, frames: (k) => { const i = nth(k.steps, 'channels.sign.initiator_sign'); const tx = recordedTx(k, i); return [replaced(k, i, mutateTx(tx, { [field]: (tx.tx as unknown as Record<string, bigint>)[field]! + 1n }))]; } }),
  ),
  { name: 'initiator: a create tx naming another responder', actor: 'initiator', at: (steps) => nth(steps, 'channels.sign.initiator_sign'), refuses: 'initiator_sign', code: AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH, frames: (k) => { const i = nth(k.steps, 'channels.sign.initiator_sign'); return [replaced(k, i, mutateTx(recordedTx(k, i), { responderId: accountAddress(stranger.publicKey) }))]; } },
  { name: 'initiator: a create tx naming a delegate', actor: 'initiator', at: (steps) => nth(steps, 'channels.sign.initiator_sign'), refuses: 'initiator_sign', code: AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH, frames: (k) => { const i = nth(k.steps, 'channels.sign.initiator_sign'); return [replaced(k, i, mutateTx(recordedTx(k, i), { delegateIds: [accountAddress(stranger.publicKey)] }))]; } },
  { name: 'initiator: a create tx whose state hash pushes another amount', actor: 'initiator', at: (steps) => nth(steps, 'channels.sign.initiator_sign'), refuses: 'initiator_sign', code: AESC_ERROR__CHANNEL__STATE_HASH_MISMATCH, frames: (k) => { const i = nth(k.steps, 'channels.sign.initiator_sign'); const c = k.s.config; const pushed = initialState({ initiator: c.initiator, initiatorAmount: c.initiatorAmount, responder: c.responder, responderAmount: c.responderAmount, pushAmount: c.pushAmount + 1000n }); return [replaced(k, i, mutateTx(recordedTx(k, i), { stateHash: encodedOffchainStateHash(pushed) }))]; } },
  { name: 'initiator: a create tx whose fee is above maxFee', actor: 'initiator', at: (steps) => nth(steps, 'channels.sign.initiator_sign'), refuses: 'initiator_sign', code: AESC_ERROR__CHANNEL__FEE_TOO_HIGH, frames: (k) => { const i = nth(k.steps, 'channels.sign.initiator_sign'); return [replaced(k, i, mutateTx(recordedTx(k, i), { fee: MAX_FEE + 1n }))]; } },
  { name: 'responder: a create tx with another initiatorAmount (the initiator’s signature on it is no longer valid either)', actor: 'responder', at: (steps) => nth(steps, 'channels.sign.responder_sign'), refuses: 'responder_sign', code: AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH, frames: (k) => { const i = nth(k.steps, 'channels.sign.responder_sign'); const tx = recordedTx(k, i); return [replaced(k, i, mutateTx(tx, { initiatorAmount: (tx.tx as { initiatorAmount: bigint }).initiatorAmount + 1n }))]; } },
  { name: 'responder: the configured create tx with no initiator signature', actor: 'responder', at: (steps) => nth(steps, 'channels.sign.responder_sign'), refuses: 'responder_sign', code: AESC_ERROR__CHANNEL__SIGNATURE_MISSING, frames: (k) => { const i = nth(k.steps, 'channels.sign.responder_sign'); return [replaced(k, i, withSignatures(recordedTx(k, i)))]; } },
  { name: 'responder: the configured create tx signed by a third account', actor: 'responder', at: (steps) => nth(steps, 'channels.sign.responder_sign'), refuses: 'responder_sign', code: AESC_ERROR__CHANNEL__SIGNATURE_MISSING, frames: async (k) => { const i = nth(k.steps, 'channels.sign.responder_sign'); const tx = recordedTx(k, i); return [replaced(k, i, withSignatures(tx, await thirdAccountSignature(tx, k.s.config.networkId)))]; } },
  { name: 'initiator: the co-signed create tx of another channel of the same accounts reported as this one’s', actor: 'initiator', at: (steps) => nth(steps, 'channels.update', 1), code: AESC_ERROR__CHANNEL__NOT_CO_SIGNED, frames: (k) => [report(k, otherChannelsCreate())] },
];

// ---- running a case ---------------------------------------------------------------------------

async function runCase(c: Case, policy: PolicyName): Promise<void> {
  const s = await openSession(seed, c.actor, policy);
  try {
    const steps = actorSteps(seed, c.actor);
    const at = c.at(steps);
    await replay(s, steps, 0, at);
    const self = c.actor === 'initiator' ? s.config.initiator : s.config.responder;
    const peer = c.actor === 'initiator' ? s.config.responder : s.config.initiator;
    const kit: Kit = {
      s,
      steps,
      self,
      peer,
      recorded: (i) => structuredClone(steps[i]!.message) as Frame,
      last: () => s.client.state().last!,
    };
    const before = await s.held();
    const signedBefore = s.signed.length;
    const sentBefore = s.sent.length;
    const eventsBefore = s.events.length;
    if (c.action !== undefined) {
      s.track('action', c.action(s));
      await s.settle();
    }
    for (const f of await c.frames(kit)) s.deliver(f);
    await s.settle();
    const after = await s.held();
    const unsafe = s.signed.length - signedBefore;
    const events = s.events.slice(eventsBefore);
    const falseRounds = events.filter((e) => e.type === 'round').length;
    const changed = after.memory !== before.memory || after.store !== before.store ? 1 : 0;
    totals.cases++;
    totals.unsafeSignatures += unsafe;
    totals.falseCoSigned += Math.max(changed, falseRounds > 0 ? 1 : 0);
    // Never signed, nothing taken as co-signed: memory and store as they were.
    expect(unsafe, 'signatures made after the attack').toBe(0);
    expect(after.memory, 'the latest co-signed state in memory').toBe(before.memory);
    expect(after.store, 'the latest co-signed state in the store').toBe(before.store);
    expect(falseRounds, 'round events').toBe(0);
    // The answer the protocol wants.
    const answers = s.sent.slice(sentBefore).filter((f) => /^channels\.[a-z_]+$/.test(f.method ?? '') && (f.params?.error !== undefined || f.params?.signed_tx !== undefined));
    const heard = events.filter((e) => e.type === 'refused' || e.type === 'error').map((e) => (e.type === 'refused' || e.type === 'error' ? e.error.code : 0));
    if (c.refuses !== undefined) {
      expect(answers.length, 'one answer to the sign request').toBe(1);
      expect(isAbort(answers[0]!, c.refuses, 1), `abort of ${c.refuses} with code 1: ${JSON.stringify(answers[0])}`).toBe(true);
      expect(events.find((e) => e.type === 'refused')?.type === 'refused' && (events.find((e) => e.type === 'refused') as { error: { code: number } }).error.code).toBe(c.code);
      totals.refused++;
    } else {
      expect(answers, 'no answer to a report').toEqual([]);
    }
    expect(heard, 'the coded error the app hears').toContain(c.code);
    for (const code of c.also ?? []) expect(heard, 'further coded errors').toContain(code);
    // An app command the attack answered fails with the coded error, never resolves.
    const action = s.calls.get('action');
    if (action !== undefined) {
      expect(action.settled && action.error !== undefined && (action.error as { code?: number }).code).toBe(c.code);
    }
    // The app's transfer whose round was reported with one signature does not resolve.
    if (c.transferPending === true) expect([...s.calls].filter(([name]) => name.endsWith(' transfer')).at(-1)?.[1].settled, 'the transfer').toBe(false);
  } finally {
    await s.close();
  }
}

const ALL: readonly Case[] = [...unrequested, ...ackForgeries, ...reports, ...wrongPhase, ...asked, ...openingCreate];

describe.each(POLICIES)('a malicious node against one @aesc/channel client (sc_ws_basic_open_close, policy %s)', (policy) => {
  it.each(ALL.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await runCase(c, policy);
  });
});

// ---- reestablish with another channel's state ---------------------------------------------------

describe.each(POLICIES)('a malicious node on reestablish (policy %s)', (policy) => {
  it('a client coming back from its store takes no other channel’s state, whether the frame names ours or theirs', async () => {
    // The honest channel up to round 3, kept in a store.
    const first = await openSession(seed, 'initiator', policy);
    const steps = actorSteps(seed, 'initiator');
    await replay(first, steps, 0, idleAt(3)(steps));
    const id = first.client.state().channelId!;
    const record = (await first.store.load(id))!;
    await first.close();
    for (const named of ['ours', 'theirs'] as const) {
      const s = await openSession(seed, 'initiator', policy, { resume: resumeFrom(record).resume }, first.store);
      try {
        const before = await s.held();
        const signedBefore = s.signed.length;
        const other = otherChannelsCreate();
        const ch = named === 'ours' ? id : channelIdFromCreateTx(other);
        s.deliver(notification(s, 'channels.info', { event: 'fsm_up', fsm_id: record.fsmId }, null));
        s.deliver(notification(s, 'channels.info', { event: 'channel_reestablished' }, ch));
        s.deliver(notification(s, 'channels.info', { event: 'open' }, ch));
        s.deliver(notification(s, 'channels.update', { state: encodeTx(other) }, ch));
        await s.settle();
        const after = await s.held();
        totals.cases++;
        totals.unsafeSignatures += s.signed.length - signedBefore;
        totals.falseCoSigned += after.memory !== before.memory || after.store !== before.store ? 1 : 0;
        expect(after).toEqual(before);
        expect(after.round).toBe(3n);
        expect(s.signed.length).toBe(signedBefore);
        const codes = s.events.filter((e) => e.type === 'error').map((e) => (e.type === 'error' ? e.error.code : 0));
        expect(codes).toContain(named === 'ours' ? AESC_ERROR__CHANNEL__NOT_CO_SIGNED : AESC_ERROR__CHANNEL__OTHER_CHANNEL);
        expect(s.events.some((e) => e.type === 'round')).toBe(false);
      } finally {
        await s.close();
      }
    }
  });
});

// ---- attacks that need the peer's key: our node, with a man in the middle -------------------------

// The corpus holds no secret keys, so the peer's own signature over something else (another
// network id, another state) cannot be made on its frames. These cases run the same client against
// our node (@aesc/node, which conforms to the corpus) with the dev chain's accounts, whose keys are
// known: the node's frames are honest, and a man in the middle on the attacked client's connection
// changes exactly what the case says.

interface Middle {
  /** Rewrites the next frame for which `rewrite` gives a replacement. */
  arm(rewrite: (m: Frame) => Promise<Frame | undefined>): void;
  inject(m: Frame): void;
}

async function pairOnOurNode(policy: PolicyName) {
  const node = await startDevnet({ port: 0 });
  const [a, b] = (await devAccounts(2)) as [DevAccount, DevAccount];
  const amounts = { initiatorAmount: 70_000_000_000_000n, responderAmount: 40_000_000_000_000n, pushAmount: 1n, channelReserve: 2n, lockPeriod: 10n };
  const config = { initiator: a.address, responder: b.address, networkId: node.node.chainInfo.networkId, ...amounts, maxFee: MAX_FEE };
  const url = (role: Role) =>
    `${node.channelUrl}?${new URLSearchParams({
      protocol: 'json-rpc', role, host: '127.0.0.1', port: '14777',
      initiator_id: a.address, responder_id: b.address,
      initiator_amount: String(amounts.initiatorAmount), responder_amount: String(amounts.responderAmount), push_amount: String(amounts.pushAmount),
      channel_reserve: String(amounts.channelReserve), lock_period: String(amounts.lockPeriod), minimum_depth: '0', minimum_depth_strategy: 'plain',
    })}`;
  const key = (acc: DevAccount) => fromHex(acc.secretKey)!;
  const signed: Uint8Array[] = [];
  let armed: ((m: Frame) => Promise<Frame | undefined>) | undefined;
  let handlersOf: ((text: string) => void) | undefined;
  let order = Promise.resolve();
  const middle: Middle = {
    arm: (rewrite) => {
      armed = rewrite;
    },
    inject: (m) => handlersOf?.(stringifyJson(m)),
  };
  const store = memoryStore();
  const responder = await connectChannel({
    connect: (handlers, signal) => {
      handlersOf = handlers.onMessage;
      return webSocketConnector(url('responder'))(
        {
          ...handlers,
          onMessage: (text) => {
            // frames keep their order while one is rewritten
            order = order.then(async () => {
              const rewrite = armed;
              const replacement = rewrite === undefined ? undefined : await rewrite(parseJson(text) as Frame);
              if (replacement !== undefined) armed = undefined;
              handlers.onMessage(replacement === undefined ? text : stringifyJson(replacement));
            });
          },
        },
        signal,
      );
    },
    config: { role: 'responder', ...config },
    signer: {
      address: b.address,
      signTransaction: (tx, o) => {
        signed.push(tx);
        return signTransaction(tx, o.networkId, key(b));
      },
    },
    store,
    policy: policy === 'approve-all' ? approveAll : safePolicy(b.address),
  });
  const initiator = await connectChannel({
    connect: webSocketConnector(url('initiator')),
    config: { role: 'initiator', ...config },
    signer: { address: a.address, signTransaction: (tx, o) => signTransaction(tx, o.networkId, key(a)) },
    store: memoryStore(),
  });
  await Promise.all([initiator.waitFor('open'), responder.waitFor('open')]);
  const held = async () => {
    const last = responder.state().last!;
    const record = await store.load(responder.state().channelId!);
    return { memory: `${last.state.round} ${encodedOffchainStateHash(last.state)} ${encodeTx(last.tx)}`, store: JSON.stringify(recordToJson(record!)) };
  };
  return {
    node, a, b, key, initiator, responder, middle, signed, held,
    async close() {
      initiator.close();
      responder.close();
      await node.close();
    },
  };
}

describe.each(POLICIES)('attacks that need the peer’s key, against our node (policy %s)', (policy) => {
  it('the peer’s real signature for another network id, on the peer’s own proposal, is never co-signed; in the hash form for this network it is', async () => {
    const p = await pairOnOurNode(policy);
    try {
      // honest: the peer's signature in the hash form, which the node accepts too
      p.middle.arm(async (m) => {
        if (m.method !== 'channels.sign.update_ack') return undefined;
        const tx = decodeTx(String(m.params!.data!.signed_tx));
        const sig = await signTransaction(encodeObject(tx.tx), p.responder.state().config.networkId, p.key(p.a), { form: 'hash' });
        return { ...m, params: { ...m.params!, data: { ...m.params!.data!, signed_tx: encodeTx({ ...tx, signatures: [sig] }) } } };
      });
      expect(await p.initiator.transfer(p.b.address, 5n)).toBe(2n);
      await p.responder.idle();
      expect(p.responder.state().last!.state.round).toBe(2n);
      totals.controls++;
      totals.controlSignatures++;
      totals.controlRequests++;

      // the attack: the same kind of proposal, signed by the peer's key for ae_mainnet
      const before = await p.held();
      const signedBefore = p.signed.length;
      const events: ChannelEvent[] = [];
      const off = p.responder.on((e) => events.push(e));
      p.middle.arm(async (m) => {
        if (m.method !== 'channels.sign.update_ack') return undefined;
        const tx = decodeTx(String(m.params!.data!.signed_tx));
        const sig = await signTransaction(encodeObject(tx.tx), 'ae_mainnet', p.key(p.a));
        return { ...m, params: { ...m.params!, data: { ...m.params!.data!, signed_tx: encodeTx({ ...tx, signatures: [sig] }) } } };
      });
      await expect(p.initiator.transfer(p.b.address, 5n)).rejects.toMatchObject({ code: expect.any(Number) });
      await p.responder.idle();
      off();
      const after = await p.held();
      totals.cases++;
      totals.unsafeSignatures += p.signed.length - signedBefore;
      totals.falseCoSigned += after.memory !== before.memory || after.store !== before.store ? 1 : 0;
      expect(p.signed.length).toBe(signedBefore);
      expect(after).toEqual(before);
      const refused = events.find((e) => e.type === 'refused');
      expect(refused?.type === 'refused' && refused.error.code).toBe(AESC_ERROR__CHANNEL__SIGNATURE_MISSING);
      // and the channel goes on
      expect(await p.initiator.transfer(p.b.address, 1n)).toBe(3n);
    } finally {
      await p.close();
    }
  }, 60_000);

  it('idle, the current round reported again with another state hash signed for real by both participants is not taken', async () => {
    const p = await pairOnOurNode(policy);
    try {
      const before = await p.held();
      const signedBefore = p.signed.length;
      const events: ChannelEvent[] = [];
      p.responder.on((e) => events.push(e));
      const held = p.responder.state().last!.tx;
      const forged = mutateTx(withSignatures(held), { stateHash: randomStateHash() });
      const networkId = p.responder.state().config.networkId;
      const sigs = await Promise.all([p.a, p.b].map((acc) => signTransaction(encodeObject(forged.tx), networkId, p.key(acc))));
      p.middle.inject({ jsonrpc: '2.0', method: 'channels.update', params: { channel_id: p.responder.state().channelId!, data: { state: encodeTx(withSignatures(forged, ...sigs)) } } } as Frame);
      await p.responder.idle();
      const after = await p.held();
      totals.cases++;
      totals.unsafeSignatures += p.signed.length - signedBefore;
      totals.falseCoSigned += after.memory !== before.memory || after.store !== before.store ? 1 : 0;
      expect(after).toEqual(before);
      expect(events.map((e) => (e.type === 'error' ? e.error.code : e.type))).toEqual([AESC_ERROR__CHANNEL__NOT_CO_SIGNED]);
    } finally {
      await p.close();
    }
  }, 60_000);
});

// ---- honest controls --------------------------------------------------------------------------

/**
 * Transcripts of the corpus whose recorded clients sign every sign request they get, whose peers
 * propose nothing that takes from the other's account, and that need no contract VM: the honest
 * controls. Every sign request in them must be signed, under both policies.
 */
function controls(): Transcript[] {
  const vm = /^(contracts|force_progress|generalized_accounts)|remote_call_contract|force_progress/;
  return CORPUS.filter((t) => {
    if (vm.test(t.file) || !t.steps.some((s) => s.kind === 'connect')) return false;
    if (t.steps.some((s) => s.kind === 'send' && (s.message as Frame).params?.error !== undefined)) return false; // a recorded abort
    // a sign request the recorded client left unanswered (it closed first): nothing to sign it with
    const requests = t.steps.filter((s) => s.kind === 'recv' && (s.message as Frame).method?.startsWith('channels.sign.')).length;
    const replies = t.steps.filter((s) => s.kind === 'send' && typeof (s.message as Frame).params?.signed_tx === 'string').length;
    if (requests !== replies) return false;
    for (const s of t.steps) {
      const m = s.message as Frame | undefined;
      if (s.kind === 'recv' && m?.method === 'channels.sign.update_ack') {
        const from = (m.params?.data?.updates as { from?: string }[] | undefined)?.[0]?.from;
        const self = connectOf(t, s.actor);
        if (from === self) return false; // the peer proposes a transfer out of this account: the safe policy declines it
      }
    }
    return true;
  });
}
function connectOf(t: Transcript, actor: string): string | undefined {
  const url = t.steps.find((s) => s.kind === 'connect' && s.actor === actor)?.url ?? '';
  return new URL(url).searchParams.get(actor === 'initiator' ? 'initiator_id' : 'responder_id') ?? undefined;
}

const CONTROLS = controls();

describe.each(POLICIES)('honest controls: the unmodified transcripts are signed (policy %s)', (policy) => {
  it.each(CONTROLS.map((t) => [t.file, t] as const))('%s', async (_file, t) => {
    for (const actor of ['initiator', 'responder'] as const) {
      const steps = actorSteps(t, actor);
      if (!steps.some((s) => s.kind === 'connect')) continue;
      const recordedSigned = steps.filter((s) => s.kind === 'send' && typeof (s.message as Frame).params?.signed_tx === 'string').length;
      const requests = steps.filter((s) => s.kind === 'recv' && (s.message as Frame).method?.startsWith('channels.sign.')).length;
      const s = await openSession(t, actor, policy);
      try {
        const signed = await replay(s, steps, 0, steps.length);
        expect(signed, `${actor}: signed replies`).toBe(recordedSigned);
        expect(s.sent.filter((f) => f.params?.error !== undefined), `${actor}: aborts`).toEqual([]);
        expect(s.events.filter((e) => e.type === 'refused'), `${actor}: refusals`).toEqual([]);
        expect(unmatchedSent(s), `${actor}: frames the recorded client did not send`).toEqual([]);
        totals.controls++;
        totals.controlSignatures += signed;
        totals.controlRequests += requests;
      } finally {
        await s.close();
      }
    }
  });
});

afterAll(() => {
  const perPolicy = ALL.length + 2 + 2; // the transcript cases, the reestablish (two ways), our node's two
  console.log(
    `malicious node: ${totals.cases} cases run (${perPolicy} cases × ${POLICIES.length} policies), ${totals.refused} sign requests refused with abort code 1, ` +
      `unsafe signatures: ${totals.unsafeSignatures}, states falsely taken as co-signed: ${totals.falseCoSigned}; ` +
      `honest controls: ${totals.controls} client sessions (${CONTROLS.length} unmodified transcripts × 2 sides × ${POLICIES.length} policies, and our node's peer proposal signed in the hash form × ${POLICIES.length}), ` +
      `${totals.controlSignatures} of ${totals.controlRequests} sign requests signed`,
  );
  expect(totals.unsafeSignatures).toBe(0);
  expect(totals.falseCoSigned).toBe(0);
  expect(totals.controlSignatures).toBe(totals.controlRequests);
});
