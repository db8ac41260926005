import {
  AESC_ERROR__CHANNEL_API__MALFORMED_MESSAGE,
  AESC_ERROR__CHANNEL_API__UNKNOWN_EVENT,
  AESC_ERROR__CHANNEL_API__UNKNOWN_METHOD,
} from '@aesc/errors';
import { parseJson } from '@aesc/rpc';
import { frameChannelError as frameError, frameChannelNotification as frameNotification } from './node-frames.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateNodeMessage } from './validate-node-message.js';

const codeOf = (msg: unknown) => {
  const r = validateNodeMessage(msg);
  return r.ok ? r.value.kind : r.error.code;
};

describe('validateNodeMessage', () => {
  it('accepts node frames and discriminates them', () => {
    expect(codeOf(parseJson(frameNotification('channels.info', { event: 'open' })))).toBe('notification');
    expect(
      codeOf(parseJson(frameError({ code: 3, message: 'Rejected', data: [{ code: 1008, message: 'Not a number' }], request: {} }))),
    ).toBe('error');
  });

  it('flags unknown methods and events, wrong messages and malformed frames', () => {
    expect(codeOf(parseJson(frameNotification('channels.info', { event: 'party' })))).toBe(AESC_ERROR__CHANNEL_API__UNKNOWN_EVENT);
    expect(codeOf(parseJson(frameNotification('channels.sign.nothing', {})))).toBe(AESC_ERROR__CHANNEL_API__UNKNOWN_METHOD);
    expect(codeOf(parseJson(frameNotification('channels.gossip', {})))).toBe(AESC_ERROR__CHANNEL_API__UNKNOWN_METHOD);
    expect(codeOf(parseJson(frameError({ code: 3, message: 'Nope' })))).toBe(AESC_ERROR__CHANNEL_API__MALFORMED_MESSAGE);
    expect(
      codeOf(parseJson(frameError({ code: 3, message: 'Rejected', data: [{ code: 1008, message: 'NaN' }] }))),
    ).toBe(AESC_ERROR__CHANNEL_API__MALFORMED_MESSAGE);
    expect(codeOf({ jsonrpc: '2.0', method: 'channels.info', params: {} })).toBe(AESC_ERROR__CHANNEL_API__MALFORMED_MESSAGE);
    expect(codeOf('x')).toBe(AESC_ERROR__CHANNEL_API__MALFORMED_MESSAGE);
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.anything(), fc.string(), (data, method) => {
        validateNodeMessage({ jsonrpc: '2.0', version: 1, method, params: { channel_id: null, data } });
        validateNodeMessage({ jsonrpc: '2.0', version: 1, method: 'channels.info', params: { channel_id: null, data } });
        validateNodeMessage({ jsonrpc: '2.0', version: 1, id: null, channel_id: null, error: data });
        validateNodeMessage(data);
      }),
      { numRuns: 500 },
    );
  });
});
