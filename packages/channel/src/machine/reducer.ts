import { channelIdFromCreateTx } from '@aesc/crypto';
import { type ChannelId, type SignedTx, decodeTx, encodeTx } from '@aesc/encoding';
import {
  AESC_ERROR__CHANNEL__CONFLICT,
  AESC_ERROR__CHANNEL__NOT_ALLOWED_NOW,
  AESC_ERROR__CHANNEL__NOT_CO_SIGNED,
  AESC_ERROR__CHANNEL__NOT_PENDING_PROPOSAL,
  AESC_ERROR__CHANNEL__NOT_REQUESTED,
  AESC_ERROR__CHANNEL__OTHER_CHANNEL,
  AESC_ERROR__CHANNEL__REFUSED_BY_POLICY,
  AESC_ERROR__CHANNEL__REJECTED_BY_NODE,
  AESC_ERROR__CHANNEL__UPDATES_MISMATCH,
  AescError,
  isAescError,
} from '@aesc/errors';
import { CLEAN_CONTRACT_CALLS, GET_BALANCES, GET_CONTRACT, GET_CONTRACT_CALL, GET_OFFCHAIN_STATE, GET_POI, NOTIFICATIONS, signTagOf } from '@aesc/channel-api';
import { PROPOSAL_TX_TYPES, depositUpdates, nextRound, sameUpdates, transferUpdates, withdrawUpdates } from '@aesc/protocol';
import { type OffchainState, type OffchainUpdate, balanceOf, encodedOffchainStateHash, poiBalances, updateFromJson } from '@aesc/state';
import { ABORT_VALIDATION_ERROR, type ChannelView, type SignExpectation, checkSignRequest } from '../sign-request.js';
import { type TxSigners, expectSigners } from '../signatures.js';
import { type ChannelRecord, OWN_PROPOSAL_KINDS, type PendingProposal, isOwnProposalTag } from '../store/channel-record.js';
import { COMMAND_METHODS } from './command-methods.js';
import { type Phase, assertTransition } from './phase.js';
import { type SignTag, signTagSpec } from './sign-tags.js';
import type {
  AskedFor,
  ChannelEvent,
  ClientConfig,
  ClientEvent,
  ClientMessage,
  ClientState,
  Command,
  Effect,
  HistoryQuery,
  NodeMessage,
  Step,
} from './types.js';

export { SIGN_TAGS, type SignTag, signTagSpec } from './sign-tags.js';

/** The state of a client that has just connected. */
export function initialClientState(config: ClientConfig): ClientState {
  const r = config.resume;
  if (r !== undefined) {
    // A pending proposal is only ever of the round after the last co-signed one (resumeFrom and
    // the stores check it in full; whatever it says is checked again before it is used).
    const pending = r.pending !== undefined && r.pending.round === r.last.state.round + 1n ? { pending: r.pending } : {};
    return { config, phase: 'connecting', nextRequestId: 1, channelId: r.channelId, fsmId: r.fsmId, last: r.last, ...pending };
  }
  return { config, phase: 'connecting', nextRequestId: 1 };
}

const self = (s: ClientState) => (s.config.role === 'initiator' ? s.config.initiator : s.config.responder);
const peer = (s: ClientState) => (s.config.role === 'initiator' ? s.config.responder : s.config.initiator);

class Builder {
  effects: Effect[] = [];
  constructor(public state: ClientState) {}
  set(patch: Partial<ClientState>): void {
    this.state = { ...this.state, ...patch };
  }
  clear(...keys: ('round' | 'command' | 'deferred' | 'pending')[]): void {
    const next = { ...this.state } as Record<string, unknown>;
    for (const k of keys) delete next[k];
    this.state = next as unknown as ClientState;
  }
  phase(to: Phase): void {
    if (this.state.phase === to) return;
    assertTransition(this.state.phase, to);
    this.set({ phase: to });
    this.emit({ type: 'phase', phase: to });
  }
  emit(event: ChannelEvent): void {
    this.effects.push({ type: 'emit', event });
  }
  send(method: string, params: Record<string, unknown>, withId = false): number | undefined {
    if (!withId) {
      this.effects.push({ type: 'send', message: { jsonrpc: '2.0', method, params } });
      return undefined;
    }
    const id = this.state.nextRequestId;
    this.set({ nextRequestId: id + 1 });
    this.effects.push({ type: 'send', message: { jsonrpc: '2.0', method, params, id } });
    return id;
  }
  finishCommand(value: unknown): void {
    const c = this.state.command;
    if (c === undefined) return;
    this.effects.push({ type: 'resolve', id: c.id, value });
    this.clear('command');
  }
  failCommand(error: AescError): void {
    const c = this.state.command;
    if (c === undefined) return;
    this.effects.push({ type: 'reject', id: c.id, error });
    this.clear('command');
  }
  done(): Step {
    return { state: this.state, effects: this.effects };
  }
}

