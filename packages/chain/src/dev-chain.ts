import { accountAddress, defaultEd25519, txHash as hashOfTx } from '@aesc/crypto';
import { type AccountAddress, type ChannelId, type ChannelV3, type SignedTx, decodeTx, encodeApi, encodeObject, encodeTx, fromHex, toHex } from '@aesc/encoding';
import { AESC_ERROR__CHAIN__CLOSED, AescError } from '@aesc/errors';
import { commitMpt, mptFromRootHash } from '@aesc/state';
import { type Block, type BlockHeader, DEFAULT_TARGET, blockHash, genesisHeader, headerBinary, txsRootHash } from './block.js';
import { type GenesisAccount, devLeaderSeed } from './genesis.js';
import { type Account, type LedgerState, emptyLedger, getAccount, getChannel, ledgerStateHash, putAccount, txChannelId, txOrigin, type SupportedTx } from './ledger.js';
import { type ChainRules, KEY_BLOCK_INFO, PROTOCOL_VERSIONS, defaultRules } from './protocol.js';
import { SqliteStore, type StoredTx } from './sqlite-store.js';
import { TxRejection } from './tx-rejection.js';
import type { SignatureCheck } from './signatures.js';
import { checkPoolTx, validateAndApply } from './tx-validation.js';

/** Options of {@link DevChain.open}. */
export interface DevChainOptions {
  /** The SQLite file; `':memory:'` (the default) keeps the chain in memory. */
  readonly dbPath?: string;
  readonly rules?: Partial<ChainRules>;
  /** Accounts of the genesis block (used when the database is new). */
  readonly genesis?: readonly GenesisAccount[];
  /** Make a micro block as soon as a tx is ready (the node's dev mode). Default true. */
  readonly autoMine?: boolean;
  /** The clock (ms since the epoch). */
  readonly now?: () => number;
  /**
   * The 32-byte secret key (seed) of the leader: the miner of the key blocks, who signs the micro
   * blocks, as the node's own key does. Default: the well-known dev leader ({@link devLeaderSeed}).
   */
  readonly leaderSecretKey?: Uint8Array;
}

/** The leader of the chain's generations: its address and a signer bound to its key. */
export interface ChainLeader {
  readonly address: AccountAddress;
  readonly sign: (message: Uint8Array) => Promise<Uint8Array>;
}

/** What the chain tells its subscribers. */
export type ChainEvent =
  | { readonly type: 'block'; readonly block: Block }
  | { readonly type: 'tx'; readonly txHash: string; readonly tx: SignedTx; readonly block: Block; readonly channelId?: ChannelId };

/** Where a tx is: pending in the mempool, or mined in a block. */
export type TxLocation = { readonly status: 'pending'; readonly tx: SignedTx } | ({ readonly status: 'mined'; readonly signed: SignedTx } & StoredTx);

/**
 * The embedded dev chain: a ledger (accounts and channels trees in SQLite), a mempool, key and micro
 * blocks. A posted tx is checked as the node's mempool does and, when its nonce is next, applied
 * and mined in a micro block at once (the node's dev mode); a block is reported only after it is on
 * disk. Operations run one at a time.
 */
export class DevChain {
  readonly rules: ChainRules;
  readonly #store: SqliteStore;
  readonly #autoMine: boolean;
  readonly #now: () => number;
  readonly #listeners = new Set<(e: ChainEvent) => void>();
  #state: LedgerState;
  #top: Block;
  #topKey: Block;
  #pool = new Map<string, SignedTx>();
  #poolSignatures = new Map<string, SignatureCheck>();
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;
  readonly #leaderSeed: Uint8Array;
  #leader: Promise<ChainLeader> | undefined;

