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

  it('gives the bytes it gave over @noble/hashes (known answers for fixed ephemeral keys)', () => {
    // Recorded with the implementation that hashed with @noble/hashes' BLAKE2b and HMAC, before
    // the move to @aesc/crypto's: the handshake hash, the responder's message and both directions.
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    const i = new NoiseHandshake('initiator', new Uint8Array(32).fill(1));
    const r = new NoiseHandshake('responder', new Uint8Array(32).fill(2));
    r.readMessage(i.writeMessage());
    const m2 = r.writeMessage();
    i.readMessage(m2);
    expect(hex(m2)).toBe('ce8d3ad1ccb633ec7b70c17814a5c76ecd029685050d344745ba05870e587d59615761b9e1954fb0d742724d04732480');
    expect(hex(i.handshakeHash)).toBe(
      '4a3570b665ff5e7202d9d8103ecdb89c65647bcec1306c063fc46b7fa7b2fdefb2f3a222d5adc869b865f891b34cdee13fc350b1347b8b4a182748f4aea4c3e9',
    );
    expect(hex(i.session().encrypt(Uint8Array.of(42)))).toBe('45e73ce5fe316fdbec5c0c9fd996fd91b2');
    expect(hex(r.session().encrypt(new TextEncoder().encode('channel_open')))).toBe(
      '101edb4a05da67ee3730aff1843350e3d3a912d2b2082b9639514065',
    );
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
