import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnChild, stopChildren } from '../../../tooling/vitest/processes.js';
import { plain, wantsColor } from './colors.js';

const ESC = '\u001b[';
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const bad = ['inspect', 'ak_3NTNtGF'];

/** The built CLI on a pseudo-terminal (util-linux `script`): standard output and error together. */
function onPty(args: string[], env: Record<string, string>): Promise<string> {
  const child = spawnChild('script', ['-qec', [process.execPath, bin, ...args].join(' '), '/dev/null'], { env: { ...withoutColorVars(), ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let screen = '';
  child.stdout!.on('data', (d: Buffer) => (screen += d.toString()));
  // (no timer of its own: the test's timeout is the backstop, and afterEach stops what is left)
  return new Promise((resolve) =>
    child.on('close', () => {
      child.stdin!.destroy();
      resolve(screen);
    }),
  );
}

afterEach(() => stopChildren());

/**
 * The environment without the variables that switch colors on or off. `CI` is one: Node counts a
 * terminal under `CI` (of no vendor it knows) as a 2-color one, and CI sets it.
 */
function withoutColorVars(): Record<string, string | undefined> {
  const { NO_COLOR: _n, FORCE_COLOR: _f, CI: _c, ...env } = process.env;
  return env;
}

describe('colors', () => {
  it('the error label is red on a terminal, plain with NO_COLOR, in a pipe and with TERM=dumb', async () => {
    expect(await onPty(bad, { TERM: 'xterm-256color' })).toContain(`${ESC}31maesc: error 1004:${ESC}39m Wrong payload size`);
    expect(await onPty(bad, { TERM: 'xterm-256color', NO_COLOR: '1' })).toContain('aesc: error 1004: Wrong payload size');
    expect(await onPty(bad, { TERM: 'xterm-256color', NO_COLOR: '1' })).not.toContain(ESC);
    expect(await onPty(bad, { TERM: 'dumb' })).not.toContain(ESC);
    const piped = spawnSync(process.execPath, [bin, ...bad], { encoding: 'utf8', env: withoutColorVars() });
    expect(piped.stderr).toBe('aesc: error 1004: Wrong payload size for "ak_": expected 32 bytes, got 1\n');
  }, 60_000);

  it('decides per stream: NO_COLOR wins, FORCE_COLOR forces, else a color terminal', () => {
    const tty = { isTTY: true, hasColors: () => true };
    expect(wantsColor(tty, {})).toBe(true);
    expect(wantsColor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColor(tty, { NO_COLOR: '' })).toBe(true);
    expect(wantsColor({ isTTY: false }, {})).toBe(false);
    expect(wantsColor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(wantsColor({ isTTY: false }, { FORCE_COLOR: '1', NO_COLOR: 'x' })).toBe(false);
    expect(wantsColor(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(wantsColor({ isTTY: true, hasColors: () => false }, {})).toBe(false);
    expect(plain('red', 'x')).toBe('x');
  });
});
