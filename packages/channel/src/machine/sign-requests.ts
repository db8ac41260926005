import { channelIdFromCreateTx } from '@aesc/crypto';
import { decodeTx, encodeTx, type SignedTx } from '@aesc/encoding';
import { AESC_ERROR__CHANNEL__NOT_PENDING_PROPOSAL, AESC_ERROR__CHANNEL__NOT_REQUESTED, AESC_ERROR__CHANNEL__UPDATES_MISMATCH, AescError, isAescError } from '@aesc/errors';
import { isOffchainRound, metaTexts, offchainRound, offchainRoundOfUpdates, sameUpdates } from '@aesc/protocol';
import { type OffchainUpdate, updateFromJson } from '@aesc/state';
import { ABORT_VALIDATION_ERROR, checkSignRequest, type SignExpectation } from '../sign-request.js';
import { expectSigners, type TxSigners } from '../signatures.js';
import { isOwnProposalTag, type PendingProposal } from '../store/channel-record.js';
import type { Phase } from './phase.js';
import { type SignTag, signTagSpec } from './sign-tags.js';
import type { AskedFor, ClientMessage, ClientState, Command, OffchainRoundCommand, PendingRound, StoringRound } from './types.js';
import { onChainUpdates, settleAmounts, view } from './channel-view.js';
import { type Builder, peer, self } from './builder.js';
import { recordOf, takeLast } from './co-signed.js';

/**
 * The node's sign requests: admitted only when the client asked for them (its own proposal, or one
 * it kept before a crash) or they are the peer's proposal in the right phase, checked, approved by
 * the app's policy, then signed; and what the signature leads to.
 */

function expectationFor(s: ClientState, tag: string, updates: readonly OffchainUpdate[], asked: AskedFor | undefined): SignExpectation {
  // What the request carries out: the app's command, or the own proposal a restarted client kept.
  const c = asked !== undefined && asked.kind !== 'open' ? asked : s.command?.command;
  const onChain = (cmd: Command | undefined) => {
    const o = (cmd ?? {}) as { fee?: bigint; gasPrice?: bigint; nonce?: bigint };
    const fee = o.fee === undefined ? {} : o.gasPrice === undefined ? { fee: o.fee } : { minFee: o.fee };
    return { ...fee, ...(o.nonce === undefined ? {} : { nonce: o.nonce }) };
  };
  switch (tag) {
    case 'initiator_sign':
    case 'responder_sign':
      return {
        kind: 'create',
        initiatorAmount: s.config.initiatorAmount,
        responderAmount: s.config.responderAmount,
        pushAmount: s.config.pushAmount,
        lockPeriod: s.config.lockPeriod,
      };
    case 'update': {
      if (c === undefined || !isOffchainRound(c.kind)) throw new AescError(AESC_ERROR__CHANNEL__UPDATES_MISMATCH, { reason: 'no update was requested' });
      const mine = offchainRound(c.kind).updates(c as OffchainRoundCommand);
      if (!sameUpdates(mine, updates)) throw new AescError(AESC_ERROR__CHANNEL__UPDATES_MISMATCH, { reason: 'the node reports other updates' });
      return { kind: 'offchain', updates: mine };
    }
    case 'update_ack':
      return { kind: 'offchain', updates };
    case 'deposit_tx':
    case 'withdraw_tx': {
      const kind = tag === 'deposit_tx' ? 'deposit' : 'withdraw';
      if (c?.kind !== kind) throw new AescError(AESC_ERROR__CHANNEL__UPDATES_MISMATCH, { reason: `no ${kind} was requested` });
      // The updates the node reports are the ones the app sees: they must be what was asked for.
      if (!sameUpdates(onChainUpdates(c, self(s)), updates)) throw new AescError(AESC_ERROR__CHANNEL__UPDATES_MISMATCH, { reason: 'the node reports other updates' });
      return c.kind === 'deposit'
        ? { kind: 'deposit', from: self(s), amount: c.amount, ...onChain(c) }
        : { kind: 'withdraw', to: self(s), amount: c.amount, ...onChain(c) };
    }
    case 'deposit_ack':
    case 'withdraw_ack': {
      // The peer proposes to move its own coins on or off chain (the node makes the proposer the
      // depositor or withdrawer); its other updates are checked with the tx (meta updates only).
      const [u] = updates;
      const account = u?.tag === 'channel_offchain_update_deposit' ? u.from : u?.tag === 'channel_offchain_update_withdraw' ? u.to : undefined;
      if (account !== undefined && account !== peer(s)) {
        throw new AescError(AESC_ERROR__CHANNEL__UPDATES_MISMATCH, { reason: `a ${tag} for an account other than the peer's` });
      }
      if (u?.tag === 'channel_offchain_update_deposit' && tag === 'deposit_ack') return { kind: 'deposit', from: u.from, amount: u.amount, updates };
      if (u?.tag === 'channel_offchain_update_withdraw' && tag === 'withdraw_ack') return { kind: 'withdraw', to: u.to, amount: u.amount, updates };
      throw new AescError(AESC_ERROR__CHANNEL__UPDATES_MISMATCH, { reason: `a ${tag} without its update` });
    }
    case 'shutdown_sign':
      return { kind: 'close-mutual', from: self(s), ...onChain(c) };
    case 'shutdown_sign_ack':
      return { kind: 'close-mutual', from: peer(s) };
    case 'close_solo_sign':
      return { kind: 'close-solo', ...onChain(c) };
    case 'slash_tx':
      return { kind: 'slash', ...onChain(c) };
    case 'snapshot_solo_tx':
      return { kind: 'snapshot-solo', ...onChain(c) };
    case 'settle_sign': {
      const [i, r] = settleAmounts(s);
      return { kind: 'settle', initiatorAmount: i, responderAmount: r, ...onChain(c) };
    }
    default:
      throw new AescError(AESC_ERROR__CHANNEL__UPDATES_MISMATCH, { reason: `unknown sign tag ${tag}` });
  }
}

