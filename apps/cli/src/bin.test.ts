import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SEED_TRANSCRIPT, encodedStringsByPrefix, loadTranscript } from '@aesc/corpus';
import { describe, expect, it } from 'vitest';

// End to end through the built binary (the test command builds before it runs the tests).
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const aesc = (args: string[], input?: string) =>
  spawnSync(process.execPath, [bin, ...args], { input: input ?? '', encoding: 'utf8' });

describe('the aesc binary', () => {
  it('is built', () => {
    expect(existsSync(bin), `${bin} missing: run the build first`).toBe(true);
  });

  it('inspects and re-encodes a transaction, exit status 0', () => {
    const tx = [...(encodedStringsByPrefix([loadTranscript(SEED_TRANSCRIPT)]).get('tx') ?? [])][0]!;
    const inspected = aesc(['inspect', tx]);
    expect(inspected.status).toBe(0);
    expect(JSON.parse(inspected.stdout).tag).toBe('signed_tx');
    const encoded = aesc(['encode', '-'], inspected.stdout);
    expect(encoded.stdout.trim()).toBe(tx);
  });

  it('prints one coded line on stderr and exits 2 on bad input, never a stack trace', () => {
    const r = aesc(['inspect', 'ak_3NTNtGF']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('aesc: error 1004: Wrong payload size for "ak_": expected 32 bytes, got 1\n');
    const usage = aesc([]);
    expect(usage.status).toBe(2);
    expect(usage.stdout).toMatch(/^aesc /);
  });
});
