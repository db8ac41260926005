import { type AccountAddress, encodeApi } from '@aesc/encoding';
import {
  AESC_ERROR__STATE__ACCOUNT_NOT_FOUND,
  AESC_ERROR__STATE__INSUFFICIENT_BALANCE,
  AESC_ERROR__STATE__INVALID_PARTICIPANTS,
  AESC_ERROR__STATE__INVALID_UPDATE,
  AESC_ERROR__STATE__NEGATIVE_AMOUNT,
  AESC_ERROR__STATE__UPDATE_NEEDS_VM,
  aescErrorCodeOf,
} from '@aesc/errors';
import { describe, expect, it } from 'vitest';
import { accountBalance, newAccountValue, withAccountBalance } from './account.js';
import { mptPut } from './mpt.js';
import { applyUpdates, balanceOf, balancesOf, encodedOffchainStateHash, initialState } from './offchain-state.js';
import { type OffchainUpdate, packVmAbi, payerOf, splitVmAbi, updateFromJson, updateToJson } from './offchain-update.js';
import { withTree } from './tree-set.js';

// The seed channel of the corpus (abort_updates/sc_ws_abort_settle): its create tx carries this state hash.
const I = 'ak_mLjWgLbapr5CiVD2Q248aS2TQj9itXnoPv5tteXvZaJ8tdD2C' as AccountAddress;
const R = 'ak_26jAbCjYM16ppbhFG6PCQhv6HkwRAri7QNJfoEtb1R8amLscpt' as AccountAddress;
const SEED = { initiator: I, initiatorAmount: 70_000_000_000_000n, responder: R, responderAmount: 40_000_000_000_000n, pushAmount: 1n };

const transfer = (from: AccountAddress, to: AccountAddress, amount: bigint): OffchainUpdate => ({
  tag: 'channel_offchain_update_transfer',
  version: 1,
  from,
  to,
  amount,
});

const code = aescErrorCodeOf;

