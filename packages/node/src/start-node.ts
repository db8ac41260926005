import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type BlockSource, type ChainAdapter, httpAdapter, httpBlocks, listenOn } from '@aesc/chain-api';
import type { Ed25519 } from '@aesc/crypto';
import { sqliteStateCache } from './cache/sqlite-state-cache.js';
import { type StateCache, memoryStateCache } from './cache/state-cache.js';
import { ChannelNode, type ChannelNodeOptions, type PeerTransport } from './channel-node.js';
import { type ChannelEndpointOptions, serveChannelEndpoint } from './ws/channel-endpoint.js';

/** The chain a node runs on: a server with the æternity node's HTTP API, or an adapter and a block source. */
export type NodeChain =
  | {
      /** The chain at this URL (the æternity node's HTTP API, or the dev chain's). */
      readonly chainUrl: string;
    }
  | {
      /** The chain the FSMs post to and watch (`@aesc/chain-api`'s `httpAdapter`, `@aesc/chain`'s `inProcessAdapter`, or your own). */
      readonly chain: ChainAdapter;
      /** Where the FSMs look blocks up (`httpBlocks`, `devChainBlocks`, …). */
      readonly blocks: BlockSource;
    };

/** Options of {@link startNode}. */
export type StartNodeOptions = NodeChain & {
  /**
   * A listening HTTP server to serve `/channel` on (the dev chain's, next to its `/v3` API, say):
   * the node adds the endpoint and leaves the server to its owner. Omitted: the node creates one
   * on `host:port`, answering other paths 404, and closes it.
   */
  readonly server?: Server;
  /** The port of the server the node creates; 0 picks a free one. Default 3014. */
  readonly port?: number;
  /** The host of the server the node creates (and of the URLs). Default 127.0.0.1. */
  readonly host?: string;
  /** Directory of the state cache; omitted: in memory. */
  readonly dataDir?: string;
  readonly createTxVersion?: 1 | 2;
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
};

/** A running node. */
export interface NodeHandle {
  readonly node: ChannelNode;
  /** `http://host:port` */
  readonly url: string;
  /** `ws://host:port/channel` */
  readonly channelUrl: string;
  /** Stops the endpoint and the FSMs, releases the adapter the node made (not one it was given) and closes the server it created. */
  close(): Promise<void>;
}

/**
 * Starts a channel node on a chain: the `/channel` WebSocket endpoint, one FSM per participant,
 * and the state cache, on a server of its own or the one it is given. With `chainUrl` it talks to
 * that chain over its HTTP API; with `chain` and `blocks`, to whatever they are.
 */
export async function startNode(options: StartNodeOptions): Promise<NodeHandle> {
  const host = options.host ?? '127.0.0.1';
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const cache: StateCache = options.stateCache ?? (options.dataDir ? sqliteStateCache(join(options.dataDir, 'state-cache.sqlite')) : memoryStateCache());
  const ownAdapter = 'chainUrl' in options;
  const adapter = 'chainUrl' in options ? httpAdapter(options.chainUrl, { pollMs: 250 }) : options.chain;
  const blocks = 'chainUrl' in options ? httpBlocks(options.chainUrl) : options.blocks;
  const release = async () => {
    if (ownAdapter) await adapter.close();
    if (options.stateCache === undefined) await cache.close();
  };
  let server: Server;
  let closeServer: () => Promise<void>;
  if (options.server) {
    server = options.server;
    closeServer = async () => {};
  } else {
    const own = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"reason":"Not found"}');
    });
    try {
      await listenOn(own, options.port ?? 3014, host);
    } catch (e) {
      await release();
      throw e;
    }
    server = own;
    closeServer = () =>
      new Promise<void>((r) => {
        own.close(() => r());
        own.closeAllConnections();
      });
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
    url: `http://${host}:${port}`,
    channelUrl: `ws://${host}:${port}/channel`,
    async close() {
      await detach();
      await node.close();
      if (ownAdapter) await adapter.close();
      await closeServer();
    },
  };
}
