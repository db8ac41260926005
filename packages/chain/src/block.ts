import { blake2b256 } from '@aesc/crypto';
import { concatBytes, decodeApi, encodeApi, uintToBytes } from '@aesc/encoding';
import { mptFromEntries } from '@aesc/state';

/** A block as the dev chain records it: key blocks start a generation, micro blocks carry txs. */
export interface Block {
  readonly kind: 'key' | 'micro';
  /** `kh_…` for key blocks, `mh_…` for micro blocks. */
  readonly hash: string;
  /** Micro blocks have the height of the key block they follow, as on the node. */
  readonly height: bigint;
  readonly prevHash: string;
  readonly prevKeyHash: string;
  /** `bs_…`: the state hash after the block. */
  readonly stateHash: string;
  /** Milliseconds since the epoch. */
  readonly time: number;
  /** The consensus protocol version. */
  readonly version: number;
  /** Tx hashes (`th_…`), micro blocks only. */
  readonly txs: readonly string[];
  /** Root hashes (hex, '' for empty) of the accounts and channels trees, to reopen the state. */
  readonly accountsRoot: string;
  readonly channelsRoot: string;
}

function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}

function u64(n: bigint | number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n));
  return b;
}

const hashBytes = (h: string) => decodeApi(h, ['kh', 'mh']);

/**
 * The txs hash of a micro block header (`aec_txs_trees`): the root of a Merkle Patricia tree that
 * maps each tx's position in the block (a minimal big-endian integer, `binary:encode_unsigned/1`: 0
 * is one zero byte) to the serialized signed tx; 32 zero bytes for a block without txs.
 */
export function txsRootHash(signedTxs: readonly Uint8Array[]): Uint8Array {
  const root = mptFromEntries(signedTxs.map((tx, i) => [uintToBytes(BigInt(i)), tx] as const)).rootHash;
  return root ?? new Uint8Array(32);
}

/**
 * The hash of a block header: blake2b-256 over the node's header layout (`aec_headers:
 * serialize_to_binary/1`: version, flags, height, prev hash, prev key hash, state hash, then for key
 * blocks miner, beneficiary, target, the PoW evidence, nonce, time and no info; for micro blocks txs
 * hash ({@link txsRootHash}), time, no PoF, signature). The dev chain neither mines nor signs: PoW,
 * miner, beneficiary and signature are zero.
 */
export function blockHash(b: Omit<Block, 'hash' | 'accountsRoot' | 'channelsRoot'>, txsHash: Uint8Array = new Uint8Array(32)): string {
  const common = [u32(b.version), u32(b.kind === 'key' ? 0x80000000 : 0), u64(b.height), hashBytes(b.prevHash), hashBytes(b.prevKeyHash), decodeApi(b.stateHash, 'bs')];
  if (b.kind === 'key') {
    const zero32 = new Uint8Array(32);
    const header = concatBytes(...common, zero32, zero32, u32(0x2100ffff), new Uint8Array(168), u64(0), u64(b.time));
    return encodeApi('kh', blake2b256(header));
  }
  // no PoF; the signature of the leader is 64 zero bytes (the dev chain has no leader key)
  return encodeApi('mh', blake2b256(concatBytes(...common, txsHash, u64(b.time), new Uint8Array(64))));
}

/** The previous-hash placeholder of the genesis block (32 zero bytes as `kh_`). */
export const GENESIS_PREV_HASH = encodeApi('kh', new Uint8Array(32));
