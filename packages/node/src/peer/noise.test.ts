import { AESC_ERROR__NODE__PEER_PROTOCOL, isAescError } from '@aesc/errors';
import { describe, expect, it } from 'vitest';
import { NoiseHandshake } from './noise.js';

function handshake() {
  const i = new NoiseHandshake('initiator');
  const r = new NoiseHandshake('responder');
  const m1 = i.writeMessage();
  r.readMessage(m1);
  const m2 = r.writeMessage();
  i.readMessage(m2);
  return { i, r, m1, m2 };
}

describe('Noise_NN_25519_ChaChaPoly_BLAKE2b', () => {
  it('agrees on the handshake hash and carries messages both ways', () => {
    const { i, r, m1, m2 } = handshake();
    expect(m1.length).toBe(32); // e
    expect(m2.length).toBe(48); // e, then the empty payload's tag
    expect(Buffer.from(i.handshakeHash).equals(Buffer.from(r.handshakeHash))).toBe(true);
    const si = i.session();
    const sr = r.session();
    const hello = new TextEncoder().encode('channel_open');
    const c1 = si.encrypt(hello);
    expect(c1.length).toBe(hello.length + 16);
    expect(sr.decrypt(c1)).toEqual(hello);
    expect(si.decrypt(sr.encrypt(Uint8Array.of(1, 2, 3)))).toEqual(Uint8Array.of(1, 2, 3));
    // the nonce moves on: the same plaintext encrypts differently the next time
    expect(Buffer.from(si.encrypt(hello)).equals(Buffer.from(c1))).toBe(false);
  });

  it('is deterministic for given ephemeral keys, and differs when one changes', () => {
    const run = (ei: number, er: number) => {
      const i = new NoiseHandshake('initiator', new Uint8Array(32).fill(ei));
      const r = new NoiseHandshake('responder', new Uint8Array(32).fill(er));
      r.readMessage(i.writeMessage());
      i.readMessage(r.writeMessage());
      return Buffer.from(i.session().encrypt(Uint8Array.of(42))).toString('hex');
    };
    expect(run(1, 2)).toBe(run(1, 2));
    expect(run(1, 2)).not.toBe(run(1, 3));
  });

  it('refuses a tampered message with a coded error', () => {
    const { i, r } = handshake();
    const c = i.session().encrypt(Uint8Array.of(1, 2, 3));
    c[0]! ^= 1;
    let error: unknown;
    try {
      r.session().decrypt(c);
    } catch (e) {
      error = e;
    }
    expect(isAescError(error, AESC_ERROR__NODE__PEER_PROTOCOL)).toBe(true);
    const i2 = new NoiseHandshake('initiator');
    const r2 = new NoiseHandshake('responder');
    r2.readMessage(i2.writeMessage());
    const m2 = r2.writeMessage();
    m2[40]! ^= 1;
    expect(() => i2.readMessage(m2)).toThrow(/does not decrypt/);
  });
});