export function abortReply(b: Builder, replyMethod: string, code: number): void {
  b.send(replyMethod, { error: code }, true);
}

/**
 * Refuses a sign request: aborts it (the node needs an answer to go on), tells the app, and fails
 * the app's command if the request claims to carry it out (one of another kind leaves it alone).
 */
export function refuseSignRequest(b: Builder, tag: string, spec: SignTag, error: AescError, code = ABORT_VALIDATION_ERROR): void {
  abortReply(b, spec.reply, code);
  b.emit({ type: 'refused', tag, error });
  const c = b.state.command?.command.kind;
  if (c !== undefined && spec.asked.includes(c)) b.failCommand(error);
}

/** Phases in which the node may bring the peer's proposals (a mutual close also while a solo close runs, as the node's `channel_closing` takes it). */
const PROPOSAL_PHASES: Readonly<Record<string, readonly Phase[]>> = {
  update_ack: ['open', 'signing'],
  deposit_ack: ['open', 'signing'],
  withdraw_ack: ['open', 'signing'],
  shutdown_sign_ack: ['open', 'signing', 'solo-closing'],
};

/**
 * Whether a sign request can come now, and what it carries out: this client's own requests only
 * while the app's command that asks for them runs (the create tx only while this client opens its
 * channel, once, in its role), the peer's proposals only while the channel is open and no other
 * round is being signed. Throws a coded error otherwise: the node cannot make a client sign what it
 * did not ask for, in a phase where it cannot come, or again.
 */
