import { AESC_ERROR__NODE__PEER_PROTOCOL, AescError } from '@aesc/errors';
import type { PeerMessage } from './peer-message.js';

// The node's peer messages (apps/aechannel/src/aesc_codec.erl): a 1-byte id, fixed-width
// big-endian integers, 32-byte hashes and keys, and `data` fields prefixed by a 2-byte length.

const IDS = {
  channel_open: 1,
  channel_accept: 2,
  channel_reestablish: 3,
  channel_reest_ack: 4,
  funding_created: 5,
  funding_signed: 6,
  funding_locked: 7,
  update: 8,
  update_ack: 9,
  update_error: 10,
  deposit_created: 11,
  deposit_signed: 12,
  deposit_locked: 13,
  deposit_error: 14,
  withdraw_created: 15,
  withdraw_signed: 16,
  withdraw_locked: 17,
  withdraw_error: 18,
  leave: 94,
  leave_ack: 95,
  inband_msg: 96,
  error: 97,
  shutdown: 98,
  shutdown_ack: 99,
  shutdown_error: 100,
} as const satisfies Record<PeerMessage['type'], number>;

const TYPES = Object.fromEntries(Object.entries(IDS).map(([k, v]) => [v, k])) as Record<number, PeerMessage['type']>;

/** The largest generic message the node forwards (`max_inband_msg_size/0`). */
export const MAX_INBAND_MSG_SIZE = 65000;

const fail = (reason: string): never => {
  throw new AescError(AESC_ERROR__NODE__PEER_PROTOCOL, { reason });
};

