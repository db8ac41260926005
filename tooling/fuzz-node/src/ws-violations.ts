import { type Rng, wsFrame } from '@aesc/test-support';

/** Bytes that break the WebSocket protocol (RFC 6455), and the close code that answers them. */
export interface Violation {
  readonly name: string;
  readonly bytes: Buffer;
}

/** One violation: the known ones and random frame headers. */
export function violation(rng: Rng): Violation {
  switch (rng.int(0, 15)) {
    case 0:
      return { name: 'text over 1 MiB', bytes: wsFrame('x'.repeat(1024 * 1024 + rng.int(1, 100_000))) };
    case 1:
      return { name: 'binary over 1 MiB', bytes: wsFrame(new Uint8Array(rng.int(1_100_000, 2_000_000)), { opcode: 2 }) };
    case 2:
      return { name: 'invalid UTF-8', bytes: wsFrame(Uint8Array.of(0xff, 0xfe, ...rng.bytes(rng.int(0, 10)))) };
    case 3:
      return { name: 'RSV bits', bytes: wsFrame('{}', { rsv: rng.pick([0x40, 0x20, 0x10, 0x70]) }) };
    case 4:
      return { name: 'unknown opcode', bytes: wsFrame('{}', { opcode: rng.pick([3, 4, 5, 6, 7, 11, 12, 13, 14, 15]) }) };
    case 5:
      return { name: 'unmasked', bytes: wsFrame('{}', { mask: false }) };
    case 6:
      return { name: 'fragmented control frame', bytes: wsFrame('', { opcode: rng.pick([8, 9, 10]), fin: false }) };
    case 7: {
      const code = rng.pick([0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535]);
      return { name: 'bad close code', bytes: wsFrame(Uint8Array.of(code >> 8, code & 0xff), { opcode: 8 }) };
    }
    case 8:
      return { name: 'length 2^63-1', bytes: Buffer.from([0x81, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4]) };
    case 9:
      return { name: 'continuation with no start', bytes: wsFrame('{}', { opcode: 0 }) };
    case 10:
      return { name: 'control frame over 125 bytes', bytes: wsFrame('p'.repeat(200), { opcode: 9 }) };
    case 11:
      return { name: 'close with invalid UTF-8 reason', bytes: wsFrame(Uint8Array.of(0x03, 0xe8, 0xff, 0xfe), { opcode: 8 }) };
    case 12:
      return { name: 'new message inside a fragmented one', bytes: Buffer.concat([wsFrame('{"a":', { fin: false }), wsFrame('1}')]) };
    case 13:
      return { name: 'a close frame of one byte', bytes: wsFrame(Uint8Array.of(3), { opcode: 8 }) };
    case 14:
      return { name: 'random header bytes', bytes: Buffer.from(rng.bytes(rng.int(2, 40))) };
    default: {
      // a frame cut short, then the connection's end
      const f = wsFrame(`{"jsonrpc":"2.0","method":"channels.system","params":{"action":"ping"},"pad":"${'z'.repeat(rng.int(0, 300))}"}`);
      return { name: 'truncated frame', bytes: f.subarray(0, rng.int(1, f.length - 1)) };
    }
  }
}
