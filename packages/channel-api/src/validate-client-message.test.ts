import {
  AESC_ERROR__CHANNEL_API__INVALID_PARAMS,
  AESC_ERROR__CHANNEL_API__MALFORMED_MESSAGE,
  AESC_ERROR__CHANNEL_API__UNKNOWN_METHOD,
  isAescError,
} from '@aesc/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLIENT_METHODS } from './client-methods.js';
import { SIGN_REPLY_METHODS, SIGN_TAGS } from './sign-tags.js';
import { validateClientMessage } from './validate-client-message.js';

const ALICE = 'ak_mLjWgLbapr5CiVD2Q248aS2TQj9itXnoPv5tteXvZaJ8tdD2C';
const CONTRACT = 'ct_2Gtzj89e5eGzi1fMxRpRYSRA5zRuz844ZuYECfVYTqguQeTpze';
const rq = (method: string, params?: unknown, id?: unknown) => ({
  jsonrpc: '2.0',
  ...(id === undefined ? {} : { id }),
  method,
  ...(params === undefined ? {} : { params }),
});

function nodeAnswer(msg: unknown) {
  const r = validateClientMessage(msg);
  if (r.ok) return 'valid';
  if (isAescError(r.error, AESC_ERROR__CHANNEL_API__INVALID_PARAMS)) {
    return { rpc: r.error.context.rpcCode, data: r.error.context.nodeCodes, param: r.error.context.param };
  }
  return r.error.code;
}

describe('validateClientMessage', () => {
  it('accepts well-formed messages and types them by method', () => {
    const r = validateClientMessage(rq('channels.update.new', { from: ALICE, to: ALICE, amount: 10000000000000000n }));
    expect(r.ok).toBe(true);
    if (r.ok && r.value.method === 'channels.update.new') expect(r.value.params.amount).toBe(10000000000000000n);
    expect(nodeAnswer(rq('channels.shutdown'))).toBe('valid');
    expect(nodeAnswer(rq('channels.deposit', { amount: 2, fee: '20000', meta: ['x'] }))).toBe('valid');
    expect(nodeAnswer(rq('channels.system', { action: 'ping' }, -576460752303423488n))).toBe('valid');
    expect(nodeAnswer(rq('channels.update', { error: 42 }))).toBe('valid');
    expect(nodeAnswer(rq('channels.slash_sign', { error: '300' }))).toBe('valid');
  });

  it('says what the node answers for invalid params', () => {
    expect(nodeAnswer(rq('channels.deposit', { amount: '2' }))).toEqual({ rpc: 3, data: [1008], param: 'amount' });
    expect(nodeAnswer(rq('channels.update.new', { from: 'ABCDEF', to: ALICE, amount: 1 }))).toMatchObject({ data: [1005] });
    expect(nodeAnswer(rq('channels.update.new', { from: ALICE, to: ALICE, amount: -1 }))).toMatchObject({ data: [1002] });
    expect(nodeAnswer(rq('channels.update.new', { from: ALICE, to: ALICE, amount: 1, meta: 17 }))).toMatchObject({ data: [1014] });
    expect(
      nodeAnswer(rq('channels.get.contract_call', { contract_id: 'x', caller_id: 'y', round: 2 })),
    ).toMatchObject({ data: [1006, 1005] });
    expect(
      nodeAnswer(rq('channels.update.call_contract', { contract_id: CONTRACT, abi_version: 1, amount: 1, call_data: 'nope' })),
    ).toMatchObject({ data: [1009] });
    expect(nodeAnswer(rq('channels.update.new', { from: ALICE, amount: 1 }))).toMatchObject({ rpc: -32601, param: 'to' });
    expect(nodeAnswer(rq('channels.system', { action: 'dance' }))).toMatchObject({ rpc: -32601 });
    expect(nodeAnswer(rq('channels.update', { error: 0 }))).toMatchObject({ rpc: -32603, param: 'error' });
    expect(nodeAnswer(rq('channels.update', { signed_tx: 'tx_broken' }))).toMatchObject({ data: [1010] });
    expect(nodeAnswer(rq('channels.withdraw', { amount: 1, fee: 'lots' }))).toMatchObject({ rpc: -32603, param: 'fee' });
  });

  it('flags malformed messages and unknown methods with codes', () => {
    expect(nodeAnswer(null)).toBe(AESC_ERROR__CHANNEL_API__MALFORMED_MESSAGE);
    expect(nodeAnswer({ method: 'channels.leave' })).toBe(AESC_ERROR__CHANNEL_API__MALFORMED_MESSAGE);
    expect(nodeAnswer(rq('channels.leave', [1]))).toBe(AESC_ERROR__CHANNEL_API__MALFORMED_MESSAGE);
    expect(nodeAnswer(rq('channels.leave', {}, { x: 1 }))).toBe(AESC_ERROR__CHANNEL_API__MALFORMED_MESSAGE);
    expect(nodeAnswer(rq('channels.set_delegates', {}))).toBe(AESC_ERROR__CHANNEL_API__UNKNOWN_METHOD);
  });

  it('never throws, whatever it is given', () => {
    const methods = [...Object.keys(CLIENT_METHODS), ...Object.keys(SIGN_REPLY_METHODS), 'x'];
    fc.assert(
      fc.property(fc.constantFrom(...methods), fc.anything(), fc.jsonValue(), (method, params, any) => {
        validateClientMessage(rq(method, params));
        validateClientMessage(any);
      }),
      { numRuns: 500 },
    );
  });

  it('lists a reply method for every sign tag', () => {
    for (const [tag, spec] of Object.entries(SIGN_TAGS)) {
      expect(spec.replies.length, tag).toBeGreaterThan(0);
      for (const m of spec.replies) expect(SIGN_REPLY_METHODS[m], m).toBe(spec.fsmTag);
    }
    expect(SIGN_TAGS.slash_tx.replies).toContain('channels.slash_sign');
  });
});
