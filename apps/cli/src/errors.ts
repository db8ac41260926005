import { AESC_ERROR__CLI__USAGE, type AescError, isAescError } from '@aesc/errors';

/** Exit statuses: 0 success, 1 a check failed (e.g. a signature), 2 bad input or usage. */
export const EXIT_OK = 0;
export const EXIT_CHECK_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

/** One line naming the error code, never a stack trace. */
export function errorLine(e: unknown): string {
  if (isAescError(e)) return `aesc: error ${e.code}: ${e.message}`;
  return `aesc: internal error: ${e instanceof Error ? e.message : String(e)}`;
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
