import { type AccountAddress, type ChannelId, type SignedTx, decodeTx, encodeObject, encodeTx } from '@aesc/encoding';
import { payCloseMutualFee } from '@aesc/protocol';
import { describe, expect, it, vi } from 'vitest';
import type { PeerMessage } from '../../src/peer/peer-message.js';
import { method } from './raw-client.js';
import { tappedTestNodes } from './test-nodes.js';
import type { WireTap } from './wire-tap.js';

// The mutual close a peer proposes is checked by the acker's FSM as aesc_fsm's check_shutdown_msg
// does: it builds the close it would make itself with the proposer's fee and nonce — the latest
// balances less the fee as pay_close_mutual_fee splits it, its own ttl — and refuses any other
// (a validation error: shutdown_error 1 to the peer, a conflict for both clients). A peer that
// signs a close moving coins from one side to the other while keeping the sum gets no signature.

/** Every peer message the FSMs of the node send each other, and a way to change them on the wire. */
const wire = vi.hoisted((): WireTap => ({ sent: [], tamper: undefined }));
vi.mock('../../src/peer/in-process-link.js', async (importOriginal) =>
  (await import('./wire-tap.js')).tappedLinks(await importOriginal<typeof import('../../src/peer/in-process-link.js')>(), wire),
);
const nodes = tappedTestNodes(wire);

const AMOUNT = 10n ** 17n;
const FEE = 10n ** 14n;
const NONCE = 7n;

describe('a close_mutual the peer proposes', () => {
  it.each([
    ['moves 1 aetto from the responder to the initiator, keeping the sum', { shift: 1n }],
    ['moves the responder’s whole balance to the initiator, keeping the sum', { shift: AMOUNT - FEE / 2n }],
    ['has a ttl other than the acker’s', { ttl: 1000n }],
    ['pays a fee below the chain’s minimum (split exactly)', { fee: 10n }],
  ] as const)('that %s is refused: no sign request, a conflict for both, shutdown_error 1 on the wire', async (_name, change) => {
    const { i, r, a } = await nodes.openChannel({ initiator_amount: AMOUNT.toString(), responder_amount: AMOUNT.toString() });
    const update = i.frames.find(method('channels.update'))!;
    const channelId = update.params!.channel_id as ChannelId;
    // What the initiator's peer sends instead of its FSM's close: signed for real with its key.
    const fee = 'fee' in change ? change.fee : FEE;
    const split = payCloseMutualFee(fee, AMOUNT, AMOUNT)!;
    const shift = 'shift' in change ? change.shift : 0n;
    const unsigned: SignedTx = {
      tag: 'signed_tx',
      version: 1,
      signatures: [],
      tx: {
        tag: 'channel_close_mutual_tx',
        version: 1,
        channelId,
        fromId: a.address as AccountAddress,
        initiatorAmountFinal: split.initiatorAmountFinal + shift,
        responderAmountFinal: split.responderAmountFinal - shift,
        ttl: 'ttl' in change ? change.ttl : 0n,
        fee,
        nonce: NONCE,
      },
    };
    const forged = decodeTx(await i.signed(encodeTx(unsigned)));
    expect(forged.tx.tag === 'channel_close_mutual_tx' && forged.tx.initiatorAmountFinal + forged.tx.responderAmountFinal + fee).toBe(2n * AMOUNT);
    wire.tamper = (m: PeerMessage) => (m.type === 'shutdown' ? { ...m, tx: encodeObject(forged) } : m);
    const seen = r.frames.length;
    i.send({ jsonrpc: '2.0', method: 'channels.shutdown', params: { fee: Number(FEE), nonce: Number(NONCE) } });
    const [ci, cr] = await Promise.all([i.next(method('channels.conflict')), r.next(method('channels.conflict'))]);
    expect(cr.params!.data).toMatchObject({ error_code: 1, round: 1 });
    expect(ci.params!.data).toMatchObject({ error_code: 1, round: 1 });
    expect(wire.sent.find((m) => m.type === 'shutdown_error')).toMatchObject({ round: 1, errorCode: 1 });
    expect(r.frames.slice(seen).some(method('channels.sign.shutdown_sign_ack'))).toBe(false);
    expect(wire.sent.some((m) => m.type === 'shutdown_ack')).toBe(false);
  });

  it('that is the one the acker would build is signed by its client', async () => {
    const { i, r } = await nodes.openChannel({ initiator_amount: AMOUNT.toString(), responder_amount: AMOUNT.toString() });
    i.send({ jsonrpc: '2.0', method: 'channels.shutdown', params: { fee: Number(FEE), nonce: Number(NONCE) } });
    await r.next(method('channels.sign.shutdown_sign_ack'));
    await Promise.all([i.next(method('channels.on_chain_tx')), r.next(method('channels.on_chain_tx'))]);
    const [close] = wire.sent.filter((m) => m.type === 'shutdown_ack') as (PeerMessage & { tx: Uint8Array })[];
    expect(close).toBeDefined();
  });
});
