import { isAescError } from './aesc-error.js';
import type { AescErrorCode } from './codes.js';

/**
 * Runs `f` and returns the code of the {@link AescError} it throws, or undefined if it returns.
 * Any other exception is rethrown — handy in tests that assert "this input gives that code, and
 * never a crash".
 */
export function aescErrorCodeOf(f: () => unknown): AescErrorCode | undefined {
  try {
    f();
  } catch (e) {
    if (isAescError(e)) return e.code;
    throw e;
  }
  return undefined;
}

/** {@link aescErrorCodeOf} for async functions. */
export async function aescErrorCodeOfAsync(f: () => Promise<unknown>): Promise<AescErrorCode | undefined> {
  try {
    await f();
  } catch (e) {
    if (isAescError(e)) return e.code;
    throw e;
  }
  return undefined;
}
