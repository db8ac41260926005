import { decodeApi, encodeApi } from '@aesc/encoding';
import type { OffchainUpdate } from '@aesc/state';
import type { CachedChannel } from '../fsm/cached-channel.js';
import { objectBytes, objectFromBytes, txFromText, txText } from '../fsm/object-bytes.js';
import type { PendingRound } from './types.js';

/** The state cache's form of a pending round. */
export function pendingRoundRecord(p: PendingRound): NonNullable<CachedChannel['pending']> {
  return { kind: p.kind, updates: p.updates.map((u) => encodeApi('cb', objectBytes(u))), signedTx: txText(p.tx) };
}

/** A pending round read back from the state cache; undefined when there is none or it does not decode (then nothing is adopted). */
export function pendingRoundFromRecord(r: CachedChannel['pending']): PendingRound | undefined {
  if (r === undefined) return undefined;
  try {
    const updates = r.updates.map((u) => objectFromBytes(decodeApi(u as `cb_${string}`, 'cb')) as OffchainUpdate);
    return { kind: r.kind, updates, tx: txFromText(r.signedTx) };
  } catch {
    return undefined;
  }
}
