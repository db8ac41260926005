import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';

/**
 * Child processes that tests start, each the leader of a process group of its own, so that one
 * signal stops it and whatever it started. Tests stop them in `afterEach`/`afterAll` (or `finally`)
 * whatever the outcome; `global-setup.ts` fails the run if any process the tests started is left.
 */
const running = new Set<ChildProcess>();

/** Starts a tracked child process in a process group of its own (`detached`, but still waited for). */
export function spawnChild(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

const gone = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is gone already
  }
}

/**
 * Stops a child and its process group: SIGTERM (an agent leaves the channel on it, a node shuts
 * down), then SIGKILL if the group leader has not exited after `graceMs`. Resolves once it exited.
 */
export async function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.pid === undefined) return;
  if (gone(child)) {
    signalGroup(child, 'SIGKILL'); // anything it started and left behind
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), graceMs);
  });
  if ((await Promise.race([exited, late])) === 'late') {
    signalGroup(child, 'SIGKILL');
    await exited;
  }
  clearTimeout(timer);
  signalGroup(child, 'SIGKILL');
}

/** Stops every tracked child still running (for `afterEach`/`afterAll`). */
export async function stopChildren(graceMs?: number): Promise<void> {
  await Promise.all([...running].map((c) => stopChild(c, graceMs)));
}

/** Runs a tracked child to its end and returns its exit code and output (like `execFile`, without a shell). */
export function runChild(
  command: string,
  args: readonly string[],
  options: Omit<SpawnOptions, 'stdio'> = {},
): Promise<{ readonly code: number; readonly out: string; readonly err: string }> {
  const child = spawnChild(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code: code ?? (signal === null ? -1 : 128), out, err }));
  });
}
