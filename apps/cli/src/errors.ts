import {
  AESC_ERROR__CHAIN__HTTP,
  AESC_ERROR__CHAIN__LISTEN_FAILED,
  AESC_ERROR__CLI__AGENT_NOT_RUNNING,
  AESC_ERROR__CLI__UNREACHABLE,
  AESC_ERROR__CLI__USAGE,
  AESC_ERROR__RPC__CONNECT_FAILED,
  AESC_ERROR__RPC__CONNECTION_CLOSED,
  type AescError,
  isAescError,
} from '@aesc/errors';
import { type Paint, plain } from './colors.js';

/**
 * Exit statuses: 0 success, 1 a check failed (e.g. a signature) or the channel or chain refused
 * what was asked, 2 bad input or usage, 3 a node, chain or channel agent could not be reached.
 */
export const EXIT_OK = 0;
export const EXIT_CHECK_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_UNREACHABLE = 3;

/** The exit status for an error: stable per error code range. */
export function exitCodeOf(e: unknown): number {
  const unreachable = [AESC_ERROR__CLI__UNREACHABLE, AESC_ERROR__CLI__AGENT_NOT_RUNNING, AESC_ERROR__RPC__CONNECT_FAILED, AESC_ERROR__RPC__CONNECTION_CLOSED];
  if (isAescError(e) && (unreachable as number[]).includes(e.code)) return EXIT_UNREACHABLE;
  // The chain's HTTP API answered with something other than its JSON (a proxy, another server).
  if (isAescError(e, AESC_ERROR__CHAIN__HTTP)) return EXIT_UNREACHABLE;
  // A port the user chose that is taken or not a port: bad input, like any other option.
  if (isAescError(e, AESC_ERROR__CHAIN__LISTEN_FAILED)) return EXIT_BAD_INPUT;
  if (isAescError(e)) {
    // @aesc/channel (7000–7999) and @aesc/chain (8000–8999): the peer, the node or the chain said no.
    if (e.code >= 7000 && e.code < 9000) return EXIT_CHECK_FAILED;
    return EXIT_BAD_INPUT;
  }
  return EXIT_BAD_INPUT;
}

/** One line naming the error code, never a stack trace; the label red on a color terminal. */
export function errorLine(e: unknown, paint: Paint = plain): string {
  if (isAescError(e)) return `${paint('red', `aesc: error ${e.code}:`)} ${e.message}`;
  return `${paint('red', 'aesc: internal error:')} ${e instanceof Error ? e.message : String(e)}`;
}

/** The JSON printed in place of a result for an input line that failed. */
export function errorJson(e: unknown): { error: { code: number | null; message: string } } {
  if (isAescError(e)) return { error: { code: e.code, message: e.message } };
  return { error: { code: null, message: e instanceof Error ? e.message : String(e) } };
}

/** Whether an error is a usage error (it prints the command's help hint). */
export function isUsageError(e: unknown): e is AescError<typeof AESC_ERROR__CLI__USAGE> {
  return isAescError(e, AESC_ERROR__CLI__USAGE);
}
