import { encodeInspectedWithHashes } from '@aesc/state';
import { AESC_ERROR__CLI__INPUT_NOT_READABLE, AESC_ERROR__CLI__INVALID_JSON, AescError } from '@aesc/errors';
import { EXIT_BAD_INPUT, EXIT_OK, errorJson, errorLine } from '../errors.js';
import { type Io, nonEmptyLines } from '../io.js';
import { jsonStringify } from '../json.js';

export const ENCODE_HELP = `Usage: aesc encode <file | ->

The inverse of "aesc inspect": reads the JSON that inspect prints and prints the API-encoded value
(tx_, pi_, ss_, …); what inspect derived ("derived") is ignored. The input is one JSON value (pretty-printed or not) or JSON lines, one value per
line, from a file or, with "-", from standard input; one encoded value is printed per JSON value.

Exit status: 0 when every value encoded, 2 otherwise.`;

function parseJson(text: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new AescError(AESC_ERROR__CLI__INVALID_JSON, { line, reason: (cause as Error).message }, { cause });
  }
}

/** `aesc encode <file|->` */
export async function encodeCommand(args: readonly string[], io: Io): Promise<number> {
  const [source] = args;
  let text: string;
  try {
    text = source === '-' ? await io.readStdin() : await io.readFile(source!);
  } catch (cause) {
    throw new AescError(
      AESC_ERROR__CLI__INPUT_NOT_READABLE,
      { source: source === '-' ? 'standard input' : source!, reason: (cause as NodeJS.ErrnoException).code ?? 'unreadable' },
      { cause },
    );
  }
  // One JSON document (e.g. the pretty output of `aesc inspect`), or JSON lines.
  let whole: unknown;
  let isWhole = true;
  try {
    whole = JSON.parse(text);
  } catch {
    isWhole = false;
  }
  const entries = isWhole ? [{ line: 1, value: () => whole }] : nonEmptyLines(text).map(({ line, text: t }) => ({ line, value: () => parseJson(t, line) }));
  let status = EXIT_OK;
  for (const { line, value } of entries) {
    try {
      io.out(encodeInspectedWithHashes(value()));
    } catch (e) {
      if (entries.length === 1) throw e;
      io.out(jsonStringify(errorJson(e)));
      io.err(`line ${line}: ${errorLine(e)}`);
      status = EXIT_BAD_INPUT;
    }
  }
  return status;
}
