import { AESC_ERROR__RPC__INVALID_MESSAGE, AESC_ERROR__RPC__MALFORMED_FRAME } from '@aesc/errors';
import { describe, expect, it } from 'vitest';
import { frameError, frameNotification, frameResult, parseFrame } from '../src/frame.js';

describe('parseFrame', () => {
  it('classifies requests, notifications, results and errors, batches included', () => {
    const f = parseFrame(
      '[{"jsonrpc":"2.0","id":-576460752303423488,"method":"m"},{"jsonrpc":"2.0","method":"n"},' +
        '{"jsonrpc":"2.0","id":1,"result":"ok"},{"jsonrpc":"2.0","id":null,"error":{"code":3,"message":"Rejected"}}]',
    );
    expect(f.ok).toBe(true);
    if (!f.ok) return;
    expect(f.batch).toBe(true);
    expect(f.messages.map((m) => m.kind)).toEqual(['request', 'notification', 'result', 'error']);
    expect((f.messages[0]?.message as { id?: unknown } | undefined)?.id).toBe(-576460752303423488n);
  });

  it('never throws: malformed frames give coded errors and the JSON-RPC code to answer with', () => {
    const cases: [string, number, number][] = [
      ['{', AESC_ERROR__RPC__MALFORMED_FRAME, -32700],
      ['\u0000', AESC_ERROR__RPC__MALFORMED_FRAME, -32700],
      ['42', AESC_ERROR__RPC__INVALID_MESSAGE, -32000],
      ['[]', AESC_ERROR__RPC__INVALID_MESSAGE, -32000],
      ['{"method":"x"}', AESC_ERROR__RPC__INVALID_MESSAGE, -32000],
      ['{"jsonrpc":"2.0","method":7}', AESC_ERROR__RPC__INVALID_MESSAGE, -32000],
      ['{"jsonrpc":"2.0","id":{},"result":1}', AESC_ERROR__RPC__INVALID_MESSAGE, -32000],
      ['{"jsonrpc":"2.0","id":1,"error":"bad"}', AESC_ERROR__RPC__INVALID_MESSAGE, -32000],
      ['{"jsonrpc":"2.0","id":1}', AESC_ERROR__RPC__INVALID_MESSAGE, -32000],
      ['[{"jsonrpc":"2.0","method":"a"},null]', AESC_ERROR__RPC__INVALID_MESSAGE, -32000],
    ];
    for (const [text, code, rpcCode] of cases) {
      const f = parseFrame(text);
      expect(f.ok, text).toBe(false);
      if (f.ok) continue;
      expect(f.error.code, text).toBe(code);
      expect(f.rpcCode, text).toBe(rpcCode);
    }
  });
});

describe('framing', () => {
  it('writes frames with sorted keys and the envelope a protocol adds', () => {
    expect(frameResult(-576460752303421693n, 'ok')).toBe('{"id":-576460752303421693,"jsonrpc":"2.0","result":"ok"}');
    expect(frameResult(1, { b: 1, a: 2 }, { version: 1, channel_id: null })).toBe('{"channel_id":null,"id":1,"jsonrpc":"2.0","result":{"a":2,"b":1},"version":1}');
    expect(frameNotification('m', { z: 1, y: [2] })).toBe('{"jsonrpc":"2.0","method":"m","params":{"y":[2],"z":1}}');
    expect(frameError({ code: -32700 })).toBe('{"error":{"code":-32700,"message":"Parse error"},"id":null,"jsonrpc":"2.0"}');
    expect(frameError({ id: 7, code: 3, message: 'Rejected', data: [{ code: 1 }], request: {} }, { version: 1 })).toBe(
      '{"error":{"code":3,"data":[{"code":1}],"message":"Rejected","request":{}},"id":7,"jsonrpc":"2.0","version":1}',
    );
    // the envelope cannot replace the JSON-RPC members
    expect(frameResult(2, 'x', { jsonrpc: '1.0', id: 9, result: 'y' })).toBe('{"id":2,"jsonrpc":"2.0","result":"x"}');
  });
});
