import { channelIdFromCreateTx } from '@aesc/crypto';
import { type ChannelId, type SignedTx, type Transaction, decodeTx, encodeApi } from '@aesc/encoding';
import { describe, expect, it } from 'vitest';
import { accountsP, createTx, spendTx } from './fixtures.js';
import { devGenesis } from '../src/genesis.js';
import { type LedgerState, applyTx, emptyLedger, getAccount, getChannel, ledgerStateHash, putAccount } from '../src/ledger.js';
import { defaultRules } from '../src/protocol.js';
import { TxRejection } from '../src/tx-rejection.js';

const rules = defaultRules();
const env = { height: 1n, rules };

async function genesis(): Promise<LedgerState> {
  let s = emptyLedger();
  for (const a of devGenesis(await accountsP)) s = putAccount(s, a.address, { nonce: a.nonce, balance: a.balance });
  return s;
}

function reason(f: () => unknown): string {
  try {
    f();
    return 'accepted';
  } catch (e) {
    if (e instanceof TxRejection) return e.reason;
    throw e;
  }
}

const alter = (s: SignedTx, changes: Partial<Record<string, unknown>>): SignedTx => ({ ...s, tx: { ...s.tx, ...changes } as Transaction });

describe('ledger rules', () => {
  it('spend: moves the amount, burns the fee, bumps the nonce, creates the recipient', async () => {
    const s0 = await genesis();
    const [a] = await accountsP;
    const fresh = encodeApi('ak', new Uint8Array(32).fill(9));
    const tx = decodeTx(await spendTx(a!, fresh, 5n, 1n));
    const { state } = applyTx(s0, tx, env);
    const fee = (tx.tx as { fee: bigint }).fee;
    expect(getAccount(state, a!.address)).toEqual({ nonce: 1n, balance: 10n ** 24n - 5n - fee });
    expect(getAccount(state, fresh)).toEqual({ nonce: 0n, balance: 5n });
    expect(ledgerStateHash(state)).not.toEqual(ledgerStateHash(s0));
    expect(reason(() => applyTx(s0, alter(tx, { amount: 10n ** 25n }), env))).toBe('insufficient_funds');
    expect(reason(() => applyTx(s0, alter(tx, { ttl: 1n }), { height: 2n, rules }))).toBe('ttl_expired');
    expect(reason(() => applyTx(s0, alter(tx, { senderId: fresh }), env))).toBe('account_not_found');
  });

  it('create: protocol versions, reserve, the channel object v3', async () => {
    const s0 = await genesis();
    const [, , c, d] = await accountsP;
    const signed = decodeTx(await createTx(c!, d!, 1n));
    const id = channelIdFromCreateTx(signed) as ChannelId;
    const { state, channelId } = applyTx(s0, signed, env);
    expect(channelId).toBe(id);
    expect(getChannel(state, id)).toMatchObject({ version: 3, channelAmount: 2n * 10n ** 18n, round: 1n, lockedUntil: 0n, initiatorDelegateIds: [], responderDelegateIds: [] });
    expect(reason(() => applyTx(s0, signed, { height: 1n, rules: defaultRules({ protocol: 'iris' }) }))).toBe('accepted');
    expect(reason(() => applyTx(s0, alter(signed, { channelReserve: 10n ** 19n }), env))).toBe('insufficient_initiator_amount');
    expect(reason(() => applyTx(s0, alter(signed, { responderId: c!.address }), env))).toBe('initiator_is_responder');
    expect(reason(() => applyTx(s0, alter(signed, { initiatorAmount: 10n ** 25n }), env))).toBe('insufficient_funds');
  });
});
