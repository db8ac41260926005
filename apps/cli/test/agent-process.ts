import type { ChildProcess } from 'node:child_process';
import { spawnChild } from '../../../tooling/vitest/processes.js';

/** A running `aesc channel open|reestablish … --json` agent: its JSON events, as printed. */
export interface AgentProcess {
  readonly child: ChildProcess;
  readonly events: Record<string, unknown>[];
  /** The first event with these fields; rejects as soon as the agent ended without one. */
  waitFor(match: Record<string, unknown>): Promise<Record<string, unknown>>;
  readonly exited: Promise<number | null>;
  stderr(): string;
}

/**
 * Starts a channel agent of the built CLI (`bin`) in the foreground and adds it to `agents`, which
 * the test stops whatever its outcome. Waiting is on what the agent prints, not on the clock: a
 * wait ends with the event, or fails as soon as the agent has ended without it (its output read to
 * the end).
 */
export function agentProcess(bin: string, args: readonly string[], env: NodeJS.ProcessEnv, agents: Set<ChildProcess>): AgentProcess {
  const child = spawnChild(process.execPath, [bin, 'channel', ...args, '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  agents.add(child);
  const events: Record<string, unknown>[] = [];
  let buffer = '';
  let stderr = '';
  let ended = false;
  const checks = new Set<() => void>();
  const recheck = () => {
    for (const c of [...checks]) c();
  };
  child.stdout!.on('data', (d: Buffer) => {
    buffer += d.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const l of lines) if (l.trim() !== '') events.push(JSON.parse(l) as Record<string, unknown>);
    recheck();
  });
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  child.on('close', () => {
    ended = true;
    recheck();
  });
  const waitFor = (match: Record<string, unknown>) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const found = events.find((e) => Object.entries(match).every(([k, v]) => e[k] === v));
        if (found === undefined && !ended) return;
        checks.delete(check);
        if (found !== undefined) resolve(found);
        else reject(new Error(`aesc channel ${args.join(' ')} ended (exit ${child.exitCode}) before ${JSON.stringify(match)}: ${JSON.stringify(events)}; stderr: ${stderr}`));
      };
      checks.add(check);
      check();
    });
  return { child, events, waitFor, exited, stderr: () => stderr };
}
