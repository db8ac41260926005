import {
  AESC_ERROR__CHANNEL_API__INVALID_CONNECT_PARAM,
  AESC_ERROR__CHANNEL_API__MALFORMED_URL,
  AESC_ERROR__CHANNEL_API__MISSING_CONNECT_PARAM,
  isAescError,
} from '@aesc/errors';
import { describe, expect, it } from 'vitest';
import { buildConnectUrl, CONNECT_DEFAULTS, parseConnectUrl } from './connect-params.js';

const I = 'ak_mLjWgLbapr5CiVD2Q248aS2TQj9itXnoPv5tteXvZaJ8tdD2C';
const R = 'ak_26jAbCjYM16ppbhFG6PCQhv6HkwRAri7QNJfoEtb1R8amLscpt';
const open = {
  protocol: 'json-rpc',
  role: 'initiator',
  host: 'localhost',
  port: 13179,
  initiator_id: I,
  responder_id: R,
  initiator_amount: 70000000000000n,
  responder_amount: 40000000000000n,
  channel_reserve: 2,
  lock_period: 10,
  push_amount: 1,
} as const;

describe('connect URLs', () => {
  it('round-trips through build and parse, with the node defaults', () => {
    const url = buildConnectUrl('ws://localhost:3014/channel', open);
    expect(url.startsWith('ws://localhost:3014/channel?protocol=json-rpc&role=initiator&host=localhost')).toBe(true);
    const r = parseConnectUrl(url);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.initiator_amount).toBe(70000000000000n);
    expect(r.value.port).toBe(13179);
    expect(r.value.keep_running).toBe(true);
    expect(r.value.timeout_funding_lock).toBe(360_000);
    expect(r.value.minimum_depth_strategy).toBe('txfee');
    expect(CONNECT_DEFAULTS.bh_delta_not_older_than).toBe(10);
    expect(CONNECT_DEFAULTS.report_debug).toBe(false);
  });

  it('takes the bh_delta_* params only all three together, as the node does', () => {
    const deltas = (extra: Record<string, number>) => {
      const r = parseConnectUrl(buildConnectUrl('ws://localhost:3014/channel', { ...open, ...extra }));
      if (!r.ok) throw r.error;
      return [r.value.bh_delta_not_newer_than, r.value.bh_delta_not_older_than, r.value.bh_delta_pick];
    };
    expect(deltas({ bh_delta_not_newer_than: 1, bh_delta_not_older_than: 20, bh_delta_pick: 3 })).toEqual([1, 20, 3]);
    expect(deltas({ bh_delta_pick: 5 })).toEqual([0, 10, 0]);
    expect(deltas({ bh_delta_not_newer_than: 2, bh_delta_not_older_than: 30 })).toEqual([0, 10, 0]);
  });

  it('flags what the node flags', () => {
    const flagged = (params: Record<string, unknown>) => {
      const r = parseConnectUrl(buildConnectUrl('ws://localhost:3014/channel', params as never));
      if (r.ok) return 'valid';
      if (isAescError(r.error, AESC_ERROR__CHANNEL_API__INVALID_CONNECT_PARAM)) return [r.error.context.param, r.error.context.nodeCodes];
      if (isAescError(r.error, AESC_ERROR__CHANNEL_API__MISSING_CONNECT_PARAM)) return ['missing', r.error.context.param];
      return r.error.code;
    };
    expect(flagged({ ...open, channel_reserve: -1 })).toEqual(['channel_reserve', [105]]);
    expect(flagged({ ...open, initiator_amount: 1 })).toEqual(['initiator_amount', [105]]);
    expect(flagged({ ...open, lock_period: -1 })).toEqual(['lock_period', [105]]);
    expect(flagged({ ...open, port: 'x' })).toEqual(['port', []]);
    expect(flagged({ ...open, host: undefined })).toEqual(['missing', 'host']);
    expect(flagged({ ...open, role: 'responder', host: undefined, initiator_id: 'any' })).toBe('valid');
    const re = { protocol: 'json-rpc', role: 'responder', port: 1, existing_channel_id: 'ch_2cTyeMJEDKtSQioBZH4f1oGwS8F16CZ22hLiZnNeujKJKUzfoP' };
    expect(flagged(re)).toEqual(['existing_fsm_id', [2000]]);
    expect(flagged({ ...re, existing_fsm_id: 'Invalid' })).toEqual(['existing_fsm_id', [1016]]);
    expect(parseConnectUrl('not a url').ok || (parseConnectUrl('not a url') as { error: { code: number } }).error.code).toBe(
      AESC_ERROR__CHANNEL_API__MALFORMED_URL,
    );
  });

  it('reads integers losslessly and refuses what no node can act on, with either sign and either role', () => {
    const huge = `1${'0'.repeat(400)}`;
    const flagged = (params: Record<string, unknown>) => {
      const r = parseConnectUrl(buildConnectUrl('ws://localhost:3014/channel', params as never));
      if (r.ok) return 'valid';
      if (!isAescError(r.error, AESC_ERROR__CHANNEL_API__INVALID_CONNECT_PARAM)) return r.error.code;
      expect(r.error.context.value.length).toBeLessThan(40); // a long value is shown cut
      return [r.error.context.param, r.error.context.nodeCodes];
    };
    for (const role of ['initiator', 'responder']) {
      for (const sign of ['', '-']) {
        for (const param of ['ttl', 'nonce', 'port', 'timeout_idle', 'timeout_sign', 'minimum_depth', 'bh_delta_pick', 'log_keep']) {
          expect(flagged({ ...open, role, [param]: `${sign}${huge}` }), `${role} ${param}=${sign}1e400`).toEqual([param, []]);
        }
        // A negative lock period of any size is the node's "Value too low"; a huge positive one is out of range.
        expect(flagged({ ...open, role, lock_period: `${sign}${huge}` })).toEqual(['lock_period', sign === '-' ? [105] : []]);
        // Amounts are bigints of any size (the node's checks on them follow).
        expect(flagged({ ...open, role, initiator_amount: `${sign}${huge}`, responder_amount: huge })).toEqual(sign === '-' ? ['initiator_amount', [105]] : 'valid');
      }
    }
    for (const [param, value] of [['port', 65536], ['nonce', -1], ['ttl', -1], ['timeout_accept', -1], ['minimum_depth', 2 ** 32]] as const) {
      expect(flagged({ ...open, [param]: value })).toEqual([param, []]);
    }
    const r = parseConnectUrl(buildConnectUrl('ws://localhost:3014/channel', { ...open, timeout_idle: Number.MAX_SAFE_INTEGER, port: 65535, ttl: 0 }));
    expect(r.ok && [r.value.timeout_idle, r.value.port, r.value.ttl]).toEqual([Number.MAX_SAFE_INTEGER, 65535, 0]);
  });
});
