import type { AescError } from '@aesc/errors';
import { assertTransition, type Phase } from './phase.js';
import type { ChannelEvent, ClientState, Effect, Step } from './types.js';

/** This client's account. */
export const self = (s: ClientState) => (s.config.role === 'initiator' ? s.config.initiator : s.config.responder);

/** The peer's account. */
export const peer = (s: ClientState) => (s.config.role === 'initiator' ? s.config.responder : s.config.initiator);

/** Builds one step of the client's machine: the next state and the effects, in order. */
export class Builder {
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
