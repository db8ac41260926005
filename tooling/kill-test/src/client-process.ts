import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ClientCommand, ClientReply, ClientReport } from './lines.js';
import { type SpawnFn, exited, sigkill, stop } from './spawn.js';

/** A command that failed: the client's answer (with its error code), or the process's end, or no answer in time. */
export class CommandFailed extends Error {
  constructor(
    message: string,
    readonly code: number | null,
  ) {
    super(message);
  }
}

type Op = ClientCommand['op'];
type Args<O extends Op> = Omit<Extract<ClientCommand, { op: O }>, 'id' | 'op'>;

/** How many of a client's reports are kept to explain a failure. */
const KEPT_REPORTS = 40;

/** One client process of the kill test (`client-main.js`), driven over its stdin and stdout. */
export class ClientProcess {
  readonly role: 'initiator' | 'responder';
  readonly child: ChildProcess;
  /** The highest round this process reported co-signed. */
  maxRound = -1n;
  /** Its phase, as it last reported it. */
  phase = 'none';
  /** Its last reports (errors, conflicts, refusals, phases), to explain a failure. */
  readonly recent: string[] = [];
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  readonly #listeners = new Set<(r: ClientReport) => void>();
  #nextId = 1;
  #stderr = '';

  constructor(p: {
    readonly role: 'initiator' | 'responder';
    readonly spawn: SpawnFn;
    readonly script: string;
    readonly args: readonly string[];
    readonly onRound: (round: bigint) => void;
  }) {
    this.role = p.role;
    this.child = p.spawn(process.execPath, [p.script, ...p.args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdin!.on('error', () => undefined); // a write to a killed process
    this.child.stderr!.on('data', (d: Buffer) => {
      this.#stderr = (this.#stderr + d.toString()).slice(-8_192);
    });
    const lines = createInterface({ input: this.child.stdout! });
    lines.on('line', (line) => {
      let msg: ClientReply | ClientReport;
      try {
        msg = JSON.parse(line) as ClientReply | ClientReport;
      } catch {
        this.#keep(`not JSON: ${line.slice(0, 200)}`);
        return;
      }
      if ('id' in msg) {
        const waiter = this.#pending.get(msg.id);
        this.#pending.delete(msg.id);
        if (waiter === undefined) return;
        if (msg.ok) waiter.resolve(msg.value);
        else waiter.reject(new CommandFailed(msg.message, msg.code));
        return;
      }
      if (msg.event === 'round') {
        const round = BigInt(msg.round);
        if (round > this.maxRound) this.maxRound = round;
        p.onRound(round);
      } else if (msg.event === 'phase') {
        this.phase = msg.phase;
        this.#keep(`phase ${msg.phase}`);
      } else if (msg.event === 'error' || msg.event === 'refused') {
        this.#keep(`${msg.event} ${msg.code ?? ''}: ${msg.message}`);
      } else if (msg.event === 'conflict') {
        this.#keep(`conflict round ${msg.round} code ${msg.code}`);
      } else if (msg.event === 'disconnected') {
        this.#keep('disconnected');
      }
      for (const l of [...this.#listeners]) l(msg);
    });
    this.child.once('exit', (code, signal) => {
      const gone = new CommandFailed(`the ${this.role} process exited (${code ?? signal})`, null);
      for (const w of this.#pending.values()) w.reject(gone);
      this.#pending.clear();
      for (const l of [...this.#listeners]) l({ event: 'disconnected' });
    });
  }

  #keep(line: string): void {
    this.recent.push(line);
    if (this.recent.length > KEPT_REPORTS) this.recent.shift();
  }

  /** Whether the process has exited. */
  get gone(): boolean {
    return exited(this.child);
  }

  /** What it wrote to stderr (the last 8 KiB). */
  stderr(): string {
    return this.#stderr;
  }

  /** Sends a command; resolves with the client's answer, rejects with {@link CommandFailed}. */
  request<O extends Op>(op: O, args: Args<O>, timeoutMs: number): Promise<unknown> {
    if (this.gone) return Promise.reject(new CommandFailed(`the ${this.role} process is gone`, null));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new CommandFailed(`the ${this.role} did not answer ${op} within ${timeoutMs} ms`, null));
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.child.stdin!.write(`${JSON.stringify({ id, op, ...args })}\n`);
    });
  }

  /** Resolves when a report matches `pred`; rejects after `timeoutMs` or when the process exits. */
  until(pred: (r: ClientReport) => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#listeners.delete(listener);
        reject(new CommandFailed(`the ${this.role} did not report ${what} within ${timeoutMs} ms`, null));
      }, timeoutMs);
      const listener = (r: ClientReport) => {
        if (pred(r)) {
          clearTimeout(timer);
          this.#listeners.delete(listener);
          resolve();
        } else if (this.gone) {
          clearTimeout(timer);
          this.#listeners.delete(listener);
          reject(new CommandFailed(`the ${this.role} process exited before it reported ${what}`, null));
        }
      };
      this.#listeners.add(listener);
    });
  }

  kill(): Promise<void> {
    return sigkill(this.child);
  }

  /** Ends it gently (its stdin closes: it closes its connection and exits), else SIGTERM, SIGKILL. */
  async stop(): Promise<void> {
    if (this.gone) return;
    this.child.stdin!.end();
    await stop(this.child, 3_000);
  }
}
