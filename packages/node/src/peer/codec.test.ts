import fc from 'fast-check';
import { AESC_ERROR__NODE__PEER_PROTOCOL, isAescError } from '@aesc/errors';
import { describe, expect, it } from 'vitest';
import { decodePeerMessage, encodePeerMessage } from './codec.js';
import type { PeerMessage } from './peer-message.js';

const b32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const data = fc.uint8Array({ maxLength: 300 });
const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const message: fc.Arbitrary<PeerMessage> = fc.oneof(
  fc.record({ type: fc.constant('channel_open' as const), chainHash: b32, tempChannelId: b32, lockPeriod: fc.nat(0xffff), pushAmount: u64, initiatorAmount: u64, responderAmount: u64, channelReserve: u64, initiator: b32, responder: b32 }),
  fc.record({ type: fc.constant('channel_accept' as const), chainHash: b32, tempChannelId: b32, minimumDepth: fc.nat(), minimumDepthStrategy: fc.constantFrom('txfee' as const, 'plain' as const), initiatorAmount: u64, responderAmount: u64, channelReserve: u64, initiator: b32, responder: b32 }),
  fc.record({ type: fc.constantFrom('channel_reestablish' as const, 'channel_reest_ack' as const), chainHash: b32, channelId: b32, tx: data }),
  fc.record({ type: fc.constant('funding_created' as const), tempChannelId: b32, blockHash: b32, tx: data, updates: fc.array(data, { maxLength: 3 }) }),
  fc.record({ type: fc.constant('funding_signed' as const), tempChannelId: b32, blockHash: b32, tx: data }),
  fc.record({ type: fc.constant('funding_locked' as const), tempChannelId: b32, channelId: b32 }),
  fc.record({ type: fc.constantFrom('update' as const, 'deposit_created' as const, 'withdraw_created' as const), channelId: b32, blockHash: b32, tx: data, updates: fc.array(data, { maxLength: 3 }) }),
  fc.record({ type: fc.constant('update_ack' as const), channelId: b32, tx: data }),
  fc.record({ type: fc.constantFrom('deposit_signed' as const, 'withdraw_signed' as const, 'shutdown' as const, 'shutdown_ack' as const), channelId: b32, blockHash: b32, tx: data }),
  fc.record({ type: fc.constantFrom('deposit_locked' as const, 'withdraw_locked' as const), channelId: b32, txHash: b32 }),
  fc.record({ type: fc.constantFrom('update_error' as const, 'deposit_error' as const, 'withdraw_error' as const, 'shutdown_error' as const), channelId: b32, round: fc.nat(), errorCode: fc.nat(0xffff) }),
  fc.record({ type: fc.constantFrom('leave' as const, 'leave_ack' as const), channelId: b32 }),
  fc.record({ type: fc.constant('inband_msg' as const), channelId: b32, from: b32, to: b32, info: data }),
  fc.record({ type: fc.constant('error' as const), channelId: b32, data }),
);

describe('the peer codec (aesc_codec)', () => {
  it('round-trips every message', () => {
    fc.assert(
      fc.property(message, (m) => {
        expect(decodePeerMessage(encodePeerMessage(m))).toEqual(m);
      }),
    );
  });

  it('lays out messages as the node does', () => {
    const h = (n: number) => new Uint8Array(32).fill(n);
    // channel_open: id 1, chain hash, temp id, lock period (2), push, amounts, reserve (8 each), keys.
    const open = encodePeerMessage({ type: 'channel_open', chainHash: h(1), tempChannelId: h(2), lockPeriod: 10, pushAmount: 1n, initiatorAmount: 70n, responderAmount: 40n, channelReserve: 2n, initiator: h(3), responder: h(4) });
    expect(open.length).toBe(1 + 32 + 32 + 2 + 8 * 4 + 32 + 32);
    expect(open[0]).toBe(1);
    expect(hex(open.subarray(65, 67 + 8))).toBe(`000a${'0000000000000001'}`);
    // update: id 8, channel id, block hash, 2-byte length + tx, then each update with its length.
    const update = encodePeerMessage({ type: 'update', channelId: h(5), blockHash: h(0), tx: Uint8Array.of(9, 9, 9), updates: [Uint8Array.of(7)] });
    expect(hex(update.subarray(65))).toBe('0003090909' + '000107');
    expect(update[0]).toBe(8);
    // update_error: id 10, channel id, round (4), error code (2).
    expect(hex(encodePeerMessage({ type: 'update_error', channelId: h(5), round: 3, errorCode: 42 }).subarray(33))).toBe('00000003002a');
    // inband_msg: id 96, channel id, from, to, 2-byte length, info.
    const msg = encodePeerMessage({ type: 'inband_msg', channelId: h(5), from: h(6), to: h(7), info: new TextEncoder().encode('hi') });
    expect(msg[0]).toBe(96);
    expect(hex(msg.subarray(97))).toBe('00026869');
  });

  it('reads the old channel_accept without a strategy byte', () => {
    const h = (n: number) => new Uint8Array(32).fill(n);
    const full = encodePeerMessage({ type: 'channel_accept', chainHash: h(1), tempChannelId: h(2), minimumDepth: 3, minimumDepthStrategy: 'txfee', initiatorAmount: 1n, responderAmount: 2n, channelReserve: 0n, initiator: h(3), responder: h(4) });
    const old = new Uint8Array(full.length - 1);
    old.set(full.subarray(0, 69));
    old.set(full.subarray(70), 69);
    expect(decodePeerMessage(old)).toMatchObject({ type: 'channel_accept', minimumDepth: 3, minimumDepthStrategy: 'plain', initiatorAmount: 1n });
  });

  it('refuses what does not fit or does not parse, with a coded error', () => {
    const h = new Uint8Array(32);
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return isAescError(e, AESC_ERROR__NODE__PEER_PROTOCOL);
      }
      return false;
    };
    expect(code(() => encodePeerMessage({ type: 'channel_open', chainHash: h, tempChannelId: h, lockPeriod: 1, pushAmount: 1n << 64n, initiatorAmount: 1n, responderAmount: 1n, channelReserve: 0n, initiator: h, responder: h }))).toBe(true);
    expect(code(() => decodePeerMessage(Uint8Array.of(200)))).toBe(true);
    expect(code(() => decodePeerMessage(new Uint8Array(0)))).toBe(true);
    const leave = encodePeerMessage({ type: 'leave', channelId: h });
    expect(code(() => decodePeerMessage(leave.subarray(0, 20)))).toBe(true);
    expect(code(() => decodePeerMessage(Uint8Array.of(...leave, 1)))).toBe(true);
  });
});
