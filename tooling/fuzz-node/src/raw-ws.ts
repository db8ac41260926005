import { connect, type Socket } from 'node:net';

/** A WebSocket frame's bits, any of them set as a case wants them. */
export interface FrameBits {
  readonly fin?: boolean;
  /** RSV1–3 (0x40 is RSV1). */
  readonly rsv?: number;
  readonly opcode?: number;
  /** Clients must mask; false writes an unmasked frame. */
  readonly mask?: boolean;
}

/** One WebSocket frame (RFC 6455 §5.2) with `payload`, masked unless told otherwise. */
export function wsFrame(payload: string | Uint8Array, bits: FrameBits = {}): Buffer {
  const body = Buffer.from(typeof payload === 'string' ? Buffer.from(payload) : payload);
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
  const key = Buffer.from([0x4d, 0x19, 0xa2, 0x07]);
  for (let i = 0; i < body.length; i++) body[i]! ^= key[i % 4]!;
  return Buffer.concat([Buffer.from(head), key, body]);
}

/**
 * A WebSocket client written by hand on a TCP socket, to send what a WebSocket library never
 * sends; it reads the node's answer (the upgrade status, text frames, the close code).
 */
export class RawWs {
  status = 0;
  readonly texts: string[] = [];
  closeCode: number | undefined;
  closed = false;
  readonly socket: Socket;
  #buf: Buffer = Buffer.alloc(0);
  #upgraded = false;
  #wake: (() => void) | undefined;

  constructor(host: string, port: number, target: string, after: Buffer = Buffer.alloc(0), headers = '') {
    this.socket = connect({ host, port });
    this.socket.on('error', () => undefined);
    this.socket.on('data', (d: Buffer) => this.#onData(d));
    this.socket.on('close', () => {
      this.closed = true;
      this.#wake?.();
    });
    const request =
      headers ||
      `GET ${target} HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`;
    this.socket.write(Buffer.concat([Buffer.from(request, 'latin1'), after]));
  }

  #onData(d: Buffer): void {
    this.#buf = this.#buf.length === 0 ? d : Buffer.concat([this.#buf, d]);
    if (!this.#upgraded) {
      const end = this.#buf.indexOf('\r\n\r\n');
      if (end === -1) return;
      this.status = Number(/^HTTP\/1\.1 (\d{3})/.exec(this.#buf.subarray(0, end).toString('latin1'))?.[1] ?? 0);
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
      if (opcode === 1) this.texts.push(payload.toString());
      else if (opcode === 8) this.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
    }
    this.#wake?.();
  }

  /** Waits until `done()` holds (checked on every arrival) or `ms` passed; returns whether it holds. */
  async until(done: () => boolean, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!done()) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 200));
        this.#wake = () => {
          clearTimeout(t);
          r();
        };
      });
    }
    return true;
  }

  write(bytes: Uint8Array): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  destroy(): void {
    this.socket.destroy();
  }
}