  private constructor(store: SqliteStore, rules: ChainRules, top: Block, topKey: Block, autoMine: boolean, now: () => number, leaderSeed: Uint8Array) {
    this.#store = store;
    this.#leaderSeed = leaderSeed;
    this.rules = rules;
    this.#top = top;
    this.#topKey = topKey;
    this.#autoMine = autoMine;
    this.#now = now;
    this.#state = emptyLedger(
      mptFromRootHash(top.accountsRoot ? fromHex(top.accountsRoot) : undefined, store.nodes),
      mptFromRootHash(top.channelsRoot ? fromHex(top.channelsRoot) : undefined, store.nodes),
    );
  }

  /** Opens a chain: reopens the database's chain, or writes the genesis block of a new one. */
  static open(options: DevChainOptions = {}): DevChain {
    const store = new SqliteStore(options.dbPath ?? ':memory:');
    const now = options.now ?? Date.now;
    const saved = store.getMeta('rules');
    const rules = saved ? reviveRules(saved) : defaultRules(options.rules);
    let top = store.topBlock();
    if (top === undefined) {
      store.setMeta('rules', JSON.stringify({ ...rules, minMinerGasPrice: rules.minMinerGasPrice.toString() }));
      let state = emptyLedger();
      for (const a of options.genesis ?? []) state = putAccount(state, a.address, { nonce: a.nonce, balance: a.balance });
      top = withState(genesisHeader(encodeApi('bs', ledgerStateHash(state)), rules.networkId), state, []);
      commitMpt(state.accounts, store.nodes);
      commitMpt(state.channels, store.nodes);
      store.commitBlock(top, []);
    }
    let topKey = top;
    while (topKey.kind !== 'key') topKey = store.blockByHash(topKey.prevKeyHash)!;
    return new DevChain(store, rules, top, topKey, options.autoMine ?? true, now, options.leaderSecretKey ?? devLeaderSeed());
  }

  /** The leader: the miner of the key blocks after genesis, who signs the micro blocks. */
  leader(): Promise<ChainLeader> {
    this.#leader ??= (async () => {
      const ed25519 = defaultEd25519();
      return { address: accountAddress(await ed25519.getPublicKey(this.#leaderSeed)), sign: ed25519.signerFor(this.#leaderSeed) };
    })();
    return this.#leader;
  }

  #run<T>(f: () => T | Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new AescError(AESC_ERROR__CHAIN__CLOSED, { what: 'chain' }));
    const next = this.#queue.then(f, f);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** The height of the top key block. */
  get height(): bigint {
    return this.#topKey.height;
  }

  /** The top block (key or micro). */
  get topBlock(): Block {
    return this.#top;
  }

  /** The chain's clock (ms since the epoch): what it stamps blocks with. */
  now(): number {
    return this.#now();
  }

  /** A mined tx by hash (`th_…`). */
  minedTx(hash: string): SignedTx | undefined {
    const loc = this.tx(hash);
    return loc?.status === 'mined' ? loc.signed : undefined;
  }

  /** The top key block. */
  get topKeyBlock(): Block {
    return this.#topKey;
  }

  /** The current ledger state (after the top block). */
  get state(): LedgerState {
    return this.#state;
  }

  /** Txs waiting in the mempool. */
  get pendingCount(): number {
    return this.#pool.size;
  }

  /** An account at the top, or undefined. */
  account(address: AccountAddress): Account | undefined {
    return getAccount(this.#state, address);
  }

  /**
   * The next nonce of an account counting its txs in the mempool (`aec_next_nonce`): `max` (the
   * default) is one above the highest; `continuity` the first gap after the account's nonce.
   */
  nextNonce(address: AccountAddress, strategy: 'max' | 'continuity' = 'max'): bigint {
    const base = this.account(address)?.nonce ?? 0n;
    const pooled = new Set<bigint>();
    for (const tx of this.#pool.values()) {
      const t = tx.tx as SupportedTx;
      if (txOrigin(t) === address) pooled.add(t.nonce);
    }
    if (strategy === 'continuity') {
      let n = base + 1n;
      while (pooled.has(n)) n++;
      return n;
    }
    let max = base;
    for (const n of pooled) if (n > max) max = n;
    return max + 1n;
  }

  /** A channel object at the top, or undefined. */
  channel(id: ChannelId): ChannelV3 | undefined {
    return getChannel(this.#state, id);
  }

  /** A tx by hash: pending or mined. */
  tx(hash: string): TxLocation | undefined {
    const pending = this.#pool.get(hash);
    if (pending) return { status: 'pending', tx: pending };
    const stored = this.#store.tx(hash);
    return stored ? { status: 'mined', signed: decodeTx(stored.tx), ...stored } : undefined;
  }

  /** A generation: its key block and the micro blocks on it, or undefined above the top. */
  generation(height: bigint): { readonly key: Block; readonly micros: readonly Block[] } | undefined {
    const [key, ...micros] = this.#store.generation(height);
    return key?.kind === 'key' ? { key, micros } : undefined;
  }

  /** A block by hash. */
  block(hash: string): Block | undefined {
    return this.#store.blockByHash(hash);
  }

  /** The key block at a height. */
  keyBlockAt(height: bigint): Block | undefined {
    return this.#store.keyBlockAt(height);
  }

  /** Subscribes to blocks and mined txs; returns the unsubscribe function. */
  subscribe(listener: (e: ChainEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Posts a signed tx (`tx_…`): the mempool checks, then (auto-mine) a micro block with it and any
   * txs it unblocks. Resolves with the tx hash once the tx is in the mempool or on disk in a block;
   * rejects with a TxRejection carrying the node's reason.
   */
  postTx(encoded: string): Promise<string> {
    return this.#run(async () => {
      let signed: SignedTx;
      try {
        signed = decodeTx(encoded);
      } catch {
        throw new TxRejection('broken_tx');
      }
      const hash = hashOfTx(signed);
      if (this.#pool.has(hash) || this.#store.tx(hash)) throw new TxRejection('already_accepted');
      const verdict = await checkPoolTx(this.#state, signed, this.height, this.rules);
      if (verdict.status === 'ready') {
        // the consensus checks too: this chain reports them to the poster instead of dropping the tx
        await validateAndApply(this.#state, signed, this.height, this.rules, verdict.signatures);
      }
      this.#pool.set(hash, signed);
      this.#poolSignatures.set(hash, verdict.signatures);
      if (this.#autoMine) await this.#mineMicro();
      return hash;
    });
  }

  /** Makes a micro block of the ready mempool txs (none: no block). Resolves with the block, if any. */
  emitMicroBlock(): Promise<Block | undefined> {
    return this.#run(() => this.#mineMicro());
  }

  /** Makes `n` key blocks (to pass lock periods and minimum depths). Resolves with the last one. */
  emitKeyBlocks(n = 1): Promise<Block> {
    return this.#run(async () => {
      for (let i = 0; i < n; i++) {
        const b = await this.#makeBlock('key', this.#state, []);
        this.#store.commitBlock(b, []);
        this.#top = b;
        this.#topKey = b;
        this.#dropExpired();
        this.#emit({ type: 'block', block: b });
        if (this.#autoMine) await this.#mineMicro();
      }
      return this.#topKey;
    });
  }

  /**
   * Drops the pooled txs whose TTL the chain has passed (`ttl` below the height: they can never be
   * mined), as the node's mempool garbage collection does — also those stuck behind a nonce gap.
   */
  #dropExpired(): void {
    for (const [hash, signed] of this.#pool) {
      const ttl = (signed.tx as SupportedTx).ttl;
      if (ttl !== 0n && ttl < this.height) {
        this.#pool.delete(hash);
        this.#poolSignatures.delete(hash);
      }
    }
  }

  async #mineMicro(): Promise<Block | undefined> {
    let state = this.#state;
    const included: { hash: string; signed: SignedTx; channelId?: ChannelId }[] = [];
    let progress = true;
    while (progress) {
      progress = false;
      for (const [hash, signed] of this.#pool) {
        const t = signed.tx as SupportedTx;
        const acc = getAccount(state, txOrigin(t));
        if ((acc?.nonce ?? 0n) + 1n !== t.nonce) continue;
        try {
          const applied = await validateAndApply(state, signed, this.height, this.rules, this.#poolSignatures.get(hash));
          state = applied.state;
          included.push({ hash, signed, ...(applied.channelId ? { channelId: applied.channelId } : {}) });
        } catch (e) {
          if (!(e instanceof TxRejection)) throw e;
        }
        this.#pool.delete(hash);
        this.#poolSignatures.delete(hash);
        progress = true;
      }
    }
    if (included.length === 0) return undefined;
    const block = await this.#makeBlock('micro', state, included);
    commitMpt(state.accounts, this.#store.nodes);
    commitMpt(state.channels, this.#store.nodes);
    this.#store.commitBlock(block, included.map((i) => ({ hash: i.hash, tx: encodeTx(i.signed) })));
    this.#state = state;
    this.#top = block;
    this.#emit({ type: 'block', block });
    for (const i of included) {
      const channelId = i.channelId ?? txChannelId(i.signed);
      this.#emit({ type: 'tx', txHash: i.hash, tx: i.signed, block, ...(channelId ? { channelId } : {}) });
    }
    return block;
  }

  /**
   * The next block on the top: a key block mined (without PoW) by the leader, or a micro block of
   * `txs`, signed by the leader over its header with a blank signature (`aec_keys:sign_micro_block/1`).
   */
  async #makeBlock(kind: 'key' | 'micro', state: LedgerState, txs: readonly { readonly hash: string; readonly signed: SignedTx }[]): Promise<Block> {
    const leader = await this.leader();
    const header: BlockHeader = {
      kind,
      version: PROTOCOL_VERSIONS[this.rules.protocol],
      height: kind === 'key' ? this.height + 1n : this.height,
      prevHash: this.#top.hash,
      prevKeyHash: this.#topKey.hash,
      stateHash: encodeApi('bs', ledgerStateHash(state)),
      time: this.#now(),
    };
    if (kind === 'key') return withState({ ...header, miner: leader.address, target: DEFAULT_TARGET, info: KEY_BLOCK_INFO }, state, txs);
    const unsigned = { ...header, txsHash: encodeApi('bx', txsRootHash(txs.map((t) => encodeObject(t.signed)))) };
    const signature = encodeApi('sg', await leader.sign(headerBinary(unsigned, true)));
    return withState({ ...unsigned, signature }, state, txs);
  }

  #emit(e: ChainEvent): void {
    for (const l of this.#listeners) {
      try {
        l(e);
      } catch {
        // a subscriber's failure is its own
      }
    }
  }

  /** Waits for running operations, then closes the database. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#queue;
    this.#closed = true;
    this.#listeners.clear();
    this.#store.close();
  }
}

/** A block of a header, with its hash, txs and the tree roots to reopen its state from. */
function withState(header: BlockHeader, state: LedgerState, txs: readonly { readonly hash: string }[]): Block {
  return {
    ...header,
    hash: blockHash(header),
    txs: txs.map((t) => t.hash),
    accountsRoot: state.accounts.rootHash ? toHex(state.accounts.rootHash) : '',
    channelsRoot: state.channels.rootHash ? toHex(state.channels.rootHash) : '',
  };
}

function reviveRules(json: string): ChainRules {
  const r = JSON.parse(json) as ChainRules & { minMinerGasPrice: string };
  return defaultRules({ ...r, minMinerGasPrice: BigInt(r.minMinerGasPrice) });
}
