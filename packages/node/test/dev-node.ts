import { type ChainHandle, type ProtocolName, devChainBlocks, inProcessAdapter, startChain } from '@aesc/chain';
import { type NodeHandle as LibraryNodeHandle, type StartNodeOptions as LibraryOptions, startNode as startLibraryNode } from '../src/start-node.js';
import { staticFiles } from '../src/ws/static-files.js';

/**
 * What the node's tests start: the node on the embedded dev chain (the chain's `/v3` API and
 * `/channel` on one port), or with `chainUrl` on a chain elsewhere. `@aesc/devnet` does the same
 * for users; the node's tests cannot depend on it (it depends on the node), so they wire it here.
 */
export type StartNodeOptions = Omit<LibraryOptions, 'chainUrl' | 'chain' | 'blocks' | 'server'> & {
  readonly chainUrl?: string;
  readonly networkId?: string;
  readonly protocol?: ProtocolName;
  readonly genesis?: string;
  readonly blockIntervalMs?: number;
  readonly autoMine?: boolean;
  readonly appDir?: string;
};

/** A node under test, with its embedded chain when it has one. */
export interface NodeHandle extends LibraryNodeHandle {
  readonly chain: ChainHandle | undefined;
}

/** Starts a node for a test: on the embedded dev chain (port 3013 unless given), or on `chainUrl`. */
export async function startNode(options: StartNodeOptions = {}): Promise<NodeHandle> {
  const { chainUrl, networkId, protocol, genesis, blockIntervalMs, autoMine, appDir, ...rest } = options;
  if (chainUrl !== undefined) return { ...(await startLibraryNode({ ...rest, chainUrl })), chain: undefined };
  const chain = await startChain({
    port: options.port ?? 3013,
    ...(options.host ? { host: options.host } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(networkId ? { networkId } : {}),
    ...(protocol ? { protocol } : {}),
    ...(genesis ? { genesis } : {}),
    ...(blockIntervalMs ? { blockIntervalMs } : {}),
    ...(autoMine === undefined ? {} : { autoMine }),
    ...(appDir ? { httpFallback: staticFiles(appDir) } : {}),
  });
  const adapter = inProcessAdapter(chain.chain);
  const node = await startLibraryNode({ ...rest, chain: adapter, blocks: devChainBlocks(chain.chain), server: chain.http.server });
  return {
    ...node,
    chain,
    async close() {
      await node.close();
      await adapter.close();
      await chain.close();
    },
  };
}
