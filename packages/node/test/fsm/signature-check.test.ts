import { devAccounts } from '@aesc/chain';
import { defaultEd25519, signTransaction } from '@aesc/crypto';
import { type SignedTx, type Transaction, encodeApi, encodeObject, fromHex } from '@aesc/encoding';
import { describe, expect, it, vi } from 'vitest';
import { BUSY_WINDOW_MS, signatureCheck } from '../../src/fsm/signature-check.js';

describe('the node’s signature check', () => {
  it('finds an account’s signature in either form, among others, and nothing else', async () => {
    const [a, b, c] = await devAccounts(3);
    const tx: Transaction = {
      tag: 'channel_offchain_tx',
      version: 2,
      channelId: encodeApi('ch', new Uint8Array(32).fill(3)),
      round: 7n,
      stateHash: encodeApi('st', new Uint8Array(32).fill(4)),
    } as Transaction;
    const bytes = encodeObject(tx);
    const sigA = await signTransaction(bytes, 'ae_dev', fromHex(a!.secretKey)!);
    const sigB = await signTransaction(bytes, 'ae_dev', fromHex(b!.secretKey)!, { form: 'hash' });
    const signed: SignedTx = { tag: 'signed_tx', version: 1, signatures: [sigA, sigB], tx };
    const check = signatureCheck('ae_dev');
    // Twice each: the second answer comes from what the first remembered, and must agree.
    for (let i = 0; i < 2; i++) {
      expect(await check(signed, a!.address)).toBe(true);
      expect(await check(signed, b!.address)).toBe(true);
      expect(await check(signed, c!.address)).toBe(false);
    }
    // Remembered for this tx only: the same signatures on another round prove nothing.
    const other = { ...signed, tx: { ...tx, round: 8n } as Transaction };
    expect(await check(other, a!.address)).toBe(false);
    // Another network id: nothing verifies.
    expect(await signatureCheck('ae_mainnet')(signed, a!.address)).toBe(false);
    expect(await check({ ...signed, signatures: [] }, a!.address)).toBe(false);
    expect(await check({ ...signed, signatures: [new Uint8Array(10)] }, a!.address)).toBe(false);
  });

  it('verifies only the signature it does not know yet', async () => {
    const [a, b] = await devAccounts(2);
    const tx = { tag: 'channel_offchain_tx', version: 2, channelId: encodeApi('ch', new Uint8Array(32).fill(5)), round: 9n, stateHash: encodeApi('st', new Uint8Array(32).fill(6)) } as Transaction;
    const bytes = encodeObject(tx);
    const sigA = await signTransaction(bytes, 'ae_dev', fromHex(a!.secretKey)!);
    const sigB = await signTransaction(bytes, 'ae_dev', fromHex(b!.secretKey)!);
    const ed25519 = defaultEd25519();
    // every verification, by whichever verifier the check prepared for an account
    const verify = vi.fn((prepared: (sig: Uint8Array, msg: Uint8Array) => Promise<boolean>, sig: Uint8Array, msg: Uint8Array) => prepared(sig, msg));
    const counting = {
      ...ed25519,
      verify: () => Promise.reject(new Error('the check verifies with prepared keys')),
      verifierFor: (pk: Uint8Array) => {
        const prepared = ed25519.verifierFor(pk);
        return (sig: Uint8Array, msg: Uint8Array) => verify(prepared, sig, msg);
      },
    };
    const check = signatureCheck('ae_dev', 4096, counting);
    // a's half, as the initiator's sign reply brings it: one verification
    expect(await check({ tag: 'signed_tx', version: 1, signatures: [sigA], tx }, a!.address)).toBe(true);
    expect(verify).toHaveBeenCalledTimes(1);
    // the co-signed tx, whichever order its signatures are in: b's is the only one tried
    for (const signatures of [[sigA, sigB], [sigB, sigA]]) {
      verify.mockClear();
      const fresh = signatureCheck('ae_dev', 4096, counting);
      expect(await fresh({ tag: 'signed_tx', version: 1, signatures: [sigA], tx }, a!.address)).toBe(true);
      verify.mockClear();
      expect(await fresh({ tag: 'signed_tx', version: 1, signatures, tx }, b!.address)).toBe(true);
      expect(verify).toHaveBeenCalledTimes(1);
    }
    // a signature known to be a's never counts as b's
    verify.mockClear();
    expect(await check({ tag: 'signed_tx', version: 1, signatures: [sigA], tx }, b!.address)).toBe(false);
    expect(verify).not.toHaveBeenCalled();
  });

  it('hands checks to another thread only while other channels keep the node busy, with the same answers', async () => {
    const [a, b] = await devAccounts(2);
    const ed25519 = defaultEd25519();
    const used: string[] = [];
    const tracing = {
      ...ed25519,
      verifierFor: (pk: Uint8Array) => {
        const v = ed25519.verifierFor(pk);
        return (sig: Uint8Array, msg: Uint8Array) => {
          used.push('here');
          return v(sig, msg);
        };
      },
      offThreadVerifierFor: (pk: Uint8Array) => {
        const v = ed25519.offThreadVerifierFor!(pk);
        return (sig: Uint8Array, msg: Uint8Array) => {
          used.push('off');
          return v(sig, msg);
        };
      },
    };
    // a round of channel `c` signed by a, and the same with a signature that does not verify
    const half = async (c: number, round: bigint) => {
      const tx = { tag: 'channel_offchain_tx', version: 2, channelId: encodeApi('ch', new Uint8Array(32).fill(c)), round, stateHash: encodeApi('st', new Uint8Array(32).fill(1)) } as Transaction;
      const sig = await signTransaction(encodeObject(tx), 'ae_dev', fromHex(a!.secretKey)!);
      const bad = sig.slice();
      bad[0]! ^= 1;
      return { good: { tag: 'signed_tx', version: 1, signatures: [sig], tx } as SignedTx, bad: { tag: 'signed_tx', version: 1, signatures: [bad], tx } as SignedTx };
    };
    // the clock of the busy window stands still unless moved on
    let clock = 0;
    const check = signatureCheck('ae_dev', 4096, tracing, () => clock);
    /** Lets more than the busy window pass with no check. */
    const quiet = () => {
      clock += 5 * BUSY_WINDOW_MS;
    };
    // one channel, round after round: every check on this thread
    for (let round = 1n; round <= 4n; round++) {
      const { good, bad } = await half(1, round);
      expect(await check(good, a!.address)).toBe(true);
      expect(await check(bad, a!.address)).toBe(false);
      expect(await check(good, b!.address)).toBe(false);
    }
    expect(used.every((u) => u === 'here')).toBe(true);
    // two channels' checks one right after the other: the second and later go to another thread
    // (the checks' inputs are prepared first, so that nothing but the checks runs in between)
    const rounds = await Promise.all([10n, 11n, 12n].flatMap((r) => [half(2, r), half(3, r)]));
    const { good: g4 } = await half(4, 1n);
    const { good: g5 } = await half(5, 1n);
    quiet();
    used.length = 0;
    const answers = [];
    for (const { good, bad } of rounds) answers.push(await check(good, a!.address), await check(bad, a!.address));
    expect(answers).toEqual(rounds.flatMap(() => [true, false]));
    expect(used[0]).toBe('here');
    expect(used.slice(1)).toContain('off');
    // while a check is out on another thread, the next one goes too, whatever its channel
    used.length = 0;
    const out = check(g4, a!.address); // busy (channel 3's check came just before): handed over
    expect(await check(g5, a!.address)).toBe(true);
    expect(await out).toBe(true);
    expect(used).toEqual(['off', 'off']);
    // once the other channels are quiet for longer than the window, checks stay here again
    const { good: g6 } = await half(6, 1n);
    quiet();
    used.length = 0;
    expect(await check(g6, a!.address)).toBe(true);
    expect(used).toEqual(['here']);
  });
});