function onChainParams(c: { fee?: bigint; gasPrice?: bigint; nonce?: bigint }): Record<string, unknown> {
  return {
    ...(c.fee === undefined ? {} : { fee: c.fee }),
    ...(c.gasPrice === undefined ? {} : { gas_price: c.gasPrice }),
    ...(c.nonce === undefined ? {} : { nonce: c.nonce }),
  };
}

function historyParams(q: HistoryQuery): Record<string, unknown> {
  return {
    ...(q.n === undefined ? {} : { n: q.n }),
    ...(q.type === undefined ? {} : { type: q.type }),
    ...(q.tag === undefined ? {} : { tag: q.tag }),
  };
}

const WHILE_OPEN: ReadonlySet<Command['kind']> = new Set(['transfer', 'deposit', 'withdraw', 'shutdown', 'snapshot-solo']);
/** Commands that propose a new round (and may supersede the peer's unsigned proposal). */
const PROPOSALS: ReadonlySet<Command['kind']> = new Set(['transfer', 'deposit', 'withdraw']);
/** Commands whose JSON-RPC result is their answer (queries); the others complete on later notifications. */
const QUERIES: ReadonlySet<Command['kind']> = new Set(['balances', 'poi', 'offchain-state', 'history', 'clean-contract-calls', 'stop', 'assume-minimum-depth']);

