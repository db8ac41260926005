import { type AccountAddress, type ChannelId, type SignedTx, type Transaction, encodeApi } from '@aesc/encoding';
import { initialState } from '@aesc/state';
import { describe, expect, it } from 'vitest';
import { type SoloKind, type SoloTxContext, soloTx } from './solo-tx.js';

const ak = (n: number) => encodeApi('ak', new Uint8Array(32).fill(n)) as AccountAddress;
const [I, R] = [ak(1), ak(2)];
const channelId = encodeApi('ch', new Uint8Array(32).fill(7)) as ChannelId;
const state = { ...initialState({ initiator: I, initiatorAmount: 700n, responder: R, responderAmount: 400n }), round: 3n };
const offchain = (round: bigint): SignedTx =>
  ({ tag: 'signed_tx', version: 1, signatures: [], tx: { tag: 'channel_offchain_tx', version: 2, channelId, round, stateHash: new Uint8Array(32) } }) as unknown as SignedTx;
const base: SoloTxContext = {
  channelId,
  me: I,
  initiator: I,
  responder: R,
  state,
  latest: offchain(3n),
  onChain: { round: 1n, lockedUntil: 0n },
  soloClosing: false,
  idleOpen: true,
  ttl: 0n,
};
/** The tx built for fee 5 and nonce 9, or the refusal's first reason code (or its JSON-RPC code). */
const run = (kind: SoloKind, c: Partial<SoloTxContext> = {}) => {
  const out = soloTx(kind, { ...base, ...c });
  if ('refuse' in out) return out.refuse.kind === 'error' ? (out.refuse.data?.[0]?.code ?? out.refuse.code) : out.refuse;
  return { tag: out.tag, tx: out.build(5n, 9n) as Transaction & Record<string, unknown> };
};
const closing = { onChain: { round: 2n, lockedUntil: 40n } };

describe('the solo txs a participant posts alone', () => {
  it('close_solo: the latest state as payload (empty when the chain has its round), a PoI of both, while open and idle', () => {
    const built = run('close_solo') as { tag: string; tx: Record<string, unknown> };
    expect(built.tag).toBe('close_solo_sign');
    expect(built.tx).toMatchObject({ tag: 'channel_close_solo_tx', channelId, fromId: I, payload: base.latest, fee: 5n, nonce: 9n, ttl: 0n });
    expect(built.tx.poi).toBeDefined();
    expect((run('close_solo', { onChain: { round: 3n, lockedUntil: 0n } }) as { tx: Record<string, unknown> }).tx.payload).toBeNull();
    for (const refused of [run('close_solo', closing), run('close_solo', { soloClosing: true }), run('close_solo', { idleOpen: false })]) expect(refused).toBe(1018);
  });

  it('slash: only while closing, and only with a later round than the chain’s', () => {
    expect(run('slash')).toBe(1018);
    expect(run('slash', { onChain: { round: 3n, lockedUntil: 40n } })).toBe(1018);
    expect(run('slash', closing)).toMatchObject({ tag: 'slash_tx', tx: { tag: 'channel_slash_tx', payload: base.latest, fee: 5n, nonce: 9n } });
    expect(run('slash', { soloClosing: true })).toMatchObject({ tag: 'slash_tx' });
  });

  it('settle: only while closing, paying out the latest state’s balances', () => {
    expect(run('settle')).toBe(1018);
    expect(run('settle', closing)).toMatchObject({ tag: 'settle_sign', tx: { tag: 'channel_settle_tx', initiatorAmountFinal: 700n, responderAmountFinal: 400n, fee: 5n, nonce: 9n } });
  });

  it('snapshot_solo: an off-chain state the chain does not have yet, while open', () => {
    expect(run('snapshot_solo')).toMatchObject({ tag: 'snapshot_solo_tx', tx: { tag: 'channel_snapshot_solo_tx', payload: base.latest } });
    expect(run('snapshot_solo', { onChain: { round: 3n, lockedUntil: 0n } })).toBe(1013);
    const create = { ...base.latest, tx: { tag: 'channel_create_tx' } } as unknown as SignedTx;
    expect(run('snapshot_solo', { latest: create })).toBe(1012);
    expect(run('snapshot_solo', closing)).toBe(1018);
  });
});
