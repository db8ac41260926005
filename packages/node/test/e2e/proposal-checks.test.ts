import { type SignedTx, decodeTx, encodeObject, encodeTx } from '@aesc/encoding';
import { describe, expect, it, vi } from 'vitest';
import type { PeerMessage } from '../../src/peer/peer-message.js';
import { method } from './raw-client.js';
import { tappedTestNodes } from './test-nodes.js';
import type { WireTap } from './wire-tap.js';

// The round a peer proposes is checked by the other FSM with @aesc/protocol's checkProposal, as
// the client checks it: a deposit's tx must carry its update's account and amount. The amount of
// a deposit tx is not in the state hash, so a round and state hash that match do not prove it.

/** Every peer message the FSMs of the node send each other, and a way to change them on the wire. */
const wire = vi.hoisted((): WireTap => ({ sent: [], tamper: undefined }));
vi.mock('../../src/peer/in-process-link.js', async (importOriginal) =>
  (await import('./wire-tap.js')).tappedLinks(await importOriginal<typeof import('../../src/peer/in-process-link.js')>(), wire),
);
const nodes = tappedTestNodes(wire);

const AMOUNT = 10n ** 17n;
const DEPOSIT = 10n ** 15n;

describe('a deposit the peer proposes', () => {
  it('whose tx carries another amount than its update (signed by the peer, same round and state hash) is refused as a conflict, with no sign request', async () => {
    const { i, r } = await nodes.openChannel({ initiator_amount: AMOUNT.toString(), responder_amount: AMOUNT.toString() });
    // The initiator signs its FSM's deposit tx, and also one for a larger amount, which its peer
    // sends instead.
    let forged: SignedTx | undefined;
    i.onSign = async (tag, tx) => {
      if (tag === 'deposit_tx') {
        const s = decodeTx(tx);
        if (s.tx.tag === 'channel_deposit_tx') {
          const more: SignedTx = { ...s, tx: { ...s.tx, amount: s.tx.amount + 1n } };
          forged = decodeTx(await i.signed(encodeTx(more)));
        }
      }
      return { signed_tx: await i.signed(tx) };
    };
    wire.tamper = (m: PeerMessage) => (m.type === 'deposit_created' && forged !== undefined ? { ...m, tx: encodeObject(forged) } : m);
    const seen = r.frames.length;
    i.send({ jsonrpc: '2.0', method: 'channels.deposit', params: { amount: Number(DEPOSIT) } });
    const cr = await r.next(method('channels.conflict'));
    expect(forged).toBeDefined();
    expect(cr.params!.data).toMatchObject({ error_code: 2, round: 1 });
    expect(r.frames.slice(seen).some(method('channels.sign.deposit_ack'))).toBe(false);
  });
});
