import { type AccountAddress, type SignedTx, encodeApi } from '@aesc/encoding';
import { describe, expect, it } from 'vitest';
import { innerTx } from './inner-tx.js';
import { account, channelId, unsigned } from './test-fixtures.js';

const offchain = unsigned({ tag: 'channel_offchain_tx', version: 2, channelId, round: 5n, stateHash: encodeApi('st', new Uint8Array(32)) });
const meta = (gaId: AccountAddress, tx: SignedTx): SignedTx =>
  unsigned({ tag: 'ga_meta_tx', version: 2, gaId, authData: encodeApi('cb', new Uint8Array([1])), abiVersion: 1n, fee: 1n, gas: 1n, gasPrice: 1n, tx });

describe('innerTx', () => {
  it('is the signed tx itself when no generalized-account meta tx wraps it', () => {
    expect(innerTx(offchain)).toEqual({ signed: offchain, tx: offchain.tx });
    expect('generalized' in innerTx(offchain)).toBe(false);
  });

  it('takes off every meta tx and names the account of the outermost one', () => {
    const wrapped = meta(account(9), meta(account(8), offchain));
    const inner = innerTx(wrapped);
    expect(inner.signed).toBe(offchain);
    expect(inner.tx).toBe(offchain.tx);
    expect(inner.generalized).toBe(account(9));
  });
});
