import { describe, expect, it } from 'vitest';
import { depositUpdates, metaTexts, metaUpdates, transferUpdates, withdrawUpdates } from './round-updates.js';
import { sameUpdates } from './same-updates.js';
import { initiator, responder } from './test-fixtures.js';

const utf8 = new TextEncoder();

describe('the updates of a round', () => {
  it('a transfer: the transfer, then one version 2 meta update per string, in order', () => {
    expect(transferUpdates({ from: initiator, to: responder, amount: 10n })).toEqual([
      { tag: 'channel_offchain_update_transfer', version: 1, from: initiator, to: responder, amount: 10n },
    ]);
    expect(transferUpdates({ from: responder, to: initiator, amount: 1n, meta: ['a', 'ü'] })).toEqual([
      { tag: 'channel_offchain_update_transfer', version: 1, from: responder, to: initiator, amount: 1n },
      { tag: 'channel_offchain_update_meta', version: 2, data: utf8.encode('a') },
      { tag: 'channel_offchain_update_meta', version: 2, data: utf8.encode('ü') },
    ]);
    expect(metaUpdates(undefined)).toEqual([]);
    expect(metaUpdates([])).toEqual([]);
  });

  it('a deposit or withdrawal: of the participant’s own account, then its meta updates', () => {
    expect(depositUpdates({ account: initiator, amount: 3n, meta: ['x'] })).toEqual([
      { tag: 'channel_offchain_update_deposit', version: 1, from: initiator, amount: 3n },
      { tag: 'channel_offchain_update_meta', version: 2, data: utf8.encode('x') },
    ]);
    expect(withdrawUpdates({ account: responder, amount: 4n })).toEqual([{ tag: 'channel_offchain_update_withdraw', version: 1, to: responder, amount: 4n }]);
  });

  it('metaTexts reads back the strings of meta updates, and refuses a list with any other update', () => {
    expect(metaTexts(metaUpdates(['a', 'ü', '']))).toEqual(['a', 'ü', '']);
    expect(metaTexts([])).toEqual([]);
    // hostile: a transfer among the metas, or first; bytes that are no UTF-8 text
    const transfer = transferUpdates({ from: initiator, to: responder, amount: 1n });
    expect(metaTexts([...metaUpdates(['a']), ...transfer])).toBeUndefined();
    expect(metaTexts([...transfer, ...metaUpdates(['a'])])).toBeUndefined();
    expect(metaTexts([{ tag: 'channel_offchain_update_meta', version: 2, data: new Uint8Array([0xff, 0x61]) }])).toEqual(['\uFFFDa']);
  });

  it('sameUpdates compares updates byte for byte, in order', () => {
    const a = transferUpdates({ from: initiator, to: responder, amount: 10n, meta: ['m'] });
    expect(sameUpdates(a, transferUpdates({ from: initiator, to: responder, amount: 10n, meta: ['m'] }))).toBe(true);
    expect(sameUpdates(a, transferUpdates({ from: initiator, to: responder, amount: 11n, meta: ['m'] }))).toBe(false);
    expect(sameUpdates(a, transferUpdates({ from: initiator, to: responder, amount: 10n, meta: ['n'] }))).toBe(false);
    expect(sameUpdates(a, transferUpdates({ from: initiator, to: responder, amount: 10n }))).toBe(false);
    expect(sameUpdates(a, [...a].reverse())).toBe(false);
    expect(sameUpdates([], [])).toBe(true);
  });
});
