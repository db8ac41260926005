import { AESC_ERROR__NODE__UNEXPECTED_RESULT, AescError } from '@aesc/errors';
import type { AccountAddress, EncodedTx, SignedTx } from '@aesc/encoding';
import type { PeerMessage } from '../peer/peer-message.js';
import type { ClientReply } from '../fsm/client-reply.js';
import { type LogOp, logAdd } from '../fsm/event-log.js';
import { txFromText, txText } from '../fsm/object-bytes.js';
import { type FsmPhase, assertTransition } from './phase.js';
import { type WritableState, copyState } from './state-copy.js';
import type { Cont, Effect, FsmState, MachineContext, ResultKind, TimerName } from './types.js';

/** Goes on with a continuation once what it waited for is known (`step`'s dispatcher, passed in). */
export type Resume = (b: Builder, cont: Cont, value: unknown) => void;

/** The effect that stops the idle timer (one object for every FSM). */
const DISARM_IDLE: Effect = Object.freeze({ type: 'disarm', name: 'idle' });

/**
 * One step in the making: the state as it was (`s` reads it) and, once anything changes, one
 * shallow copy that the step writes (`w`), so that a step copies the state once however many
 * fields it sets; big values (trees, txs) are shared by reference. Effects are collected in order.
 * The helpers here are what every stage does the same way: reports and the event log, peer
 * messages, replies, timers, phase transitions and the one effect an input may wait on.
 */
export class Builder {
  readonly ctx: MachineContext;
  /** When the event happened (the event log's time). */
  readonly at: number;
  readonly effects: Effect[] = [];
  /** The input did nothing the node's FSM would have noticed (a new height with nothing for this FSM): the idle timer goes on. */
  quiet = false;
  readonly #resume: Resume;
  readonly #base: FsmState;
  #draft: WritableState | undefined;

  constructor(state: FsmState, ctx: MachineContext, at: number, resume: Resume) {
    this.#base = state;
    this.ctx = ctx;
    this.at = at;
    this.#resume = resume;
  }

  /** The state as the step has made it so far. */
  get s(): FsmState {
    return this.#draft ?? this.#base;
  }

  /** The state to write (a copy of the step's input state, made once). */
  get w(): WritableState {
    if (this.#draft === undefined) this.#draft = copyState(this.#base);
    return this.#draft;
  }

  /** Whether the step changed the state or did anything. */
  get idle(): boolean {
    return this.#draft === undefined && this.effects.length === 0;
  }

  // ----- who is who ------------------------------------------------------------------------------

  me(): AccountAddress {
    return this.s.config.role === 'initiator' ? this.s.initiator! : this.s.responder;
  }
  other(): AccountAddress {
    return this.s.config.role === 'initiator' ? this.s.responder : this.s.initiator!;
  }

  // ----- phases ----------------------------------------------------------------------------------

  /**
   * Moves to `to`, which the phase table must allow (else a coded error: a bug). An FSM stopped
   * from outside while an input waited on an effect (the node shutting down) stays stopped: the
   * input goes on to its end, as the node lets a step finish, but cannot bring the FSM back.
   */
  phase(to: FsmPhase): void {
    const from = this.s.phase;
    if (from === to || from === 'terminated') return;
    assertTransition(from, to);
    this.w.phase = to;
  }

  // ----- effects ---------------------------------------------------------------------------------

  push(effect: Effect): void {
    this.effects.push(effect);
  }

  /** Notes an event in the FSM's log. */
  log(op: LogOp, tag: string, info: unknown, raw = false): void {
    this.w.log = logAdd(this.s.log, op, tag, info, raw, this.at);
  }

  /** A notification to the client, as it is (no log, no report filter): a pong, a `<method>.reply`. */
  notify(method: string, data: unknown): void {
    this.effects.push({ type: 'notify', method, data, channelId: this.s.reportedChannelId });
  }

  /** A report to the client (`report_<tag>` may turn it off), noted in the log unless it is a sign request (which is logged as a request). */
  report(tag: string, method: string, data: unknown): void {
    if (this.s.config.options.reports[tag] === false) return;
    if (!method.startsWith('channels.sign.')) this.log('rpt', tag, data);
    this.notify(method, data);
  }

  info(event: string, extra?: Record<string, unknown>): void {
    this.report('info', 'channels.info', extra === undefined ? { event } : { event, ...extra });
  }

  onChainTx(info: string, tx: SignedTx | EncodedTx): void {
    const signed = typeof tx === 'string' ? txFromText(tx) : tx;
    this.report('on_chain_tx', 'channels.on_chain_tx', { info, tx: typeof tx === 'string' ? tx : txText(tx), type: signed.tx.tag });
  }

  /** `channels.update` with the latest co-signed state (its text is the one the persisted record wrote: see object-bytes.ts). */
  reportUpdate(): void {
    this.report('update', 'channels.update', { state: txText(this.s.signedTx!) });
  }

  /** A peer message (noted in the log unless `log` is false); nothing while no peer is attached. */
  toPeer(message: PeerMessage, log = true): void {
    if (this.s.peer === 0) return;
    if (log) this.log('snd', message.type, message, true);
    this.effects.push({ type: 'send', message });
  }

  reply(reply: ClientReply): void {
    this.effects.push({ type: 'reply', reply, channelId: this.s.reportedChannelId });
  }

  /** A data answer: a result for a request with an id, else a `<method>.reply` notification. */
  replyData(method: string, data: unknown): void {
    this.effects.push({ type: 'reply-data', method, data, channelId: this.s.reportedChannelId });
  }

  arm(name: TimerName, ms: number, seq?: number): void {
    this.effects.push(seq === undefined ? { type: 'arm', name, ms } : { type: 'arm', name, ms, seq });
    if (name === 'idle') this.w.idleArmed = true;
  }

  disarm(name: TimerName): void {
    if (name === 'idle') {
      this.effects.push(DISARM_IDLE);
      this.w.idleArmed = false;
      return;
    }
    this.effects.push({ type: 'disarm', name });
  }

  /**
   * Asks for the effect the input then waits on (a lookup, a signature check, a write, a post):
   * its result comes back as an event of `expects`, and the input goes on from `cont`.
   */
  ask(effect: Effect, expects: ResultKind, cont: Cont): void {
    if (this.s.cont !== undefined) throw new AescError(AESC_ERROR__NODE__UNEXPECTED_RESULT, { expected: String(this.s.expects), got: `another ${expects}` });
    this.effects.push(effect);
    const w = this.w;
    w.cont = cont;
    w.expects = expects;
  }

  /** Goes on with `cont` (if any) now, with `value` as what it waited for. */
  resume(cont: Cont | undefined, value?: unknown): void {
    if (cont !== undefined) this.#resume(this, cont, value);
  }

  /**
   * Ends the FSM: `timeout` and `died` to the client as the reason asks (nothing when the node
   * shuts down), every timer and watch stops, the peer link closes and the host forgets it. The
   * client's socket stays open (the node still answers a `stop` on it); the client closes it.
   */
  terminate(reason: 'died' | 'timeout' | undefined): void {
    if (this.s.phase === 'terminated') return;
    if (reason === 'timeout') this.info('timeout');
    if (reason !== undefined) this.info('died');
    const w = this.w;
    w.phase = 'terminated';
    w.idleArmed = false;
    w.subscribed = false;
    w.peer = 0;
    this.effects.push({ type: 'close-peer' }, { type: 'unlisten' }, { type: 'terminate' });
  }

  done(): { readonly state: FsmState; readonly effects: readonly Effect[] } {
    return { state: this.#draft ?? this.#base, effects: this.effects };
  }
}
