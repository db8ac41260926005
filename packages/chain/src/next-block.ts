import { type AccountAddress, type SignedTx, encodeApi, encodeObject, toHex } from '@aesc/encoding';
import { type Block, type BlockHeader, DEFAULT_TARGET, blockHash, headerBinary, txsRootHash } from './block.js';
import { type LedgerState, ledgerStateHash } from './ledger.js';
import { KEY_BLOCK_INFO } from './protocol.js';

/** What the next block is made on and of. */
export interface NextBlock {
  readonly kind: 'key' | 'micro';
  /** The top block and the top key block. */
  readonly top: Block;
  readonly topKey: Block;
  /** The consensus protocol version. */
  readonly version: number;
  /** Its time (ms since the epoch). */
  readonly time: number;
  /** The state after it. */
  readonly state: LedgerState;
  /** A micro block's txs (none for a key block). */
  readonly txs: readonly { readonly hash: string; readonly signed: SignedTx }[];
  /** The leader: the miner of a key block, the signer of a micro block. */
  readonly leader: { readonly address: AccountAddress; readonly sign: (message: Uint8Array) => Promise<Uint8Array> };
}

/**
 * The next block on the top: a key block mined (without PoW) by the leader, or a micro block of
 * `txs`, signed by the leader over its header with a blank signature (`aec_keys:sign_micro_block/1`).
 */
export async function nextBlock(b: NextBlock): Promise<Block> {
  const header: BlockHeader = {
    kind: b.kind,
    version: b.version,
    height: b.kind === 'key' ? b.topKey.height + 1n : b.topKey.height,
    prevHash: b.top.hash,
    prevKeyHash: b.topKey.hash,
    stateHash: encodeApi('bs', ledgerStateHash(b.state)),
    time: b.time,
  };
  if (b.kind === 'key') return withState({ ...header, miner: b.leader.address, target: DEFAULT_TARGET, info: KEY_BLOCK_INFO }, b.state, b.txs);
  const unsigned = { ...header, txsHash: encodeApi('bx', txsRootHash(b.txs.map((t) => encodeObject(t.signed)))) };
  const signature = encodeApi('sg', await b.leader.sign(headerBinary(unsigned, true)));
  return withState({ ...unsigned, signature }, b.state, b.txs);
}

/** A block of a header, with its hash, txs and the tree roots to reopen its state from. */
export function withState(header: BlockHeader, state: LedgerState, txs: readonly { readonly hash: string }[]): Block {
  return {
    ...header,
    hash: blockHash(header),
    txs: txs.map((t) => t.hash),
    accountsRoot: state.accounts.rootHash ? toHex(state.accounts.rootHash) : '',
    channelsRoot: state.channels.rootHash ? toHex(state.channels.rootHash) : '',
  };
}
