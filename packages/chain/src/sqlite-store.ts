import { toHex } from '@aesc/encoding';
import type { NodeStore } from '@aesc/state';
import Database from 'libsql';
import type { Block } from './block.js';
import { parseJson, stringifyJson } from '@aesc/chain-api';

/** How many blocks the store keeps revived for lookups. */
const BLOCK_CACHE_SIZE = 1024;

/** Where a tx is: its encoded form and the block that includes it. */
export interface StoredTx {
  readonly hash: string;
  readonly tx: string;
  readonly blockHash: string;
  readonly blockHeight: bigint;
}

/**
 * The chain's database: SQLite (through libsql, whose binary ships in its npm package) in WAL mode with `synchronous=FULL`, so a block is
 * on disk when its commit returns. One table of Merkle tree nodes (content-addressed), one of
 * blocks, one of txs, one of settings. A block and the tree nodes it adds are written in one
 * transaction: a crash leaves either the whole block or none of it.
 */
export class SqliteStore {
  readonly #db: Database.Database;
  /**
   * Takes its one parameter in an array: libsql reads a lone object argument (a Buffer is one) as
   * named parameters, and its native side aborts the process on a statement with `?` ones.
   */
  readonly #getNode: Database.Statement<[[Buffer]]>;
  readonly #putNode: Database.Statement<[Buffer, Buffer]>;
  readonly #putBlock: Database.Statement<[string, number, string]>;
  readonly #putTx: Database.Statement<[string, string, string, number]>;
  readonly #cache = new Map<string, Uint8Array>();
  /** Recent blocks by hash, and the hashes of their key blocks by height (see #remember). */
  readonly #blocks = new Map<string, Block>();
  readonly #keyHashes = new Map<bigint, string>();
  /** Statements prepared on first use (preparing costs more than running a point query). */
  readonly #statements = new Map<string, Database.Statement>();
  #pending = new Map<string, [Uint8Array, Uint8Array]>();

