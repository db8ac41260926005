import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnChild } from '../../../../tooling/vitest/processes.js';

const dist = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
const chainDist = fileURLToPath(new URL('../../../chain/dist/index.js', import.meta.url));

/** A node in a process of its own, on the dev chain, both kept in one data directory: what a SIGKILL can stop. */
export interface NodeProcess {
  readonly child: ChildProcess;
  /** The chain's and the node's HTTP address (`http://127.0.0.1:PORT`). */
  readonly url: string;
  readonly port: number;
  /** `ws://127.0.0.1:PORT/channel`. */
  readonly channelUrl: string;
}

/** A directory for node processes (with the script that starts one); `dispose` removes it. */
export async function nodeProcessDir(): Promise<{ readonly dir: string; start(port?: number): Promise<NodeProcess>; kill(p: NodeProcess): Promise<void>; dispose(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'aesc-node-process-'));
  const script = join(dir, 'node.mjs');
  await writeFile(
    script,
    `import { devChainBlocks, inProcessAdapter, startChain } from ${JSON.stringify(chainDist)};
import { startNode } from ${JSON.stringify(dist)};
const chain = await startChain({ dataDir: process.argv[2], port: Number(process.argv[3]) });
const node = await startNode({ chain: inProcessAdapter(chain.chain), blocks: devChainBlocks(chain.chain), server: chain.http.server, dataDir: process.argv[2] });
console.log('ready ' + node.url);
`,
  );
  const data = join(dir, 'data');
  return {
    dir,
    async start(port = 0) {
      const child = spawnChild(process.execPath, [script, data, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d) => {
          out += d.toString();
          const m = /ready (\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`node exited with ${code}`)));
      });
      const p = Number(new URL(url).port);
      return { child, url, port: p, channelUrl: `ws://127.0.0.1:${p}/channel` };
    },
    async kill(p) {
      if (p.child.exitCode !== null || p.child.signalCode !== null) return;
      const exited = new Promise((r) => p.child.once('exit', r));
      p.child.kill('SIGKILL');
      await exited;
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
