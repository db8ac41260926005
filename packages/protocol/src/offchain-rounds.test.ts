import { describe, expect, it } from 'vitest';
import { OFFCHAIN_ROUNDS, isOffchainRound, offchainRound, offchainRoundOfMethod, offchainRoundOfUpdates } from './offchain-rounds.js';
import { depositUpdates, transferUpdates } from './round-updates.js';
import { initiator, responder, stranger } from './test-fixtures.js';

describe('the off-chain round kinds', () => {
  it('name each kind by its client method, and nothing else', () => {
    expect(offchainRoundOfMethod('channels.update.new')).toBe('transfer');
    for (const method of ['channels.deposit', 'channels.update.new_contract', 'channels.update', 'constructor', '']) {
      expect(offchainRoundOfMethod(method)).toBeUndefined();
    }
    expect(isOffchainRound('transfer')).toBe(true);
    // Only the registry's own keys, not what every object inherits.
    for (const name of ['deposit', 'toString', '__proto__', 'hasOwnProperty']) expect(isOffchainRound(name)).toBe(false);
    for (const [name, round] of Object.entries(OFFCHAIN_ROUNDS)) expect(round.method.signTag, name).toBe('update');
  });

  it('a transfer: the request of its params and back, and the node’s refusal (1003) of any account but the two participants', () => {
    const transfer = offchainRound('transfer');
    const request = transfer.request({ from: initiator, to: responder, amount: 10, meta: ['m'], block_hash: 'kh_x' });
    expect(request).toEqual({ from: initiator, to: responder, amount: 10n, meta: ['m'] });
    expect(transfer.params(request)).toEqual({ from: initiator, to: responder, amount: 10n, meta: ['m'] });
    expect(transfer.request({ from: initiator, to: responder, amount: 2n ** 70n }).amount).toBe(2n ** 70n);
    const both = [initiator, responder];
    expect(transfer.refusal(request, both)).toBeUndefined();
    expect(transfer.refusal({ from: responder, to: initiator, amount: 1n }, both)).toBeUndefined();
    expect(transfer.refusal({ from: initiator, to: initiator, amount: 1n }, both)).toBe(1003);
    expect(transfer.refusal({ from: stranger, to: responder, amount: 1n }, both)).toBe(1003);
    expect(transfer.refusal({ from: initiator, to: stranger, amount: 1n }, both)).toBe(1003);
    // A channel whose responder is not known yet: nobody is a participant but the initiator.
    expect(transfer.refusal(request, [initiator, undefined])).toBe(1003);
    expect(transfer.updates(request)).toEqual(transferUpdates(request));
  });

  it('tell the request behind a kept proposal from its updates, and refuse what no kind builds', () => {
    const withMeta = { from: initiator, to: responder, amount: 5n, meta: ['a', 'ü'] };
    expect(offchainRoundOfUpdates(transferUpdates(withMeta))).toEqual({ kind: 'transfer', request: withMeta });
    const plain = { from: responder, to: initiator, amount: 1n };
    expect(offchainRoundOfUpdates(transferUpdates(plain))).toEqual({ kind: 'transfer', request: plain });
    const [t, m] = transferUpdates(withMeta);
    const hostile = [
      [], // nothing
      [m!], // meta alone
      [m!, t!], // meta first
      [t!, t!], // two transfers in one round: the node makes one
      [t!, m!, t!], // a transfer after the meta
      depositUpdates({ account: initiator, amount: 1n }), // another kind's round
      [t!, { tag: 'channel_offchain_update_meta', version: 2, data: new Uint8Array([0xff, 0xfe]) }], // meta that is no UTF-8 text
    ] as const;
    for (const updates of hostile) expect(offchainRoundOfUpdates(updates)).toBeUndefined();
  });
});
