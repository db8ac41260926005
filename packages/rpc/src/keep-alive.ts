/** What {@link startKeepAlive} pings with and reports to. */
export interface KeepAliveHooks {
  /** Interval between pings, in ms. */
  readonly intervalMs: number;
  /** How long the connection may stay silent after a ping before it is taken for dead, in ms. */
  readonly timeoutMs: number;
  /** Whether a connection is up; the timer does nothing while none is. */
  readonly connected: () => boolean;
  /** Sends a ping; its throw or rejection is ignored (a failed ping shows up as a close). */
  readonly ping: () => unknown;
  /** The connection stayed silent for `silentMs` after a ping: the timer has stopped; drop the connection. */
  readonly onSilent: (silentMs: number) => void;
}

/** A running keep-alive timer. */
export interface KeepAlive {
  /** A frame or a pong came in. */
  readonly heard: () => void;
  /** Stops the timer. */
  readonly stop: () => void;
}

/**
 * Pings every `intervalMs` while connected, and reports a connection that has been silent (no frame
 * and no pong, see {@link KeepAlive.heard}) for `timeoutMs` since a ping: a half-open TCP
 * connection (a peer that vanished without closing) is found this way. The timer does not keep
 * the process alive.
 */
export function startKeepAlive(hooks: KeepAliveHooks): KeepAlive {
  /** When the last frame or pong came in (ms since the epoch). */
  let lastHeard = Date.now();
  let pingedAt: number | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  const stop = () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };
  timer = setInterval(() => {
    if (!hooks.connected()) return;
    if (pingedAt !== undefined && lastHeard < pingedAt && Date.now() - pingedAt >= hooks.timeoutMs) {
      // Silent since the last ping for too long: the connection is dead.
      stop();
      hooks.onSilent(Date.now() - lastHeard);
      return;
    }
    if (pingedAt === undefined || lastHeard >= pingedAt) pingedAt = Date.now();
    try {
      const r = hooks.ping();
      if (r instanceof Promise) r.catch(() => undefined);
    } catch {
      // a failed ping shows up as a close
    }
  }, hooks.intervalMs);
  (timer as { unref?: () => void }).unref?.();
  return {
    heard: () => {
      lastHeard = Date.now();
    },
    stop,
  };
}
