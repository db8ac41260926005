import { connect, type Socket } from 'node:net';
import { parseJson } from '@aesc/rpc';

/** A WebSocket frame as a client may write it, any of its bits set as the test wants them. */
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
  const body = typeof payload === 'string' ? Buffer.from(payload) : Buffer.from(payload);
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

/** What the node sent on a raw connection. */
export interface Received {
  /** The HTTP status of the upgrade answer. */
  readonly status: number;
  /** Text frames, parsed. */
  readonly frames: Record<string, unknown>[];
  /** The close frame's code, once one came. */
  closeCode: number | undefined;
  /** Whether the TCP connection closed. */
  closed: boolean;
}

/**
 * A WebSocket client written by hand on a TCP socket (tests only), to send what no WebSocket
 * library sends: protocol violations, a close frame on a connection kept open, frames before the
 * session is ready. It parses what the node sends back.
 */
export class RawSocket {
  readonly socket: Socket;
  readonly received: Received = { status: 0, frames: [], closeCode: undefined, closed: false };
  #buf = Buffer.alloc(0);
  #upgraded = false;
  #waiters = new Set<() => void>();

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('error', () => undefined);
    socket.on('data', (d: Buffer) => this.#onData(d));
    socket.on('close', () => {
      this.received.closed = true;
      this.#wake();
    });
  }

  /**
   * Opens a TCP connection to `host:port` and sends the upgrade request for `target` (the path and
   * query), with `after` in the same write (frames sent before the answer). With `halfOpen` the
   * connection stays open when the node ends its side (a client that never closes TCP).
   */
  static async open(host: string, port: number, target: string, after: Buffer = Buffer.alloc(0), halfOpen = false): Promise<RawSocket> {
    const socket = connect({ host, port, allowHalfOpen: halfOpen });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    const raw = new RawSocket(socket);
    const request =
      `GET ${target} HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';
    socket.write(Buffer.concat([Buffer.from(request, 'latin1'), after]));
    return raw;
  }

  /** Opens a connection at a node's `ws://host:port/channel?…` URL. */
  static async url(url: string, after?: Buffer, halfOpen = false): Promise<RawSocket> {
    const u = new URL(url);
    return RawSocket.open(u.hostname, Number(u.port), `${u.pathname}${u.search}`, after, halfOpen);
  }

  #wake(): void {
    for (const w of [...this.#waiters]) w();
  }

  #onData(d: Buffer): void {
    this.#buf = Buffer.concat([this.#buf, d]);
    if (!this.#upgraded) {
      const end = this.#buf.indexOf('\r\n\r\n');
      if (end === -1) return;
      const head = this.#buf.subarray(0, end).toString('latin1');
      (this.received as { status: number }).status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
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
      if (opcode === 1) this.received.frames.push(parseJson(payload.toString()) as Record<string, unknown>);
      else if (opcode === 8) this.received.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
    }
    this.#wake();
  }

  /** Writes raw bytes. */
  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Sends one masked text frame. */
  send(text: string): void {
    this.socket.write(wsFrame(text));
  }

  /** Waits until `done` holds of what was received (checked on every arrival), or fails after `timeoutMs`. */
  async until(done: (r: Received) => boolean, timeoutMs = 5000): Promise<Received> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.received)) {
      if (Date.now() > deadline) throw new Error(`timed out; received ${JSON.stringify({ ...this.received, frames: this.received.frames.length })}`);
      await new Promise<void>((r) => {
        this.#waiters.add(r);
        setTimeout(() => {
          this.#waiters.delete(r);
          r();
        }, 50);
      });
    }
    return this.received;
  }

  /** Destroys the TCP connection. */
  destroy(): void {
    this.socket.destroy();
  }
}
