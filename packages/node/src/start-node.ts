import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type ChainAdapter, type ChainHandle, type ProtocolName, httpAdapter, inProcessAdapter, listenOn, startChain } from '@aesc/chain';
import type { Ed25519 } from '@aesc/crypto';
import { sqliteStateCache } from './cache/sqlite-state-cache.js';
import { type StateCache, memoryStateCache } from './cache/state-cache.js';
import { ChannelNode, type ChannelNodeOptions, type PeerTransport } from './channel-node.js';
import { type BlockSource, devChainBlocks, httpBlocks } from './fsm/block-source.js';
import { type ChannelEndpointOptions, serveChannelEndpoint } from './ws/channel-endpoint.js';
import { staticFiles } from './ws/static-files.js';

/** Options of {@link startNode}. */
export interface StartNodeOptions {
  /** Directory of the chain database and the state cache; omitted: both in memory. */
  readonly dataDir?: string;
  /** The port of `/channel` (and of the embedded chain's `/v3` API); 0 picks a free one. Default 3013. */
  readonly port?: number;
  readonly host?: string;
  readonly networkId?: string;
  readonly protocol?: ProtocolName;
  /** A genesis file for the embedded chain; omitted: the dev accounts. */
  readonly genesis?: string;
  /** Use the chain at this URL (the node's HTTP API) instead of an embedded one. */
  readonly chainUrl?: string;
  /** Make blocks on an interval instead of at once (embedded chain). */
  readonly blockIntervalMs?: number;
  /** Embedded chain: false makes blocks only when asked (`GET /emit_mb`, `/emit_kb`) or on the interval; see `StartChainOptions.autoMine`. */
  readonly autoMine?: boolean;
  readonly createTxVersion?: 1 | 2;
  /** A built web app to serve at `/` on the same port (the client app). Embedded chain only. */
  readonly appDir?: string;
  /** Peers on other nodes (TCP with Noise). */
  readonly peerTransport?: PeerTransport;
  /** Where to keep each participant's latest co-signed state; by default SQLite in `dataDir`, else memory. */
  readonly stateCache?: StateCache;
  /** The Ed25519 implementation signatures are checked with (default: the platform's). */
  readonly ed25519?: Ed25519;
  /** How many FSMs may run at once (see {@link ChannelNodeOptions.maxFsms}). */
  readonly maxFsms?: number;
  /** The `/channel` endpoint's limits per connection (see {@link ChannelEndpointOptions}). */
  readonly endpoint?: ChannelEndpointOptions;
  /** How long an FSM tries to reach its peer (see {@link ChannelNodeOptions.connectTimeoutMs}). */
  readonly connectTimeoutMs?: number;
}

/** A running node. */
export interface NodeHandle {
  readonly node: ChannelNode;
  /** The embedded chain, when there is one. */
  readonly chain: ChainHandle | undefined;
  /** `http://host:port` */
  readonly url: string;
  /** `ws://host:port/channel` */
  readonly channelUrl: string;
  close(): Promise<void>;
}

/**
 * Starts a channel node: the embedded dev chain (its `/v3` HTTP API) and the `/channel`
 * WebSocket endpoint on one port, or only the endpoint over a remote chain (`chainUrl`).
 */
export async function startNode(options: StartNodeOptions = {}): Promise<NodeHandle> {
  const host = options.host ?? '127.0.0.1';
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const cache: StateCache = options.stateCache ?? (options.dataDir ? sqliteStateCache(join(options.dataDir, 'state-cache.sqlite')) : memoryStateCache());
  let chain: ChainHandle | undefined;
  let server: Server;
  let closeServer: () => Promise<void>;
  let adapter: ChainAdapter;
  let blocks: BlockSource;
  if (options.chainUrl) {
    adapter = httpAdapter(options.chainUrl, { pollMs: 250 });
    blocks = httpBlocks(options.chainUrl);
    server = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"reason":"Not found"}');
    });
    try {
      await listenOn(server, options.port ?? 3014, host);
    } catch (e) {
      await adapter.close();
      if (options.stateCache === undefined) await cache.close();
      throw e;
    }
    closeServer = () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
  } else {
    try {
      chain = await startChain({
        port: options.port ?? 3013,
        host,
        ...(options.dataDir ? { dataDir: options.dataDir } : {}),
        ...(options.networkId ? { networkId: options.networkId } : {}),
        ...(options.protocol ? { protocol: options.protocol } : {}),
        ...(options.genesis ? { genesis: options.genesis } : {}),
        ...(options.blockIntervalMs ? { blockIntervalMs: options.blockIntervalMs } : {}),
        ...(options.autoMine === undefined ? {} : { autoMine: options.autoMine }),
        ...(options.appDir ? { httpFallback: staticFiles(options.appDir) } : {}),
      });
    } catch (e) {
      if (options.stateCache === undefined) await cache.close();
      throw e;
    }
    adapter = inProcessAdapter(chain.chain);
    blocks = devChainBlocks(chain.chain);
    server = chain.http.server;
    closeServer = () => chain!.close();
  }
  const node = await ChannelNode.start({
    chain: adapter,
    blocks,
    stateCache: cache,
    ...(options.peerTransport ? { peerTransport: options.peerTransport } : {}),
    ...(options.createTxVersion ? { createTxVersion: options.createTxVersion } : {}),
    ...(options.ed25519 ? { ed25519: options.ed25519 } : {}),
    ...(options.maxFsms === undefined ? {} : { maxFsms: options.maxFsms }),
    ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
  });
  const detach = serveChannelEndpoint(node, server, options.endpoint);
  const port = (server.address() as AddressInfo).port;
  return {
    node,
    chain,
    url: `http://${host}:${port}`,
    channelUrl: `ws://${host}:${port}/channel`,
    async close() {
      await detach();
      await node.close();
      await adapter.close();
      await closeServer();
    },
  };
}