describe('off-chain state', () => {
  it('builds the initial state of the create tx (push moved to the responder)', () => {
    const s = initialState(SEED);
    expect(s.round).toBe(1n);
    expect(encodedOffchainStateHash(s)).toBe('st_ZP8IHNNsTxaYp/GakGy6MTXm8MnOngPkebqMLgn1uEbeZckq');
    expect(balancesOf(s.trees, [I, R, encodeApi('ak', new Uint8Array(32))])).toEqual([
      { account: I, balance: 69_999_999_999_999n },
      { account: R, balance: 40_000_000_000_001n },
    ]);
  });

  it('reproduces the corpus round 2 (transfer of 1) and leaves round 1 as it was', () => {
    const s1 = initialState(SEED);
    const s2 = applyUpdates(s1, [transfer(I, R, 1n)], { channelReserve: 2n });
    expect(s2.round).toBe(2n);
    // sc_ws_slash: the co-signed round 2, a transfer of 1 from the initiator; a meta update changes nothing.
    expect(encodedOffchainStateHash(s2)).toBe('st_pmJq1CPFri4Tx6sjPeMkKVJP5uTXrnGSB3mrLt0HQsodl+Ud');
    const meta = { tag: 'channel_offchain_update_meta', version: 2, data: new Uint8Array(3) } as const;
    expect(encodedOffchainStateHash(applyUpdates(s1, [transfer(I, R, 1n), meta]))).toBe(encodedOffchainStateHash(s2));
    expect(balanceOf(s2.trees, I)).toBe(69_999_999_999_998n);
    expect(encodedOffchainStateHash(s1)).toBe('st_ZP8IHNNsTxaYp/GakGy6MTXm8MnOngPkebqMLgn1uEbeZckq');
  });

  it('applies deposits and withdrawals to one account', () => {
    const s = initialState(SEED);
    const d = applyUpdates(s, [{ tag: 'channel_offchain_update_deposit', version: 1, from: R, amount: 10n }]);
    expect(balanceOf(d.trees, R)).toBe(40_000_000_000_011n);
    const w = applyUpdates(d, [{ tag: 'channel_offchain_update_withdraw', version: 1, to: I, amount: 9n }]);
    expect(balanceOf(w.trees, I)).toBe(69_999_999_999_990n);
  });

  it('refuses violations with coded errors', () => {
    const s = initialState({ initiator: I, initiatorAmount: 10n, responder: R, responderAmount: 5n });
    const apply = (u: OffchainUpdate, reserve = 2n) => () => applyUpdates(s, [u], { channelReserve: reserve });
    expect(code(apply(transfer(I, R, 9n)))).toBe(AESC_ERROR__STATE__INSUFFICIENT_BALANCE);
    expect(code(apply(transfer(I, R, 8n)))).toBeUndefined();
    expect(code(apply(transfer(I, R, 10n), 0n))).toBeUndefined();
    expect(code(apply(transfer(I, R, 11n), 0n))).toBe(AESC_ERROR__STATE__INSUFFICIENT_BALANCE);
    expect(code(apply(transfer(I, R, -1n)))).toBe(AESC_ERROR__STATE__NEGATIVE_AMOUNT);
    const stranger = encodeApi('ak', new Uint8Array(32).fill(3));
    expect(code(apply(transfer(I, stranger, 1n)))).toBe(AESC_ERROR__STATE__ACCOUNT_NOT_FOUND);
    expect(code(apply(transfer(stranger, I, 1n)))).toBe(AESC_ERROR__STATE__ACCOUNT_NOT_FOUND);
    expect(code(apply({ tag: 'channel_offchain_update_withdraw', version: 1, to: R, amount: 4n }))).toBe(
      AESC_ERROR__STATE__INSUFFICIENT_BALANCE,
    );
    expect(code(apply({ tag: 'channel_offchain_update_deposit', version: 1, from: R, amount: -4n }))).toBe(
      AESC_ERROR__STATE__NEGATIVE_AMOUNT,
    );
    const call = updateFromJson({
      op: 'OffChainCallContract',
      caller_id: I,
      contract_id: encodeApi('ct', new Uint8Array(32)),
      abi_version: 3,
      amount: 1,
      gas: 1_000_000,
      gas_price: 1,
      call_data: encodeApi('cb', new Uint8Array(2)),
      call_stack: [],
    });
    expect(code(apply(call))).toBe(AESC_ERROR__STATE__UPDATE_NEEDS_VM);
    expect(code(() => initialState({ ...SEED, responder: I }))).toBe(AESC_ERROR__STATE__INVALID_PARTICIPANTS);
    expect(code(() => initialState({ ...SEED, pushAmount: 80_000_000_000_000n }))).toBe(AESC_ERROR__STATE__NEGATIVE_AMOUNT);
    expect(code(() => updateFromJson({ op: 'OffChainTransfer', from: I, to: R, amount: '1' }))).toBe(AESC_ERROR__STATE__INVALID_UPDATE);
    expect(code(() => updateFromJson({ op: 'Nope' }))).toBe(AESC_ERROR__STATE__INVALID_UPDATE);
  });

  it('prunes the calls tree at every round, as the node does', () => {
    const s = initialState(SEED);
    const withCall = { ...s, trees: withTree(s.trees, 'calls', mptPut(s.trees.calls, new Uint8Array(64).fill(1), Uint8Array.of(1))) };
    expect(encodedOffchainStateHash(withCall)).not.toBe(encodedOffchainStateHash(s));
    expect(encodedOffchainStateHash(applyUpdates(withCall, []))).toBe(encodedOffchainStateHash(applyUpdates(s, [])));
  });

  it('converts updates from and to their JSON-RPC form', () => {
    const json = [
      { op: 'OffChainTransfer', from: I, to: R, amount: 1n },
      { op: 'OffChainDeposit', from: I, amount: 2n },
      { op: 'OffChainWithdrawal', to: R, amount: 3n },
      { op: 'OffChainMeta', data: 'hello' },
      {
        op: 'OffChainNewContract',
        owner: I,
        vm_version: 7n,
        abi_version: 3n,
        code: encodeApi('cb', Uint8Array.of(1, 2)),
        deposit: 10n,
        call_data: encodeApi('cb', Uint8Array.of(3)),
      },
    ] as const;
    for (const j of json) expect(updateToJson(updateFromJson(j))).toEqual(j);
    expect(updateFromJson({ op: 'OffChainTransfer', from: I, to: R, amount: 5 })).toMatchObject({ amount: 5n });
    expect(packVmAbi(7n, 3n)).toBe(0x70003n);
    expect(packVmAbi(1n, 1n)).toBe(1n);
    expect(splitVmAbi(0x70003n)).toEqual({ vm: 7n, abi: 3n });
    expect(splitVmAbi(1n)).toEqual({ vm: 1n, abi: 1n });
  });

  it('keeps every field of an account but the balance', () => {
    const v1 = newAccountValue(5n);
    expect(accountBalance(withAccountBalance(v1, 0n))).toBe(0n);
    expect(withAccountBalance(v1, 5n)).toEqual(v1);
  });
});

describe('payerOf', () => {
  it('names the account whose coins each update type moves, and none for meta', () => {
    const cb = encodeApi('cb', new Uint8Array([1])) as `cb_${string}`;
    const ct = encodeApi('ct', new Uint8Array(32).fill(9)) as `ct_${string}`;
    const cases: [OffchainUpdate, AccountAddress | undefined][] = [
      [{ tag: 'channel_offchain_update_transfer', version: 1, from: I, to: R, amount: 1n }, I],
      [{ tag: 'channel_offchain_update_deposit', version: 1, from: R, amount: 1n }, R],
      [{ tag: 'channel_offchain_update_withdraw', version: 1, to: I, amount: 1n }, I],
      [{ tag: 'channel_offchain_update_create_contract', version: 1, owner: R, ctVersion: 1n, code: cb, deposit: 1n, callData: cb }, R],
      [
        { tag: 'channel_offchain_update_call_contract', version: 1, caller: I, contract: ct, abiVersion: 1n, amount: 1n, gas: 1n, gasPrice: 1n, callData: cb, callStack: [] },
        I,
      ],
      [{ tag: 'channel_offchain_update_meta', version: 2, data: new Uint8Array() }, undefined],
    ];
    for (const [update, payer] of cases) expect(payerOf(update), update.tag).toBe(payer);
  });
});
