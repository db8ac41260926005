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
  /** Key blocks: the leader (`ak_…`), miner and beneficiary at once; absent: 32 zero bytes (genesis). */
  readonly miner?: string;
  /** Key blocks: the target (absent: {@link DEFAULT_TARGET}). */
  readonly target?: number;
  /** Key blocks: the 4-byte info field (the maker's version, `aeu_info:block_info/0`); absent: none (genesis). */
  readonly info?: number;
  /** Micro blocks: the txs hash (`bx_…`, {@link txsRootHash}). */
  readonly txsHash?: string;
  /** Micro blocks: the leader's signature (`sg_…`) of the header; absent: 64 zero bytes. */
  readonly signature?: string;
}

/** The header fields of a block: what its hash covers. */
export type BlockHeader = Omit<Block, 'hash' | 'accountsRoot' | 'channelsRoot' | 'txs'>;

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

/** `?HIGHEST_TARGET_SCI` of aeminer: the target of a key block that is not mined. */
export const DEFAULT_TARGET = 0x2100ffff;

/**
 * The `prev_hash` of every genesis block (`aec_governance:contributors_messages_hash/0`: the hash
 * of the contributors' messages, a constant of the node).
 */
export const CONTRIBUTORS_MESSAGES_HASH = Uint8Array.from([
  158, 79, 89, 57, 49, 136, 245, 229, 211, 220, 44, 167, 79, 151, 117, 42, 149, 176, 13, 160, 196, 61, 156, 179, 95, 106, 250, 133, 59, 93, 3, 170,
]);

/** The previous-key-hash placeholder of the genesis block (32 zero bytes as `kh_`). */
export const GENESIS_PREV_HASH = encodeApi('kh', new Uint8Array(32));

/** The genesis target (`genesis_target/0` of the node's Bitcoin-NG consensus): ae_mainnet has its own. */
export function genesisTarget(networkId: string): number {
  return networkId === 'ae_mainnet' ? 0x1f1f1f1f : DEFAULT_TARGET;
}

/**
 * The genesis key block header as the node builds it (`genesis_raw_header/0`): protocol version 1
 * (Roma) whatever the chain's protocol, height 0, the contributors' messages hash as previous hash,
 * no miner, time 0, no seal; the state hash is that of the genesis accounts.
 */
export function genesisHeader(stateHash: string, networkId: string): BlockHeader {
  return {
    kind: 'key',
    version: 1,
    height: 0n,
    prevHash: encodeApi('kh', CONTRIBUTORS_MESSAGES_HASH),
    prevKeyHash: GENESIS_PREV_HASH,
    stateHash,
    time: 0,
    target: genesisTarget(networkId),
  };
}

/** A key block's info field as the header (and the API's `info`) holds it: 4 bytes, or none. */
export function keyInfoBytes(b: Pick<BlockHeader, 'info'>): Uint8Array {
  return b.info === undefined ? new Uint8Array(0) : u32(b.info);
}

const ZERO_PUBKEY = new Uint8Array(32);
const ZERO_SIGNATURE = new Uint8Array(64);

/**
 * A block header as the node serializes it (`aec_headers:serialize_to_binary/1`): version, flags
 * (key flag, info flag), height, prev hash, prev key hash, state hash, then for key blocks miner,
 * beneficiary, target, the PoW evidence (zero: the dev chain does not mine), nonce (0), time and
 * the info when there is one (4 bytes); for
 * micro blocks txs hash, time and the signature (no PoF). With `blankSignature`, a micro header is
 * the message its leader signs (`serialize_to_signature_binary/1`).
 */
export function headerBinary(b: BlockHeader, blankSignature = false): Uint8Array {
  const flags = b.kind === 'micro' ? 0 : b.info === undefined ? 0x80000000 : 0xc0000000;
  const common = [u32(b.version), u32(flags), u64(b.height), hashBytes(b.prevHash), hashBytes(b.prevKeyHash), decodeApi(b.stateHash, 'bs')];
  if (b.kind === 'key') {
    const miner = b.miner ? decodeApi(b.miner, 'ak') : ZERO_PUBKEY;
    return concatBytes(...common, miner, miner, u32(b.target ?? DEFAULT_TARGET), new Uint8Array(168), u64(0), u64(b.time), keyInfoBytes(b));
  }
  const txsHash = b.txsHash ? decodeApi(b.txsHash, 'bx') : new Uint8Array(32);
  const signature = !blankSignature && b.signature ? decodeApi(b.signature, 'sg') : ZERO_SIGNATURE;
  return concatBytes(...common, txsHash, u64(b.time), signature);
}

/** The hash of a block header: blake2b-256 of {@link headerBinary} (`kh_…` or `mh_…`). */
export function blockHash(b: BlockHeader): string {
  return encodeApi(b.kind === 'key' ? 'kh' : 'mh', blake2b256(headerBinary(b)));
}
