import { connect } from 'node:net';
import { publicKeyOf } from '@aesc/crypto';
import { decodeApi } from '@aesc/encoding';
import { NoiseHandshake, type PeerLink, type PeerMessage, connectPeer, encodePeerMessage, frame } from '@aesc/node';
import type { Rng } from '@aesc/test-support';

/** Every peer message type, with a maker of one of its kind of hostile contents. */
const TYPES: PeerMessage['type'][] = [
  'channel_open', 'channel_accept', 'channel_reestablish', 'channel_reest_ack', 'funding_created', 'funding_signed', 'funding_locked',
  'update', 'update_ack', 'update_error', 'deposit_created', 'deposit_signed', 'deposit_locked', 'deposit_error', 'withdraw_created',
  'withdraw_signed', 'withdraw_locked', 'withdraw_error', 'leave', 'leave_ack', 'inband_msg', 'error', 'shutdown', 'shutdown_ack', 'shutdown_error',
];

/** A peer message of any type, its fields random (or `temp` for the temporary channel id, sometimes). */
export function randomMessage(rng: Rng, temp: Uint8Array): PeerMessage {
  const type = rng.pick(TYPES);
  const h = () => (rng.chance(0.5) ? temp : rng.bytes(32));
  const data = () => rng.bytes(rng.pick([0, 1, 40, 200, 2000]));
  const amount = () => BigInt(rng.int(0, 2 ** 31));
  switch (type) {
    case 'channel_open':
      return { type, chainHash: h(), tempChannelId: temp, lockPeriod: rng.int(0, 65535), pushAmount: amount(), initiatorAmount: amount(), responderAmount: amount(), channelReserve: amount(), initiator: h(), responder: h() };
    case 'channel_accept':
      return { type, chainHash: h(), tempChannelId: temp, minimumDepth: rng.int(0, 100), minimumDepthStrategy: 'plain', initiatorAmount: amount(), responderAmount: amount(), channelReserve: amount(), initiator: h(), responder: h() };
    case 'channel_reestablish':
    case 'channel_reest_ack':
      return { type, chainHash: h(), channelId: h(), tx: data() };
    case 'funding_created':
      return { type, tempChannelId: h(), blockHash: h(), tx: data(), updates: rng.chance(0.5) ? [] : [data()] };
    case 'funding_signed':
      return { type, tempChannelId: h(), blockHash: h(), tx: data() };
    case 'funding_locked':
      return { type, tempChannelId: h(), channelId: h() };
    case 'update':
    case 'deposit_created':
    case 'withdraw_created':
      return { type, channelId: h(), blockHash: h(), tx: data(), updates: [data()] };
    case 'update_ack':
      return { type, channelId: h(), tx: data() };
    case 'deposit_signed':
    case 'withdraw_signed':
    case 'shutdown':
    case 'shutdown_ack':
      return { type, channelId: h(), blockHash: h(), tx: data() };
    case 'deposit_locked':
    case 'withdraw_locked':
      return { type, channelId: h(), txHash: rng.bytes(32) };
    case 'update_error':
    case 'deposit_error':
    case 'withdraw_error':
    case 'shutdown_error':
      return { type, channelId: h(), round: rng.int(0, 2 ** 31), errorCode: rng.int(0, 65535) };
    case 'leave':
    case 'leave_ack':
      return { type, channelId: h() };
    case 'inband_msg':
      return { type, channelId: h(), from: h(), to: h(), info: data() };
    default:
      return { type: 'error', channelId: h(), data: data() };
  }
}

/** The `channel_open` an initiator sends to the responder waiting for `initiator` → `responder`. */
export function channelOpen(genesisHash: string, initiator: string, responder: string, temp: Uint8Array, amounts: bigint): PeerMessage {
  return {
    type: 'channel_open',
    chainHash: decodeApi(genesisHash as `kh_${string}`, 'kh'),
    tempChannelId: temp,
    lockPeriod: 2,
    pushAmount: 0n,
    initiatorAmount: amounts,
    responderAmount: amounts,
    channelReserve: 1n,
    initiator: publicKeyOf(initiator as `ak_${string}`),
    responder: publicKeyOf(responder as `ak_${string}`),
  };
}

/** How a raw connection to a peer port ended. */
export type RawPeerOutcome = 'closed by the node' | 'closed by the fuzzer';

/**
 * Bytes on the peer port, before or after a valid Noise handshake: random bytes, a partial
 * handshake, frames of random bytes, a length that promises more than comes, a frame of a valid
 * message's bytes with one bit flipped. The connection is left after `waitMs` if the node has not
 * closed it (a stall it drops on its own timers).
 */
export async function rawPeerCase(rng: Rng, port: number, waitMs: number): Promise<RawPeerOutcome> {
  const socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => undefined);
  let closed = false;
  const ended = new Promise<void>((r) =>
    socket.once('close', () => {
      closed = true;
      r();
    }),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
  } catch {
    return 'closed by the node';
  }
  const kind = rng.int(0, 5);
  if (kind === 0) socket.write(rng.bytes(rng.int(1, 3000)));
  else if (kind === 1) socket.write(Uint8Array.of(0, 32, ...rng.bytes(rng.int(0, 31)))); // a partial `e`
  else {
    const hs = new NoiseHandshake('initiator');
    socket.write(frame(hs.writeMessage()));
    const reply = await new Promise<Buffer | undefined>((r) => {
      socket.once('data', r);
      setTimeout(() => r(undefined), 500);
    });
    if (reply !== undefined && reply.length >= 50) {
      hs.readMessage(new Uint8Array(reply.subarray(2, 50)));
      const session = hs.session();
      if (kind === 2) socket.write(frame(rng.bytes(rng.int(0, 2000))));
      else if (kind === 3) socket.write(Uint8Array.of(0xff, 0xff, ...rng.bytes(rng.int(0, 1000)))); // promises 65,535 bytes
      else {
        const plain = encodePeerMessage(randomMessage(rng, rng.bytes(32)));
        const sealed = session.encrypt(plain);
        if (kind === 4) sealed[rng.int(0, sealed.length - 1)]! ^= 1 << rng.int(0, 7);
        socket.write(frame(sealed));
      }
    }
  }
  await Promise.race([ended, new Promise((r) => setTimeout(r, waitMs))]);
  const outcome: RawPeerOutcome = closed ? 'closed by the node' : 'closed by the fuzzer';
  socket.destroy();
  return outcome;
}

/** A Noise link to the responder on `port` (retried while its listener starts), or undefined. */
export async function linkTo(port: number): Promise<PeerLink | undefined> {
  for (let tries = 0; tries < 20; tries++) {
    try {
      return await connectPeer('127.0.0.1', port, { handshakeTimeoutMs: 2000 });
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return undefined;
}
