import { accountAddress, defaultEd25519, txHash as hashOfTx } from '@aesc/crypto';
import { type AccountAddress, type ChannelId, type ChannelV3, type SignedTx, decodeTx, encodeApi, encodeTx, fromHex } from '@aesc/encoding';
import { AESC_ERROR__CHAIN__CLOSED, AescError } from '@aesc/errors';
import { commitMpt, mptFromRootHash } from '@aesc/state';
import { type Block, genesisHeader } from './block.js';
import { type GenesisAccount, devLeaderSeed } from './genesis.js';
import { type Account, type LedgerState, applyTx, emptyLedger, getAccount, getChannel, ledgerStateHash, putAccount, txChannelId } from './ledger.js';
import { Mempool, type MempoolLimits, type PoolEntry } from './mempool.js';
import { microCandidate } from './micro-candidate.js';
import { nextBlock, withState } from './next-block.js';
import { hasPayload, poolEntry } from './pool-entry.js';
import { PoolJournal } from './pool-journal.js';
import { PoolSleepers } from './pool-sleepers.js';
import { type ChainRules, PROTOCOL_VERSIONS, defaultRules } from './protocol.js';
import { SqliteStore, type StoredTx } from './sqlite-store.js';
import { TxRejection } from './tx-rejection.js';
import { checkPoolTx } from './tx-validation.js';

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
  /** The mempool's bounds and TTLs (see {@link MempoolLimits}). */
  readonly mempool?: Partial<MempoolLimits>;
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
 * What the node's `GET /v3/debug/check-tx/pool/{hash}` says of a tx: `included` (mined),
 * `includable` (in the pool, and it would apply on the top now), or the reason it would not
 * (`channel_not_closed`, `tx_nonce_too_high_for_account`, …).
 */
export type PoolTxStatus = 'included' | 'includable' | (string & {});

