import { bytesEqual, encodeObject } from '@aesc/encoding';
import type { OffchainUpdate } from '@aesc/state';

/** Whether two lists of updates are the same, update by update, byte for byte (as the node serializes them). */
export function sameUpdates(a: readonly OffchainUpdate[], b: readonly OffchainUpdate[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((u, i) => bytesEqual(encodeObject(u), encodeObject(b[i]!)));
}
