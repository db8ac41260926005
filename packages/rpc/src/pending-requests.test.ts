import { AESC_ERROR__RPC__CONNECTION_CLOSED, AESC_ERROR__RPC__INVALID_MESSAGE, AESC_ERROR__RPC__REMOTE_ERROR, AESC_ERROR__RPC__UNMATCHED_ERROR, AescError } from '@aesc/errors';
import { describe, expect, it } from 'vitest';
import { parseFrame } from './frame.js';
import { idKey } from './json-rpc.js';
import { PendingRequests, type RpcIncoming } from './pending-requests.js';

/** A settle pair that records what it was settled with. */
function recorder() {
  const got: { resolved?: unknown; rejected?: unknown; times: number } = { times: 0 };
  return {
    got,
    settle: {
      resolve: (v: unknown) => {
        got.times++;
        got.resolved = v;
      },
      reject: (e: unknown) => {
        got.times++;
        got.rejected = e;
      },
    },
  };
}

/** Feeds one frame's messages to the table; returns what answered nothing. */
function feed(table: PendingRequests, text: string): RpcIncoming[] {
  const frame = parseFrame(text);
  if (!frame.ok) throw frame.error;
  return frame.messages.flatMap((m) => table.answer(m) ?? []);
}

const code = (e: unknown) => (e instanceof AescError ? e.code : undefined);

describe('PendingRequests', () => {
  it('settles an id-ful request once by its id (a bigint beyond 2^53 included); a second answer is handed back', () => {
    const t = new PendingRequests();
    const r = recorder();
    const id = 2n ** 60n + 1n;
    t.addById(idKey(id), 'm', r.settle);
    expect(feed(t, `{"jsonrpc":"2.0","id":${id},"result":{"n":18446744073709551617}}`)).toEqual([]);
    expect(r.got).toEqual({ times: 1, resolved: { n: 18446744073709551617n } });
    const again = feed(t, `{"jsonrpc":"2.0","id":${id},"result":1}`);
    expect(again.map((m) => m.kind === 'error' && m.error.code)).toEqual([AESC_ERROR__RPC__INVALID_MESSAGE]);
    expect(r.got.times).toBe(1);
    expect(t.hasId(idKey(id))).toBe(false);
  });

  it('rejects an id-ful request with the remote error, and hands back an error for an id nobody waits on', () => {
    const t = new PendingRequests();
    const r = recorder();
    t.addById(idKey(7), 'channels.update.new', r.settle);
    expect(feed(t, '{"jsonrpc":"2.0","id":7,"error":{"code":-32602,"message":"Invalid params"}}')).toEqual([]);
    expect(code(r.got.rejected)).toBe(AESC_ERROR__RPC__REMOTE_ERROR);
    expect((r.got.rejected as AescError).context).toMatchObject({ method: 'channels.update.new', code: -32602 });
    const unmatched = feed(t, '{"jsonrpc":"2.0","id":8,"error":{"code":-32602,"message":"Invalid params"}}');
    expect(unmatched.map((m) => m.kind === 'error' && m.error.code)).toEqual([AESC_ERROR__RPC__UNMATCHED_ERROR]);
  });

  it('matches an id-less request by its reply notification, or by an error echoing its method and params in any key order', () => {
    const t = new PendingRequests();
    const byReply = recorder();
    const byError = recorder();
    t.addIdless('channels.get.balances', { accounts: ['ak_1'] }, 'channels.get.balances.reply', byReply.settle);
    t.addIdless('channels.get.poi', { accounts: ['ak_1'], contracts: [] }, 'channels.get.poi.reply', byError.settle);
    // an echo with other params is not this request's
    const other = feed(t, '{"jsonrpc":"2.0","id":null,"error":{"code":3,"message":"x","request":{"method":"channels.get.poi","params":{"accounts":["ak_2"],"contracts":[]}}}}');
    expect(other.map((m) => m.kind)).toEqual(['error']);
    expect(byError.got.times).toBe(0);
    feed(t, '{"jsonrpc":"2.0","id":null,"error":{"code":3,"message":"x","request":{"method":"channels.get.poi","params":{"contracts":[],"accounts":["ak_1"]}}}}');
    expect(code(byError.got.rejected)).toBe(AESC_ERROR__RPC__REMOTE_ERROR);
    const stray = feed(t, '{"jsonrpc":"2.0","method":"channels.info","params":{"data":{"event":"open"}}}');
    expect(stray).toMatchObject([{ kind: 'notification', method: 'channels.info' }]);
    feed(t, '{"jsonrpc":"2.0","method":"channels.get.balances.reply","params":[1]}');
    expect(byReply.got).toEqual({ times: 1, resolved: [1] });
  });

  it('stops waiting when told to: the answer then goes to the listeners', () => {
    const t = new PendingRequests();
    const r = recorder();
    const stop = t.addIdless('m', undefined, 'm.reply', r.settle);
    const stopId = t.addById(idKey(1), 'n', r.settle);
    stop();
    stopId();
    expect(feed(t, '{"jsonrpc":"2.0","method":"m.reply","params":{}}').map((m) => m.kind)).toEqual(['notification']);
    expect(feed(t, '{"jsonrpc":"2.0","id":1,"result":0}').map((m) => m.kind)).toEqual(['error']);
    expect(r.got.times).toBe(0);
  });

  it('rejects everything that waits, id-ful requests first, and forgets it', () => {
    const t = new PendingRequests();
    const order: string[] = [];
    const settle = (name: string) => ({ resolve: () => order.push(`resolved ${name}`), reject: () => order.push(name) });
    t.addIdless('idless', undefined, 'idless.reply', settle('idless'));
    t.addById(idKey(1), 'one', settle('one'));
    t.addById(idKey(2), 'two', settle('two'));
    t.rejectAll((method) => new AescError(AESC_ERROR__RPC__CONNECTION_CLOSED, { code: 1006, reason: method }));
    expect(order).toEqual(['one', 'two', 'idless']);
    expect(t.hasId(idKey(1))).toBe(false);
    t.rejectAll(() => new AescError(AESC_ERROR__RPC__CONNECTION_CLOSED, { code: 1006, reason: '' }));
    expect(order).toHaveLength(3);
  });
});
