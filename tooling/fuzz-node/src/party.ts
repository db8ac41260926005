import { addSignature, signTransaction } from '@aesc/crypto';
import { decodeTx, encodeObject, encodeTx, fromHex } from '@aesc/encoding';
import { parseJson, stringifyJson } from '@aesc/rpc';
import WebSocket from 'ws';

/** A frame from the node, parsed losslessly. */
export type Frame = Record<string, unknown> & { method?: string; id?: unknown; error?: { code: number; data?: { code: number }[] }; params?: { channel_id?: string; data?: Record<string, unknown> } };

/** How a party answers a sign request: the tx to sign (as asked), and a way to send replies itself. */
export type SignPolicy = (tag: string, tx: string, reply: (params: Record<string, unknown>) => void, party: Party) => Promise<void>;

/** The reply methods whose names differ from their sign tags. */
const REPLY: Record<string, string> = { close_solo_sign: 'close_solo_sign', slash_tx: 'slash_tx', settle_sign: 'settle_sign', snapshot_solo_tx: 'snapshot_solo_sign' };

/**
 * One channel participant's JSON-RPC client on the node (the ws library): it records every frame
 * and answers sign requests by its policy (by default it signs as asked).
 */
export class Party {
  readonly frames: Frame[] = [];
  readonly ws: WebSocket;
  readonly opened: Promise<void>;
  policy: SignPolicy | undefined;
  /** Sees every frame as it comes (the fuzzer's tally). */
  listener: ((f: Frame) => void) | undefined;
  closed = false;
  #seen = 0;
  #waiters = new Set<() => void>();

  constructor(
    url: string,
    readonly secretKey: string,
    readonly networkId: string,
  ) {
    this.ws = new WebSocket(url, { maxPayload: 16 * 1024 * 1024 });
    this.ws.on('error', () => undefined);
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('close', () => reject(new Error('closed before open')));
    });
    this.opened.catch(() => undefined);
    this.ws.on('close', () => {
      this.closed = true;
      this.#wake();
    });
    this.ws.on('message', (d) => {
      let f: Frame;
      try {
        f = parseJson(d.toString()) as Frame;
      } catch {
        return;
      }
      this.frames.push(f);
      this.listener?.(f);
      if (this.frames.length > 2000) {
        this.frames.splice(0, 1000);
        this.#seen = Math.max(0, this.#seen - 1000);
      }
      if (f.method?.startsWith('channels.sign.')) void this.#sign(f);
      this.#wake();
    });
  }

  #wake(): void {
    for (const w of [...this.#waiters]) w();
  }

  async #sign(f: Frame): Promise<void> {
    const tag = f.method!.slice('channels.sign.'.length);
    const tx = f.params!.data!.signed_tx as string;
    const reply = (params: Record<string, unknown>) => this.send({ jsonrpc: '2.0', method: `channels.${REPLY[tag] ?? tag}`, params });
    if (this.policy) return this.policy(tag, tx, reply, this);
    reply({ signed_tx: await this.signed(tx) });
  }

  /** The tx with this party's signature added. */
  async signed(tx: string, secretKey = this.secretKey): Promise<string> {
    const s = decodeTx(tx);
    const sig = await signTransaction(encodeObject(s.tx), this.networkId, fromHex(secretKey)!);
    return encodeTx(addSignature(s, sig));
  }

  send(message: unknown): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(typeof message === 'string' ? message : stringifyJson(message));
  }

  /** The next frame (after the ones already taken) that matches, or undefined after `timeoutMs`. */
  async next(pred: (f: Frame) => boolean, timeoutMs = 10_000): Promise<Frame | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = this.#seen; i < this.frames.length; i++) {
        if (pred(this.frames[i]!)) {
          this.#seen = i + 1;
          return this.frames[i]!;
        }
      }
      this.#seen = this.frames.length;
      const left = deadline - Date.now();
      if (left <= 0 || this.closed) return undefined;
      await new Promise<void>((r) => {
        const done = () => {
          this.#waiters.delete(done);
          clearTimeout(t);
          r();
        };
        const t = setTimeout(done, Math.min(left, 250));
        this.#waiters.add(done);
      });
    }
  }

  /** Sends `request` with `id` and waits for its answer. */
  async ask(request: Record<string, unknown>, id: number, timeoutMs = 10_000): Promise<Frame | undefined> {
    this.send({ jsonrpc: '2.0', id, ...request });
    return this.next((f) => f.id === id || f.id === BigInt(id), timeoutMs);
  }

  close(): void {
    this.ws.terminate();
  }
}

export const isInfo = (event: string) => (f: Frame) => f.method === 'channels.info' && f.params?.data?.event === event;
export const isMethod = (m: string) => (f: Frame) => f.method === m;
