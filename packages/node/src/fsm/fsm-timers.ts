/** A pending timer: what it runs, after how long. */
interface ArmedTimer {
  timer: NodeJS.Timeout;
  readonly ms: number;
  onTimeout: (() => void) | undefined;
}

/**
 * The longest delay one Node.js timer takes (2^31 − 1 ms, about 24.8 days): a longer one fires
 * after 1 ms instead, with a `TimeoutOverflowWarning`.
 */
export const MAX_TIMER_DELAY = 2 ** 31 - 1;

/**
 * An FSM's named timers (the node's state timeouts: `sign`, `idle`, `funding_lock`, …): at most
 * one pending per name. A timer that runs out is forgotten and handed to `fired` with its
 * `onTimeout` (undefined: the FSM's own timeout, which ends it); `fired` decides when and how that
 * runs (the FSM queues it behind its other inputs). A duration beyond {@link MAX_TIMER_DELAY} (a
 * client may ask for a `timeout_idle` of years, as the node's timers take it) runs as a chain of
 * timers that together last as long.
 */
export class FsmTimers {
  readonly #timers = new Map<string, ArmedTimer>();
  readonly #fired: (onTimeout: (() => void) | undefined) => void;

  constructor(fired: (onTimeout: (() => void) | undefined) => void) {
    this.#fired = fired;
  }

  /**
   * (Re)starts the timer `name`: `onTimeout` after `ms`. A timer still pending with the same
   * duration is restarted in place (`refresh`): the idle timer is restarted by every input,
   * several times a round, and a new `Timeout` each time was a cost of its own.
   */
  arm(name: string, ms: number, onTimeout?: () => void): void {
    const armed = this.#timers.get(name);
    if (armed !== undefined && armed.ms === ms && ms <= MAX_TIMER_DELAY) {
      armed.onTimeout = onTimeout;
      armed.timer.refresh();
      return;
    }
    if (armed !== undefined) clearTimeout(armed.timer);
    const entry: ArmedTimer = { ms, onTimeout, timer: undefined as unknown as NodeJS.Timeout };
    const wait = (left: number) => {
      entry.timer = setTimeout(() => {
        if (left > MAX_TIMER_DELAY) return wait(left - MAX_TIMER_DELAY);
        this.#timers.delete(name);
        this.#fired(entry.onTimeout);
      }, Math.min(left, MAX_TIMER_DELAY));
    };
    wait(ms);
    this.#timers.set(name, entry);
  }

  /** Stops the timer `name`, if pending. */
  disarm(name: string): void {
    const t = this.#timers.get(name);
    if (t === undefined) return;
    clearTimeout(t.timer);
    this.#timers.delete(name);
  }

  /** Whether the timer `name` is pending. */
  has(name: string): boolean {
    return this.#timers.has(name);
  }

  /** Stops every timer. */
  clear(): void {
    for (const t of this.#timers.values()) clearTimeout(t.timer);
    this.#timers.clear();
  }
}
