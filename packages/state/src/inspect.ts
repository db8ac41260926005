import {
  type Encoded,
  type InspectedJson,
  type JsonValue,
  decodeApiAny,
  encodeApi,
  encodeInspected,
  inspectEncoded,
  toHex,
} from '@aesc/encoding';
import { poiHashes } from './poi.js';
import { stateTreesHashes } from './state-trees-format.js';
import type { RootHashes } from './tree-set.js';

/** The key under which {@link inspectWithHashes} adds what it derives (ignored when encoding back). */
export const DERIVED_KEY = 'derived';

function hashesJson(h: { readonly rootHashes: RootHashes; readonly stateHash: Uint8Array }): JsonValue {
  // hex root hashes; null for an empty tree (which counts as 32 zero bytes in the state hash)
  const roots: Record<string, string | null> = {};
  for (const [tree, root] of Object.entries(h.rootHashes)) roots[tree] = root === undefined ? null : toHex(root);
  return { rootHashes: roots, stateHash: encodeApi('st', h.stateHash) };
}

/**
 * Like `inspectEncoded` from @aesc/encoding, and for state trees (`ss_`) and proofs of inclusion
 * (`pi_`) also the root hash of each tree and the state hash they make (under `derived`).
 */
export function inspectWithHashes(value: string): InspectedJson {
  const json = inspectEncoded(value);
  const { prefix } = decodeApiAny(value);
  if (prefix === 'ss') return { ...json, [DERIVED_KEY]: hashesJson(stateTreesHashes(value)) };
  if (prefix === 'pi') return { ...json, [DERIVED_KEY]: hashesJson(poiHashes(value)) };
  return json;
}

/** The inverse of {@link inspectWithHashes}: what it derived is dropped, the rest encoded back. */
export function encodeInspectedWithHashes(json: unknown): Encoded {
  if (typeof json === 'object' && json !== null && !Array.isArray(json) && DERIVED_KEY in json) {
    const { [DERIVED_KEY]: _derived, ...rest } = json as Record<string, unknown>;
    return encodeInspected(rest);
  }
  return encodeInspected(json);
}
