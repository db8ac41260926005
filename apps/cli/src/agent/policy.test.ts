import type { OffchainUpdate } from '@aesc/state';
import { describe, expect, it } from 'vitest';
import { DECLINED_BY_POLICY, acceptDecision } from './policy.js';

const me = 'ak_2W5Z2uyH8s1smQo2ZxgB8V3hH9VCJkXmGCaATmtRQjJUbQ8MNB';
const peer = 'ak_2b94FCuxybDzRCpVHVCKusRQerR81duJ7ryHDfZdPLAW8YRiub';
const transfer = (from: string, to: string): OffchainUpdate => ({ tag: 'channel_offchain_update_transfer', version: 1, from, to, amount: 5n }) as OffchainUpdate;
const asked = { kind: 'transfer', from: me, to: peer, amount: 5n } as const;

describe('the agent’s signing policy', () => {
  it('signs what the user asked for and the peer’s proposals that take nothing from it', () => {
    expect(acceptDecision({ tag: 'update', peerProposal: false, updates: [transfer(me, peer)], asked }, me, 'safe')).toBe(true);
    expect(acceptDecision({ tag: 'initiator_sign', peerProposal: false, updates: [], asked: { kind: 'open' } }, me, 'safe')).toBe(true);
    expect(acceptDecision({ tag: 'update_ack', peerProposal: true, updates: [transfer(peer, me)] }, me, 'safe')).toBe(true);
    expect(acceptDecision({ tag: 'deposit_ack', peerProposal: true, updates: [{ tag: 'channel_offchain_update_deposit', version: 1, from: peer, amount: 9n } as OffchainUpdate] }, me, 'safe')).toBe(true);
    expect(acceptDecision({ tag: 'shutdown_sign_ack', peerProposal: true, updates: [] }, me, 'safe')).toBe(true); // a mutual close: the balances as they are
  });

  it('declines, with the first user abort code, a peer’s transfer out of its account — unless told to accept all', () => {
    const decision = acceptDecision({ tag: 'update_ack', peerProposal: true, updates: [transfer(peer, me), transfer(me, peer)] }, me, 'safe');
    expect(decision).toEqual({ abort: DECLINED_BY_POLICY, reason: expect.stringContaining('--accept all') });
    expect(DECLINED_BY_POLICY).toBe(128);
    expect(acceptDecision({ tag: 'update_ack', peerProposal: true, updates: [transfer(me, peer)] }, me, 'all')).toBe(true);
  });

  it('declines what the user did not ask for, whatever --accept says', () => {
    for (const accept of ['safe', 'all'] as const) {
      expect(acceptDecision({ tag: 'close_solo_sign', peerProposal: false, updates: [] }, me, accept)).toMatchObject({ abort: DECLINED_BY_POLICY });
      expect(acceptDecision({ tag: 'settle_sign', peerProposal: false, updates: [], asked }, me, accept)).toMatchObject({ abort: DECLINED_BY_POLICY });
      expect(acceptDecision({ tag: 'initiator_sign', peerProposal: false, updates: [], asked }, me, accept)).toMatchObject({ abort: DECLINED_BY_POLICY });
    }
  });
});