/**
 * The embedded dev chain: a ledger (accounts and channels trees in SQLite), a mempool, key and micro
 * blocks. A posted tx is checked as the node's mempool checks it and waits in the pool; with
 * auto-mine a micro block is made at once of every pooled tx that applies (the node's dev mode).
 * A tx that does not apply yet (a settle before its lock period ran out, a nonce after a gap) is
 * tried again whenever a block is made, until it applies, its TTL passes or it has failed as often
 * as the node allows. A block is reported only after it is on disk; the pool is kept in the same
 * database. Operations run one at a time.
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
  readonly #pool: Mempool;
  /** The pool's writes to the database. */
  readonly #journal: PoolJournal;
  /** Pooled txs that did not apply in this generation, until something they read changes. */
  readonly #sleepers = new PoolSleepers();
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;
  readonly #leaderSeed: Uint8Array;
  #leader: Promise<ChainLeader> | undefined;

  private constructor(
    store: SqliteStore,
    rules: ChainRules,
    top: Block,
    topKey: Block,
    autoMine: boolean,
    now: () => number,
    leaderSeed: Uint8Array,
    limits: Partial<MempoolLimits>,
  ) {
    this.#store = store;
    this.#pool = new Mempool(limits);
    this.#journal = new PoolJournal(store);
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
    // the node rebuilds its pool from its database at start (`aec_tx_pool:init/1`)
    this.#journal.reload(this.#pool, (hash, signed) => this.#entry(hash, signed));
  }

  /** A pool entry of a signed tx coming in now (undefined for a tx type this chain does not run). */
  #entry(hash: string, signed: SignedTx): PoolEntry | undefined {
    return poolEntry(hash, signed, this.height, this.#pool.limits.txTtl);
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
    return new DevChain(store, rules, top, topKey, options.autoMine ?? true, now, options.leaderSecretKey ?? devLeaderSeed(), options.mempool ?? {});
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

  /** The mempool's bounds and TTLs. */
  get mempoolLimits(): MempoolLimits {
    return this.#pool.limits;
  }

  /**
   * The txs waiting in the mempool, in the node's pool order (highest fee first, then origin,
   * nonce and hash), as `GET /v3/debug/transactions/pending` lists them.
   */
  pendingTxs(): { readonly hash: string; readonly tx: SignedTx }[] {
    return this.#pool.ordered().map((e) => ({ hash: e.hash, tx: e.signed }));
  }

  /**
   * What the node's `GET /v3/debug/check-tx/pool/{hash}` answers: `included` for a mined tx; for a
   * pooled one, a dry run on the top (signatures unchecked, as the node's dry run does):
   * `includable`, or the reason it would fail now; undefined for a tx the chain does not know.
   */
  checkPoolTx(hash: string): PoolTxStatus | undefined {
    if (this.#store.tx(hash) !== undefined) return 'included';
    const entry = this.#pool.get(hash);
    if (entry === undefined) return undefined;
    try {
      applyTx(this.#state, entry.signed, { height: this.height, rules: this.rules });
      return 'includable';
    } catch (e) {
      if (e instanceof TxRejection) return e.reason;
      throw e;
    }
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
    for (const e of this.#pool.entries()) if (e.origin === address) pooled.add(e.tx.nonce);
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
    if (pending) return { status: 'pending', tx: pending.signed };
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
   * Posts a signed tx (`tx_…`): the node's mempool checks ({@link checkPoolTx} in tx-validation),
   * then it waits in the pool — with auto-mine, a micro block is made at once of every pooled tx
   * that applies. Resolves with the tx hash once the tx is on disk, in the pool or in a block;
   * rejects with a TxRejection carrying the node's reason (`already_accepted` for a mined tx,
   * `already_known` for a pooled one), or with `AESC_ERROR__CHAIN__POOL_FULL` when the pool is at a
   * bound.
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
      if (this.#store.tx(hash)) throw new TxRejection('already_accepted');
      if (this.#pool.has(hash)) throw new TxRejection('already_known');
      const signatures = await checkPoolTx(this.#state, signed, this.height, this.rules);
      const entry = this.#entry(hash, signed)!;
      // kept unless the payload's signers were unknown (a solo tx posted before its channel's create is mined)
      entry.signatures = signatures.payloadValid !== undefined || !hasPayload(entry.tx) ? signatures : undefined;
      this.#pool.add(entry);
      this.#journal.added(entry);
      try {
        if (this.#autoMine) await this.#mineWhileAny();
      } finally {
        this.#journal.save(this.#pool);
      }
      return hash;
    });
  }

  /** Makes a micro block of the pooled txs that apply (none: no block). Resolves with the block, if any. */
  emitMicroBlock(): Promise<Block | undefined> {
    return this.#run(async () => {
      try {
        return await this.#mineMicro();
      } finally {
        this.#journal.save(this.#pool);
      }
    });
  }

  /** Makes `n` key blocks (to pass lock periods and minimum depths). Resolves with the last one. */
  emitKeyBlocks(n = 1): Promise<Block> {
    return this.#run(async () => {
      try {
        for (let i = 0; i < n; i++) {
          const b = await this.#makeBlock('key', this.#state, []);
          this.#store.commitBlock(b, []);
          this.#top = b;
          this.#topKey = b;
          // a new height: every pooled tx is tried again
          this.#sleepers.clear();
          // the node's garbage collection on a new key block (`aec_tx_pool_gc`)
          for (const e of this.#pool.collect(b.height)) this.#journal.removed(e);
          this.#emit({ type: 'block', block: b });
          if (this.#autoMine) await this.#mineWhileAny();
        }
      } finally {
        this.#journal.save(this.#pool);
      }
      return this.#topKey;
    });
  }

  /** Makes micro blocks while pooled txs apply (more than one only when a block's gas is used up). */
  async #mineWhileAny(): Promise<void> {
    while ((await this.#mineMicro()) !== undefined);
  }

  /**
   * Makes a micro block of the pooled txs that apply, as the node picks and applies them
   * ({@link microCandidate}), and writes it with its state and the pool's changes before
   * reporting it. Resolves with the block, or undefined when no tx applied.
   */
  async #mineMicro(): Promise<Block | undefined> {
    const { state, included, done, dropped } = await microCandidate(this.#pool, this.#sleepers, this.#state, this.height, this.rules);
    for (const e of dropped) this.#journal.removed(e);
    if (included.length === 0) return undefined;
    const block = await this.#makeBlock('micro', state, included);
    commitMpt(state.accounts, this.#store.nodes);
    commitMpt(state.channels, this.#store.nodes);
    this.#store.commitBlock(block, included.map((i) => ({ hash: i.hash, tx: encodeTx(i.signed) })));
    for (const e of done) {
      const gone = this.#pool.delete(e.hash);
      if (gone !== undefined) this.#journal.removed(gone);
    }
    this.#state = state;
    this.#top = block;
    this.#emit({ type: 'block', block });
    for (const i of included) {
      const channelId = i.channelId ?? txChannelId(i.signed);
      this.#emit({ type: 'tx', txHash: i.hash, tx: i.signed, block, ...(channelId ? { channelId } : {}) });
    }
    return block;
  }

  /** The next block on the top ({@link nextBlock}), by the leader, stamped with the chain's clock. */
  async #makeBlock(kind: 'key' | 'micro', state: LedgerState, txs: readonly { readonly hash: string; readonly signed: SignedTx }[]): Promise<Block> {
    const leader = await this.leader();
    return nextBlock({ kind, top: this.#top, topKey: this.#topKey, version: PROTOCOL_VERSIONS[this.rules.protocol], time: this.#now(), state, txs, leader });
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

function reviveRules(json: string): ChainRules {
  const r = JSON.parse(json) as ChainRules & { minMinerGasPrice: string };
  return defaultRules({ ...r, minMinerGasPrice: BigInt(r.minMinerGasPrice) });
}
