import { CLOSE_SOLO, SETTLE, SLASH, SNAPSHOT_SOLO, type SignTag } from '@aesc/channel-api';
import type { Transaction } from '@aesc/encoding';
import { type SoloKind, type SoloTxContext, soloTx as buildSoloTx } from '@aesc/protocol';
import { type ClientReply, reasonError } from './client-reply.js';

export type { SoloKind, SoloTxContext } from '@aesc/protocol';

/** The sign request each solo tx is signed with: the one its client method leads to. */
const SIGN_TAG_OF: Readonly<Record<SoloKind, SignTag>> = {
  close_solo: CLOSE_SOLO.signTag,
  slash: SLASH.signTag,
  settle: SETTLE.signTag,
  snapshot_solo: SNAPSHOT_SOLO.signTag,
};

/**
 * A solo tx as the node's FSM builds it (`@aesc/protocol`'s `soloTx`): the sign request's tag and
 * the tx for a given fee and nonce, or the node's answer to the client when it refuses (the
 * protocol's reason code, as an error reply).
 */
export function soloTx(
  kind: SoloKind,
  c: SoloTxContext,
): { readonly tag: SignTag; readonly build: (fee: bigint, nonce: bigint) => Transaction } | { readonly refuse: ClientReply } {
  const solo = buildSoloTx(kind, c);
  if ('refuse' in solo) return { refuse: reasonError(solo.refuse) };
  return { tag: SIGN_TAG_OF[kind], build: solo.build };
}
