import { AESC_ERROR__RPC__ABORTED, AESC_ERROR__RPC__CONNECTION_CLOSED, AESC_ERROR__RPC__TIMEOUT, aescErrorCodeOfAsync } from '@aesc/errors';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Settle } from './pending-requests.js';
import { requestFrame, sendRequest } from './send-request.js';
import type { Transport } from './transport.js';

afterEach(() => {
  vi.useRealTimers();
});

/** A transport that records what it sent (or throws on send). */
function transport(fail?: Error) {
  const sent: string[] = [];
  const t: Transport = {
    send: (text) => {
      if (fail) throw fail;
      sent.push(text);
    },
    close: () => undefined,
  };
  return { t, sent };
}

/** A register function that records its settle pair and whether the request stopped waiting. */
function registry() {
  const r: { settle?: Settle; registered: number; unregistered: number } = { registered: 0, unregistered: 0 };
  return {
    r,
    register: (settle: Settle) => {
      r.settle = settle;
      r.registered++;
      return () => {
        r.unregistered++;
      };
    },
  };
}

const open = () => Promise.resolve();
const never = () => new Promise<void>(() => undefined);

describe('sendRequest', () => {
  it('sends once the connection is open and resolves with the answer; stops waiting once settled', async () => {
    const { t, sent } = transport();
    const { r, register } = registry();
    const p = sendRequest<number>({ method: 'm', frame: () => requestFrame('m', { a: 1 }, 1), timeoutMs: 1000, register }, open, () => t);
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toBe('{"jsonrpc":"2.0","id":1,"method":"m","params":{"a":1}}');
    r.settle!.resolve(42);
    r.settle!.reject(new Error('late'));
    expect(await p).toBe(42);
    expect(r.unregistered).toBe(1);
  });

  it('a notification resolves once sent', async () => {
    const { t, sent } = transport();
    await expect(sendRequest<void>({ method: 'n', frame: () => requestFrame('n', undefined), timeoutMs: 1000 }, open, () => t)).resolves.toBeUndefined();
    expect(sent).toEqual(['{"jsonrpc":"2.0","method":"n"}']);
  });

  it('times out while waiting for the connection, never registering or sending', async () => {
    vi.useFakeTimers();
    const { t, sent } = transport();
    const { r, register } = registry();
    const p = sendRequest({ method: 'm', frame: () => 'x', timeoutMs: 50, register }, never, () => t);
    const code = aescErrorCodeOfAsync(() => p);
    await vi.advanceTimersByTimeAsync(50);
    expect(await code).toBe(AESC_ERROR__RPC__TIMEOUT);
    expect(r.registered).toBe(0);
    expect(sent).toEqual([]);
  });

  it('rejects with ABORTED when the signal aborts (before or while it waits), and stops waiting', async () => {
    const before = new AbortController();
    before.abort('gone');
    expect(await aescErrorCodeOfAsync(() => sendRequest({ method: 'm', frame: () => 'x', timeoutMs: 1000, signal: before.signal }, open, () => transport().t))).toBe(
      AESC_ERROR__RPC__ABORTED,
    );
    const { t } = transport();
    const { r, register } = registry();
    const during = new AbortController();
    const p = sendRequest({ method: 'm', frame: () => 'x', timeoutMs: 1000, signal: during.signal, register }, open, () => t);
    await vi.waitFor(() => expect(r.registered).toBe(1));
    during.abort();
    expect(await aescErrorCodeOfAsync(() => p)).toBe(AESC_ERROR__RPC__ABORTED);
    expect(r.unregistered).toBe(1);
  });

  it('rejects when the connection is gone once open, or when sending throws (and stops waiting)', async () => {
    expect(await aescErrorCodeOfAsync(() => sendRequest({ method: 'm', frame: () => 'x', timeoutMs: 1000 }, open, () => undefined))).toBe(AESC_ERROR__RPC__CONNECTION_CLOSED);
    const boom = new Error('socket closed');
    const { r, register } = registry();
    await expect(sendRequest({ method: 'm', frame: () => 'x', timeoutMs: 1000, register }, open, () => transport(boom).t)).rejects.toBe(boom);
    expect(r.unregistered).toBe(1);
  });
});

describe('requestFrame', () => {
  it('writes id, method and params in that order, a bigint id losslessly, and leaves out what is undefined', () => {
    expect(requestFrame('m', [1], 2n ** 64n)).toBe('{"jsonrpc":"2.0","id":18446744073709551616,"method":"m","params":[1]}');
    expect(requestFrame('m', undefined)).toBe('{"jsonrpc":"2.0","method":"m"}');
  });
});
