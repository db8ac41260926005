import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AccountAddress, type ChannelId, type ChannelV3, encodeApi, isEncoded } from '@aesc/encoding';
import { AESC_ERROR__CHAIN__POOL_FULL, isAescError } from '@aesc/errors';
import { type Block, DEFAULT_TARGET, keyInfoBytes } from './block.js';
import { listenOn } from '@aesc/chain-api';
import { recentGasPrices } from './recent-gas-prices.js';
import type { DevChain } from './dev-chain.js';
import { signedTxToJson, stringifyJson } from '@aesc/chain-api';
import { NODE_VERSION, PROTOCOL_VERSIONS } from './protocol.js';
import { TxRejection } from './tx-rejection.js';

/** Largest request body accepted (a channel tx with a PoI is a few kB). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** An answer: status, JSON body (`undefined`: none), extra headers. */
type Reply = readonly [status: number, body: unknown, headers?: Readonly<Record<string, string>>];

/** How many key blocks one `GET /emit_kb?n=` may ask for (the node's dev mode has no bound). */
export const MAX_EMIT_KEY_BLOCKS = 10_000;

/** The node's JSON of a key block (`aec_headers:serialize_for_client/2`). */
export function keyBlockJson(b: Block): Record<string, unknown> {
  const miner = b.miner ?? NO_MINER;
  // The dev chain does not mine: its key blocks have no seal, so no `pow` and `nonce` (as genesis).
  return {
    hash: b.hash,
    height: b.height,
    prev_hash: b.prevHash,
    prev_key_hash: b.prevKeyHash,
    state_hash: b.stateHash,
    miner,
    beneficiary: miner,
    target: b.target ?? DEFAULT_TARGET,
    time: b.time,
    version: b.version,
    info: encodeApi('cb', keyInfoBytes(b)),
  };
}

const NO_MINER = encodeApi('ak', new Uint8Array(32));

/**
 * How long the process has run, as the node's `/v3/status` writes its `uptime` (`uptime/0` in
 * aehttp_dispatch_ext): `5s.123`, `1m:1s.5`, `2h:3m:4s`, `1d:1h:0m:0s`.
 */
export function uptimeText(ms: number): string {
  const s = Math.floor(ms / 1000);
  const rest = ms % 1000;
  if (s < 60) return `${s}s.${rest}`;
  if (s < 3600) return `${Math.floor(s / 60)}m:${s % 60}s.${rest}`;
  if (s < 86400) return `${Math.floor(s / 3600)}h:${Math.floor((s % 3600) / 60)}m:${s % 60}s`;
  return `${Math.floor(s / 86400)}d:${Math.floor((s % 86400) / 3600)}h:${Math.floor((s % 3600) / 60)}m:${s % 60}s`;
}

/** The node's JSON of a micro block header (`aec_headers:serialize_for_client/2`). */
export function microBlockJson(b: Block): Record<string, unknown> {
  return {
    hash: b.hash,
    height: b.height,
    pof_hash: 'no_fraud',
    prev_hash: b.prevHash,
    prev_key_hash: b.prevKeyHash,
    signature: b.signature ?? encodeApi('sg', new Uint8Array(64)),
    state_hash: b.stateHash,
    time: b.time,
    txs_hash: b.txsHash ?? encodeApi('bx', new Uint8Array(32)),
    version: b.version,
  };
}

/** The node's JSON of a channel object (`aesc_channels:serialize_for_client/1`). */
export function channelJson(id: ChannelId, ch: ChannelV3): Record<string, unknown> {
  return {
    id,
    initiator_id: ch.initiatorId,
    responder_id: ch.responderId,
    channel_amount: ch.channelAmount,
    initiator_amount: ch.initiatorAmount,
    responder_amount: ch.responderAmount,
    channel_reserve: ch.channelReserve,
    delegate_ids: { initiator: ch.initiatorDelegateIds, responder: ch.responderDelegateIds },
    state_hash: ch.stateHash,
    round: ch.round,
    solo_round: ch.soloRound,
    lock_period: ch.lockPeriod,
    locked_until: ch.lockedUntil,
  };
}

const notFound = (reason: string, errorCode?: string): Reply => [404, errorCode ? { reason, error_code: errorCode } : { reason }];

