/**
 * `pnpm bench:hash`: @aesc/crypto's BLAKE2b against @noble/hashes, on the input sizes the project
 * hashes: BLAKE2b-256 (`aec_hash`: tree nodes, ids, state and tx hashes), BLAKE2b-512 and HMAC over
 * it (the peer protocol's Noise handshake). Each ratio is measured in the same process and run, in
 * interleaved slices (see `measure.ts`).
 *
 * `--base FILE` also measures this build's `blake2b256` against the one exported by FILE (another
 * checkout's built `packages/crypto/dist/index.js` or `packages/encoding/dist/index.js`), in the
 * same interleaved way: a change to the hash compared before and after, in one run.
 *
 * Prints a table, then one line `BENCH_JSON {…}` with every figure for scripts.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { blake2b256, blake2b512, hmacBlake2b512 } from '@aesc/crypto';
import { blake2b } from '@noble/hashes/blake2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { type PairResult, SECONDS, SLICES, WARMUP_SECONDS, gc, measurePair, over, sinkBit } from './measure.js';
import { ResultTable, round } from './table.js';

type Hash = (data: Uint8Array) => Uint8Array;

/** What the node hashes most: 32-byte keys, short RLP nodes, 96-byte id inputs, branch nodes, a tx. */
const SIZES = [32, 64, 96, 200, 532, 1000];
/** Inputs per size, so that a measurement does not hash one array over and over. */
const INPUTS = 64;

const log = (s = ''): void => console.log(s);

function inputs(size: number): Uint8Array[] {
  return Array.from({ length: INPUTS }, (_, k) => Uint8Array.from({ length: size }, (_, i) => (i * 131 + k * 17 + size) & 0xff));
}

const equal = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

async function loadBase(file: string): Promise<Hash> {
  const mod = (await import(pathToFileURL(resolve(file)).href)) as { blake2b256?: unknown };
  if (typeof mod.blake2b256 !== 'function') throw new Error(`${file} exports no blake2b256`);
  return mod.blake2b256 as Hash;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { base: { type: 'string' } } });
  const base = values.base === undefined ? undefined : await loadBase(values.base);
  log(`aesc hash benchmark — node ${process.version}, ${process.platform}/${process.arch}`);
  log(
    `BENCH_SECONDS=${SECONDS} per contender and measurement (${SLICES} interleaved slices), ` +
      `warm-up ${WARMUP_SECONDS} s, full GC before each: ${gc !== undefined ? 'yes' : 'NO (unavailable)'}`,
  );
  log();

  const table = new ResultTable();
  const json: Record<string, unknown> = { node: process.version, benchSeconds: SECONDS, slices: SLICES };
  const figures = (r: PairResult) => ({ a: round(r.a), b: round(r.b), ratio: round(r.ratio, 3), sliceRatioMedian: round(r.sliceRatioMedian, 3) });
  let disagreements = 0;
  const check = (ours: Uint8Array, theirs: Uint8Array) => {
    if (!equal(ours, theirs)) disagreements++;
  };

  const noble256: Hash = (d) => blake2b(d, { dkLen: 32 });
  const noble512: Hash = (d) => blake2b(d, { dkLen: 64 });
  for (const size of SIZES) {
    const data = inputs(size);
    for (const d of data) {
      check(blake2b256(d), noble256(d));
      check(blake2b512(d), noble512(d));
      if (base !== undefined) check(blake2b256(d), base(d));
    }
    log(`measuring ${size}-byte inputs …`);
    if (base !== undefined) {
      const r = await measurePair(
        over('this build blake2b256', data, (d) => blake2b256(d)[0]!),
        over('base blake2b256', data, (d) => base(d)[0]!),
      );
      table.add('blake2b256', 'this build', '--base', r, `${size} bytes`);
      json[`blake2b256VsBase${size}`] = figures(r);
    }
    const r256 = await measurePair(
      over('aesc blake2b256', data, (d) => blake2b256(d)[0]!),
      over('noble blake2b dkLen 32', data, (d) => noble256(d)[0]!),
    );
    table.add('blake2b256', '@aesc/crypto', '@noble/hashes', r256, `${size} bytes`);
    json[`blake2b256VsNoble${size}`] = figures(r256);
    const r512 = await measurePair(
      over('aesc blake2b512', data, (d) => blake2b512(d)[0]!),
      over('noble blake2b dkLen 64', data, (d) => noble512(d)[0]!),
    );
    table.add('blake2b512', '@aesc/crypto', '@noble/hashes', r512, `${size} bytes`);
    json[`blake2b512VsNoble${size}`] = figures(r512);
  }

  // Noise's HKDF: HMAC-BLAKE2b with a 64-byte chaining key over a 32-byte DH output or 1–65 bytes.
  const keys = inputs(64);
  const messages = inputs(32);
  const pairs = keys.map((k, i) => [k, messages[i]!] as const);
  for (const [k, m] of pairs) check(hmacBlake2b512(k, m), hmac(blake2b, k, m));
  log('measuring HMAC …');
  const rHmac = await measurePair(
    over('aesc hmacBlake2b512', pairs, ([k, m]) => hmacBlake2b512(k, m)[0]!),
    over('noble hmac(blake2b)', pairs, ([k, m]) => hmac(blake2b, k, m)[0]!),
  );
  table.add('HMAC-BLAKE2b', '@aesc/crypto', '@noble/hashes', rHmac, '64-byte key, 32 bytes');
  json.hmacVsNoble = figures(rHmac);

  log();
  table.print();
  log();
  log(`checks: digests that differ from the reference: ${disagreements}`);
  json.disagreements = disagreements;
  json.sink = sinkBit();
  console.log(`BENCH_JSON ${JSON.stringify(json)}`);
  if (disagreements > 0) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
