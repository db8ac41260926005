import type { PairResult } from './measure.js';

/** Operations per second, rounded, with thousands separators. */
export const fmtOps = (x: number): string => Math.round(x).toLocaleString('en-US');
/** A ratio as `1.23×`. */
export const fmtRatio = (x: number): string => `${x.toFixed(2)}×`;
/** `x` rounded to `digits` decimals, as a number (for the JSON line). */
export const round = (x: number, digits = 0): number => Number(x.toFixed(digits));

interface Row {
  readonly what: string;
  readonly a: string;
  readonly b: string;
  readonly aOps: string;
  readonly bOps: string;
  readonly ratio: string;
  readonly spread: string;
  readonly note: string;
}

/** The table of pair measurements a benchmark prints at its end: one row per pair, A against B. */
export class ResultTable {
  readonly #rows: Row[] = [];

  add(what: string, a: string, b: string, r: PairResult, note = ''): void {
    this.#rows.push({
      what,
      a,
      b,
      aOps: fmtOps(r.a),
      bOps: fmtOps(r.b),
      ratio: fmtRatio(r.ratio),
      spread: `${r.sliceRatioMin.toFixed(2)} / ${r.sliceRatioMedian.toFixed(2)} / ${r.sliceRatioMax.toFixed(2)}`,
      note,
    });
  }

  print(): void {
    const header: Row = {
      what: 'measurement',
      a: 'A',
      b: 'B',
      aOps: 'A ops/s',
      bOps: 'B ops/s',
      ratio: 'A/B',
      spread: 'A/B per slice min / median / max',
      note: '',
    };
    const rows = this.#rows;
    const cols = Object.keys(header) as (keyof Row)[];
    const right = new Set<keyof Row>(['aOps', 'bOps', 'ratio', 'spread']);
    const width = (k: keyof Row) => Math.max(...[header, ...rows].map((r) => r[k].length));
    const line = (r: Row) =>
      cols
        .map((k) => (right.has(k) ? r[k].padStart(width(k)) : r[k].padEnd(width(k))))
        .join('  ')
        .trimEnd();
    console.log(line(header));
    console.log(cols.map((k) => '-'.repeat(width(k))).join('  '));
    for (const r of rows) console.log(line(r));
  }
}
