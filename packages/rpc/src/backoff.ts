/** How a client reconnects after the connection drops. */
export interface ReconnectOptions {
  /** Attempts after a drop before giving up (default 5). `Infinity` retries forever. */
  readonly attempts?: number;
  /** Delay before the first attempt, in ms (default 250). */
  readonly initialDelayMs?: number;
  /** Upper bound of a delay, in ms (default 10 000). */
  readonly maxDelayMs?: number;
  /** Growth factor between attempts (default 2). */
  readonly factor?: number;
  /** Randomize each delay within [delay/2, delay] to spread reconnect storms (default false). */
  readonly jitter?: boolean;
}

/** The defaults of {@link ReconnectOptions}. */
export const DEFAULT_RECONNECT = {
  attempts: 5,
  initialDelayMs: 250,
  maxDelayMs: 10_000,
  factor: 2,
  jitter: false,
} as const;

/**
 * The delay before reconnect attempt `attempt` (1-based): exponential, capped.
 *
 * @example
 * ```ts
 * backoffDelay(3, { initialDelayMs: 100 }); // 400
 * ```
 */
export function backoffDelay(attempt: number, options: ReconnectOptions = {}, random: () => number = Math.random): number {
  const initial = options.initialDelayMs ?? DEFAULT_RECONNECT.initialDelayMs;
  const max = options.maxDelayMs ?? DEFAULT_RECONNECT.maxDelayMs;
  const factor = options.factor ?? DEFAULT_RECONNECT.factor;
  const delay = Math.min(max, initial * factor ** Math.max(0, attempt - 1));
  return options.jitter ? delay / 2 + (random() * delay) / 2 : delay;
}