function admit(s: ClientState, tag: string, spec: SignTag): AskedFor | undefined {
  const no = (reason: string) => new AescError(AESC_ERROR__CHANNEL__NOT_REQUESTED, { tag, reason });
  const r = s.round;
  // A round in progress: signing, being stored, or signed and waiting for its state to be co-signed.
  if (r !== undefined && (r.awaitingSignature || r.storing !== undefined || r.next !== undefined)) throw no(`the ${r.tag} round is under way`);
  if (spec.asked.includes('open')) {
    const role = tag === 'initiator_sign' ? 'initiator' : 'responder';
    if (s.config.role !== role) throw no(`this client is the channel's ${s.config.role}`);
    if (s.phase !== 'opening' || s.channelId !== undefined || s.last !== undefined) {
      throw no(s.channelId !== undefined ? `this client signed the create tx of ${s.channelId} already` : `the channel is ${s.phase}`);
    }
    return { kind: 'open' };
  }
  if (spec.asked.length > 0) {
    const c = s.command?.command;
    if (c !== undefined && spec.asked.includes(c.kind)) return c;
    // Asked again for its own proposal it kept before signing (a client that came back): what it
    // carries out is what the client had asked for then.
    if (s.pending !== undefined && s.pending.tag === tag) return commandOfPending(s.pending);
    throw no(`no ${spec.asked.join(' or ')} was requested${c === undefined ? '' : ` (the app asked for a ${c.kind})`}`);
  }
  if (s.last === undefined || !(PROPOSAL_PHASES[tag] ?? []).includes(s.phase) || r !== undefined) {
    throw no(`the peer's proposals cannot come while the channel is ${r === undefined ? s.phase : `finishing a ${r.tag}`}`);
  }
  return undefined;
}

/** The app's command a kept own proposal carried out (for the checks and the app's policy when the node asks for it again). */
function commandOfPending(p: PendingProposal): Command {
  const notOurs = () => new AescError(AESC_ERROR__CHANNEL__NOT_PENDING_PROPOSAL, { tag: p.tag, reason: 'the kept proposal is none this client makes' });
  if (p.tag === 'update') {
    const round = offchainRoundOfUpdates(p.updates);
    if (round === undefined) throw notOurs();
    return { kind: round.kind, ...round.request } as Command;
  }
  const [u, ...rest] = p.updates;
  const texts = metaTexts(rest);
  if (texts === undefined) throw notOurs();
  const meta = texts.length === 0 ? {} : { meta: texts };
  const tx = p.tx.tx;
  // The fee and nonce of the tx kept: the tx asked for again must have exactly these.
  if (p.tag === 'deposit_tx' && u?.tag === 'channel_offchain_update_deposit' && tx.tag === 'channel_deposit_tx') {
    return { kind: 'deposit', amount: u.amount, ...meta, fee: tx.fee, nonce: tx.nonce };
  }
  if (p.tag === 'withdraw_tx' && u?.tag === 'channel_offchain_update_withdraw' && tx.tag === 'channel_withdraw_tx') {
    return { kind: 'withdraw', amount: u.amount, ...meta, fee: tx.fee, nonce: tx.nonce };
  }
  throw notOurs();
}

/**
 * Whether a sign request of this client's own is the node asking again for the proposal it kept
 * (no app command leads to it): then it must be that very proposal, the same updates and the same
 * tx, or nothing is signed (7090).
 */
function checkResent(s: ClientState, tag: string, spec: SignTag, tx: SignedTx, updates: readonly OffchainUpdate[]): boolean {
  const c = s.command?.command;
  const p = s.pending;
  if (!isOwnProposalTag(tag) || (c !== undefined && spec.asked.includes(c.kind)) || p === undefined || p.tag !== tag) return false;
  if (!sameUpdates(p.updates, updates)) throw new AescError(AESC_ERROR__CHANNEL__NOT_PENDING_PROPOSAL, { tag, reason: 'the node reports other updates' });
  if (encodeTx(tx) !== encodeTx(p.tx)) throw new AescError(AESC_ERROR__CHANNEL__NOT_PENDING_PROPOSAL, { tag, reason: 'its tx is not the one kept' });
  return true;
}

