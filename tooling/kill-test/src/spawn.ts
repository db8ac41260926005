import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';

/** Starts a child process (`node:child_process` spawn, or a test's tracked spawn). */
export type SpawnFn = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

/** Node's own spawn, each child in a process group of its own (as the tests' tracked spawn does). */
export const plainSpawn: SpawnFn = (command, args, options) => spawn(command, args, { ...options, detached: true });

/** Whether a child has exited. */
export const exited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

/** Resolves once `child` has exited (at once if it has). */
export function whenExited(child: ChildProcess): Promise<void> {
  if (exited(child)) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** SIGKILLs a child (nothing if it is gone) and resolves once it exited. */
export async function sigkill(child: ChildProcess): Promise<void> {
  if (!exited(child)) child.kill('SIGKILL');
  await whenExited(child);
}

/** Stops a child: SIGTERM, then SIGKILL after `graceMs`; resolves once it exited. */
export async function stop(child: ChildProcess, graceMs = 3_000): Promise<void> {
  if (exited(child)) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (!exited(child)) child.kill('SIGKILL');
  }, graceMs);
  await whenExited(child);
  clearTimeout(timer);
}
