import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir } from '@aesc/corpus';
import { type JsonRpcId, parseJson, sortKeysDeep, stringifyJson } from '@aesc/rpc';
import { describe, expect, it } from 'vitest';
import { frameChannelError, frameChannelNotification, frameChannelResult } from '../src/node-frames.js';

describe('the node\'s envelope', () => {
  it('writes frames with the node key order', () => {
    expect(frameChannelResult(-576460752303421693n, 'ok', 'ch_x')).toBe(
      '{"channel_id":"ch_x","id":-576460752303421693,"jsonrpc":"2.0","result":"ok","version":1}',
    );
    expect(frameChannelNotification('channels.info', { event: 'fsm_up', fsm_id: 'ba_x' }, null)).toBe(
      '{"jsonrpc":"2.0","method":"channels.info","params":{"channel_id":null,"data":{"event":"fsm_up","fsm_id":"ba_x"}},"version":1}',
    );
    expect(
      frameChannelError({
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
    expect(frameChannelError({ code: -32700 })).toBe(
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
          framed = frameChannelNotification(m.method as string, p.data, p.channel_id);
        } else if ('result' in m) framed = frameChannelResult(m.id, m.result, m.channel_id);
        else {
          const e = m.error as { code: number; message: string; data?: unknown; request?: unknown };
          framed = frameChannelError({ id: m.id, channelId: m.channel_id, ...e });
        }
        expect(framed).toBe(original);
        expect(stringifyJson(sortKeysDeep(m))).toBe(original);
        n++;
      }
    }
    expect(n).toBe(17273);
  });
});
