import { randomUUID } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';

/**
 * Every process a test run starts inherits `AESC_TEST_RUN` (set here, before the workers start, and
 * passed on by every spawn that does not replace the environment). When the run ends, any process
 * still carrying this run's mark was started by a test and left behind (an agent a failed test did
 * not stop, a node that ignored SIGTERM): it is listed, killed, and the run fails.
 */
const MARK = 'AESC_TEST_RUN';
/** How long processes that a test signalled last may take to exit (a node closing its database). */
const GRACE_MS = 5_000;

let run: string | undefined;

export function setup(): void {
  run = randomUUID();
  process.env[MARK] = run;
}

/** The processes (other than this one) whose environment carries the run's mark; Linux only (`/proc`). */
async function leftovers(mark: string): Promise<{ readonly pid: number; readonly command: string }[]> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  const found: { pid: number; command: string }[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const environ = await readFile(`/proc/${pid}/environ`, 'latin1');
      if (!environ.split('\0').includes(mark)) continue;
      // vitest's own workers (this process's children) carry the mark too; they end with the run
      const stat = await readFile(`/proc/${pid}/stat`, 'latin1');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === process.pid) continue;
      const command = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ').trim();
      found.push({ pid, command });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

export async function teardown(): Promise<void> {
  if (run === undefined) return;
  const mark = `${MARK}=${run}`;
  const deadline = Date.now() + GRACE_MS;
  let left = await leftovers(mark);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    left = await leftovers(mark);
  }
  if (left.length === 0) return;
  for (const p of left) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // exited meanwhile
    }
  }
  throw new Error(
    `${left.length} process(es) started by the tests were still running at the end of the run (now killed):\n${left.map((p) => `  ${p.pid} ${p.command}`).join('\n')}`,
  );
}
