import { verifyTransactionSignature } from '@aesc/crypto';
import { type SignedTx, decodeApi, encodeObject } from '@aesc/encoding';
import { type LedgerState, type SupportedTx, getChannel, txSigners } from './ledger.js';

async function signedByAll(signed: SignedTx, signers: readonly string[], networkId: string): Promise<boolean> {
  const bytes = encodeObject(signed.tx);
  const unused = [...signed.signatures];
  for (const signer of signers) {
    const key = decodeApi(signer, 'ak');
    let found = -1;
    for (let i = 0; i < unused.length; i++) {
      const sig = unused[i]!;
      if (sig.length === 64 && (await verifyTransactionSignature(sig, bytes, networkId, key)) !== null) {
        found = i;
        break;
      }
    }
    if (found < 0) return false;
    unused.splice(found, 1);
  }
  return unused.length === 0;
}

/** The result of {@link verifyTxSignatures}. */
export interface SignatureCheck {
  /** Every required signer signed (raw or hash form), and no other signature is attached. */
  readonly valid: boolean;
  /** For close_solo, slash and snapshot_solo with a payload: both peers signed the off-chain tx. */
  readonly payloadValid?: boolean;
}

/**
 * Checks a tx's signatures as the node does (`aetx_sign:verify/3`): every signer of the tx signed
 * it for the network id, in either form (`network_id ‖ tx` or `network_id ‖ blake2b(tx)`); and the
 * co-signed off-chain payload of a solo tx against the channel's peers.
 */
export async function verifyTxSignatures(state: LedgerState, signed: SignedTx, networkId: string): Promise<SignatureCheck> {
  const tx = signed.tx as SupportedTx;
  let signers: string[];
  try {
    signers = txSigners(state, tx);
  } catch {
    // The signers of a deposit, withdrawal or mutual close are the channel's peers: with no such
    // channel there is no one to check against, and the node's `aetx_sign:verify/3` fails.
    return { valid: false };
  }
  const valid = await signedByAll(signed, signers, networkId);
  if ((tx.tag === 'channel_close_solo_tx' || tx.tag === 'channel_slash_tx' || tx.tag === 'channel_snapshot_solo_tx') && tx.payload) {
    const ch = getChannel(state, tx.channelId);
    if (ch === undefined) return { valid };
    const payloadValid = await signedByAll(tx.payload, [ch.initiatorId, ch.responderId], networkId);
    return { valid, payloadValid };
  }
  return { valid };
}
