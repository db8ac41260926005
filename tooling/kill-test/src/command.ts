import { AESC_ERROR__KILL_TEST__BAD_COMMAND, AescError } from '@aesc/errors';
import type { ClientCommand } from './lines.js';

/** A line that is no command: the error, and the command id when the line had one. */
export type CommandError = AescError & { readonly id?: number };

const OPS = new Set(['transfer', 'deposit', 'withdraw', 'status', 'node-state', 'resume']);
const MAX_LINE = 4096;

function bad(reason: string, id?: number): CommandError {
  const e = new AescError(AESC_ERROR__KILL_TEST__BAD_COMMAND, { reason }) as CommandError;
  if (id !== undefined) Object.defineProperty(e, 'id', { value: id, enumerable: true });
  return e;
}

/**
 * Parses one line from the harness into a command, or throws an {@link AescError} (10090) naming
 * what is wrong, with the line's id when it had a usable one.
 */
export function parseCommand(line: string): ClientCommand {
  if (line.length > MAX_LINE) throw bad(`a line of ${line.length} characters (at most ${MAX_LINE})`);
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw bad('not JSON');
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw bad('not a JSON object');
  const o = json as Record<string, unknown>;
  if (typeof o.id !== 'number' || !Number.isSafeInteger(o.id) || o.id < 0) throw bad('no id (a non-negative integer)');
  const id = o.id;
  if (typeof o.op !== 'string' || !OPS.has(o.op)) throw bad(`unknown op ${JSON.stringify(o.op)}`, id);
  if (o.op === 'transfer' || o.op === 'deposit' || o.op === 'withdraw') {
    if (typeof o.amount !== 'string' || !/^[1-9][0-9]{0,30}$/.test(o.amount)) throw bad('amount is a positive decimal string', id);
    return { id, op: o.op, amount: o.amount };
  }
  return { id, op: o.op as 'status' | 'node-state' | 'resume' };
}
