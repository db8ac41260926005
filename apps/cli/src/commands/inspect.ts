import { inspectWithHashes } from '@aesc/state';
import { EXIT_BAD_INPUT, EXIT_OK, errorJson, errorLine } from '../errors.js';
import { type Io, nonEmptyLines } from '../io.js';
import { jsonStringify } from '../json.js';

export const INSPECT_HELP = `Usage: aesc inspect <encoded | ->

Decodes an API-encoded value (tx_, pi_, ss_, cs_, ak_, ch_, …) and prints it as JSON: the tag name,
the version and every field, nested objects decoded too; big integers as decimal strings.
For state trees (ss_) and proofs of inclusion (pi_) it adds, under "derived", the root hash of
each tree (hex; null for an empty tree) and the state hash (st_) they make.
With "-", reads one value per line from standard input and prints one JSON object per line
(a line that fails prints {"error": {code, message}} in its place).

Exit status: 0 when every value decoded, 2 otherwise.`;

/** `aesc inspect <encoded|->` */
export async function inspectCommand(args: readonly string[], io: Io): Promise<number> {
  const [input] = args;
  if (input !== '-') {
    io.out(jsonStringify(inspectWithHashes(input!), 2));
    return EXIT_OK;
  }
  let status = EXIT_OK;
  for (const { line, text } of nonEmptyLines(await io.readStdin())) {
    try {
      io.out(jsonStringify(inspectWithHashes(text)));
    } catch (e) {
      io.out(jsonStringify(errorJson(e)));
      io.err(`line ${line}: ${errorLine(e)}`);
      status = EXIT_BAD_INPUT;
    }
  }
  return status;
}
