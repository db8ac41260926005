import type { AccountAddress } from '@aesc/encoding';
import type { OffchainUpdate } from '@aesc/state';
import { describe, expect, it } from 'vitest';
import type { SignRequest } from './driver/channel-client.js';
import { SIGN_TAGS } from './machine/reducer.js';
import type { AskedFor } from './machine/types.js';
import { DECLINED_BY_POLICY, approveAll, safeDecision, safePolicy } from './signing-policy.js';

const me = 'ak_2W5Z2uyH8s1smQo2ZxgB8V3hH9VCJkXmGCaATmtRQjJUbQ8MNB' as AccountAddress;
const peer = 'ak_2b94FCuxybDzRCpVHVCKusRQerR81duJ7ryHDfZdPLAW8YRiub' as AccountAddress;
const request = (tag: string, asked?: AskedFor, updates: OffchainUpdate[] = []): Pick<SignRequest, 'tag' | 'peerProposal' | 'updates' | 'asked'> => ({
  tag,
  peerProposal: SIGN_TAGS[tag]!.peer,
  updates,
  ...(asked === undefined ? {} : { asked }),
});

describe('the safe signing policy', () => {
  it('signs each of this client’s own sign tags only for the request that leads to it', () => {
    const asks: Record<string, AskedFor> = {
      initiator_sign: { kind: 'open' },
      responder_sign: { kind: 'open' },
      update: { kind: 'transfer', from: me, to: peer, amount: 1n },
      deposit_tx: { kind: 'deposit', amount: 1n },
      withdraw_tx: { kind: 'withdraw', amount: 1n },
      shutdown_sign: { kind: 'shutdown' },
      close_solo_sign: { kind: 'close-solo' },
      slash_tx: { kind: 'slash' },
      settle_sign: { kind: 'settle' },
      snapshot_solo_tx: { kind: 'snapshot-solo' },
    };
    const own = Object.keys(SIGN_TAGS).filter((t) => !SIGN_TAGS[t]!.peer);
    expect(own.sort()).toEqual(Object.keys(asks).sort());
    for (const tag of own) {
      expect(safeDecision(request(tag, asks[tag]), me), tag).toBe(true);
      expect(safeDecision(request(tag), me), `${tag} unasked`).toMatchObject({ abort: DECLINED_BY_POLICY });
      for (const [other, ask] of Object.entries(asks)) {
        if (ask.kind === asks[tag]!.kind) continue;
        expect(safeDecision(request(tag, ask), me, 'all'), `${tag} for ${other}`).toMatchObject({ abort: DECLINED_BY_POLICY });
      }
    }
  });

  it('declines the peer’s proposals that take from this account, unless told to accept all', async () => {
    const out: OffchainUpdate = { tag: 'channel_offchain_update_transfer', version: 1, from: me, to: peer, amount: 1n };
    const deposit: OffchainUpdate = { tag: 'channel_offchain_update_deposit', version: 1, from: me, amount: 1n };
    const withdraw: OffchainUpdate = { tag: 'channel_offchain_update_withdraw', version: 1, to: me, amount: 1n };
    for (const [tag, u] of [['update_ack', out], ['deposit_ack', deposit], ['withdraw_ack', withdraw]] as const) {
      expect(safeDecision(request(tag, undefined, [u]), me), tag).toMatchObject({ abort: DECLINED_BY_POLICY });
      expect(safeDecision(request(tag, undefined, [u]), me, 'all'), tag).toBe(true);
    }
    const incoming: OffchainUpdate = { tag: 'channel_offchain_update_transfer', version: 1, from: peer, to: me, amount: 1n };
    expect(await safePolicy(me)({ ...request('update_ack', undefined, [incoming]), tx: undefined as never })).toBe(true);
    expect(await approveAll({ ...request('close_solo_sign'), tx: undefined as never })).toBe(true);
  });
});
