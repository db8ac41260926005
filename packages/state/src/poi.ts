import {
  type AccountAddress,
  type ContractAddress,
  type EncodedPoi,
  type PoiTree,
  type TreesPoi,
  bytesEqual,
  decodeApi,
  decodeObject,
  encodeApi,
  encodeObject,
  toHex,
} from '@aesc/encoding';
import {
  AESC_ERROR__ENCODING__UNEXPECTED_TAG,
  AESC_ERROR__STATE__POI_KEY_NOT_PRESENT,
  AESC_ERROR__STATE__POI_STATE_HASH_MISMATCH,
  AescError,
} from '@aesc/errors';
import { accountBalance } from './account.js';
import { type Mpt, mptEntries, mptGet } from './mpt.js';
import { type ProofNodes, checkProofNodeHashes, mptProofLookup, mptProve, proofNodesOf, sortedProofNodes } from './mpt-proof.js';
import { TREE_NAMES, type RootHashes, type TreeName, type TreeSet, stateHashFromRootHashes } from './tree-set.js';

// aec_trees.erl (new_poi, add_poi, poi_hash, serialize_poi), aec_poi.erl (the proof db serialized
// as gb_trees:to_list/1, i.e. ascending by hash), aect_state_tree:add_poi/3 (a contract and its
// store), aesc_offchain_state:poi/2.

/** What a proof of inclusion covers. */
export interface PoiFilter {
  /** Keys of the accounts tree: participants, and contract accounts (`channels.get.poi` adds its contracts here too). */
  readonly accounts?: readonly (AccountAddress | ContractAddress)[];
  /** Contracts: the contract object and every key of its store. */
  readonly contracts?: readonly ContractAddress[];
}

/** The key prefix of a contract's store in the contracts tree: its pubkey and the byte 16 (`compute_contract_store_id/1`). */
export function contractStoreId(contractPubkey: Uint8Array): Uint8Array {
  const id = new Uint8Array(contractPubkey.length + 1);
  id.set(contractPubkey);
  id[contractPubkey.length] = 16;
  return id;
}

function pubkeyOf(id: string): Uint8Array {
  return decodeApi(id, ['ak', 'ct']);
}

function notPresent(tree: TreeName, key: Uint8Array): AescError {
  return new AescError(AESC_ERROR__STATE__POI_KEY_NOT_PRESENT, { tree, key: toHex(key) });
}

function prove(t: Mpt, tree: TreeName, key: Uint8Array, nodes: ProofNodes): ProofNodes {
  if (mptGet(t, key) === undefined) throw notPresent(tree, key);
  return mptProve(t, key, nodes);
}

function startsWith(key: Uint8Array, prefix: Uint8Array): boolean {
  return key.length >= prefix.length && bytesEqual(key.subarray(0, prefix.length), prefix);
}

/**
 * Builds the proof of inclusion the node would give for these accounts and contracts: per tree,
 * the root hash and the proof nodes sorted by hash; an empty tree is left out, a non-empty tree
 * the filter does not touch carries its root hash only. Byte-exact with `channels.get.poi` and the
 * PoIs of `channel_close_solo_tx` / `channel_slash_tx`. Throws
 * `AESC_ERROR__STATE__POI_KEY_NOT_PRESENT` for an account or contract that is not in the state.
 */
export function buildPoi(trees: TreeSet, filter: PoiFilter): TreesPoi {
  let accountNodes: ProofNodes = new Map();
  for (const id of filter.accounts ?? []) accountNodes = prove(trees.accounts, 'accounts', pubkeyOf(id), accountNodes);
  let contractNodes: ProofNodes = new Map();
  for (const id of filter.contracts ?? []) {
    const pubkey = decodeApi(id, 'ct');
    contractNodes = prove(trees.contracts, 'contracts', pubkey, contractNodes);
    const storeId = contractStoreId(pubkey);
    for (const [key] of mptEntries(trees.contracts)) {
      if (key.length > storeId.length && startsWith(key, storeId)) contractNodes = mptProve(trees.contracts, key, contractNodes);
    }
  }
  const part = (name: TreeName, nodes: ProofNodes): PoiTree | null => {
    const rootHash = trees[name].rootHash;
    return rootHash === undefined ? null : { rootHash, proof: sortedProofNodes(nodes) };
  };
  return {
    tag: 'trees_poi',
    version: 1,
    accounts: part('accounts', accountNodes),
    calls: part('calls', new Map()),
    channels: part('channels', new Map()),
    contracts: part('contracts', contractNodes),
    ns: part('ns', new Map()),
    oracles: part('oracles', new Map()),
  };
}

