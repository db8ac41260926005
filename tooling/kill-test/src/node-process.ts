import type { ChildProcess } from 'node:child_process';
import { type SpawnFn, sigkill, stop } from './spawn.js';

/** `aesc node start --data-dir D --port P`: the channel node and its embedded dev chain, in a process. */
export interface NodeProcess {
  readonly child: ChildProcess;
  /** `ws://127.0.0.1:P/channel` */
  readonly channelUrl: string;
  /** `http://127.0.0.1:P`: the chain's HTTP API (`/v3`, `/emit_kb`). */
  readonly httpUrl: string;
  readonly port: number;
  /** The last 16 KiB it wrote to stderr. */
  stderr(): string;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the built CLI's node on `dataDir` (its chain and state cache persist there) and `port`
 * (0: a free one) and resolves once it listens; rejects with its output if it exits first or does
 * not listen within `timeoutMs`.
 */
export async function startNodeProcess(p: {
  readonly cli: string;
  readonly dataDir: string;
  readonly port: number;
  readonly spawn: SpawnFn;
  readonly timeoutMs: number;
}): Promise<NodeProcess> {
  const child = p.spawn(process.execPath, [p.cli, 'node', 'start', '--data-dir', p.dataDir, '--port', String(p.port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' }, // plain lines, whatever the terminal
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-16_384);
  });
  let out = '';
  let timer: NodeJS.Timeout | undefined;
  try {
    const [channelUrl, httpUrl] = await new Promise<[string, string]>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        if (out.length < 65_536) out += d.toString();
        const ws = /listening on (ws:\/\/\S+\/channel)/.exec(out);
        const http = /HTTP API on (http:\/\/\S+)\/v3/.exec(out);
        if (ws && http && out.includes('press Ctrl-C')) resolve([ws[1]!, http[1]!]);
      });
      child.once('exit', (code, signal) => reject(new Error(`the node exited (${code ?? signal}) before it listened: ${out}${err}`)));
      timer = setTimeout(() => reject(new Error(`the node did not listen within ${p.timeoutMs} ms: ${out}${err}`)), p.timeoutMs);
    });
    child.stdout!.resume();
    return {
      child,
      channelUrl,
      httpUrl,
      port: Number(new URL(channelUrl).port),
      stderr: () => err,
      kill: () => sigkill(child),
      stop: () => stop(child),
    };
  } catch (e) {
    await sigkill(child);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
