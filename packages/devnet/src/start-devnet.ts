import { type ChainHandle, type ProtocolName, devChainBlocks, inProcessAdapter, startChain } from '@aesc/chain';
import type { Ed25519 } from '@aesc/crypto';
import { type ChannelEndpointOptions, type ChannelNode, type PeerTransport, type StateCache, staticFiles, startNode } from '@aesc/node';

/** Options of {@link startDevnet}. */
export interface DevnetOptions {
  /** Directory of the chain database and the state cache; omitted: both in memory. */
  readonly dataDir?: string;
  /** The port of `/channel` and of the chain's `/v3` API; 0 picks a free one. Default 3013. */
  readonly port?: number;
  readonly host?: string;
  readonly networkId?: string;
  readonly protocol?: ProtocolName;
  /** A genesis file; omitted: the dev accounts. */
  readonly genesis?: string;
  /** Make blocks on an interval instead of at once. */
  readonly blockIntervalMs?: number;
  /** false makes blocks only when asked (`GET /emit_mb`, `/emit_kb`) or on the interval; see `StartChainOptions.autoMine`. */
  readonly autoMine?: boolean;
  readonly createTxVersion?: 1 | 2;
  /** A built web app to serve at `/` on the same port (the client app). */
  readonly appDir?: string;
  /** Peers on other nodes (TCP with Noise). */
  readonly peerTransport?: PeerTransport;
  /** Where to keep each participant's latest co-signed state; by default SQLite in `dataDir`, else memory. */
  readonly stateCache?: StateCache;
  /** The Ed25519 implementation signatures are checked with (default: the platform's). */
  readonly ed25519?: Ed25519;
  /** How many FSMs may run at once. */
  readonly maxFsms?: number;
  /** The `/channel` endpoint's limits per connection. */
  readonly endpoint?: ChannelEndpointOptions;
  /** How long an FSM tries to reach its peer. */
  readonly connectTimeoutMs?: number;
}

/** A running dev chain with a channel node on it. */
export interface DevnetHandle {
  readonly node: ChannelNode;
  /** The embedded chain. */
  readonly chain: ChainHandle;
  /** `http://host:port`: the chain's `/v3` API. */
  readonly url: string;
  /** `ws://host:port/channel` */
  readonly channelUrl: string;
  /** Stops the node, then the chain. */
  close(): Promise<void>;
}

/**
 * Starts the embedded dev chain (its `/v3` HTTP API) and a channel node on it, the `/channel`
 * WebSocket endpoint on the chain's port: what `aesc node start` runs without `--chain-url`.
 */
export async function startDevnet(options: DevnetOptions = {}): Promise<DevnetHandle> {
  const chain = await startChain({
    port: options.port ?? 3013,
    host: options.host ?? '127.0.0.1',
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.networkId ? { networkId: options.networkId } : {}),
    ...(options.protocol ? { protocol: options.protocol } : {}),
    ...(options.genesis ? { genesis: options.genesis } : {}),
    ...(options.blockIntervalMs ? { blockIntervalMs: options.blockIntervalMs } : {}),
    ...(options.autoMine === undefined ? {} : { autoMine: options.autoMine }),
    ...(options.appDir ? { httpFallback: staticFiles(options.appDir) } : {}),
  });
  const adapter = inProcessAdapter(chain.chain);
  let node: Awaited<ReturnType<typeof startNode>>;
  try {
    node = await startNode({
      chain: adapter,
      blocks: devChainBlocks(chain.chain),
      server: chain.http.server,
      ...(options.host ? { host: options.host } : {}),
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.stateCache ? { stateCache: options.stateCache } : {}),
      ...(options.peerTransport ? { peerTransport: options.peerTransport } : {}),
      ...(options.createTxVersion ? { createTxVersion: options.createTxVersion } : {}),
      ...(options.ed25519 ? { ed25519: options.ed25519 } : {}),
      ...(options.maxFsms === undefined ? {} : { maxFsms: options.maxFsms }),
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
    });
  } catch (e) {
    await adapter.close();
    await chain.close();
    throw e;
  }
  return {
    node: node.node,
    chain,
    url: node.url,
    channelUrl: node.channelUrl,
    async close() {
      await node.close();
      await adapter.close();
      await chain.close();
    },
  };
}
