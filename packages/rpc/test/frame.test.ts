import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir } from '@aesc/corpus';
import { AESC_ERROR__RPC__INVALID_MESSAGE, AESC_ERROR__RPC__MALFORMED_FRAME } from '@aesc/errors';
import { describe, expect, it } from 'vitest';
import { frameError, frameNotification, frameResult, parseFrame } from '../src/frame.js';
import { sortKeysDeep } from '../src/sorted-json.js';
import type { JsonRpcId } from '../src/json-rpc.js';
import { parseJson, stringifyJson } from '../src/lossless-json.js';

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

describe('node framing', () => {
  it('writes frames with the node key order', () => {
    expect(frameResult(-576460752303421693n, 'ok', 'ch_x')).toBe(
      '{"channel_id":"ch_x","id":-576460752303421693,"jsonrpc":"2.0","result":"ok","version":1}',
    );
    expect(frameNotification('channels.info', { event: 'fsm_up', fsm_id: 'ba_x' }, null)).toBe(
      '{"jsonrpc":"2.0","method":"channels.info","params":{"channel_id":null,"data":{"event":"fsm_up","fsm_id":"ba_x"}},"version":1}',
    );
    expect(
      frameError({
        code: 3,
        message: 'Rejected',
        data: [{ code: 1008, message: 'Not a number' }],
        request: { jsonrpc: '2.0', method: 'channels.deposit', params: { amount: '2' } },
        channelId: 'ch_x',
      }),
    ).toBe(
      '{"channel_id":"ch_x","error":{"code":3,"data":[{"code":1008,"message":"Not a number"}],"message":"Rejected",' +
        '"request":{"jsonrpc":"2.0","method":"channels.deposit","params":{"amount":"2"}}},"id":null,"jsonrpc":"2.0","version":1}',
    );
    expect(frameError({ code: -32700 })).toBe(
      '{"channel_id":null,"error":{"code":-32700,"message":"Parse error"},"id":null,"jsonrpc":"2.0","version":1}',
    );
  });

  it('reproduces every node frame of the corpus byte for byte', () => {
    // Read with this package's own lossless parser (ids beyond 2^53 must survive to be re-framed).
    const files = readdirSync(corpusDir(), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.json') && !f.endsWith('index.json'))
      .map((f) => join(corpusDir(), f));
    expect(files).toHaveLength(114);
    let n = 0;
    for (const file of files) {
      const t = parseJson(readFileSync(file, 'utf8')) as { steps: { kind: string; message?: unknown }[] };
      for (const step of t.steps) {
        if (step.kind !== 'recv') continue;
        const m = step.message as Record<string, unknown> & { id: JsonRpcId; channel_id: string | null };
        const original = stringifyJson(m);
        let framed: string;
        if ('method' in m) {
          const p = m.params as { channel_id: string | null; data: unknown };
          framed = frameNotification(m.method as string, p.data, p.channel_id);
        } else if ('result' in m) framed = frameResult(m.id, m.result, m.channel_id);
        else {
          const e = m.error as { code: number; message: string; data?: unknown; request?: unknown };
          framed = frameError({ id: m.id, channelId: m.channel_id, ...e });
        }
        expect(framed).toBe(original);
        expect(stringifyJson(sortKeysDeep(m))).toBe(original);
        n++;
      }
    }
    expect(n).toBe(17273);
  });
});
