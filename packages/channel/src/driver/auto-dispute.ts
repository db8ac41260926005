import { AESC_ERROR__CHANNEL__NOT_ALLOWED_NOW, isAescError } from '@aesc/errors';
import type { ChannelEvent, ClientState } from '../machine/types.js';

/** What {@link autoDispute} needs of a client: its events, its state, and the slash and settle commands. */
export interface DisputableClient {
  state(): ClientState;
  on(listener: (event: ChannelEvent) => void, options?: { readonly signal?: AbortSignal }): () => void;
  slash(): Promise<unknown>;
  settle(): Promise<unknown>;
}

/** A step of a dispute, told to {@link AutoDisputeOptions.onProgress}. */
export type DisputeProgress =
  /** The node saw the peer's solo close (or slash) with a round older than this client's latest: slashing with it. */
  | { readonly type: 'slashing'; readonly round: bigint }
  /** The slash is on chain: the channel closes at this client's latest round. */
  | { readonly type: 'slashed'; readonly round: bigint }
  /** The settle is signed; the node posts it when the lock period ends. */
  | { readonly type: 'settling' }
  /** The settle is on chain: the channel paid out. */
  | { readonly type: 'settled' }
  /** A step failed; it is tried again on the node's next report of the stale close (`can_slash`). */
  | { readonly type: 'failed'; readonly step: 'slash' | 'settle'; readonly error: unknown };

/** Options of {@link autoDispute}. */
export interface AutoDisputeOptions {
  /** Settles once the slash is on chain (the node posts the settle when the lock period ends). True by default. */
  readonly settle?: boolean;
  /** Told of each step of a dispute. */
  readonly onProgress?: (progress: DisputeProgress) => void;
  /** Stops watching. */
  readonly signal?: AbortSignal;
}

/**
 * Disputes without the user: when the node reports that the peer closed the channel on chain
 * with a state older than this client's latest co-signed one (`can_slash`), slashes at once with
 * the latest state, and then settles, so that the channel pays out what was last agreed. The
 * æternity node only reports `can_slash`; this acts on it.
 *
 * A slash the client cannot start yet (a signing round of its own still running) starts as soon
 * as that round ends. Returns the function that stops watching.
 */
export function autoDispute(client: DisputableClient, options: AutoDisputeOptions = {}): () => void {
  const settle = options.settle ?? true;
  const tell = (p: DisputeProgress) => options.onProgress?.(p);
  // One dispute at a time: `wanted` is set by `can_slash` and cleared when a slash starts.
  let wanted = false;
  let running = false;
  let stopped = false;

  const run = async () => {
    running = true;
    wanted = false;
    const round = client.state().last?.state.round ?? 0n;
    tell({ type: 'slashing', round });
    try {
      await client.slash();
    } catch (error) {
      running = false;
      // Busy with a round of its own: the slash waits for that round to end (see `maybeRun`).
      if (isAescError(error, AESC_ERROR__CHANNEL__NOT_ALLOWED_NOW) && error.context.phase === 'busy') wanted = true;
      else tell({ type: 'failed', step: 'slash', error });
      maybeRun();
      return;
    }
    tell({ type: 'slashed', round });
    if (settle && !stopped) {
      tell({ type: 'settling' });
      try {
        await client.settle();
        tell({ type: 'settled' });
      } catch (error) {
        tell({ type: 'failed', step: 'settle', error });
      }
    }
    running = false;
    maybeRun();
  };

  const maybeRun = () => {
    if (stopped || running || !wanted) return;
    if (client.state().command !== undefined) return;
    void run();
  };

  const off = client.on((event) => {
    if (event.type === 'on-chain-tx' && event.info === 'can_slash') wanted = true;
    // Any event may be the end of the round that kept the slash waiting.
    queueMicrotask(maybeRun);
  });
  const stop = () => {
    stopped = true;
    off();
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  return stop;
}