/** The error code of `aeser_api_encoder:safe_decode/2` for a string that is not a valid `prefix_…`. */
function decodeErrorCode(value: string, prefix: string): string {
  return value.startsWith(`${prefix}_`) ? 'invalid_encoding' : 'invalid_prefix';
}

const badKey = (value: string, prefix: string): Reply => [400, { reason: 'Invalid public key', error_code: decodeErrorCode(value, prefix) }];
const badHash = (value: string, prefix: string): Reply => [400, { reason: 'Invalid hash', error_code: decodeErrorCode(value, prefix) }];

/** The `chain` object every answer of the node's dev-mode plugin carries: the top's height and hash. */
function devChainStatus(chain: DevChain): { height: bigint; top_hash: string } {
  return { height: chain.height, top_hash: chain.topBlock.hash };
}

/**
 * The dev-mode plugin's `GET /emit_kb?n=N` and `GET /emit_mb` (`aeplugin_dev_mode_handler`), with
 * its answers: `{"chain":{"height","top_hash"},"old_height"}` and `{"chain":…,"result":"ok"}`. As
 * there, a missing `n` is 1 and one that is not an integer is 0 (no block); a negative `n`, on
 * which the plugin's handler crashes, and one above {@link MAX_EMIT_KEY_BLOCKS} get 400. The
 * plugin is a cowboy REST handler with the default methods: anything but GET, HEAD and OPTIONS
 * gets 405.
 */
function devMode(chain: DevChain, method: string, which: 'emit_kb' | 'emit_mb', query: URLSearchParams): Reply | Promise<Reply> {
  if (method === 'OPTIONS') return [200, undefined, { allow: 'HEAD, GET, OPTIONS' }];
  if (method !== 'GET' && method !== 'HEAD') return [405, undefined, { allow: 'HEAD, GET, OPTIONS' }];
  const cors = { 'access-control-allow-methods': 'GET, POST, OPTIONS', 'access-control-allow-origin': '*' };
  if (which === 'emit_mb') return chain.emitMicroBlock().then(() => [200, { chain: devChainStatus(chain), result: 'ok' }, cors] as const);
  const text = query.get('n');
  const n = text === null ? 1n : /^[+-]?\d+$/.test(text) ? BigInt(text) : 0n;
  const oldHeight = chain.height;
  if (n < 0n || n > BigInt(MAX_EMIT_KEY_BLOCKS)) return [400, { chain: devChainStatus(chain), error: 'n_out_of_range' }, cors];
  const emitted = n === 0n ? Promise.resolve() : chain.emitKeyBlocks(Number(n));
  return emitted.then(() => [200, { chain: devChainStatus(chain), old_height: oldHeight }, cors] as const);
}

/** The node's debug API (`aehttp_dispatch_int`) for the mempool. */
function debugApi(chain: DevChain, parts: readonly string[]): Reply | undefined {
  const [, , a, b, c] = parts;
  if (a === 'transactions' && b === 'pending' && parts.length === 4) {
    // GetPendingTransactions: `aec_tx_pool:peek(infinity)`, each as `serialize_for_client_pending`
    return [200, { transactions: chain.pendingTxs().map((p) => signedTxToJson(p.tx, p.hash, null)) }];
  }
  if (a === 'check-tx' && b === 'pool' && c !== undefined && parts.length === 5) {
    // GetCheckTxInPool
    if (!isEncoded(c, 'th')) return [400, { reason: 'Invalid hash: hash' }];
    const status = chain.checkPoolTx(c);
    return status === undefined ? [404, { reason: 'tx_not_found' }] : [200, { status }];
  }
  return undefined;
}

