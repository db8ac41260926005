import { type Transaction, encodeApi } from '@aesc/encoding';
import {
  AESC_ERROR__CHANNEL__STATE_HASH_MISMATCH,
  AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH,
  AESC_ERROR__CHANNEL__UNEXPECTED_TX_TYPE,
  aescErrorCodeOf,
} from '@aesc/errors';
import { balanceOf, encodedOffchainStateHash } from '@aesc/state';
import { describe, expect, it } from 'vitest';
import { checkCreateTx, createTx, openingState } from './create-tx.js';
import { account, initiator, responder, terms } from './test-fixtures.js';

const pushed = { ...terms, pushAmount: 50n };
const opening = openingState(pushed);
const fields = { ttl: 0n, nonce: 1n, stateHash: encodedOffchainStateHash(opening), version: 2 } as const;
const v2 = createTx(pushed, fields, 20_000n);
const v1 = createTx(pushed, { ...fields, version: 1 }, 20_000n);
const code = (tx: Transaction) => aescErrorCodeOf(() => checkCreateTx(tx, pushed));

describe('the create tx', () => {
  it('is built with the agreed terms and no delegates, and checked back to the opening state', () => {
    expect(v2).toMatchObject({ tag: 'channel_create_tx', version: 2, initiatorId: initiator, responderId: responder, initiatorAmount: 700n, responderAmount: 400n, channelReserve: 2n, lockPeriod: 10n, fee: 20_000n, initiatorDelegateIds: [], responderDelegateIds: [] });
    expect(v1).toMatchObject({ version: 1, delegateIds: [] });
    for (const tx of [v1, v2]) {
      const state = checkCreateTx(tx, pushed);
      expect(state.round).toBe(1n);
      expect(balanceOf(state.trees, initiator)).toBe(650n);
      expect(balanceOf(state.trees, responder)).toBe(450n);
    }
  });

  it('refuses every field that differs from the terms, a delegate, and the state hash of another push amount', () => {
    expect(code({ ...v2, tag: 'channel_deposit_tx' } as unknown as Transaction)).toBe(AESC_ERROR__CHANNEL__UNEXPECTED_TX_TYPE);
    for (const [field, value] of [
      ['initiatorId', account(5)],
      ['responderId', account(5)],
      ['initiatorAmount', 701n],
      ['responderAmount', 399n],
      ['channelReserve', 3n],
      ['lockPeriod', 1n],
      ['initiatorDelegateIds', [account(5)]],
      ['responderDelegateIds', [account(5)]],
    ] as const) {
      expect(code({ ...v2, [field]: value } as Transaction), field).toBe(AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH);
    }
    expect(code({ ...v1, delegateIds: [account(5)] } as Transaction)).toBe(AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH);
    expect(code({ ...v2, stateHash: encodedOffchainStateHash(openingState(terms)) })).toBe(AESC_ERROR__CHANNEL__STATE_HASH_MISMATCH);
    expect(code({ ...v2, stateHash: encodeApi('st', new Uint8Array(32)) })).toBe(AESC_ERROR__CHANNEL__STATE_HASH_MISMATCH);
  });
});
