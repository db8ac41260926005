import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runChild, spawnChild, stopChild, stopChildren } from '../../../tooling/vitest/processes.js';

// The README's CLI examples, as written, with the PATH its install gives: every `aesc …` line of
// the sh blocks of its "The CLI" section runs in bash against a node (or chain) this test starts.
// Foreground commands (node start, chain start, channel open) run in the background until they
// are ready; their `--port 3013` becomes `--port 0` (tests listen on free ports), and `$AESC_NODE`
// points the other commands at them, as the README says it does. Shell variables the README sets
// (`tx=$(…)`, `export …`) carry over to the lines after them. A line that ends in `# exits N` must
// exit with N, every other one with 0.

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(repo, 'node_modules', '.bin');
const corpus = process.env.AESC_CORPUS ?? join(repo, '..', 'shared', 'corpus');

interface Line {
  readonly text: string;
  readonly exit: number;
}

/** The runnable lines of the README's CLI section: no comments, no blank lines. */
function readmeCliLines(readme: string): { install: string[]; lines: Line[] } {
  const start = readme.indexOf('## The CLI');
  const end = readme.indexOf('## The client app');
  const section = readme.slice(start, end);
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const all = blocks.flatMap((b) => b.split('\n')).filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  const install = all.filter((l) => l.startsWith('npx ') || l.startsWith('export PATH='));
  const lines = all
    .filter((l) => !install.includes(l))
    .map((l) => {
      const exit = /#\s*exits (\d+)\s*$/.exec(l);
      return { text: l.replace(/\s+#.*$/, '').trim(), exit: exit ? Number(exit[1]) : 0 };
    });
  return { install, lines };
}

/** What makes a foreground command ready, by its first words. */
function foreground(line: string): RegExp | undefined {
  if (line.startsWith('aesc node start')) return /press Ctrl-C to stop/;
  if (line.startsWith('aesc chain start')) return /press Ctrl-C to stop/;
  if (line.startsWith('aesc channel open') && line.includes('--role responder')) return /waiting for the initiator/;
  if (line.startsWith('aesc channel open')) return /open — channel/;
  return undefined;
}

const isAssignment = (line: string) => /^(export\s+)?[A-Za-z_]\w*=/.test(line) && !line.includes('&&');

let work: string;

afterAll(async () => {
  await stopChildren(); // the node and agents a failed run left
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

describe("the README's CLI examples", () => {
  it('run as written after its install, with its PATH, against a node this test starts', async () => {
    const readme = await readFile(join(repo, 'README.md'), 'utf8');
    const { install, lines } = readmeCliLines(readme);
    // The install the README gives: the build, then aesc on the PATH from node_modules/.bin.
    expect(install).toEqual(['npx -y pnpm@10.34.9 install --frozen-lockfile && npx -y pnpm@10.34.9 run build', 'export PATH="$PWD/node_modules/.bin:$PATH"']);
    expect(lines.length).toBeGreaterThan(25);

    // A directory beside a `shared` that is the corpus's parent, so that ../shared/corpus resolves.
    const root = await mkdtemp(join(tmpdir(), 'aesc-readme-'));
    work = root;
    await mkdir(join(root, 'repo'));
    await symlink(join(corpus, '..'), join(root, 'shared'));
    const cwd = join(root, 'repo');
    const { NO_COLOR: _n, FORCE_COLOR: _f, AESC_PASSWORD: _p, AESC_NODE: _a, ...inherited } = process.env;
    const env: Record<string, string | undefined> = { ...inherited, PATH: `${bin}:${process.env.PATH}`, AESC_HOME: join(root, 'home'), NO_COLOR: '1' };
    const which = await sh('command -v aesc', [], env, cwd);
    expect(which.out.trim()).toBe(join(bin, 'aesc'));

    const assignments: string[] = [];
    const outputs = new Map<string, { code: number | null; out: string; err: string }>();
    let server: ChildProcess | undefined;
    for (const { text, exit } of lines) {
      if (isAssignment(text)) {
        assignments.push(text);
        const r = await sh(text, assignments.slice(0, -1), env, cwd);
        expect(r.code, `${text}\n${r.err}`).toBe(0);
        continue;
      }
      const ready = foreground(text);
      if (ready === undefined) {
        const r = await sh(text, assignments, env, cwd);
        expect(r.code, `${text}\n${r.out}\n${r.err}`).toBe(exit);
        outputs.set(text, r);
        continue;
      }
      const isServer = text.startsWith('aesc node start') || text.startsWith('aesc chain start');
      if (isServer && server !== undefined) await stopChild(server);
      const child = spawnChild('bash', ['-c', `${assignments.join('\n')}\nexec ${text.replace('--port 3013', '--port 0')}`], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      const out = await printed(child, ready);
      expect(child.exitCode, `${text}\n${out}`).toBeNull();
      if (isServer) {
        server = child;
        env.AESC_NODE = /listening on (?:ws|http):\/\/(127\.0\.0\.1:\d+)/.exec(out)![1]!.replace(/^/, 'http://');
        // the dev chain's funded accounts, with their keys, under the dev-only warning
        expect(out).toContain('never on a real network');
      }
    }

    // What some of them printed: the README's comments hold.
    const get = (prefix: string) => [...outputs.entries()].find(([k]) => k.startsWith(prefix))![1];
    expect(JSON.parse(get('aesc verify --network-id local_iris_testnet "$signed"').out)).toMatchObject({ tx: 'channel_create_tx', valid: true, missing: [] });
    expect(JSON.parse(get('aesc verify --network-id local_iris_testnet "$tx"').out)).toMatchObject({ valid: false, signatures: [] });
    expect(get('aesc chain emit 10').out).toMatch(/^emitted 10 key block\(s\); height 10, kh_/);
    expect(JSON.parse(get('aesc chain emit 1 --json').out)).toMatchObject({ emitted: 1 });
    expect(get('aesc demo').out.trim().split('\n').at(-1)).toBe('settled balances: Alice 47 AE, Bob 43 AE');
    expect(get('aesc channel transfer bob 5ae --account alice').out.trim()).toMatch(/^round 2: alice 45 AE, bob 35 AE$/);
    const balance = JSON.parse(get('aesc account balance alice --json').out) as { balance: string };
    // alice put 50 AE into the channel, paid bob 5 and settled with 45, less the fees
    expect(100n * 10n ** 18n - BigInt(balance.balance)).toBeGreaterThan(5n * 10n ** 18n);
    expect(100n * 10n ** 18n - BigInt(balance.balance)).toBeLessThan(5n * 10n ** 18n + 10n ** 15n);
    if (server !== undefined) await stopChild(server);
  }, 240_000);
});

/** A line run in bash to its end (no timeout of its own: the test's is the backstop, and afterAll stops what is left). */
async function sh(line: string, before: readonly string[], env: Record<string, string | undefined>, cwd: string): Promise<{ code: number | null; out: string; err: string }> {
  return runChild('bash', ['-c', [...before, line].join('\n')], { cwd, env });
}

/**
 * What a foreground command printed (standard output and error) once `ready` matches it, or once
 * it ended without that: waiting is on its output, not on the clock.
 */
function printed(child: ChildProcess, ready: RegExp): Promise<string> {
  let out = '';
  return new Promise((resolve) => {
    const check = () => {
      if (ready.test(out) || child.exitCode !== null || child.signalCode !== null) resolve(out);
    };
    // (read to the end: a pipe nobody reads would stop a process that goes on printing)
    const onData = (d: Buffer) => {
      out += d.toString();
      check();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', check);
  });
}
