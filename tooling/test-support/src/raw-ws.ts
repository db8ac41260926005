import { connect, type Socket } from 'node:net';

/** A WebSocket frame as a client may write it, any of its bits set as a case wants them. */
export interface FrameBits {
  readonly fin?: boolean;
  /** RSV1–3 as the high nibble's low three bits (0x40 is RSV1). */
  readonly rsv?: number;
  readonly opcode?: number;
  /** Clients must mask; false writes an unmasked frame (a protocol violation). */
  readonly mask?: boolean;
}

/** One WebSocket frame (RFC 6455 §5.2) with `payload`, masked unless told otherwise. */
export function wsFrame(payload: string | Uint8Array, bits: FrameBits = {}): Buffer {
  const body = Buffer.from(payload);
  const { fin = true, rsv = 0, opcode = 1, mask = true } = bits;
  const head: number[] = [(fin ? 0x80 : 0) | rsv | opcode];
  const m = mask ? 0x80 : 0;
  if (body.length < 126) head.push(m | body.length);
  else if (body.length < 0x10000) head.push(m | 126, body.length >> 8, body.length & 0xff);
  else {
    const len = Buffer.alloc(8);
    len.writeBigUInt64BE(BigInt(body.length));
    head.push(m | 127, ...len);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), body]);
  const key = Buffer.from([0x37, 0xfa, 0x21, 0x3d]);
  for (let i = 0; i < body.length; i++) body[i]! ^= key[i % 4]!;
  return Buffer.concat([Buffer.from(head), key, body]);
}

/** What the server sent on a raw connection. */
export interface RawReceived<F> {
  /** The HTTP status of the upgrade answer (0 before it came). */
  readonly status: number;
  /** Text frames, decoded. */
  readonly frames: F[];
  /** The close frame's code, once one came (1005 for a close frame with no code). */
  readonly closeCode: number | undefined;
  /** Whether the TCP connection closed. */
  readonly closed: boolean;
}

/** How a {@link RawWs} connects and what it makes of text frames. */
export interface RawWsOptions<F> {
  /** Bytes sent in the same write as the upgrade request (frames before the answer). */
  readonly after?: Uint8Array | undefined;
  /** Keep the connection open when the server ends its side (a client that never closes TCP). */
  readonly halfOpen?: boolean | undefined;
  /** What a text frame becomes in `received.frames`. */
  readonly decode: (text: string) => F;
}

/**
 * A WebSocket client written by hand on a TCP socket, to send what no WebSocket library sends:
 * protocol violations, a close frame on a connection kept open, frames before the upgrade answer.
 * It reads what the server sends back: the upgrade status, text frames, the close code.
 */
export class RawWs<F = string> {
  readonly socket: Socket;
  readonly #received: { status: number; frames: F[]; closeCode: number | undefined; closed: boolean } = { status: 0, frames: [], closeCode: undefined, closed: false };
  readonly #decode: (text: string) => F;
  #buf: Buffer = Buffer.alloc(0);
  #upgraded = false;
  readonly #waiters = new Set<() => void>();

  /**
   * Connects to `host:port` and sends the upgrade request for `target` (the path and query). A
   * connection that fails shows as closed.
   */
  constructor(host: string, port: number, target: string, options: RawWsOptions<F>) {
    this.#decode = options.decode;
    this.socket = connect({ host, port, allowHalfOpen: options.halfOpen ?? false });
    this.socket.on('error', () => undefined);
    this.socket.on('data', (d: Buffer) => this.#onData(d));
    this.socket.on('close', () => {
      this.#received.closed = true;
      this.#wake();
    });
    const request =
      `GET ${target} HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';
    this.socket.write(Buffer.concat([Buffer.from(request, 'latin1'), options.after ?? Buffer.alloc(0)]));
  }

  /** Like the constructor, but resolves once the TCP connection is up (and rejects if it fails). */
  static async open<F>(host: string, port: number, target: string, options: RawWsOptions<F>): Promise<RawWs<F>> {
    const raw = new RawWs(host, port, target, options);
    await new Promise<void>((resolve, reject) => {
      raw.socket.once('connect', () => resolve());
      raw.socket.once('close', () => reject(new Error(`could not connect to ${host}:${port}`)));
    });
    return raw;
  }

  /** What the server sent so far. */
  get received(): RawReceived<F> {
    return this.#received;
  }

  #wake(): void {
    for (const w of [...this.#waiters]) w();
  }

  #onData(d: Buffer): void {
    this.#buf = this.#buf.length === 0 ? d : Buffer.concat([this.#buf, d]);
    if (!this.#upgraded) {
      const end = this.#buf.indexOf('\r\n\r\n');
      if (end === -1) return;
      this.#received.status = Number(/^HTTP\/1\.1 (\d{3})/.exec(this.#buf.subarray(0, end).toString('latin1'))?.[1] ?? 0);
      this.#buf = this.#buf.subarray(end + 4);
      this.#upgraded = true;
    }
    for (;;) {
      if (this.#buf.length < 2) break;
      const opcode = this.#buf[0]! & 0x0f;
      let len = this.#buf[1]! & 0x7f;
      let at = 2;
      if (len === 126) {
        if (this.#buf.length < 4) break;
        len = this.#buf.readUInt16BE(2);
        at = 4;
      } else if (len === 127) {
        if (this.#buf.length < 10) break;
        len = Number(this.#buf.readBigUInt64BE(2));
        at = 10;
      }
      if (this.#buf.length < at + len) break;
      const payload = this.#buf.subarray(at, at + len);
      this.#buf = this.#buf.subarray(at + len);
      if (opcode === 1) this.#received.frames.push(this.#decode(payload.toString()));
      else if (opcode === 8) this.#received.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
    }
    this.#wake();
  }

  /** Writes raw bytes (nothing once the connection is gone). */
  write(bytes: Uint8Array): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  /** Sends one masked text frame. */
  send(text: string): void {
    this.write(wsFrame(text));
  }

  /** Waits until `done` holds of what was received (checked on every arrival) or `ms` passed; resolves with whether it holds. */
  async within(done: (r: RawReceived<F>) => boolean, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!done(this.#received)) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((r) => {
        const wake = () => {
          clearTimeout(t);
          this.#waiters.delete(wake);
          r();
        };
        const t = setTimeout(wake, left);
        this.#waiters.add(wake);
      });
    }
    return true;
  }

  /** Waits until `done` holds of what was received, or fails after `ms` naming what came. */
  async until(done: (r: RawReceived<F>) => boolean, ms = 5000): Promise<RawReceived<F>> {
    if (!(await this.within(done, ms))) throw new Error(`timed out; received ${JSON.stringify({ ...this.#received, frames: this.#received.frames.length })}`);
    return this.#received;
  }

  /** Destroys the TCP connection. */
  destroy(): void {
    this.socket.destroy();
  }
}