function onCommand(b: Builder, id: number, command: Command): void {
  const s = b.state;
  if (command.kind === 'abort') {
    // Aborts the signing round waiting for this client's signature (own request or peer proposal).
    const round = s.round;
    if (round === undefined || !round.awaitingSignature) {
      b.effects.push({ type: 'reject', id, error: new AescError(AESC_ERROR__CHANNEL__NOT_ALLOWED_NOW, { command: 'abort', phase: 'not signing' }) });
      return;
    }
    abortReply(b, round.replyMethod, command.code);
    b.clear('round');
    if (!round.peerProposal) b.failCommand(new AescError(AESC_ERROR__CHANNEL__REFUSED_BY_POLICY, { reason: `aborted with code ${command.code}` }));
    b.effects.push({ type: 'resolve', id, value: undefined });
    return;
  }
  // The peer's proposal is signed here and only waits for the node to complete it: a command that
  // needs an open channel waits for that too, rather than being refused for a round it cannot see.
  if (WHILE_OPEN.has(command.kind) && s.phase === 'signing' && s.command === undefined && s.round?.peerProposal === true && !s.round.awaitingSignature) {
    b.set({ deferred: [...(s.deferred ?? []), { id, command }] });
    return;
  }
  const busy = s.command !== undefined && command.kind !== 'message' && command.kind !== 'ping';
  // A new update while the peer's proposal waits for this client's signature: the node lets a
  // client do that and settles it as a conflict of both rounds (only_one_signs in the corpus);
  // the proposal is dropped unsigned.
  const supersedes =
    PROPOSALS.has(command.kind) && s.phase === 'signing' && s.command === undefined && s.round?.peerProposal === true && s.round.awaitingSignature;
  const wrongPhase = WHILE_OPEN.has(command.kind) && s.phase !== 'open' && !supersedes;
  if (busy || wrongPhase || (s.phase === 'terminated' && command.kind !== 'stop')) {
    const error = new AescError(AESC_ERROR__CHANNEL__NOT_ALLOWED_NOW, { command: command.kind, phase: busy ? 'busy' : s.phase });
    b.effects.push({ type: 'reject', id, error });
    return;
  }
  if (supersedes) b.clear('round');
  let requestId: number | undefined;
  const send = (method: string, params: Record<string, unknown>) => {
    requestId = b.send(method, params, true);
  };
  switch (command.kind) {
    case 'transfer':
      send(COMMAND_METHODS.transfer.method, {
        from: command.from,
        to: command.to,
        amount: command.amount,
        ...(command.meta === undefined ? {} : { meta: command.meta }),
        ...(command.blockHash === undefined ? {} : { block_hash: command.blockHash }),
      });
      break;
    case 'deposit':
    case 'withdraw':
      send(COMMAND_METHODS[command.kind].method, {
        amount: command.amount,
        ...(command.meta === undefined ? {} : { meta: command.meta }),
        ...(command.blockHash === undefined ? {} : { block_hash: command.blockHash }),
        ...onChainParams(command),
      });
      break;
    case 'shutdown':
      send(COMMAND_METHODS.shutdown.method, onChainParams(command));
      break;
    case 'close-solo':
      send(COMMAND_METHODS['close-solo'].method, onChainParams(command));
      break;
    case 'slash':
      send(COMMAND_METHODS.slash.method, onChainParams(command));
      break;
    case 'settle':
      send(COMMAND_METHODS.settle.method, onChainParams(command));
      break;
    case 'snapshot-solo':
      send(COMMAND_METHODS['snapshot-solo'].method, onChainParams(command));
      break;
    case 'message':
      b.send(COMMAND_METHODS.message.method, { info: command.info, to: command.to, ...(command.from === undefined ? {} : { from: command.from }) });
      b.effects.push({ type: 'resolve', id, value: undefined });
      return;
    case 'balances':
      requestId = b.send(COMMAND_METHODS.balances.method, { accounts: command.accounts }, true);
      break;
    case 'poi':
      requestId = b.send(
        COMMAND_METHODS.poi.method,
        { accounts: command.accounts, ...(command.contracts === undefined ? {} : { contracts: command.contracts }) },
        true,
      );
      break;
    case 'offchain-state':
      requestId = b.send(COMMAND_METHODS['offchain-state'].method, {}, true);
      break;
    case 'history':
      requestId = b.send(COMMAND_METHODS.history.method, historyParams(command.query), true);
      break;
    case 'clean-contract-calls':
      requestId = b.send(COMMAND_METHODS['clean-contract-calls'].method, {}, true);
      break;
    case 'leave':
      send(COMMAND_METHODS.leave.method, {});
      break;
    case 'ping':
      send(COMMAND_METHODS.ping.method, { action: 'ping' });
      break;
    case 'assume-minimum-depth':
      send(COMMAND_METHODS['assume-minimum-depth'].method, { tx_hash: command.txHash });
      break;
    case 'stop':
      requestId = b.send(COMMAND_METHODS.stop.method, { action: 'stop' }, true);
      break;
  }
  b.set({ command: { id, command, requestId: requestId ?? 0, completesOnResult: QUERIES.has(command.kind) } });
}

function view(s: ClientState): ChannelView {
  return {
    channelId: s.channelId,
    initiator: s.config.initiator,
    responder: s.config.responder,
    self: self(s),
    channelReserve: s.config.channelReserve,
    lastCoSigned: s.last,
    ...(s.config.maxFee === undefined ? {} : { maxFee: s.config.maxFee }),
  };
}

/** The settle amounts: the balances a solo close or slash proved on chain, else the last co-signed ones. */
function settleAmounts(s: ClientState): [bigint, bigint] {
  if (s.closingAmounts) return [s.closingAmounts[0], s.closingAmounts[1]];
  const trees = s.last?.state.trees;
  return [trees ? (balanceOf(trees, s.config.initiator) ?? 0n) : 0n, trees ? (balanceOf(trees, s.config.responder) ?? 0n) : 0n];
}

/** The depositor's and withdrawer's own updates: the deposit or withdrawal, then its meta updates. */
function onChainUpdates(c: Extract<Command, { kind: 'deposit' | 'withdraw' }>, self: ChannelView['self']): OffchainUpdate[] {
  const request = { account: self, amount: c.amount, ...(c.meta === undefined ? {} : { meta: c.meta }) };
  return c.kind === 'deposit' ? depositUpdates(request) : withdrawUpdates(request);
}

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
      if (c?.kind !== 'transfer') throw new AescError(AESC_ERROR__CHANNEL__UPDATES_MISMATCH, { reason: 'no update was requested' });
      const mine = transferUpdates(c);
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