export function onSignRequest(b: Builder, tag: string, data: Record<string, unknown>, signers: TxSigners | undefined): void {
  const spec = signTagSpec(tag);
  const s = b.state;
  if (spec === undefined || typeof data.signed_tx !== 'string') {
    b.emit({ type: 'error', error: new AescError(AESC_ERROR__CHANNEL__UPDATES_MISMATCH, { reason: `unsupported sign request ${tag}` }) });
    return;
  }
  const refuse = (e: AescError, code = ABORT_VALIDATION_ERROR) => refuseSignRequest(b, tag, spec, e, code);
  let tx: SignedTx;
  let updates: OffchainUpdate[];
  let expectation: SignExpectation;
  let asked: AskedFor | undefined;
  let resent: boolean;
  try {
    tx = decodeTx(data.signed_tx);
    updates = ((data.updates as unknown[] | undefined) ?? []).map(updateFromJson);
    asked = admit(s, tag, spec);
    resent = checkResent(s, tag, spec, tx, updates);
    expectation = expectationFor(s, tag, updates, asked);
  } catch (e) {
    if (!isAescError(e)) throw e;
    refuse(e);
    return;
  }
  // The peer's deposit or withdrawal pays its fee from the peer's own account: no limit of this client's.
  const { maxFee: _, ...unlimited } = view(s);
  const verdict = checkSignRequest(tag === 'deposit_ack' || tag === 'withdraw_ack' ? unlimited : view(s), expectation, tx);
  if (!verdict.ok) {
    refuse(verdict.error, verdict.abortCode);
    return;
  }
  // What is asked, then who asks: the peer's signature must verify on what the peer proposes.
  try {
    if (signers !== undefined && signers.tx !== data.signed_tx) throw new AescError(AESC_ERROR__CHANNEL__UPDATES_MISMATCH, { reason: 'signatures checked on another tx' });
    expectSigners(signers, tx, spec.signedFirstBy === 'peer' ? [peer(s)] : []);
  } catch (e) {
    if (!isAescError(e)) throw e;
    refuse(e);
    return;
  }
  const round: PendingRound = { tag, replyMethod: spec.reply, expectation, next: verdict.nextState, peerProposal: spec.peer, awaitingSignature: true };
  b.set({ round });
  // The create tx names the channel: its id is derived from it, never taken from the node's word.
  if (asked?.kind === 'open') b.set({ channelId: channelIdFromCreateTx(tx) });
  if (s.phase === 'open') b.phase('signing');
  const sign: StoringRound['onceKept'] = { type: 'sign', tag, tx, updates, peerProposal: spec.peer, ...(asked === undefined ? {} : { asked }) };
  // Its own proposal is kept before it is signed: a client that comes back after a crash can then
  // take the round the node reports co-signed, or sign the same request again, and nothing else.
  // The signer is asked only once the store has kept it (`stored`); if the store fails, never.
  if (isOwnProposalTag(tag) && !resent && verdict.nextState !== undefined && s.last !== undefined && s.channelId !== undefined) {
    b.set({ pending: { tag, round: verdict.nextState.round, updates, tx } });
    const record = recordOf(b.state, s.last.tx, s.last.state);
    b.effects.push({ type: 'store', record });
    b.set({ round: { ...round, storing: { record, onceKept: sign, before: s.pending === undefined ? {} : { pending: s.pending } } } });
    return;
  }
  b.effects.push(sign);
}

export function onSigned(b: Builder, tag: string, signedTx: SignedTx): void {
  const pending = b.state.round;
  if (pending === undefined || pending.tag !== tag || !pending.awaitingSignature) return;
  const round = { ...pending, awaitingSignature: false };
  b.set({ round });
  const reply: ClientMessage = {
    jsonrpc: '2.0',
    method: round.replyMethod,
    params: { signed_tx: encodeTx(signedTx) },
    id: b.state.nextRequestId,
  };
  b.set({ nextRequestId: b.state.nextRequestId + 1 });
  // Acknowledging the peer's proposal (an update, a deposit, a withdrawal) completes its round:
  // keep it durable before the ack.
  if (round.peerProposal && round.next !== undefined && b.state.channelId !== undefined) {
    const { last, pending: kept } = b.state;
    const before = { ...(last === undefined ? {} : { last }), ...(kept === undefined ? {} : { pending: kept }) };
    takeLast(b, signedTx, round.next);
    const record = recordOf(b.state, signedTx, round.next);
    b.effects.push({ type: 'store', record });
    b.set({ round: { ...round, storing: { record, onceKept: { type: 'send', message: reply }, before } } });
    return;
  }
  b.effects.push({ type: 'send', message: reply });
  // A snapshot is done once signed: the node posts it and the channel stays open.
  if (tag === 'snapshot_solo_tx') {
    b.clear('round');
    if (b.state.command?.command.kind === 'snapshot-solo') b.finishCommand(signedTx);
    if (b.state.phase === 'signing') b.phase('open');
  }
}