  /** Opens (creating if needed) the database file, or an in-memory database for `':memory:'`. */
  constructor(path: string) {
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    this.#db.exec(`
      CREATE TABLE IF NOT EXISTS nodes (hash BLOB PRIMARY KEY, rlp BLOB NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS blocks (seq INTEGER PRIMARY KEY, hash TEXT UNIQUE NOT NULL, height INTEGER NOT NULL, json TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS blocks_height ON blocks (height);
      CREATE TABLE IF NOT EXISTS txs (hash TEXT PRIMARY KEY, tx TEXT NOT NULL, block_hash TEXT NOT NULL, block_height INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS pool (hash TEXT PRIMARY KEY, tx TEXT NOT NULL) WITHOUT ROWID;
    `);
    this.#getNode = this.#db.prepare<[[Buffer]]>('SELECT rlp FROM nodes WHERE hash = ?');
    this.#putNode = this.#db.prepare('INSERT OR IGNORE INTO nodes (hash, rlp) VALUES (?, ?)');
    this.#putBlock = this.#db.prepare('INSERT INTO blocks (hash, height, json) VALUES (?, ?, ?)');
    this.#putTx = this.#db.prepare('INSERT OR REPLACE INTO txs (hash, tx, block_hash, block_height) VALUES (?, ?, ?, ?)');
  }

  #prepared(sql: string): Database.Statement {
    let st = this.#statements.get(sql);
    if (st === undefined) {
      st = this.#db.prepare(sql);
      this.#statements.set(sql, st);
    }
    return st;
  }

  /** The tree node store: reads from the cache, the nodes of the block being built, then the database. */
  readonly nodes: NodeStore = {
    get: (hash) => {
      const key = toHex(hash);
      const hit = this.#cache.get(key) ?? this.#pending.get(key)?.[1];
      if (hit) return hit;
      const row = this.#getNode.get([Buffer.from(hash)]) as { rlp: Buffer } | undefined;
      if (!row) return undefined;
      const rlp = new Uint8Array(row.rlp);
      this.#cache.set(key, rlp);
      return rlp;
    },
    put: (hash, rlp) => {
      this.#pending.set(toHex(hash), [hash, rlp]);
    },
  };

  /** Writes a block, its txs and the tree nodes put since the last commit, durably, in one transaction. */
  commitBlock(block: Block, txs: readonly { hash: string; tx: string }[]): void {
    const pending = this.#pending;
    this.#db.transaction(() => {
      for (const [hash, rlp] of pending.values()) this.#putNode.run(Buffer.from(hash), Buffer.from(rlp));
      this.#putBlock.run(block.hash, Number(block.height), stringifyJson(block));
      for (const t of txs) this.#putTx.run(t.hash, t.tx, block.hash, Number(block.height));
    })();
    this.#remember(block);
    for (const [key, [, rlp]] of pending) this.#cache.set(key, rlp);
    this.#pending = new Map();
    if (this.#cache.size > 200_000) this.#cache.clear();
  }

  /** The last block written, or undefined for a new database. */
  topBlock(): Block | undefined {
    const row = this.#prepared('SELECT json FROM blocks ORDER BY seq DESC LIMIT 1').get() as { json: string } | undefined;
    return row ? reviveBlock(row.json) : undefined;
  }

  /** A block by hash. */
  blockByHash(hash: string): Block | undefined {
    const cached = this.#blocks.get(hash);
    if (cached !== undefined) return cached;
    const row = this.#prepared('SELECT json FROM blocks WHERE hash = ?').get(hash) as { json: string } | undefined;
    return row ? this.#remember(reviveBlock(row.json)) : undefined;
  }

  /** The key block at a height. */
  keyBlockAt(height: bigint): Block | undefined {
    const hash = this.#keyHashes.get(height);
    if (hash !== undefined) return this.blockByHash(hash);
    const rows = this.#prepared('SELECT json FROM blocks WHERE height = ? ORDER BY seq ASC LIMIT 1').all(Number(height)) as { json: string }[];
    const b = rows[0] ? reviveBlock(rows[0].json) : undefined;
    return b?.kind === 'key' ? this.#remember(b) : undefined;
  }

  /**
   * Keeps a block for the next lookups: blocks never change once written, and the channel node
   * reads the recent key blocks on every round (its block-hash pins). The most recent
   * {@link BLOCK_CACHE_SIZE} looked up or written are kept.
   */
  #remember(b: Block): Block {
    if (this.#blocks.size >= BLOCK_CACHE_SIZE) {
      const oldest = this.#blocks.values().next().value as Block;
      this.#blocks.delete(oldest.hash);
      if (oldest.kind === 'key' && this.#keyHashes.get(oldest.height) === oldest.hash) this.#keyHashes.delete(oldest.height);
    }
    this.#blocks.set(b.hash, b);
    if (b.kind === 'key') this.#keyHashes.set(b.height, b.hash);
    return b;
  }

  /** The blocks of a generation: the key block at the height, then its micro blocks in order. */
  generation(height: bigint): Block[] {
    const rows = this.#prepared('SELECT json FROM blocks WHERE height = ? ORDER BY seq ASC').all(Number(height)) as { json: string }[];
    return rows.map((r) => reviveBlock(r.json));
  }

  /** A mined tx by hash. */
  tx(hash: string): StoredTx | undefined {
    const row = this.#prepared('SELECT hash, tx, block_hash, block_height FROM txs WHERE hash = ?').get(hash) as
      | { hash: string; tx: string; block_hash: string; block_height: number }
      | undefined;
    return row ? { hash: row.hash, tx: row.tx, blockHash: row.block_hash, blockHeight: BigInt(row.block_height) } : undefined;
  }

  /** A setting. */
  getMeta(key: string): string | undefined {
    return (this.#prepared('SELECT v FROM meta WHERE k = ?').get(key) as { v: string } | undefined)?.v;
  }

  /** Writes a setting durably. */
  setMeta(key: string, value: string): void {
    this.#prepared('INSERT OR REPLACE INTO meta (k, v) VALUES (?, ?)').run(key, value);
  }

  /** The txs kept in the mempool table. */
  poolTxs(): { hash: string; tx: string }[] {
    return this.#prepared('SELECT hash, tx FROM pool').all() as { hash: string; tx: string }[];
  }

  /**
   * Adds txs to the mempool table and removes others, in one transaction, written to the WAL but
   * not synced (`synchronous=NORMAL` for this transaction only): what it writes survives a crash
   * of the process, and reaches the disk at the next block's synced commit or checkpoint.
   */
  syncPool(put: readonly { hash: string; tx: string }[], remove: readonly string[]): void {
    const insert = this.#prepared('INSERT OR REPLACE INTO pool (hash, tx) VALUES (?, ?)');
    const del = this.#prepared('DELETE FROM pool WHERE hash = ?');
    this.#db.pragma('synchronous = NORMAL');
    try {
      this.#db.transaction(() => {
        for (const t of put) insert.run(t.hash, t.tx);
        for (const h of remove) del.run(h);
      })();
    } finally {
      this.#db.pragma('synchronous = FULL');
    }
  }

  /** Closes the database. */
  close(): void {
    this.#db.close();
  }
}

function reviveBlock(json: string): Block {
  const b = parseJson(json) as Block & { height: number | bigint };
  return { ...b, height: BigInt(b.height) };
}