class Writer {
  readonly #parts: Uint8Array[] = [];
  bytes(b: Uint8Array, size?: number): this {
    if (size !== undefined && b.length !== size) fail(`a ${size}-byte field has ${b.length} bytes`);
    this.#parts.push(b);
    return this;
  }
  uint(v: bigint | number, size: number): this {
    let n = BigInt(v);
    if (n < 0n || n >= 1n << BigInt(8 * size)) fail(`${n} does not fit in ${size} bytes`);
    const out = new Uint8Array(size);
    for (let i = size - 1; i >= 0; i--) {
      out[i] = Number(n & 0xffn);
      n >>= 8n;
    }
    this.#parts.push(out);
    return this;
  }
  /** `encode_data/1`: 2-byte length, then the bytes. */
  data(b: Uint8Array): this {
    return this.uint(b.length, 2).bytes(b);
  }
  done(): Uint8Array {
    const out = new Uint8Array(this.#parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of this.#parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

class Reader {
  #at = 0;
  constructor(readonly buf: Uint8Array) {}
  bytes(size: number): Uint8Array {
    if (this.#at + size > this.buf.length) fail('message too short');
    const out = this.buf.slice(this.#at, this.#at + size);
    this.#at += size;
    return out;
  }
  uint(size: number): bigint {
    let n = 0n;
    for (const b of this.bytes(size)) n = (n << 8n) | BigInt(b);
    return n;
  }
  data(): Uint8Array {
    return this.bytes(Number(this.uint(2)));
  }
  get left(): number {
    return this.buf.length - this.#at;
  }
  /** `decode_data/1` of the rest: the length must cover it exactly. */
  lastData(): Uint8Array {
    const d = this.data();
    this.end();
    return d;
  }
  end(): void {
    if (this.left !== 0) fail(`${this.left} bytes too many`);
  }
}

/** Encodes a peer message as the node does (`aesc_codec:enc/2`). Throws a coded error when a value does not fit. */
export function encodePeerMessage(m: PeerMessage): Uint8Array {
  const w = new Writer().uint(IDS[m.type], 1);
  switch (m.type) {
    case 'channel_open':
      return w
        .bytes(m.chainHash, 32)
        .bytes(m.tempChannelId, 32)
        .uint(m.lockPeriod, 2)
        .uint(m.pushAmount, 8)
        .uint(m.initiatorAmount, 8)
        .uint(m.responderAmount, 8)
        .uint(m.channelReserve, 8)
        .bytes(m.initiator, 32)
        .bytes(m.responder, 32)
        .done();
    case 'channel_accept':
      return w
        .bytes(m.chainHash, 32)
        .bytes(m.tempChannelId, 32)
        .uint(m.minimumDepth, 4)
        .uint(m.minimumDepthStrategy === 'txfee' ? 1 : 0, 1)
        .uint(m.initiatorAmount, 8)
        .uint(m.responderAmount, 8)
        .uint(m.channelReserve, 8)
        .bytes(m.initiator, 32)
        .bytes(m.responder, 32)
        .done();
    case 'channel_reestablish':
    case 'channel_reest_ack':
      return w.bytes(m.chainHash, 32).bytes(m.channelId, 32).data(m.tx).done();
    case 'funding_created':
      w.bytes(m.tempChannelId, 32).bytes(m.blockHash, 32).data(m.tx);
      for (const u of m.updates) w.data(u);
      return w.done();
    case 'funding_signed':
      return w.bytes(m.tempChannelId, 32).bytes(m.blockHash, 32).data(m.tx).done();
    case 'funding_locked':
      return w.bytes(m.tempChannelId, 32).bytes(m.channelId, 32).done();
    case 'update':
    case 'deposit_created':
    case 'withdraw_created':
      w.bytes(m.channelId, 32).bytes(m.blockHash, 32).data(m.tx);
      for (const u of m.updates) w.data(u);
      return w.done();
    case 'update_ack':
      return w.bytes(m.channelId, 32).data(m.tx).done();
    case 'deposit_signed':
    case 'withdraw_signed':
    case 'shutdown':
    case 'shutdown_ack':
      return w.bytes(m.channelId, 32).bytes(m.blockHash, 32).data(m.tx).done();
    case 'deposit_locked':
    case 'withdraw_locked':
      return w.bytes(m.channelId, 32).data(m.txHash).done();
    case 'update_error':
    case 'deposit_error':
    case 'withdraw_error':
    case 'shutdown_error':
      return w.bytes(m.channelId, 32).uint(m.round, 4).uint(m.errorCode, 2).done();
    case 'leave':
    case 'leave_ack':
      return w.bytes(m.channelId, 32).done();
    case 'inband_msg':
      if (m.info.length > MAX_INBAND_MSG_SIZE) fail(`a generic message of ${m.info.length} bytes is over ${MAX_INBAND_MSG_SIZE}`);
      return w.bytes(m.channelId, 32).bytes(m.from, 32).bytes(m.to, 32).data(m.info).done();
    case 'error':
      return w.bytes(m.channelId, 32).data(m.data).done();
  }
}

function dataList(r: Reader): Uint8Array[] {
  const out: Uint8Array[] = [];
  while (r.left > 0) out.push(r.data());
  return out;
}

/** Decodes a peer message (`aesc_codec:dec/1`); anything malformed is a coded error. */
export function decodePeerMessage(bytes: Uint8Array): PeerMessage {
  if (bytes.length === 0) fail('empty message');
  const type = TYPES[bytes[0]!];
  if (type === undefined) return fail(`unknown message id ${bytes[0]}`);
  const r = new Reader(bytes.subarray(1));
  const h32 = () => r.bytes(32);
  switch (type) {
    case 'channel_open': {
      const m = {
        type,
        chainHash: h32(),
        tempChannelId: h32(),
        lockPeriod: Number(r.uint(2)),
        pushAmount: r.uint(8),
        initiatorAmount: r.uint(8),
        responderAmount: r.uint(8),
        channelReserve: r.uint(8),
        initiator: h32(),
        responder: h32(),
      } as const;
      r.end();
      return m;
    }
    case 'channel_accept': {
      const chainHash = h32();
      const tempChannelId = h32();
      const minimumDepth = Number(r.uint(4));
      // The old form has no strategy byte (one byte shorter).
      const strategy = r.left === 8 * 3 + 64 + 1 ? Number(r.uint(1)) : 0;
      const m = {
        type,
        chainHash,
        tempChannelId,
        minimumDepth,
        minimumDepthStrategy: strategy === 1 ? 'txfee' : 'plain',
        initiatorAmount: r.uint(8),
        responderAmount: r.uint(8),
        channelReserve: r.uint(8),
        initiator: h32(),
        responder: h32(),
      } as const;
      r.end();
      return m;
    }
    case 'channel_reestablish':
    case 'channel_reest_ack':
      return { type, chainHash: h32(), channelId: h32(), tx: r.lastData() };
    case 'funding_created':
      return { type, tempChannelId: h32(), blockHash: h32(), tx: r.data(), updates: dataList(r) };
    case 'funding_signed':
      return { type, tempChannelId: h32(), blockHash: h32(), tx: r.lastData() };
    case 'funding_locked': {
      const m = { type, tempChannelId: h32(), channelId: h32() } as const;
      r.end();
      return m;
    }
    case 'update':
    case 'deposit_created':
    case 'withdraw_created':
      return { type, channelId: h32(), blockHash: h32(), tx: r.data(), updates: dataList(r) };
    case 'update_ack':
      return { type, channelId: h32(), tx: r.lastData() };
    case 'deposit_signed':
    case 'withdraw_signed':
    case 'shutdown':
    case 'shutdown_ack':
      return { type, channelId: h32(), blockHash: h32(), tx: r.lastData() };
    case 'deposit_locked':
    case 'withdraw_locked':
      return { type, channelId: h32(), txHash: r.lastData() };
    case 'update_error':
    case 'deposit_error':
    case 'withdraw_error':
    case 'shutdown_error': {
      const m = { type, channelId: h32(), round: Number(r.uint(4)), errorCode: Number(r.uint(2)) } as const;
      r.end();
      return m;
    }
    case 'leave':
    case 'leave_ack': {
      const m = { type, channelId: h32() } as const;
      r.end();
      return m;
    }
    case 'inband_msg':
      return { type, channelId: h32(), from: h32(), to: h32(), info: r.lastData() };
    case 'error':
      return { type, channelId: h32(), data: r.lastData() };
  }
}
