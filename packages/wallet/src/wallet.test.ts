import { accountAddress, keyPairFromSecretKey, verifyTransactionSignature } from '@aesc/crypto';
import { fromHex, toHex } from '@aesc/encoding';
import {
  AESC_ERROR__WALLET__INVALID_KEYSTORE,
  AESC_ERROR__WALLET__SIGNING_ABORTED,
  AESC_ERROR__WALLET__UNSUPPORTED_KEYSTORE,
  AESC_ERROR__WALLET__WRONG_PASSWORD,
  aescErrorCodeOfAsync,
} from '@aesc/errors';
import { describe, expect, it } from 'vitest';
import { decryptKeystore, encryptKeystore, keystoreSigner } from './keystore.js';
import { memorySigner } from './memory-signer.js';

// The published test vector of æternity's JS SDK keystore code (aepp-sdk-js test/unit/keystore.ts):
// password "test", its default parameters (argon2id 64 MiB, 3 passes), a fixed nonce and salt.
const SECRET = '35bdc4b31d75aebea2693760a2c96afe87d99dc571ddc4666db0ac8a2b59b30ef1e0c4e567f3d08eff8330c57d70ad457e9f31fa221e14fcc851273ec9af50ae';
const VECTOR = {
  name: 'test',
  version: 1,
  id: '3459181e-f5ab-4506-acfa-cf7a2d41cdaf',
  crypto: {
    secret_type: 'ed25519',
    symmetric_alg: 'xsalsa20-poly1305',
    ciphertext:
      '78f77af6d1fe6cc9fad8813cd6309dbe7ac380137314c3b961bfa69fb67ccea259e5ef8b18b9014de79ebdae79b48e6b4564be1ce96e807c1458ea51d511d2d1764599338887e65987a160259eda69fb',
    cipher_params: { nonce: '0155ae65dcafdd1ec8bfd776ac351fe3da52767d3ddd9da8' },
    kdf: 'argon2id',
    kdf_params: { memlimit_kib: 65536, opslimit: 3, parallelism: 1, salt: 'ed7866c1f3bb16b077ad835b19eb510c' },
  },
};
const FAST = { memlimit_kib: 256, opslimit: 1, parallelism: 1 };

describe('keystore', () => {
  it('decrypts the keystore written by æternity’s tools, and writes the same file', async () => {
    const keys = await keyPairFromSecretKey(fromHex(SECRET)!);
    const vector = { ...VECTOR, public_key: accountAddress(keys.publicKey) };
    expect(toHex(await decryptKeystore(vector, 'test'))).toBe(SECRET);
    const ours = await encryptKeystore(fromHex(SECRET)!, 'test', {
      name: 'test',
      id: VECTOR.id,
      nonce: fromHex(VECTOR.crypto.cipher_params.nonce)!,
      salt: fromHex(VECTOR.crypto.kdf_params.salt)!,
    });
    expect(ours).toEqual(vector);
  });

  it('refuses a wrong password with a coded error that leaks neither key nor password', async () => {
    const file = await encryptKeystore(fromHex(SECRET)!, 'correct horse', { kdfParams: FAST });
    try {
      await decryptKeystore(file, 'battery staple');
      expect.unreachable();
    } catch (e) {
      expect((e as { code: number }).code).toBe(AESC_ERROR__WALLET__WRONG_PASSWORD);
      const text = `${e} ${JSON.stringify(e)}`;
      expect(text).not.toContain('battery');
      expect(text).not.toContain(SECRET.slice(0, 16));
    }
  });

  it('round-trips its own files and refuses malformed ones', async () => {
    const file = await encryptKeystore(fromHex(SECRET)!, 'pw', { kdfParams: FAST, name: 'mine' });
    expect(toHex(await decryptKeystore(JSON.parse(JSON.stringify(file)), 'pw'))).toBe(SECRET);
    expect(await aescErrorCodeOfAsync(() => decryptKeystore({ ...file, version: 2 }, 'pw'))).toBe(AESC_ERROR__WALLET__UNSUPPORTED_KEYSTORE);
    expect(await aescErrorCodeOfAsync(() => decryptKeystore({ ...file, crypto: { ...file.crypto, kdf: 'scrypt' } }, 'pw'))).toBe(
      AESC_ERROR__WALLET__UNSUPPORTED_KEYSTORE,
    );
    const badNonce = { ...file, crypto: { ...file.crypto, cipher_params: { nonce: 'zz' } } };
    expect(await aescErrorCodeOfAsync(() => decryptKeystore(badNonce, 'pw'))).toBe(AESC_ERROR__WALLET__INVALID_KEYSTORE);
    expect(await aescErrorCodeOfAsync(() => decryptKeystore('nope', 'pw'))).toBe(AESC_ERROR__WALLET__INVALID_KEYSTORE);
    const otherKey = { ...file, public_key: accountAddress(new Uint8Array(32).fill(3)) };
    expect(await aescErrorCodeOfAsync(() => decryptKeystore(otherKey, 'pw'))).toBe(AESC_ERROR__WALLET__INVALID_KEYSTORE);
  });
});

describe('signers', () => {
  it('sign transactions that verify in both forms, from memory and from a keystore', async () => {
    const tx = Uint8Array.of(1, 2, 3, 4);
    const fromMemory = await memorySigner(fromHex(SECRET)!);
    const file = await encryptKeystore(fromHex(SECRET)!, 'pw', { kdfParams: FAST });
    const fromFile = await keystoreSigner(file, 'pw');
    expect(fromFile.address).toBe(fromMemory.address);
    const pk = (await keyPairFromSecretKey(fromHex(SECRET)!)).publicKey;
    for (const form of ['raw', 'hash'] as const) {
      const sig = await fromFile.signTransaction(tx, { networkId: 'ae_uat', form });
      expect(await verifyTransactionSignature(sig, tx, 'ae_uat', pk)).toBe(form);
      expect(await fromMemory.signTransaction(tx, { networkId: 'ae_uat', form })).toEqual(sig);
    }
  });

  it('honours an aborted signal', async () => {
    const signer = await memorySigner(fromHex(SECRET)!);
    const controller = new AbortController();
    controller.abort();
    expect(await aescErrorCodeOfAsync(() => signer.signTransaction(Uint8Array.of(1), { networkId: 'n', signal: controller.signal }))).toBe(
      AESC_ERROR__WALLET__SIGNING_ABORTED,
    );
  });
});

describe('remote signer', () => {
  it('signs through another endpoint over JSON-RPC on a WebSocket, and refuses what the holder declines', async () => {
    const { WebSocketServer } = await import('ws');
    const { webSocketConnector } = await import('@aesc/rpc');
    const { remoteSigner, serveSigner } = await import('./remote-signer.js');
    const holder = await memorySigner(fromHex(SECRET)!);
    const serve = serveSigner(holder, { approve: async (tx) => tx[0] !== 0xff });
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => server.once('listening', () => r()));
    server.on('connection', (ws) => ws.on('message', (d) => void serve(d.toString(), (t) => ws.send(t))));
    const { port } = server.address() as { port: number };
    const remote = await remoteSigner(webSocketConnector(`ws://127.0.0.1:${port}`));
    try {
      expect(remote.address).toBe(holder.address);
      const tx = Uint8Array.of(5, 6, 7);
      const sig = await remote.signTransaction(tx, { networkId: 'ae_uat' });
      expect(sig).toEqual(await holder.signTransaction(tx, { networkId: 'ae_uat' }));
      await expect(remote.signTransaction(Uint8Array.of(0xff), { networkId: 'ae_uat' })).rejects.toThrow();
    } finally {
      remote.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
