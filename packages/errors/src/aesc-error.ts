import type { AescErrorCode } from './codes.js';
import type { AescErrorContext } from './context.js';
import { AESC_ERROR_MESSAGES } from './messages.js';

/** The JSON form of an {@link AescError}, safe to send over the wire. */
export interface AescErrorJson<TCode extends AescErrorCode = AescErrorCode> {
  readonly name: 'AescError';
  readonly code: TCode;
  readonly message: string;
  readonly context: AescErrorContext[TCode];
}

function render(code: AescErrorCode, context: object): string {
  const template = AESC_ERROR_MESSAGES[code] ?? `aesc error ${code}`;
  return template.replace(/\$([A-Za-z][A-Za-z0-9]*)/g, (whole, key: string) =>
    key in context ? String((context as Record<string, unknown>)[key]) : whole,
  );
}

/**
 * The one error class of aesc. Every failure a caller can cause carries a stable numeric
 * `code` (see `codes.ts`) and a `context` typed per code.
 *
 * @example
 * ```ts
 * try { decodeApiString(s) } catch (e) {
 *   if (isAescError(e, AESC_ERROR__ENCODING__BAD_CHECKSUM)) console.log(e.context.prefix);
 * }
 * ```
 */
export class AescError<TCode extends AescErrorCode = AescErrorCode> extends Error {
  override readonly name = 'AescError' as const;
  readonly code: TCode;
  readonly context: AescErrorContext[TCode];

  constructor(code: TCode, context: AescErrorContext[TCode], options?: { cause?: unknown }) {
    super(render(code, context), options);
    this.code = code;
    this.context = context;
  }

  /** The error as plain JSON (name, code, message, context). */
  toJSON(): AescErrorJson<TCode> {
    return { name: this.name, code: this.code, message: this.message, context: this.context };
  }

  /** Rebuilds an error from its JSON form (for errors that crossed a wire). */
  static fromJSON<T extends AescErrorCode>(json: AescErrorJson<T>): AescError<T> {
    return new AescError(json.code, json.context);
  }
}

/**
 * Whether `e` is an {@link AescError}, optionally with the given code. Narrows `e.context`.
 * Works across duplicate copies of this package (it checks `name`, not `instanceof`).
 */
export function isAescError<TCode extends AescErrorCode>(
  e: unknown,
  code?: TCode,
): e is AescError<TCode> {
  return (
    e instanceof Error &&
    e.name === 'AescError' &&
    typeof (e as Error & { code?: unknown }).code === 'number' &&
    (code === undefined || (e as Error & { code?: unknown }).code === code)
  );
}
