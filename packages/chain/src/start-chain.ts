import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AESC_ERROR__CHAIN__HTTP, AescError } from '@aesc/errors';
import { DevChain } from './dev-chain.js';
import { type GenesisAccount, devAccounts, devGenesis, readGenesisFile } from './genesis.js';
import { type ChainHttpServer, type HttpFallback, serveChainHttp } from './http-server.js';
import { parseJson } from '@aesc/chain-api';
import type { ProtocolName } from './protocol.js';

/** Options of `aesc chain start`. */
export interface StartChainOptions {
  /** Directory of the database (`chain.sqlite`); omitted: in memory. */
  readonly dataDir?: string;
  /** HTTP port (default 3013; 0 picks a free one). */
  readonly port?: number;
  readonly host?: string;
  readonly networkId?: string;
  readonly protocol?: ProtocolName;
  /** A genesis file; omitted: the dev accounts (`aesc chain accounts`). */
  readonly genesis?: string;
  /**
   * Mine on an interval instead of at once: every `blockIntervalMs` a micro block of the pending
   * txs and a key block. Default: a micro block as soon as a tx arrives (the node's dev mode), key
   * blocks on demand.
   */
  readonly blockIntervalMs?: number;
  /**
   * Make a micro block as soon as a posted tx applies (default: true unless `blockIntervalMs`).
   * False: blocks come only on `GET /emit_mb` and `/emit_kb` (or the interval), as on a node in dev
   * mode without auto-emit.
   */
  readonly autoMine?: boolean;
  /** Serves GET requests outside `/v3` (static files of an app, say). */
  readonly httpFallback?: HttpFallback;
}

/** A running chain with its HTTP server. */
export interface ChainHandle {
  readonly chain: DevChain;
  readonly http: ChainHttpServer;
  /** `http://host:port` */
  readonly url: string;
  /** Stops the server and the block interval, then closes the database. */
  close(): Promise<void>;
}

/** Starts a dev chain and serves the node's HTTP API over it (what `aesc chain start` runs). */
export async function startChain(options: StartChainOptions = {}): Promise<ChainHandle> {
  let genesis: GenesisAccount[];
  if (options.genesis) genesis = readGenesisFile(options.genesis);
  else genesis = devGenesis(await devAccounts());
  let dbPath = ':memory:';
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    dbPath = join(options.dataDir, 'chain.sqlite');
  }
  const chain = DevChain.open({
    dbPath,
    genesis,
    rules: { protocol: options.protocol ?? 'ceres', networkId: options.networkId ?? 'ae_dev' },
    autoMine: options.autoMine ?? !options.blockIntervalMs,
  });
  let http: ChainHttpServer;
  try {
    http = await serveChainHttp(chain, {
      port: options.port ?? 3013,
      host: options.host ?? '127.0.0.1',
      ...(options.httpFallback ? { fallback: options.httpFallback } : {}),
    });
  } catch (e) {
    await chain.close();
    throw e;
  }
  const tick = async () => {
    await chain.emitMicroBlock();
    await chain.emitKeyBlocks(1);
  };
  const interval = options.blockIntervalMs ? setInterval(() => void tick().catch(() => undefined), options.blockIntervalMs) : undefined;
  return {
    chain,
    http,
    url: http.url,
    async close() {
      if (interval) clearInterval(interval);
      await http.close();
      await chain.close();
    },
  };
}

/**
 * Asks a running chain — ours, or an æternity node with its dev-mode plugin (give the plugin's
 * port) — to emit `n` key blocks (`GET /emit_kb?n=`, `aesc chain emit`). Resolves with the top
 * after them.
 */
export async function emitKeyBlocksViaHttp(url: string, n = 1): Promise<{ height: bigint; hash: string }> {
  const res = await fetch(`${url.replace(/\/+$/, '')}/emit_kb?n=${n}`, { headers: { accept: 'application/json' } });
  const text = await res.text();
  let json: { chain?: { height?: number | bigint; top_hash?: string }; reason?: string; error?: string } | undefined;
  try {
    json = parseJson(text) as typeof json;
  } catch {
    json = undefined;
  }
  const height = json?.chain?.height;
  const hash = json?.chain?.top_hash;
  // Something other than a node in dev mode (another server, a proxy) answers with other JSON or none.
  if (res.status !== 200 || height === undefined || typeof hash !== 'string') {
    const reason = typeof json?.reason === 'string' ? json.reason : typeof json?.error === 'string' ? json.error : `no dev-mode emit_kb at ${url}`;
    throw new AescError(AESC_ERROR__CHAIN__HTTP, { status: res.status, reason, errorCode: '' });
  }
  return { height: BigInt(height), hash };
}