function abortReply(b: Builder, replyMethod: string, code: number): void {
  b.send(replyMethod, { error: code }, true);
}

/**
 * Refuses a sign request: aborts it (the node needs an answer to go on), tells the app, and fails
 * the app's command if the request claims to carry it out (one of another kind leaves it alone).
 */
function refuseSignRequest(b: Builder, tag: string, spec: SignTag, error: AescError, code = ABORT_VALIDATION_ERROR): void {
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
  if (r !== undefined && (r.awaitingSignature || r.reply !== undefined || r.next !== undefined)) throw no(`the ${r.tag} round is under way`);
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
  const [u, ...rest] = p.updates;
  if (rest.some((m) => m.tag !== 'channel_offchain_update_meta')) throw notOurs();
  const texts = rest.map((m) => (m.tag === 'channel_offchain_update_meta' ? new TextDecoder().decode(m.data) : ''));
  const meta = texts.length === 0 ? {} : { meta: texts };
  const tx = p.tx.tx;
  if (p.tag === 'update' && u?.tag === 'channel_offchain_update_transfer') return { kind: 'transfer', from: u.from, to: u.to, amount: u.amount, ...meta };
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

function onSignRequest(b: Builder, tag: string, data: Record<string, unknown>, signers: TxSigners | undefined): void {
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
  b.set({
    round: { tag, replyMethod: spec.reply, expectation, next: verdict.nextState, peerProposal: spec.peer, awaitingSignature: true },
  });
  // The create tx names the channel: its id is derived from it, never taken from the node's word.
  if (asked?.kind === 'open') b.set({ channelId: channelIdFromCreateTx(tx) });
  if (s.phase === 'open') b.phase('signing');
  // Its own proposal is kept before it is signed: a client that comes back after a crash can then
  // take the round the node reports co-signed, or sign the same request again, and nothing else.
  if (isOwnProposalTag(tag) && !resent && verdict.nextState !== undefined && s.last !== undefined && s.channelId !== undefined) {
    b.set({ pending: { tag, round: verdict.nextState.round, updates, tx } });
    b.effects.push({ type: 'store', record: recordOf(b.state, s.last.tx, s.last.state) });
  }
  b.effects.push({ type: 'sign', tag, tx, updates, peerProposal: spec.peer, ...(asked === undefined ? {} : { asked }) });
}

/** Makes a co-signed round the latest; a pending proposal of that round or an earlier one is over. */
function takeLast(b: Builder, tx: SignedTx, state: OffchainState): void {
  b.set({ last: { tx, state } });
  const p = b.state.pending;
  if (p !== undefined && p.round <= state.round) b.clear('pending');
}

/** Drops this client's pending proposal (its round ended without it), in memory and in the store. */
function dropPending(b: Builder): void {
  const { pending, last, channelId } = b.state;
  if (pending === undefined) return;
  b.clear('pending');
  if (last !== undefined && channelId !== undefined) b.effects.push({ type: 'store', record: recordOf(b.state, last.tx, last.state) });
}

/** The record of the channel with `state` as its latest co-signed round, and the pending proposal of the round after it, if any. */
function recordOf(s: ClientState, tx: SignedTx, state: OffchainState): ChannelRecord {
  const pending = s.pending !== undefined && s.pending.round === state.round + 1n ? { pending: s.pending } : {};
  return {
    channelId: s.channelId as ChannelId,
    networkId: s.config.networkId,
    role: s.config.role,
    initiator: s.config.initiator,
    responder: s.config.responder,
    channelReserve: s.config.channelReserve,
    ...(s.fsmId === undefined ? {} : { fsmId: s.fsmId }),
    lastCoSigned: { tx, state },
    ...pending,
  };
}

function onSigned(b: Builder, tag: string, signedTx: SignedTx): void {
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
    b.set({ round: { ...round, reply } });
    takeLast(b, signedTx, round.next);
    b.effects.push({ type: 'store', record: recordOf(b.state, signedTx, round.next) });
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

/** The round, channel and state hash a co-signed tx commits to (a create tx opens round 1 of the channel it names). */
function roundOf(tx: SignedTx): { readonly round: bigint; readonly channelId: ChannelId; readonly stateHash: string } | undefined {
  const inner = tx.tx;
  if (inner.tag === 'channel_create_tx') return { round: 1n, channelId: channelIdFromCreateTx(tx), stateHash: inner.stateHash };
  if ('round' in inner && 'stateHash' in inner && 'channelId' in inner) return { round: inner.round, channelId: inner.channelId, stateHash: inner.stateHash };
  return undefined;
}

/** The state a reported co-signed tx makes this client's latest, or why it makes none. */
function checkCoSigned(
  s: ClientState,
  tx: SignedTx,
  encoded: string,
  signers: TxSigners | undefined,
): { readonly state: OffchainState } | { readonly round?: bigint; readonly reason: string; readonly cause?: AescError } {
  const signatures = (): AescError | undefined => {
    try {
      expectSigners(signers, tx, [s.config.initiator, s.config.responder]);
      return undefined;
    } catch (e) {
      if (isAescError(e)) return e;
      throw e;
    }
  };
  if (tx.tx.tag === 'ga_meta_tx') {
    const cause = signatures();
    return { reason: cause?.message ?? 'a generalized account authorizes it', ...(cause === undefined ? {} : { cause }) };
  }
  let claim: ReturnType<typeof roundOf>;
  try {
    claim = roundOf(tx);
  } catch (e) {
    if (isAescError(e)) return { reason: e.message, cause: e };
    throw e;
  }
  if (claim === undefined) return { reason: `a ${tx.tx.tag} is no round of a channel` };
  const { round } = claim;
  if (s.channelId !== undefined && claim.channelId !== s.channelId) return { round, reason: `it is a round of channel ${claim.channelId}` };
  const roundNext = s.round?.next;
  let state = roundNext?.round === round ? roundNext : s.last?.state.round === round ? s.last.state : undefined;
  const p = s.pending;
  if (state === undefined && s.round === undefined && p !== undefined && s.last !== undefined && round === s.last.state.round + 1n && p.round === round) {
    // The round after the last co-signed one, while no round runs here: this client's own pending
    // proposal, which it may have signed before it went away. Its state is recomputed from the
    // kept updates; the tx must be the one kept.
    const expected = PROPOSAL_TX_TYPES[OWN_PROPOSAL_KINDS[p.tag]];
    if (tx.tx.tag !== expected) return { round, reason: `it is a ${tx.tx.tag}, and this client's pending round is a ${expected}` };
    try {
      state = nextRound(s.last.state, p.updates, { channelReserve: s.config.channelReserve }).state;
    } catch (e) {
      if (isAescError(e)) return { round, reason: e.message, cause: e };
      throw e;
    }
    if (claim.stateHash !== encodedOffchainStateHash(state)) return { round, reason: 'its state hash is not the one this client computes from its pending proposal' };
    if (encodeTx({ ...tx, signatures: [] }) !== encodeTx(p.tx)) return { round, reason: 'its tx is not the one this client proposed' };
  }
  if (state === undefined) {
    const held = s.last?.state.round;
    return { round, reason: held !== undefined && round < held ? `this client holds round ${held} already` : 'this client computed no such round' };
  }
  if (claim.stateHash !== encodedOffchainStateHash(state)) return { round, reason: 'its state hash is not the one this client computed for that round' };
  if (signers !== undefined && signers.tx !== encoded) return { round, reason: 'its signatures were checked on another tx' };
  const cause = signatures();
  if (cause !== undefined) return { round, reason: cause.message, cause };
  return { state };
}

/**
 * The node reports a round as co-signed (`channels.update`). It becomes this client's latest
 * state only if its tx is of this channel, its round is one this client computed (the round being
 * signed, or the one it holds), its state hash is the one it computed for that round, and it
 * carries exactly the signatures of both participants, verified. Anything else leaves memory and
 * store as they were and is reported as a coded error. A report of the round held already changes
 * nothing (the tx held stays).
 */
function coSigned(b: Builder, encoded: string, signers: TxSigners | undefined): void {
  const s = b.state;
  const tx = decodeTx(encoded);
  const roundNext = s.round?.next;
  const verdict = checkCoSigned(s, tx, encoded, signers);
  if (!('state' in verdict)) {
    const round = verdict.round === undefined ? '?' : verdict.round.toString();
    const cause = verdict.cause === undefined ? undefined : { cause: verdict.cause };
    b.emit({ type: 'error', error: new AescError(AESC_ERROR__CHANNEL__NOT_CO_SIGNED, { round, reason: verdict.reason }, cause) });
    return;
  }
  const { state } = verdict;
  // The state this client already holds (stored before it acknowledged the peer's update, or
  // reported again after a reestablish) is neither replaced nor stored twice.
  const already = s.last !== undefined && s.last.state === state;
  // (A report of the round held leaves a pending proposal of the next one alone: the node may
  // still ask for it again, or report it co-signed once its FSM has caught up with the peer's; it
  // blocks nothing, and the next round that ends replaces it.)
  if (!already) {
    takeLast(b, tx, state);
    if (s.channelId !== undefined) b.effects.push({ type: 'store', record: recordOf(b.state, tx, state) });
  }
  const last = b.state.last!;
  // The app hears of each round once: not again when the node reports it again (to a responder
  // that stayed through the peer's reestablish). A client resumed from its store hears of it.
  if (!(already && s.heardRound === state.round)) {
    b.set({ heardRound: state.round });
    b.emit({ type: 'round', round: state.round, tx: last.tx, state });
  }
  const c = s.command?.command.kind;
  // A command is done when the round it started is co-signed — not on a late report of an
  // earlier round (the channel's first state may arrive after the app saw `open`).
  const ours = roundNext !== undefined && state === roundNext;
  if (ours) b.clear('round');
  if (ours && (c === 'transfer' || c === 'deposit' || c === 'withdraw')) b.finishCommand(state.round);
  if (b.state.phase === 'signing' || b.state.phase === 'opening') b.phase('open');
}

/**
 * The create tx, co-signed, as the node posts it (`funding_signed` to the initiator, `funding_created`
 * to the responder): once it passes what a `channels.update` of it would have to (the round being
 * signed, its state hash, exactly both participants' signatures, verified), the channel's first
 * state is stored at once with the fsm id, so that a client that loses its connection before the
 * channel is open can come back to its FSM (`sc_ws_reconnect_early`). The client takes it as its
 * state, and the app hears of the round, when the channel opens (`channels.update`), as before;
 * one that does not pass is not stored, and that report tells why.
 */
function fundingCoSigned(b: Builder, encoded: string, signers: TxSigners | undefined): void {
  const s = b.state;
  const tx = decodeTx(encoded);
  const next = s.round?.next;
  if (tx.tx.tag !== 'channel_create_tx' || next?.round !== 1n || s.channelId === undefined || s.last !== undefined) return;
  const verdict = checkCoSigned(s, tx, encoded, signers);
  if ('state' in verdict && verdict.state === next) b.effects.push({ type: 'store', record: recordOf(s, tx, next) });
}

function nodeError(b: Builder, m: NodeMessage): void {
  const reason = m.error?.data?.[0];
  const method = (m.error as { request?: { method?: string } } | undefined)?.request?.method ?? 'request';
  const error = new AescError(AESC_ERROR__CHANNEL__REJECTED_BY_NODE, {
    method,
    code: reason?.code ?? m.error?.code ?? 0,
    reason: reason?.message ?? m.error?.message ?? 'rejected',
  });
  b.emit({ type: 'error', error });
  const c = b.state.command;
  // (a refused message, sent without an id, is never the command under way)
  if (c !== undefined && method !== 'channels.message' && (m.id === null || m.id === undefined || m.id === c.requestId)) {
    b.failCommand(error);
    if (b.state.phase === 'signing' && b.state.round?.peerProposal !== true) {
      b.clear('round');
      dropPending(b);
      b.phase('open');
    }
  }
}

/** The `*.reply` notifications that answer the queries a client may send (`channels.get.*`, `channels.clean_contract_calls`). */
const QUERY_REPLIES: ReadonlySet<string> = new Set(
  [GET_BALANCES, GET_POI, GET_OFFCHAIN_STATE, GET_CONTRACT, GET_CONTRACT_CALL, CLEAN_CONTRACT_CALLS].map((m) => m.replyMethod),
);

function onMessage(b: Builder, m: NodeMessage, signers: TxSigners | undefined): void {
  // This client's channel id comes from the create tx it signed (or its store), never from the
  // node's word: a message that names another channel is not for it.
  const channelId = (m.params?.channel_id ?? m.channel_id) as string | null | undefined;
  const mine = b.state.channelId;
  if (typeof channelId === 'string' && mine !== undefined && channelId !== mine) {
    const method = m.method ?? (m.error !== undefined ? 'error' : 'result');
    const error = new AescError(AESC_ERROR__CHANNEL__OTHER_CHANNEL, { method, expected: mine, actual: channelId });
    const tag = signTagOf(m.method);
    const spec = tag === undefined ? undefined : signTagSpec(tag);
    if (tag !== undefined && spec !== undefined) refuseSignRequest(b, tag, spec, error);
    else b.emit({ type: 'error', error });
    return;
  }
  if (m.error !== undefined) {
    nodeError(b, m);
    return;
  }
  if (m.method === undefined) {
    const c = b.state.command;
    const ours = c !== undefined && typeof m.id !== 'string' && m.id !== undefined && m.id !== null && BigInt(m.id) === BigInt(c.requestId);
    if (ours && c.completesOnResult) b.finishCommand(m.result);
    return;
  }
  if (QUERY_REPLIES.has(m.method)) {
    if (b.state.command?.completesOnResult) b.finishCommand(m.params?.data);
    return;
  }
  const data = (m.params?.data ?? {}) as Record<string, unknown>;
  const tag = signTagOf(m.method);
  if (tag !== undefined) {
    onSignRequest(b, tag, data, signers);
    return;
  }
  switch (m.method) {
    case NOTIFICATIONS.info: {
      const event = String(data.event);
      b.emit({ type: 'info', event, data });
      if (event === 'fsm_up' && typeof data.fsm_id === 'string') {
        const renewed = b.state.fsmId !== undefined && b.state.fsmId !== data.fsm_id;
        b.set({ fsmId: data.fsm_id });
        // A reestablished FSM has a new fsm id, and only that one brings the channel back from
        // then on: the stored record gets it at once, not with the next round.
        const last = b.state.last;
        if (renewed && last !== undefined && b.state.channelId !== undefined) b.effects.push({ type: 'store', record: recordOf(b.state, last.tx, last.state) });
        // Resuming a channel: the FSM is back (reconnect) or being reestablished; either way the
        // client holds a co-signed round and the channel is open.
        if (b.state.phase === 'connecting') b.phase(b.state.config.resume !== undefined && b.state.last !== undefined ? 'open' : 'opening');
      } else if (event === 'open' || event === 'channel_reestablished') {
        // The first `open` is followed by the channel's first state (`channels.update`): the
        // channel is open for the app once that is co-signed here (coSigned moves the phase).
        if (b.state.last !== undefined && b.state.phase !== 'open' && b.state.phase !== 'signing') b.phase('open');
      } else if (event === 'aborted_update') {
        // The node confirms this client's abort, which failed the command it answered already: a
        // command the app gave since (a retry) goes on, and so does its round if it began.
        if (b.state.round === undefined && b.state.phase === 'signing') b.phase('open');
      } else if (event === 'closing' && b.state.phase !== 'solo-closing') {
        if (b.state.phase !== 'closing') b.phase('closing');
      } else if (event === 'closed_confirmed') {
        b.phase('closed');
        b.finishCommand(undefined);
      } else if (event === 'died') {
        b.failCommand(new AescError(AESC_ERROR__CHANNEL__NOT_ALLOWED_NOW, { command: 'finish', phase: 'terminated' }));
        b.clear('round');
        b.phase('terminated');
      }
      return;
    }
    case NOTIFICATIONS.update:
      if (typeof data.state === 'string') coSigned(b, data.state, signers);
      return;
    case NOTIFICATIONS.onChainTx: {
      const info = String(data.info);
      const tx = typeof data.tx === 'string' ? decodeTx(data.tx) : undefined;
      if (tx !== undefined) b.emit({ type: 'on-chain-tx', info, tx, txType: String(data.type) });
      if ((info === 'funding_signed' || info === 'funding_created') && tx !== undefined) fundingCoSigned(b, data.tx as string, signers);
      else if (info === 'solo_closing' && tx !== undefined && (tx.tx.tag === 'channel_close_solo_tx' || tx.tx.tag === 'channel_slash_tx')) {
        const [i, r] = poiBalances(tx.tx.poi, [b.state.config.initiator, b.state.config.responder]);
        b.set({ closingAmounts: [i ?? 0n, r ?? 0n] });
        if (b.state.phase !== 'solo-closing') b.phase('solo-closing');
        const c = b.state.command?.command.kind;
        if (c === 'close-solo' || c === 'slash') {
          b.finishCommand(tx);
          if (b.state.round?.next === undefined) b.clear('round');
        }
      } else if (info === 'channel_closed') {
        b.phase('closed');
        b.finishCommand(tx);
        b.clear('round');
      }
      return;
    }
    case NOTIFICATIONS.conflict: {
      const round = BigInt((data.round as bigint | number | undefined) ?? 0);
      const code = Number(data.error_code ?? 0);
      b.emit({ type: 'conflict', round, code });
      b.failCommand(new AescError(AESC_ERROR__CHANNEL__CONFLICT, { round: round.toString(), code }));
      b.clear('round');
      dropPending(b);
      if (b.state.phase === 'signing') b.phase('open');
      return;
    }
    case NOTIFICATIONS.message: {
      const msg = (data.message ?? {}) as Record<string, unknown>;
      b.emit({ type: 'message', from: String(msg.from), to: String(msg.to), info: String(msg.info) });
      return;
    }
    case NOTIFICATIONS.leave:
      b.phase('left');
      b.finishCommand(data.state);
      return;
    case NOTIFICATIONS.pong:
      if (b.state.command?.command.kind === 'ping') b.finishCommand(undefined);
      return;
    case NOTIFICATIONS.error:
      b.emit({ type: 'error', error: new AescError(AESC_ERROR__CHANNEL__REJECTED_BY_NODE, { method: 'channel', code: 0, reason: String(data.message) }) });
      return;
    default:
      return;
  }
}

/**
 * The client's state machine: a pure function from the state and one event to the next state and
 * the effects the driver carries out (send, sign, store, tell the app, settle commands). It never
 * does I/O, so the whole protocol can be run and tested without sockets.
 */
export function step(state: ClientState, event: ClientEvent): Step {
  try {
    return apply(state, event);
  } catch (e) {
    // Nothing a node sends may break the client: a message it cannot follow leaves the state as
    // it was and is reported as a coded error.
    if (!isAescError(e)) throw e;
    return { state, effects: [{ type: 'emit', event: { type: 'error', error: e } }] };
  }
}

function apply(state: ClientState, event: ClientEvent): Step {
  const b = new Builder(state);
  switch (event.type) {
    case 'message':
      onMessage(b, event.message, event.signers);
      break;
    case 'command':
      onCommand(b, event.id, event.command);
      break;
    case 'signed':
      onSigned(b, event.tag, event.signedTx);
      break;
    case 'sign-declined': {
      const round = b.state.round;
      if (round !== undefined && round.tag === event.tag && round.awaitingSignature) {
        abortReply(b, round.replyMethod, event.code);
        const error = event.error ?? new AescError(AESC_ERROR__CHANNEL__REFUSED_BY_POLICY, { reason: event.reason });
        b.emit({ type: 'refused', tag: event.tag, error });
        if (!round.peerProposal) {
          b.failCommand(error);
          dropPending(b);
        }
        b.clear('round');
      }
      break;
    }
    case 'stored': {
      const reply = b.state.round?.reply;
      if (reply !== undefined) {
        b.effects.push({ type: 'send', message: reply });
        b.set({ round: { ...b.state.round!, reply: undefined } as never });
      }
      break;
    }
    case 'disconnected': {
      const gone = new AescError(AESC_ERROR__CHANNEL__NOT_ALLOWED_NOW, { command: 'finish', phase: 'disconnected' });
      b.failCommand(gone);
      for (const d of b.state.deferred ?? []) b.effects.push({ type: 'reject', id: d.id, error: gone });
      b.clear('deferred');
      break;
    }
  }
  startDeferred(b);
  return b.done();
}

/** Starts the deferred commands once the round they waited for is over (refusing them if the channel is not open then). */
function startDeferred(b: Builder): void {
  while (b.state.deferred !== undefined && b.state.command === undefined && b.state.phase !== 'signing') {
    const [first, ...rest] = b.state.deferred;
    if (rest.length > 0) b.set({ deferred: rest });
    else b.clear('deferred');
    if (first !== undefined) onCommand(b, first.id, first.command);
  }
}
