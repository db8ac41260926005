import { type ParseArgsConfig, parseArgs } from 'node:util';
import { AESC_ERROR__CLI__USAGE, AescError } from '@aesc/errors';

/** The options a command accepts (`node:util` parseArgs form). */
export type Options = NonNullable<ParseArgsConfig['options']>;

/** A command's usage error: the reason, and where its help is. */
export type Usage = (reason: string) => AescError;

/** The usage error of `aesc <command>`: `<reason> (see "aesc <command> --help")`, code 10000. */
export function usageOf(command: string): Usage {
  return (reason) => new AescError(AESC_ERROR__CLI__USAGE, { reason: `${reason} (see "aesc ${command} --help")` });
}

/** Parses a command's arguments strictly (unknown options are usage errors) with positionals allowed. */
export function parseOptions(args: readonly string[], options: Options, usage: Usage) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw usage((e as Error).message);
  }
}

/** A non-negative integer option, or undefined when absent. */
export function intOption(value: unknown, name: string, usage: Usage): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw usage(`--${name} takes a non-negative integer`);
  return n;
}

/** A port option (0–65535; 0 picks a free port), or undefined when absent. */
export function portOption(value: unknown, name: string, usage: Usage): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || n > 65_535) throw usage(`--${name} takes a port, 0–65535, not "${String(value)}"`);
  return n;
}