/** The root hash of each tree a PoI was built for (undefined where it left a tree out). */
export function poiRootHashes(poi: TreesPoi): RootHashes {
  return Object.freeze({
    accounts: poi.accounts?.rootHash,
    calls: poi.calls?.rootHash,
    channels: poi.channels?.rootHash,
    contracts: poi.contracts?.rootHash,
    ns: poi.ns?.rootHash,
    oracles: poi.oracles?.rootHash,
  });
}

/** The state hash a PoI proves against (`aec_trees:poi_hash/1`). */
export function poiStateHash(poi: TreesPoi): Uint8Array {
  return stateHashFromRootHashes(poiRootHashes(poi));
}

function stateHashBytes(hash: Uint8Array | string): Uint8Array {
  return typeof hash === 'string' ? decodeApi(hash, 'st') : hash;
}

/**
 * Verifies a PoI against a state hash (bytes or `st_…`): its root hashes must give that state
 * hash and every proof node must hash to the hash it is filed under, so any changed byte fails.
 * Throws `AESC_ERROR__STATE__POI_STATE_HASH_MISMATCH` or `AESC_ERROR__STATE__POI_BAD_PROOF`.
 */
export function verifyPoi(poi: TreesPoi, stateHash: Uint8Array | string): void {
  const expected = stateHashBytes(stateHash);
  const actual = poiStateHash(poi);
  if (!bytesEqual(expected, actual)) {
    throw new AescError(AESC_ERROR__STATE__POI_STATE_HASH_MISMATCH, { expected: toHex(expected), actual: toHex(actual) });
  }
  for (const name of TREE_NAMES) {
    const part = poi[name];
    if (part !== null) checkProofNodeHashes(proofNodesOf(part.proof), name);
  }
}

/**
 * The value a PoI proves for `key` in one tree, checking every node on the way; undefined when
 * the tree is absent from the PoI or the proof shows the key is not there. Throws
 * `AESC_ERROR__STATE__POI_BAD_PROOF` when the proof does not reach the key.
 */
export function poiLookup(poi: TreesPoi, tree: TreeName, key: Uint8Array): Uint8Array | undefined {
  const part = poi[tree];
  if (part === null) return undefined;
  return mptProofLookup(part.rootHash, proofNodesOf(part.proof), key, tree);
}

/** The balance of an account (or contract account) as a PoI proves it, or undefined when it is not in it. */
export function poiBalance(poi: TreesPoi, account: AccountAddress | ContractAddress): bigint | undefined {
  const value = poiLookup(poi, 'accounts', pubkeyOf(account));
  return value === undefined ? undefined : accountBalance(value);
}

/**
 * The balances a PoI proves for the given accounts, in order (what close_solo, slash and settle
 * need for the participants). Throws `AESC_ERROR__STATE__POI_KEY_NOT_PRESENT` for an account the
 * PoI does not prove.
 */
export function poiBalances(poi: TreesPoi, accounts: readonly (AccountAddress | ContractAddress)[]): bigint[] {
  return accounts.map((account) => {
    const balance = poiBalance(poi, account);
    if (balance === undefined) throw notPresent('accounts', pubkeyOf(account));
    return balance;
  });
}

/** Serializes a PoI as the API string (`pi_…`). */
export function encodePoi(poi: TreesPoi): EncodedPoi {
  return encodeApi('pi', encodeObject(poi));
}

/** Parses a `pi_…` string (or the serialized bytes) into a PoI. */
export function decodePoi(poi: string | Uint8Array): TreesPoi {
  const bytes = typeof poi === 'string' ? decodeApi(poi, 'pi') : poi;
  const obj = decodeObject(bytes);
  if (obj.tag !== 'trees_poi') {
    throw new AescError(AESC_ERROR__ENCODING__UNEXPECTED_TAG, { path: '$', name: obj.tag, allowed: 'trees_poi' });
  }
  return obj;
}

/** The root hash of each tree a PoI covers and the state hash it proves against. */
export function poiHashes(poi: TreesPoi | string): { readonly rootHashes: RootHashes; readonly stateHash: Uint8Array } {
  const p = typeof poi === 'string' ? decodePoi(poi) : poi;
  const rootHashes = poiRootHashes(p);
  return { rootHashes, stateHash: stateHashFromRootHashes(rootHashes) };
}
