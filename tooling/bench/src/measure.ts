/**
 * How the benchmarks measure: contenders timed in interleaved slices (a b, b a, …) in one process,
 * so that drift in machine load hits both, each measurement starting from a collected heap.
 *
 * Environment: `BENCH_SECONDS` (per contender and measurement, default 1.5), `BENCH_WARMUP_SECONDS`
 * (per contender, default 0.25), `BENCH_SLICES` (interleaved slices per measurement, default 10).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${raw}`);
  return value;
}

export const SECONDS = envNumber('BENCH_SECONDS', 1.5);
export const WARMUP_SECONDS = envNumber('BENCH_WARMUP_SECONDS', 0.25);
export const SLICES = Math.max(1, Math.round(envNumber('BENCH_SLICES', 10)));


/** One batch of work: returns a value folded into a sink so that nothing is optimized away. */
export type Batch = () => number | Promise<number>;

/** A contender: a batch and how many operations one batch performs. */
export interface Contender {
  readonly name: string;
  readonly batch: Batch;
  readonly opsPerBatch: number;
}

interface Tally {
  ops: number;
  ns: bigint;
}

let sink = 0;

/** The low bit of everything the batches returned (print it, so that no work can be optimized away). */
export const sinkBit = (): number => sink & 1;

/**
 * V8's `gc`, exposed at run time rather than with `node --expose-gc` so that the plain
 * `node tooling/bench/dist/codec.js` works; undefined where that is refused.
 */
function exposeGc(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? () => void gc() : undefined;
  } catch {
    return undefined;
  }
}

export const gc = exposeGc();
/** A full garbage collection, where available. */
export const fullGc = (): void => gc?.();

/** Runs batches until `ns` nanoseconds have passed; returns the operations done and the time taken. */
export async function runFor(c: Contender, ns: bigint): Promise<Tally> {
  let ops = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  do {
    const r = c.batch();
    sink ^= typeof r === 'number' ? r : await r;
    ops += c.opsPerBatch;
    elapsed = process.hrtime.bigint() - start;
  } while (elapsed < ns);
  return { ops, ns: elapsed };
}

/**
 * A contender that applies `op` to `items` in batches of `chunk`, cycling through them, so that a
 * batch is short (fine interleaving) and every item weighs the same over a measurement.
 */
export function over<T>(name: string, items: readonly T[], op: (item: T) => number, chunk = 64): Contender {
  if (items.length === 0) throw new Error(`${name}: nothing to measure`);
  let pos = 0;
  return {
    name,
    opsPerBatch: chunk,
    batch: () => {
      let x = 0;
      for (let i = 0; i < chunk; i++) {
        x ^= op(items[pos]!);
        if (++pos === items.length) pos = 0;
      }
      return x;
    },
  };
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((p, q) => p - q);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const toNs = (seconds: number): bigint => BigInt(Math.round(seconds * 1e9));
const opsPerSecond = (t: Tally): number => (t.ops * 1e9) / Number(t.ns);

/** The result of measuring two contenders against each other. */
export interface PairResult {
  readonly a: number;
  readonly b: number;
  /** a / b over the whole measurement. */
  readonly ratio: number;
  /** The lowest and highest a / b of the individual slices (how noisy the machine was). */
  readonly sliceRatioMin: number;
  readonly sliceRatioMedian: number;
  readonly sliceRatioMax: number;
}

/**
 * Warms both up, then measures them for `SECONDS` each in `SLICES` interleaved slices (a b, b a,
 * a b, …), after a full GC. ops/s = operations / elapsed, summed over the slices.
 */
export async function measurePair(a: Contender, b: Contender): Promise<PairResult> {
  fullGc();
  const warm = toNs(WARMUP_SECONDS / 2);
  for (let i = 0; i < 2; i++) {
    await runFor(a, warm);
    await runFor(b, warm);
  }
  fullGc();
  const slice = toNs(SECONDS / SLICES);
  const ta: Tally = { ops: 0, ns: 0n };
  const tb: Tally = { ops: 0, ns: 0n };
  const sliceRatios: number[] = [];
  for (let i = 0; i < SLICES; i++) {
    const order = i % 2 === 0 ? [a, b] : [b, a];
    const sa: Tally = { ops: 0, ns: 0n };
    const sb: Tally = { ops: 0, ns: 0n };
    for (const c of order) {
      const t = await runFor(c, slice);
      const into = c === a ? sa : sb;
      into.ops += t.ops;
      into.ns += t.ns;
    }
    sliceRatios.push(opsPerSecond(sa) / opsPerSecond(sb));
    ta.ops += sa.ops;
    ta.ns += sa.ns;
    tb.ops += sb.ops;
    tb.ns += sb.ns;
  }
  const ra = opsPerSecond(ta);
  const rb = opsPerSecond(tb);
  return {
    a: ra,
    b: rb,
    ratio: ra / rb,
    sliceRatioMin: Math.min(...sliceRatios),
    sliceRatioMedian: median(sliceRatios),
    sliceRatioMax: Math.max(...sliceRatios),
  };
}
