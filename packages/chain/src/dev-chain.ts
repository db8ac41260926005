import { accountAddress, defaultEd25519, txHash as hashOfTx } from '@aesc/crypto';
import { type AccountAddress, type ChannelId, type ChannelV3, type SignedTx, decodeTx, encodeApi, encodeObject, encodeTx, fromHex, toHex } from '@aesc/encoding';
import { AESC_ERROR__CHAIN__CLOSED, AescError } from '@aesc/errors';
import { commitMpt, mptFromRootHash } from '@aesc/state';
import { type Block, type BlockHeader, DEFAULT_TARGET, blockHash, genesisHeader, headerBinary, txsRootHash } from './block.js';
import { type GenesisAccount, devLeaderSeed } from './genesis.js';
import {
  type Account,
  type LedgerState,
  type SupportedTx,
  type TxApplied,
  applyTx,
  emptyLedger,
  getAccount,
  getChannel,
  isSupportedTx,
  ledgerStateHash,
  putAccount,
  txChannelId,
  txOrigin,
} from './ledger.js';
import { Mempool, type MempoolLimits, type PoolEntry } from './mempool.js';
import { type ChainRules, KEY_BLOCK_INFO, PROTOCOL_VERSIONS, defaultRules, feeGas } from './protocol.js';
import { BLOCK_GAS_LIMIT } from './recent-gas-prices.js';
import { verifyTxSignatures } from './signatures.js';
import { SqliteStore, type StoredTx } from './sqlite-store.js';
import { TxRejection, reject } from './tx-rejection.js';
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
  /** Hashes of txs the database's pool table holds that have left the pool since it was last written. */
  #poolGone: string[] = [];
  /**
   * Pooled txs that did not apply in this generation and wait for something they read to change
   * (`PoolEntry.deps`): nothing else can make them apply before the next key block, so blocks skip
   * them; by the account (`a:ak_…`) or channel (`c:ch_…`) that wakes them.
   */
  readonly #asleep = new Set<PoolEntry>();
  readonly #sleepers = new Map<string, PoolEntry[]>();
  /** Pooled txs the database's pool table does not hold yet. */
  #poolNew: PoolEntry[] = [];
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
    this.#reloadPool();
  }

  /**
   * Takes the pool kept in the database back in, as the node rebuilds its pool from its database
   * at start (`aec_tx_pool:init/1`): without checks, each due for garbage collection two weeks of
   * generations from now or at its TTL; a tx mined meanwhile, or beyond the pool's bounds, is let go.
   */
  #reloadPool(): void {
    for (const row of this.#store.poolTxs()) {
      let entry: PoolEntry | undefined;
      try {
        entry = this.#store.tx(row.hash) === undefined ? this.#entry(row.hash, decodeTx(row.tx)) : undefined;
        if (entry !== undefined) {
          entry.persisted = true;
          this.#pool.add(entry);
          continue;
        }
      } catch {
        // undecodable or over a bound: let go
      }
      this.#poolGone.push(row.hash);
    }
    this.#savePool();
  }

  /** A pool entry of a signed tx (undefined for a tx type this chain does not run). */
  #entry(hash: string, signed: SignedTx): PoolEntry | undefined {
    const tx = signed.tx;
    if (!isSupportedTx(tx)) return undefined;
    const gc = this.height + this.#pool.limits.txTtl;
    return {
      hash,
      signed,
      tx,
      origin: txOrigin(tx),
      size: encodeObject(signed).length,
      gas: feeGas(encodeObject(tx).length),
      deps: txDeps(tx, signed),
      gcHeight: tx.ttl !== 0n && tx.ttl < gc ? tx.ttl : gc,
      signatures: undefined,
      failures: 0,
      lastFailure: undefined,
      persisted: false,
    };
  }

  /** Writes what changed in the pool since the last write: its new txs, and the ones gone. */
  #savePool(): void {
    const fresh = this.#poolNew.filter((e) => this.#pool.get(e.hash) === e);
    this.#poolNew = [];
    if (fresh.length === 0 && this.#poolGone.length === 0) return;
    this.#store.syncPool(
      fresh.map((e) => ({ hash: e.hash, tx: encodeTx(e.signed) })),
      this.#poolGone,
    );
    for (const e of fresh) e.persisted = true;
    this.#poolGone = [];
  }

  /** Puts a pooled tx that did not apply to sleep until something it reads changes. */
  #sleep(e: PoolEntry): void {
    this.#asleep.add(e);
    for (const k of e.deps) {
      const list = this.#sleepers.get(k);
      if (list === undefined) this.#sleepers.set(k, [e]);
      else if (!list.includes(e)) list.push(e);
    }
  }

  /** Wakes the pooled txs that read `key` (an account or channel a tx just changed). */
  #wake(key: string): void {
    for (const e of this.#sleepers.get(key) ?? []) this.#asleep.delete(e);
    this.#sleepers.delete(key);
  }

  /** Takes an entry out of the pool (mined or dropped), noting it for the database. */
  #unpool(hash: string): void {
    const e = this.#pool.delete(hash);
    if (e?.persisted) this.#poolGone.push(hash);
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
      this.#poolNew.push(entry);
      try {
        if (this.#autoMine) await this.#mineWhileAny();
      } finally {
        this.#savePool();
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
        this.#savePool();
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
          this.#asleep.clear();
          this.#sleepers.clear();
          // the node's garbage collection on a new key block (`aec_tx_pool_gc`)
          for (const e of this.#pool.collect(b.height)) if (e.persisted) this.#poolGone.push(e.hash);
          this.#emit({ type: 'block', block: b });
          if (this.#autoMine) await this.#mineWhileAny();
        }
      } finally {
        this.#savePool();
      }
      return this.#topKey;
    });
  }

  /** Makes micro blocks while pooled txs apply (more than one only when a block's gas is used up). */
  async #mineWhileAny(): Promise<void> {
    while ((await this.#mineMicro()) !== undefined);
  }

  /**
   * Applies a pooled tx to a state: its signatures (checked once against a state that knows its
   * signers), then the consensus rules. Throws a TxRejection with the node's reason.
   */
  async #apply(state: LedgerState, e: PoolEntry): Promise<TxApplied> {
    let sigs = e.signatures;
    if (sigs === undefined) {
      sigs = await verifyTxSignatures(state, e.signed, this.rules.networkId);
      if (sigs.valid && (sigs.payloadValid !== undefined || !hasPayload(e.tx))) e.signatures = sigs;
    }
    if (!sigs.valid) reject('signature_check_failed');
    return applyTx(state, e.signed, { height: this.height, rules: this.rules, ...(sigs.payloadValid === undefined ? {} : { payloadSignaturesValid: sigs.payloadValid }) });
  }

  /**
   * Makes a micro block of the pooled txs that apply, as the node picks and applies them
   * (`aec_block_micro_candidate`, `aec_tx_pool:get_candidate`): in pool order, a tx whose TTL is
   * the height or below or whose nonce is used already is invalid (dropped
   * {@link MempoolLimits.invalidTxTtl} generations later); the others are applied while the block's
   * gas lasts, over and over while one more applies (a tx may wait for another of the same block: a
   * nonce, or the close a slash answers). Those that still do not apply count a failure for this
   * generation and are dropped at the node's limit for their type and reason. A tx that did not
   * apply earlier in this generation sleeps until an account or channel it reads changes: nothing
   * else can make it apply before the next key block (so a flood of txs that cannot apply costs a
   * post a set lookup each, not an attempt each).
   */
  async #mineMicro(): Promise<Block | undefined> {
    const height = this.height;
    let state = this.#state;
    let gas = BLOCK_GAS_LIMIT;
    const included: { hash: string; signed: SignedTx; channelId?: ChannelId }[] = [];
    const done = new Set<PoolEntry>();
    const failed = new Map<PoolEntry, string>();
    const candidates: PoolEntry[] = [];
    for (const e of this.#pool.ordered()) {
      if (!this.#asleep.has(e)) {
        const account = getAccount(state, e.origin);
        if ((e.tx.ttl !== 0n && e.tx.ttl <= height) || (account !== undefined && e.tx.nonce <= account.nonce)) {
          this.#pool.invalid(e, height);
          this.#sleep(e);
          continue;
        }
      }
      candidates.push(e);
    }
    let progress = true;
    while (progress) {
      progress = false;
      for (const e of candidates) {
        if (done.has(e) || this.#asleep.has(e) || e.gas > gas) continue;
        try {
          const peers = txPeers(state, e.tx);
          const applied = await this.#apply(state, e);
          state = applied.state;
          gas -= e.gas;
          done.add(e);
          failed.delete(e);
          for (const k of [...txTouches(e.tx, applied.channelId), ...peers]) this.#wake(k);
          included.push({ hash: e.hash, signed: e.signed, ...(applied.channelId ? { channelId: applied.channelId } : {}) });
          progress = true;
        } catch (err) {
          if (!(err instanceof TxRejection)) throw err;
          failed.set(e, err.reason);
          this.#sleep(e);
        }
      }
    }
    for (const [e, reason] of failed) if (this.#pool.fail(e, reason, height) && e.persisted) this.#poolGone.push(e.hash);
    if (this.#pool.size === 0) {
      this.#asleep.clear();
      this.#sleepers.clear();
    }
    if (included.length === 0) return undefined;
    const block = await this.#makeBlock('micro', state, included);
    commitMpt(state.accounts, this.#store.nodes);
    commitMpt(state.channels, this.#store.nodes);
    this.#store.commitBlock(block, included.map((i) => ({ hash: i.hash, tx: encodeTx(i.signed) })));
    for (const e of done) this.#unpool(e.hash);
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

/** Whether a solo tx carries an off-chain payload whose signatures are checked against the channel's peers. */
function hasPayload(tx: SupportedTx): boolean {
  return (tx.tag === 'channel_close_solo_tx' || tx.tag === 'channel_slash_tx' || tx.tag === 'channel_snapshot_solo_tx') && tx.payload !== null;
}

/** The accounts and channel a pooled tx reads that other txs can change (`a:ak_…`, `c:ch_…`). */
function txDeps(tx: SupportedTx, signed: SignedTx): string[] {
  const deps = [`a:${txOrigin(tx)}`];
  if (tx.tag === 'channel_create_tx') deps.push(`a:${tx.responderId}`);
  const channel = txChannelId(signed);
  if (channel !== undefined) deps.push(`c:${channel}`);
  return deps;
}

/** The accounts and channel an applied tx changed, besides the channel's peers ({@link txPeers}). */
function txTouches(tx: SupportedTx, channelId: ChannelId | undefined): string[] {
  const out = [`a:${txOrigin(tx)}`];
  if (tx.tag === 'spend_tx') out.push(`a:${tx.recipientId}`);
  if (tx.tag === 'channel_create_tx') out.push(`a:${tx.responderId}`);
  if (channelId !== undefined) out.push(`c:${channelId}`);
  return out;
}

/** The peers of the channel a tx touches, as accounts it may pay out to (a settle, a mutual close). */
function txPeers(state: LedgerState, tx: SupportedTx): string[] {
  if (!('channelId' in tx)) return [];
  const ch = getChannel(state, tx.channelId as ChannelId);
  return ch === undefined ? [] : [`a:${ch.initiatorId}`, `a:${ch.responderId}`];
}

