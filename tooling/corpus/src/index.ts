/**
 * @packageDocumentation
 * Reads the channel API transcripts of `../shared/corpus` (or `$AESC_CORPUS`) losslessly: numbers
 * beyond 2^53 become bigint, every other number stays a number.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isSafeNumber, parse } from 'lossless-json';

/** One step of a transcript. */
export interface Step {
  readonly actor: 'initiator' | 'responder' | string;
  readonly kind: 'connect' | 'send' | 'recv' | 'info' | 'close' | string;
  readonly url?: string;
  readonly message?: unknown;
  readonly text?: string;
}

/** One transcript of the node's test suite. */
export interface Transcript {
  /** Path relative to the corpus root, e.g. `abort_updates/sc_ws_abort_settle.json`. */
  readonly file: string;
  readonly name: string;
  readonly group: string;
  readonly source: string;
  readonly steps: readonly Step[];
}

/** The corpus directory: `$AESC_CORPUS`, else `../shared/corpus` from the repository root. */
export function corpusDir(): string {
  if (process.env.AESC_CORPUS) return resolve(process.env.AESC_CORPUS);
  const here = dirname(fileURLToPath(import.meta.url));
  // tooling/corpus/{src,dist} → repository root is three levels up
  const dir = resolve(here, '../../../../shared/corpus');
  if (!existsSync(dir)) throw new Error(`corpus not found at ${dir}; set AESC_CORPUS`);
  return dir;
}

/** Parses JSON keeping big integers exact (as bigint). */
export function parseLossless(text: string): unknown {
  return parse(text, null, (value: string) => (isSafeNumber(value) ? Number(value) : BigInt(value)));
}

function listJson(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listJson(full));
    else if (entry.name.endsWith('.json') && entry.name !== 'index.json') out.push(full);
  }
  return out.sort();
}

/** Loads every transcript of the corpus, in path order. */
export function loadTranscripts(dir = corpusDir()): Transcript[] {
  return listJson(dir).map((file) => {
    const data = parseLossless(readFileSync(file, 'utf8')) as Omit<Transcript, 'file'>;
    return { ...data, file: relative(dir, file) };
  });
}

/** Loads one transcript by its relative path, e.g. `abort_updates/sc_ws_abort_settle.json`. */
export function loadTranscript(file: string, dir = corpusDir()): Transcript {
  const data = parseLossless(readFileSync(join(dir, file), 'utf8')) as Omit<Transcript, 'file'>;
  return { ...data, file };
}

/** Calls `visit` for every string in a JSON value (object keys included when `keys` is true). */
export function walkStrings(value: unknown, visit: (s: string) => void, keys = false): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) for (const v of value) walkStrings(v, visit, keys);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (keys) visit(k);
      walkStrings(v, visit, keys);
    }
  }
}

const ENCODED = /^[a-z]{2}_[A-Za-z0-9+/=]+$/;
const SNAKE_CASE = /^[a-z]+(_[a-z]+)+$/;

/** The query parameters of a connect step's URL. */
export function connectParams(step: Step): Record<string, string> {
  if (step.kind !== 'connect' || step.url === undefined) return {};
  return Object.fromEntries(new URL(step.url).searchParams.entries());
}

/** Every string in a transcript's messages and connect URLs that looks API-encoded (`xx_…`), with object keys. */
export function encodedStringsOf(t: Transcript): string[] {
  const out: string[] = [];
  for (const step of t.steps) {
    const visit = (s: string) => {
      if (ENCODED.test(s)) out.push(s);
    };
    // Object keys count too (contract store keys `ck_…`), but not snake_case field names like `tx_hash`.
    const visitKeyOrValue = (s: string) => {
      if (!SNAKE_CASE.test(s)) visit(s);
    };
    if (step.message !== undefined) walkStrings(step.message, visitKeyOrValue, true);
    for (const v of Object.values(connectParams(step))) visit(v);
  }
  return out;
}

/** Distinct API-encoded strings of the whole corpus, grouped by prefix. */
export function encodedStringsByPrefix(transcripts: readonly Transcript[]): Map<string, Set<string>> {
  const byPrefix = new Map<string, Set<string>>();
  for (const t of transcripts) {
    for (const s of encodedStringsOf(t)) {
      const p = s.slice(0, 2);
      const set = byPrefix.get(p) ?? new Set<string>();
      set.add(s);
      byPrefix.set(p, set);
    }
  }
  return byPrefix;
}

/** The network ids the corpus was recorded with. */
export const CORPUS_NETWORK_IDS = ['local_iris_testnet', 'local_lima_testnet'] as const;

/** The seed transcript the project was founded on. */
export const SEED_TRANSCRIPT = 'abort_updates/sc_ws_abort_settle.json';
