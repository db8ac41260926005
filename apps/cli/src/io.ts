import { readFile } from 'node:fs/promises';
import { type Paint, paintFor } from './colors.js';
import { readSecret } from './secret-prompt.js';

/** Where a command reads and writes; the real process in `bin.ts`, buffers in tests. */
export interface Io {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly readStdin: () => Promise<string>;
  readonly readFile: (path: string) => Promise<string>;
  /** The environment (AESC_HOME, AESC_PASSWORD); the process's own unless a test gives one. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * A live progress line (waiting for confirmations, a lock period): rewritten in place on a
   * terminal, one line per change otherwise. Goes to standard error, so `--json` output stays clean.
   */
  readonly progress?: (line: string | undefined) => void;
  /** Colors for standard output and standard error (none when absent). */
  readonly paint?: Paint;
  readonly paintErr?: Paint;
  /**
   * Asks for a secret on the terminal without echoing it; present only when standard input is a
   * terminal. Rejects with a `PromptCanceled` (Ctrl-C, or Ctrl-D before a line).
   */
  readonly promptSecret?: (prompt: string) => Promise<string>;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** The process's own standard streams and file system. */
export function processIo(): Io {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    readStdin: () => readAll(process.stdin),
    readFile: (path) => readFile(path, 'utf8'),
    env: process.env,
    progress: progressLine(process.stderr),
    paint: paintFor(process.stdout, process.env),
    paintErr: paintFor(process.stderr, process.env),
    ...(process.stdin.isTTY ? { promptSecret: (prompt: string) => readSecret(prompt, process.stdin, process.stderr) } : {}),
  };
}


/** The non-empty lines of a text, trimmed, with their 1-based line numbers. */
export function nonEmptyLines(text: string): { line: number; text: string }[] {
  return text
    .split(/\r?\n/)
    .map((t, i) => ({ line: i + 1, text: t.trim() }))
    .filter((l) => l.text.length > 0);
}

/** A progress line on a stream: `\r` and clear-to-end on a terminal; changed lines only otherwise. */
export function progressLine(stream: NodeJS.WriteStream): (line: string | undefined) => void {
  let last: string | undefined;
  return (line) => {
    if (line === last) return;
    if (stream.isTTY) {
      stream.write(line === undefined ? '\r\x1b[K' : `\r\x1b[K${line}`);
    } else if (line !== undefined) {
      stream.write(`${line}\n`);
    }
    last = line;
  };
}
