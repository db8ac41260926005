import { EventEmitter } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnChild, stopChildren } from '../../../tooling/vitest/processes.js';
import { PromptCanceled, type SecretInput, readSecret } from './secret-prompt.js';

/** A terminal in a test: records raw mode and lets the test type. */
function fakeTerminal() {
  const events = new EventEmitter();
  const modes: boolean[] = [];
  const input: SecretInput = {
    isTTY: true,
    setRawMode: (m) => modes.push(m),
    on: (e, l) => events.on(e, l),
    off: (e, l) => events.off(e, l),
    resume: () => undefined,
    pause: () => undefined,
  };
  let written = '';
  const output = { write: (s: string) => (written += s) };
  return { input, output, modes, type: (s: string) => events.emit('data', Buffer.from(s)), written: () => written, listeners: () => events.listenerCount('data') };
}

/** The environment without the variables that switch colors on or off. */
function withoutColorVars(): Record<string, string | undefined> {
  const { NO_COLOR: _n, FORCE_COLOR: _f, ...env } = process.env;
  return env;
}

describe('readSecret', () => {
  it('reads a line in raw mode, echoes nothing, and honours backspace and Ctrl-U', async () => {
    const t = fakeTerminal();
    const secret = readSecret('Password: ', t.input, t.output);
    t.type('wrong');
    t.type('\u0015'); // Ctrl-U: start again
    t.type('s3cx\u007fret');
    t.type('\r');
    expect(await secret).toBe('s3cret');
    expect(t.written()).toBe('Password: \n');
    expect(t.modes).toEqual([true, false]);
    expect(t.listeners()).toBe(0);
  });

  it('Ctrl-C rejects with canceled and Ctrl-D on an empty line with closed, leaving raw mode', async () => {
    const c = fakeTerminal();
    const canceled = readSecret('Password: ', c.input, c.output);
    c.type('abc\u0003');
    await expect(canceled).rejects.toEqual(new PromptCanceled('canceled'));
    expect(c.modes).toEqual([true, false]);
    const d = fakeTerminal();
    const closed = readSecret('Password: ', d.input, d.output);
    d.type('\u0004');
    await expect(closed).rejects.toMatchObject({ reason: 'closed' });
    expect(d.modes).toEqual([true, false]);
    expect(d.listeners()).toBe(0);
  });
});

// The built CLI on a pseudo-terminal (util-linux `script`): what a user at a terminal sees.
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
let home: string;

/** Runs `aesc args` on a pty; `answers` are typed, each once the text before it has appeared. */
function onPty(args: string[], answers: [RegExp, string][], env: Record<string, string> = {}) {
  const command = [process.execPath, bin, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawnChild('script', ['-qec', command, '/dev/null'], {
    env: { ...withoutColorVars(), AESC_HOME: home, AESC_PASSWORD: '', NO_COLOR: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  let next = 0;
  child.stdout!.on('data', (d: Buffer) => {
    screen += d.toString();
    while (next < answers.length && answers[next]![0].test(screen)) child.stdin!.write(answers[next++]![1]);
  });
  // (no timer of its own: the test's timeout is the backstop, and afterEach stops what is left)
  return new Promise<{ code: number | null; screen: string }>((resolve) =>
    child.on('close', (code) => {
      child.stdin!.destroy();
      resolve({ code, screen });
    }),
  );
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'aesc-pty-'));
});
afterEach(() => stopChildren());
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('the password prompt on a terminal', () => {
  it('asks twice for a new keystore, echoes nothing, and the keystore opens with what was typed', async () => {
    const r = await onPty(['account', 'new', 'carol'], [
      [/New password for account "carol": $/, 'hunter22\r'],
      [/Type it again: $/, 'hunter22\r'],
    ]);
    expect(r.code).toBe(0);
    expect(r.screen).toMatch(/carol ak_\w+ \(keystore /);
    expect(r.screen).not.toContain('hunter22');
    // the keystore holds that password: another process opens it with it, and not with another
    const keystore = JSON.parse(await readFile(join(home, 'accounts', 'carol.json'), 'utf8')) as { public_key: string };
    const opened = await onPty(['account', 'import', 'carol2', '--keystore', join(home, 'accounts', 'carol.json'), '--json'], [[/Password for account "carol2": $/, 'hunter22\r']]);
    expect(opened.code).toBe(0);
    expect(opened.screen).toContain(keystore.public_key);
    const wrong = await onPty(['account', 'import', 'carol3', '--keystore', join(home, 'accounts', 'carol.json')], [[/Password for account "carol3": $/, 'hunter2\r']]);
    expect(wrong.code).toBe(2);
    expect(wrong.screen).toMatch(/aesc: error 6000: /);
  }, 60_000);

  it('refuses two different passwords, Ctrl-C and an empty one with coded errors, and writes no keystore', async () => {
    const differ = await onPty(['account', 'new', 'dave'], [
      [/New password for account "dave": $/, 'one-thing\r'],
      [/Type it again: $/, 'another\r'],
    ]);
    expect([differ.code, differ.screen]).toEqual([2, expect.stringContaining('aesc: error 10040: The two passwords typed for account "dave" differ')]);
    const canceled = await onPty(['account', 'new', 'dave'], [[/New password for account "dave": $/, 'half\u0003']]);
    expect([canceled.code, canceled.screen]).toEqual([2, expect.stringContaining('aesc: error 10041: No password for account "dave": the prompt was canceled')]);
    const empty = await onPty(['account', 'new', 'dave'], [[/New password for account "dave": $/, '\r']]);
    expect([empty.code, empty.screen]).toEqual([2, expect.stringContaining('aesc: error 10006: ')]);
    for (const r of [differ, canceled, empty]) expect(r.screen).not.toMatch(/one-thing|another|half/);
    await expect(readFile(join(home, 'accounts', 'dave.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  }, 60_000);

  it('does not prompt when AESC_PASSWORD is set, nor when standard input is not a terminal', async () => {
    const fromEnv = await onPty(['account', 'new', 'erin'], [], { AESC_PASSWORD: 'from-env' });
    expect(fromEnv.code).toBe(0);
    expect(fromEnv.screen).not.toContain('password for');
    const piped = spawnChild(process.execPath, [bin, 'account', 'new', 'frank'], { env: { ...process.env, AESC_HOME: home, AESC_PASSWORD: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    piped.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise((r) => piped.on('close', r));
    expect([code, err.trim()]).toEqual([2, 'aesc: error 10006: No password for account "frank": give --password-file F, set AESC_PASSWORD, or type it at the prompt on a terminal']);
  }, 60_000);
});
