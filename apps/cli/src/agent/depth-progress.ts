import type { ChainAdapter } from '@aesc/chain-api';

/** The txs whose inclusion a channel waits on for the minimum depth, and the report that ends the wait for this party. */
const LOCKED_BY: Readonly<Record<string, string>> = {
  channel_create_tx: 'own_funding_locked',
  channel_deposit_tx: 'own_deposit_locked',
  channel_withdraw_tx: 'own_withdraw_locked',
};

/** What {@link depthProgress} tells the agent to print. */
export type DepthReport =
  | { readonly event: 'depth'; readonly tx: string; readonly depth: number }
  | { readonly event: 'no_key_blocks'; readonly tx: string; readonly seconds: number };

export interface DepthProgressOptions {
  readonly chain: Pick<ChainAdapter, 'txDepth'>;
  readonly report: (r: DepthReport) => void;
  /** How often the tx's depth is read (ms). */
  readonly pollMs?: number;
  /** After how long without a new key block the hint is given, once a wait (ms); undefined: never (a public network, where key blocks come every few minutes). */
  readonly quietMs?: number | undefined;
}

/**
 * Progress while the channel waits for its own on-chain tx (create, deposit, withdraw) to be
 * deep enough: the node reports the tx included (`channel_changed`) and then nothing until the
 * minimum depth is reached, which on a dev chain that makes no key blocks of its own never comes.
 * So the agent reports the tx's depth as key blocks come, and once none has come for `quietMs`,
 * says how to make some. `onChainTx` and `onInfo` take the channel's `on_chain_tx` and `info`
 * reports; the wait ends with this party's `own_*_locked` or `stop`.
 */
export function depthProgress(o: DepthProgressOptions): {
  onChainTx(info: string, tag: string, txHash: string): void;
  onInfo(event: string): void;
  stop(): void;
} {
  const pollMs = o.pollMs ?? 1000;
  let wait: { ends: string; timer: ReturnType<typeof setInterval> } | undefined;

  const stop = () => {
    if (wait !== undefined) clearInterval(wait.timer);
    wait = undefined;
  };

  return {
    onChainTx(info, tag, txHash) {
      const ends = LOCKED_BY[tag];
      if (info !== 'channel_changed' || ends === undefined) return;
      stop();
      let depth: number | undefined;
      let since = 0;
      let hinted = false;
      const read = async () => {
        const d = await o.chain.txDepth(txHash).catch(() => null);
        if (wait?.timer !== timer || d === null) return;
        if (Number(d) !== depth) {
          depth = Number(d);
          since = 0;
          o.report({ event: 'depth', tx: tag, depth });
          return;
        }
        since += pollMs;
        if (!hinted && o.quietMs !== undefined && since >= o.quietMs) {
          hinted = true;
          o.report({ event: 'no_key_blocks', tx: tag, seconds: Math.round(since / 1000) });
        }
      };
      const timer = setInterval(() => void read(), pollMs);
      wait = { ends, timer };
      void read();
    },
    onInfo(event) {
      if (wait !== undefined && event === wait.ends) stop();
    },
    stop,
  };
}
