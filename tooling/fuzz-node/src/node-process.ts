import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The `aesc node start` process under fuzz. */
export interface NodeProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** `ws://127.0.0.1:<port>/channel` */
  readonly channelUrl: string;
  readonly host: string;
  readonly port: number;
  /** Whether it exited, and how. */
  readonly exit: { code: number | null; signal: string | null } | undefined;
  /** What it wrote to stderr (the last 64 KiB). */
  readonly stderr: () => string;
  /** Its resident memory now (`/proc/PID/status` VmRSS), in bytes. */
  rss(): number;
  stop(): Promise<void>;
}

/** Starts `node <cli> node start --port 0 --peers` and waits until it listens. */
export async function startNodeProcess(cli: string): Promise<NodeProcess> {
  const child = spawn(process.execPath, [cli, 'node', 'start', '--port', '0', '--peers'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let exit: NodeProcess['exit'];
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-65_536);
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    }),
  );
  const channelUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (ws:\/\/\S+\/channel)/.exec(out);
      if (m && out.includes('press Ctrl-C')) resolve(m[1]!);
    });
    child.once('exit', () => reject(new Error(`the node exited before it listened: ${out}${err}`)));
  });
  const u = new URL(channelUrl);
  return {
    child,
    pid: child.pid!,
    channelUrl,
    host: u.hostname,
    port: Number(u.port),
    get exit() {
      return exit;
    },
    stderr: () => err,
    rss() {
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        return m ? Number(m[1]) * 1024 : 0;
      } catch {
        return 0;
      }
    },
    async stop() {
      if (exit === undefined) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}