function route(chain: DevChain, method: string, path: string, query: URLSearchParams, body: unknown): Reply | Promise<Reply> {
  const parts = path.split('/').filter((p) => p.length > 0);
  const [v, a, b, c, d] = parts;
  if (parts.length === 1 && (v === 'emit_kb' || v === 'emit_mb')) return devMode(chain, method, v, query);
  if (v !== 'v3') return notFound('Not found');
  if (method === 'GET' && a === 'debug') {
    const reply = debugApi(chain, parts);
    if (reply !== undefined) return reply;
  }
  if (method === 'GET' && a === 'status' && parts.length === 2) {
    const genesis = chain.keyBlockAt(0n)!;
    return [200, {
      genesis_key_block_hash: genesis.hash,
      solutions: 0,
      difficulty: 0,
      hashrate: 0,
      syncing: false,
      sync_progress: 100,
      uptime: uptimeText(Math.round(process.uptime() * 1000)),
      listening: true,
      protocols: [{ version: PROTOCOL_VERSIONS[chain.rules.protocol], effective_at_height: 0 }],
      node_version: NODE_VERSION,
      node_revision: 'aesc-dev-chain',
      peer_count: 0,
      peer_connections: { inbound: 0, outbound: 0 },
      pending_transactions_count: chain.pendingCount,
      network_id: chain.rules.networkId,
      peer_pubkey: 'pp_11111111111111111111111111111111273Yts',
      top_key_block_hash: chain.topKeyBlock.hash,
      top_block_height: chain.height,
    }];
  }
  if (method === 'GET' && a === 'accounts' && b !== undefined && (parts.length === 3 || (parts.length === 4 && c === 'next-nonce'))) {
    if (!isEncoded(b, 'ak')) return badKey(b, 'ak');
    const account = chain.account(b as AccountAddress);
    if (c === 'next-nonce') {
      const strategy = query.get('strategy') ?? 'max';
      if (strategy !== 'max' && strategy !== 'continuity') {
        return [400, { reason: 'validation_error', parameter: 'strategy', info: { error: 'not_in_enum', data: strategy } }];
      }
      if (account === undefined) return notFound('Account not found', 'account_not_found');
      return [200, { next_nonce: chain.nextNonce(b as AccountAddress, strategy) }];
    }
    if (account === undefined) return notFound('Account not found');
    return [200, { id: b, balance: account.balance, nonce: account.nonce, payable: true, kind: 'basic' }];
  }
  if (a === 'transactions' && parts.length === 2 && method === 'POST') {
    const tx = (body as { tx?: unknown } | null)?.tx;
    if (body === null || typeof body !== 'object' || Array.isArray(body) || typeof tx !== 'string') {
      return [400, { reason: 'validation_error', parameter: 'body', info: { error: 'wrong_type', data: body ?? null, path: ['tx'] } }];
    }
    if (!isEncoded(tx, 'tx')) return [400, { reason: 'Invalid api encoding', error_code: decodeErrorCode(tx, 'tx') }];
    return chain.postTx(tx).then(
      (hash): Reply => [200, { tx_hash: hash }],
      (e: unknown): Reply => {
        if (e instanceof TxRejection) return [400, { reason: 'Invalid tx', error_code: e.reason }];
        // a pool at one of its bounds: the node's answer when it sheds load
        if (isAescError(e, AESC_ERROR__CHAIN__POOL_FULL)) return [503, { reason: 'Temporary overload' }, { 'retry-after': '3' }];
        throw e;
      },
    );
  }
  if (method === 'GET' && a === 'transactions' && b !== undefined && (parts.length === 3 || (parts.length === 4 && c === 'info'))) {
    if (!isEncoded(b, 'th')) return badHash(b, 'th');
    const loc = chain.tx(b);
    if (loc === undefined) return notFound('Transaction not found');
    if (c === 'info') {
      if (loc.status === 'pending') return notFound('Tx not mined');
      return [400, { reason: 'Tx has no info' }];
    }
    if (loc.status === 'pending') return [200, signedTxToJson(loc.tx, b, null)];
    return [200, signedTxToJson(loc.signed, b, { hash: loc.blockHash, height: loc.blockHeight })];
  }
  if (method === 'GET' && a === 'key-blocks') {
    if (b === 'current' && parts.length === 3) return [200, keyBlockJson(chain.topKeyBlock)];
    if (b === 'current' && c === 'height' && parts.length === 4) return [200, { height: chain.height }];
    if (b === 'height' && c !== undefined && parts.length === 4) {
      if (!/^\d+$/.test(c)) return [400, { reason: 'Invalid height' }];
      const blk = chain.keyBlockAt(BigInt(c));
      return blk ? [200, keyBlockJson(blk)] : notFound('Block not found');
    }
    if (b === 'hash' && c !== undefined && parts.length === 4) {
      if (!isEncoded(c, 'kh')) return badHash(c, 'kh');
      const blk = chain.block(c);
      return blk?.kind === 'key' ? [200, keyBlockJson(blk)] : notFound('Block not found');
    }
  }
  if (method === 'GET' && a === 'generations' && b === 'height' && c !== undefined && parts.length === 4) {
    if (!/^\d+$/.test(c)) return [400, { reason: 'Invalid height' }];
    const g = chain.generation(BigInt(c));
    return g ? [200, { key_block: keyBlockJson(g.key), micro_blocks: g.micros.map((m) => m.hash) }] : notFound('Block not found');
  }
  if (method === 'GET' && a === 'micro-blocks' && b === 'hash' && c !== undefined && d === 'header' && parts.length === 5) {
    if (!isEncoded(c, 'mh')) return badHash(c, 'mh');
    const blk = chain.block(c);
    return blk?.kind === 'micro' ? [200, microBlockJson(blk)] : notFound('Block not found');
  }
  if (method === 'GET' && a === 'micro-blocks' && b === 'hash' && c !== undefined && d === 'transactions' && parts.length === 5) {
    if (!isEncoded(c, 'mh')) return badHash(c, 'mh');
    const blk = chain.block(c);
    if (blk?.kind !== 'micro') return notFound('Block not found');
    return [200, {
      transactions: blk.txs.map((h) => {
        const loc = chain.tx(h);
        return loc?.status === 'mined' ? signedTxToJson(loc.signed, h, { hash: blk.hash, height: blk.height }) : null;
      }),
    }];
  }
  if (method === 'GET' && a === 'recent-gas-prices' && parts.length === 2) {
    return [200, recentGasPrices(chain, chain.now())];
  }
  if (method === 'GET' && a === 'channels' && b !== undefined && parts.length === 3) {
    if (!isEncoded(b, 'ch')) return badKey(b, 'ch');
    const ch = chain.channel(b as ChannelId);
    return ch ? [200, channelJson(b as ChannelId, ch)] : notFound('Channel not found', 'not_found');
  }
  return notFound('Not found');
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(tooLarge ? 'too_large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Serves a request outside the node's API (e.g. static files); returns false when it does not. */
export type HttpFallback = (req: IncomingMessage, res: ServerResponse) => boolean;

async function handle(chain: DevChain, req: IncomingMessage, res: ServerResponse, fallback?: HttpFallback): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const devMode = /^\/emit_[km]b\/?$/.test(path);
  if (fallback && req.method === 'GET' && !path.startsWith('/v3/') && !devMode && fallback(req, res)) return;
  const pretty = devMode && /[?&]pp_json(=|&|$)/.test(req.url ?? '');
  const send = ([status, body, headers]: Reply) => {
    if (body === undefined) {
      res.writeHead(status, { 'content-length': 0, ...headers });
      res.end();
      return;
    }
    const text = stringifyJson(body, pretty ? 2 : undefined);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  };
  try {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let body: unknown = null;
    if (req.method === 'POST') {
      const raw = await readBody(req);
      if (raw === 'too_large') return send([413, { reason: 'Request body too large' }]);
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          return send([400, { reason: 'validation_error', parameter: 'body', info: { error: 'invalid_body' } }]);
        }
      }
    }
    send(await route(chain, req.method ?? 'GET', url.pathname, url.searchParams, body));
  } catch (e) {
    send([500, { reason: 'Internal server error' }]);
    void e;
  }
}

/** A running HTTP server over a chain. */
export interface ChainHttpServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/**
 * Serves the node's HTTP API subset over a chain (`/v3/…` with the debug API's mempool endpoints,
 * plus `GET /emit_kb?n=` and `GET /emit_mb` of the node's dev-mode plugin) on `host:port` (port 0
 * picks a free one).
 */
export function serveChainHttp(chain: DevChain, options: { port?: number; host?: string; fallback?: HttpFallback } = {}): Promise<ChainHttpServer> {
  const server = createServer((req, res) => void handle(chain, req, res, options.fallback));
  const host = options.host ?? '127.0.0.1';
  return listenOn(server, options.port ?? 0, host).then(() => {
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://${host}:${port}`,
      port,
      server,
      close: () =>
        new Promise<void>((res2) => {
          server.close(() => res2());
          server.closeAllConnections();
        }),
    };
  });
}
