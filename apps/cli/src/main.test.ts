import { SEED_TRANSCRIPT, connectParams, encodedStringsByPrefix, loadTranscript, loadTranscripts } from '@aesc/corpus';
import { decodeTx, encodeTx } from '@aesc/encoding';
import { describe, expect, it } from 'vitest';
import type { Io } from './io.js';
import { main } from './main.js';

/** Runs the CLI in-process with buffered streams. */
async function run(args: string[], stdin = '', files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readStdin: async () => stdin,
    readFile: async (p) => {
      if (!(p in files)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return files[p]!;
    },
  };
  const status = await main(args, io);
  return { status, out, err };
}

const seed = loadTranscript(SEED_TRANSCRIPT);
const seedTxs = [...new Set(encodedStringsByPrefix([seed]).get('tx'))];
const { initiator_id: initiator, responder_id: responder } = connectParams(seed.steps.find((s) => s.kind === 'connect')!);
const NETWORK = 'local_iris_testnet';
/** The seed's txs as the node sent them: co-signed ones carry two signatures. */
const coSigned = seedTxs.filter((t) => decodeTx(t).signatures.length === 2);

describe('aesc inspect / encode', () => {
  it('inspects a tx and encodes the JSON back to the identical string', async () => {
    const tx = seedTxs[0]!;
    const inspected = await run(['inspect', tx]);
    expect(inspected.status).toBe(0);
    const json = JSON.parse(inspected.out.join('\n'));
    expect(json.tag).toBe('signed_tx');
    expect(json.tx.tag).toMatch(/^channel_/);
    const encoded = await run(['encode', 'tx.json'], '', { 'tx.json': inspected.out.join('\n') });
    expect(encoded).toMatchObject({ status: 0, out: [tx] });
  });

  it('round-trips every value of the corpus line by line through stdin', async () => {
    const values = [...encodedStringsByPrefix(loadTranscripts()).values()]
      .flatMap((s) => [...s])
      .filter((v) => !v.endsWith('_3NTNtGF'));
    const inspected = await run(['inspect', '-'], values.join('\n'));
    expect(inspected.status).toBe(0);
    expect(inspected.out).toHaveLength(values.length);
    const encoded = await run(['encode', '-'], inspected.out.join('\n'));
    expect(encoded.status).toBe(0);
    expect(encoded.out).toEqual(values);
  });

  it('shows the root hashes and the state hash of state trees and PoIs', async () => {
    const byPrefix = encodedStringsByPrefix(loadTranscripts());
    for (const prefix of ['ss', 'pi']) {
      const value = [...(byPrefix.get(prefix) ?? [])][0]!;
      const r = await run(['inspect', value]);
      const json = JSON.parse(r.out.join('\n'));
      expect(json.derived.stateHash).toMatch(/^st_/);
      expect(json.derived.rootHashes.accounts).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('reports bad input as one line with the error code and exit status 2', async () => {
    const bad = await run(['inspect', 'ak_3NTNtGF']);
    expect(bad.status).toBe(2);
    expect(bad.err).toEqual(['aesc: error 1004: Wrong payload size for "ak_": expected 32 bytes, got 1']);
    const checksum = await run(['inspect', `${seedTxs[0]!.slice(0, -4)}AAA=`]);
    expect(checksum.status).toBe(2);
    expect(checksum.err[0]).toMatch(/^aesc: error 10\d\d: /);
    const lines = await run(['inspect', '-'], `${seedTxs[0]}\nnot-encoded\n`);
    expect(lines.status).toBe(2);
    expect(lines.out).toHaveLength(2);
    expect(JSON.parse(lines.out[1]!)).toEqual({ error: { code: 1000, message: expect.any(String) } });
    expect(lines.err[0]).toMatch(/^line 2: aesc: error 1000: /);
    const json = await run(['encode', '-'], '{"tag":"signed_tx"');
    expect(json.status).toBe(2);
    expect(json.err[0]).toMatch(/^aesc: error 10002: Invalid JSON on line 1/);
    const missing = await run(['encode', 'nope.json']);
    expect(missing.err).toEqual(['aesc: error 10001: Cannot read nope.json: ENOENT']);
  });

  it('prints help everywhere and refuses unknown commands and options', async () => {
    expect((await run(['--help'])).out[0]).toMatch(/^aesc /);
    for (const cmd of ['inspect', 'encode', 'verify', 'chain', 'node', 'demo', 'account', 'channel']) {
      const help = await run([cmd, '--help']);
      expect(help.status).toBe(0);
      expect(help.out[0]).toMatch(new RegExp(`^Usage: aesc ${cmd}`));
    }
    // A subcommand's --help is its command's help.
    expect((await run(['channel', 'transfer', '--help'])).out[0]).toMatch(/^Usage: aesc channel/);
    const badSub = await run(['channel', 'frob', '--account', 'x']);
    expect(badSub.err[0]).toMatch(/^aesc: error 10000: unknown command "frob"/);
    const unknown = await run(['frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.err[0]).toMatch(/^aesc: error 10000: unknown command "frobnicate"/);
    expect((await run(['inspect', '--bogus', 'x'])).err[0]).toMatch(/^aesc: error 10000: unknown option --bogus/);
    expect((await run(['inspect'])).status).toBe(2);
  });

  it('with --json, an error is one JSON object with its code on standard output, and nothing on standard error', async () => {
    for (const args of [
      ['account', 'balance', 'nobody', '--json', '--home', '/nonexistent-aesc-home'],
      ['channel', 'status', '--account', 'nobody', '--json', '--home', '/nonexistent-aesc-home'],
      ['chain', 'accounts', '--count', 'x', '--json'],
    ]) {
      const r = await run(args);
      expect(r.status).toBe(2);
      expect(r.err).toEqual([]);
      expect(r.out).toHaveLength(1);
      expect(JSON.parse(r.out[0]!)).toEqual({ error: { code: expect.any(Number), message: expect.any(String) } });
    }
    expect(JSON.parse((await run(['account', 'balance', 'nobody', '--json', '--home', '/nonexistent-aesc-home'])).out[0]!)).toEqual({
      error: { code: 10005, message: 'No account named "nobody" (see "aesc account list")' },
    });
  });
});

describe('aesc verify', () => {
  it('reports who signed each co-signed tx of the seed, and in which form', async () => {
    expect(coSigned.length).toBeGreaterThan(0);
    for (const tx of coSigned) {
      const r = await run(['verify', '--network-id', NETWORK, '--signer', initiator!, '--signer', responder!, tx]);
      expect(r.status).toBe(0);
      const report = JSON.parse(r.out.join('\n'));
      expect(report.valid).toBe(true);
      expect(report.signatures.map((s: { signer: string }) => s.signer).sort()).toEqual([initiator, responder].sort());
      expect(report.signatures.every((s: { form: string }) => s.form === 'raw')).toBe(true);
      expect(report.hash).toMatch(/^th_/);
    }
  });

  it('checks every tx of the seed line by line, and fails where a signer is missing', async () => {
    const r = await run(['verify', '--network-id', NETWORK, '--signer', initiator!, '--signer', responder!, '-'], seedTxs.join('\n'));
    expect(r.out).toHaveLength(seedTxs.length);
    const reports = r.out.map((l) => JSON.parse(l));
    // every signature present verifies; txs the node sent for signing lack a signer
    expect(reports.flatMap((x) => x.signatures).every((s: { signer: string | null }) => s.signer !== null)).toBe(true);
    expect(reports.some((x) => x.missing.length > 0)).toBe(true);
    expect(r.status).toBe(1);
  });

  it('fails for the wrong network id or a signer that did not sign', async () => {
    const tx = coSigned[0]!;
    const wrong = await run(['verify', '--network-id', 'ae_mainnet', '--signer', initiator!, tx]);
    expect(wrong.status).toBe(1);
    expect(JSON.parse(wrong.out.join('\n')).signatures.every((s: { signer: null }) => s.signer === null)).toBe(true);
    const stranger = 'ak_11111111111111111111111111111115rHyByZ';
    const missing = await run(['verify', '--network-id', NETWORK, '--signer', stranger, tx]);
    expect(missing.status).toBe(1);
    expect(JSON.parse(missing.out.join('\n')).missing).toEqual([stranger]);
  });

  it('a channel create with no signature is not valid: it names both accounts, and both are missing', async () => {
    const signed = decodeTx(coSigned.find((t) => decodeTx(t).tx.tag === 'channel_create_tx')!);
    const bare = encodeTx({ ...signed, signatures: [] });
    const r = await run(['verify', '--network-id', NETWORK, bare]);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.out.join('\n'));
    expect(report).toMatchObject({ tx: 'channel_create_tx', valid: false, signatures: [], required: [initiator, responder], missing: [initiator, responder] });
    expect(report.hints).toEqual(['the transaction carries no signature', `${initiator} must sign and has not`, `${responder} must sign and has not`]);
    // one signature of two: still not valid
    const half = encodeTx({ ...signed, signatures: signed.signatures.slice(0, 1) });
    expect(JSON.parse((await run(['verify', '--network-id', NETWORK, half])).out.join('\n'))).toMatchObject({ valid: false, missing: [expect.any(String)] });
  });

  it('with the wrong network id, says which network id the signatures were made for', async () => {
    const tx = coSigned[0]!;
    const r = await run(['verify', '--network-id', 'ae_mainnet', '--signer', initiator!, '--signer', responder!, tx]);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.out.join('\n'));
    expect(report.signatures.every((s: { signer: null }) => s.signer === null)).toBe(true);
    expect(report.hints).toEqual(expect.arrayContaining([expect.stringMatching(/^signature 1 verifies for ak_\w+ with network id local_iris_testnet, not ae_mainnet$/)]));
    // a signature that verifies for nobody under any known network id says that too
    const stranger = decodeTx(tx);
    const forged = encodeTx({ ...stranger, signatures: [new Uint8Array(64).fill(7)] });
    const none = JSON.parse((await run(['verify', '--network-id', NETWORK, forged])).out.join('\n'));
    expect(none.hints[0]).toMatch(/^signature 1 verifies for none of the required accounts with network id local_iris_testnet, nor with ae_mainnet, /);
  });

  it('--help names the network ids of the corpus and of the public networks', async () => {
    const help = (await run(['verify', '--help'])).out.join('\n');
    for (const id of ['local_iris_testnet', 'local_lima_testnet', 'ae_mainnet', 'ae_uat', 'ae_dev']) expect(help).toContain(id);
  });

  it('refuses bad input with one coded line', async () => {
    expect((await run(['verify', coSigned[0]!])).err[0]).toMatch(/^aesc: error 10000: aesc verify needs --network-id/);
    expect((await run(['verify', '--network-id', NETWORK, '--signer', 'ak_3NTNtGF', coSigned[0]!])).err[0]).toMatch(
      /^aesc: error 10000: --signer ak_3NTNtGF is not a valid ak_ account/,
    );
    const bad = await run(['verify', '--network-id', NETWORK, 'tx_AAAA']);
    expect(bad.status).toBe(2);
    expect(bad.err[0]).toMatch(/^aesc: error 10\d\d: /);
    expect((await run(['verify', '--network-id', NETWORK, '--frob', 'x'])).err[0]).toMatch(/^aesc: error 10000: /);
  });
});
