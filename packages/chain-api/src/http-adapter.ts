import type { AccountAddress, ChannelId } from '@aesc/encoding';
import { decodeTx } from '@aesc/encoding';
import { channelId } from '@aesc/crypto';
import { AESC_ERROR__CHAIN__HTTP, AESC_ERROR__CHAIN__NEEDS_VM, AESC_ERROR__CHAIN__TX_REJECTED, AescError } from '@aesc/errors';
import type { AccountInfo, AdapterEvent, ChainAdapter, ChainInfo, ChannelObject } from './chain-adapter.js';
import { DEFAULT_MIN_MINER_GAS_PRICE } from './gas-price.js';
import { parseJson } from './json.js';
import { signedTxFromJson } from './tx-from-json.js';

/** Options of {@link httpAdapter}. */
export interface HttpAdapterOptions {
  /** How often subscriptions poll (ms). Default 1000. */
  readonly pollMs?: number;
  /** The fetch to use (default: the global one). */
  readonly fetch?: typeof fetch;
}

const big = (v: unknown) => BigInt(v as number | bigint);

function channelFromJson(j: Record<string, unknown>): ChannelObject {
  return {
    id: j.id as ChannelId,
    initiatorId: j.initiator_id as AccountAddress,
    responderId: j.responder_id as AccountAddress,
    channelAmount: big(j.channel_amount),
    initiatorAmount: big(j.initiator_amount),
    responderAmount: big(j.responder_amount),
    channelReserve: big(j.channel_reserve),
    stateHash: j.state_hash as string,
    round: big(j.round),
    soloRound: big(j.solo_round),
    lockPeriod: big(j.lock_period),
    lockedUntil: big(j.locked_until),
  };
}

const same = (a: ChannelObject | null, b: ChannelObject | null) =>
  a === b || (a !== null && b !== null && Object.entries(a).every(([k, v]) => (b as unknown as Record<string, unknown>)[k] === v));

/** The channel a tx (as the node's API shows it) touches: its `channel_id`, or for a create tx the id it makes. */
function channelOfTxJson(tx: Record<string, unknown> | undefined): ChannelId | undefined {
  if (tx === undefined) return undefined;
  if (typeof tx.channel_id === 'string') return tx.channel_id as ChannelId;
  if (tx.type === 'ChannelCreateTx' && typeof tx.initiator_id === 'string' && typeof tx.responder_id === 'string') {
    try {
      return channelId(tx.initiator_id as AccountAddress, BigInt(tx.nonce as number | bigint), tx.responder_id as AccountAddress);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * A {@link ChainAdapter} over the node's HTTP API (`/v3`): our dev chain's server or a real
 * æternity node. Subscriptions poll the height and the watched channel objects.
 */
export function httpAdapter(baseUrl: string, options: HttpAdapterOptions = {}): ChainAdapter {
  const f = options.fetch ?? fetch;
  const pollMs = options.pollMs ?? 1000;
  const base = baseUrl.replace(/\/+$/, '');
  const timers = new Set<() => void>();

  async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await f(`${base}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = text ? (parseJson(text) as Record<string, unknown>) : {};
    } catch {
      json = { reason: text };
    }
    return { status: res.status, json };
  }

  function fail(status: number, json: Record<string, unknown>): never {
    throw new AescError(AESC_ERROR__CHAIN__HTTP, { status, reason: String(json.reason ?? ''), errorCode: String(json.error_code ?? '') });
  }

  /**
   * The hashes of the txs touching `channels` in the generations from `from` (or `to`) to `to`, in
   * chain order; `seenMicro` (per subscription) keeps a generation's micro blocks from being read twice.
   */
  async function channelTxsSince(
    from: bigint | undefined,
    to: bigint,
    channels: ReadonlySet<ChannelId>,
    seenMicro: Set<string>,
  ): Promise<Map<ChannelId, string[]>> {
    const out = new Map<ChannelId, string[]>();
    for (let height = from ?? to; height <= to; height++) {
      const g = await call('GET', `/v3/generations/height/${height}`);
      if (g.status !== 200) return out;
      for (const mh of (g.json.micro_blocks as string[] | undefined) ?? []) {
        if (seenMicro.has(mh)) continue;
        const m = await call('GET', `/v3/micro-blocks/hash/${mh}/transactions`);
        if (m.status !== 200) return out;
        seenMicro.add(mh);
        for (const t of (m.json.transactions as { hash?: string; tx?: Record<string, unknown> }[] | undefined) ?? []) {
          const id = channelOfTxJson(t?.tx);
          if (id !== undefined && channels.has(id) && typeof t.hash === 'string') out.set(id, [...(out.get(id) ?? []), t.hash]);
        }
      }
    }
    return out;
  }

  const adapter: ChainAdapter = {
    async postTx(tx) {
      const { status, json } = await call('POST', '/v3/transactions', { tx });
      if (status === 200) return json.tx_hash as string;
      if (status === 400 && json.error_code === 'needs_vm') {
        throw new AescError(AESC_ERROR__CHAIN__NEEDS_VM, { txType: decodeTx(tx).tx.tag });
      }
      if (status === 400 && typeof json.error_code === 'string') {
        throw new AescError(AESC_ERROR__CHAIN__TX_REJECTED, { reason: json.error_code, txHash: '' });
      }
      return fail(status, json);
    },
    async account(address): Promise<AccountInfo | null> {
      const { status, json } = await call('GET', `/v3/accounts/${address}`);
      if (status === 404) return null;
      if (status !== 200) fail(status, json);
      return { balance: big(json.balance), nonce: big(json.nonce) };
    },
    async nextNonce(address) {
      const { status, json } = await call('GET', `/v3/accounts/${address}/next-nonce`);
      if (status === 404) return 1n;
      if (status !== 200) fail(status, json);
      return big(json.next_nonce);
    },
    async channel(id) {
      const { status, json } = await call('GET', `/v3/channels/${id}`);
      if (status === 404) return null;
      if (status !== 200) fail(status, json);
      return channelFromJson(json);
    },
    async height() {
      const { status, json } = await call('GET', '/v3/key-blocks/current/height');
      if (status !== 200) fail(status, json);
      return big(json.height);
    },
    async info(): Promise<ChainInfo> {
      const { status, json } = await call('GET', '/v3/status');
      if (status !== 200) fail(status, json);
      const protocols = (json.protocols as { version: number; effective_at_height: number }[] | undefined) ?? [];
      const top = big(json.top_block_height ?? 0);
      const current = protocols.filter((p) => BigInt(p.effective_at_height) <= top).sort((a, b) => b.version - a.version)[0];
      return {
        networkId: String(json.network_id),
        genesisHash: String(json.genesis_key_block_hash),
        protocolVersion: current?.version ?? 0,
        // The node's HTTP API does not publish its miners' minimum gas price; its default is 1e9.
        minMinerGasPrice: DEFAULT_MIN_MINER_GAS_PRICE,
      };
    },
    async transaction(hash) {
      // The node's HTTP API gives txs as JSON: rebuilt here, and only returned when the result
      // hashes to the tx's hash (a field read differently never passes for the tx).
      const { status, json } = await call('GET', `/v3/transactions/${hash}`);
      if (status === 404) return null;
      if (status !== 200) fail(status, json);
      const tx = signedTxFromJson(json);
      return tx !== undefined && json.hash === hash ? tx : null;
    },
    async txDepth(txHash) {
      const { status, json } = await call('GET', `/v3/transactions/${txHash}`);
      if (status === 404) return null;
      if (status !== 200) fail(status, json);
      const h = big(json.block_height);
      if (h < 0n) return null;
      return (await adapter.height()) - h;
    },
    subscribe(listener: (e: AdapterEvent) => void, opts: { channels?: readonly ChannelId[]; signal?: AbortSignal } = {}) {
      let stopped = false;
      let lastHeight: bigint | undefined;
      let scannedFrom: bigint | undefined;
      const seenMicro = new Set<string>();
      const lastChannels = new Map<ChannelId, ChannelObject | null>();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const tick = async () => {
        try {
          const h = await adapter.height();
          const changed: ChannelId[] = [];
          for (const id of opts.channels ?? []) {
            const ch = await adapter.channel(id);
            if (stopped) return;
            if (lastChannels.has(id) && !same(lastChannels.get(id) ?? null, ch)) changed.push(id);
            lastChannels.set(id, ch);
          }
          // The txs that changed them, found in the micro blocks since the last look (the node's
          // API has no list of a channel's txs); a chain without the generations route gives none.
          const found = changed.length > 0 ? await channelTxsSince(scannedFrom, h, new Set(changed), seenMicro) : new Map<ChannelId, string[]>();
          scannedFrom = h;
          for (const id of changed) {
            const hashes = found.get(id) ?? [];
            const channel = lastChannels.get(id) ?? null;
            if (hashes.length === 0) listener({ type: 'channel', channelId: id, channel });
            for (const txHash of hashes) listener({ type: 'channel', channelId: id, channel, txHash });
          }
          // The new height last, as the in-process adapter tells them: a listener hears of a tx
          // changing its channel before it acts on the depth the tx has reached.
          if (!stopped && lastHeight !== undefined && h !== lastHeight) listener({ type: 'height', height: h });
          lastHeight = h;
        } catch {
          // the next poll retries
        }
        if (!stopped) timer = setTimeout(() => void tick(), pollMs);
      };
      void tick();
      const stop = () => {
        stopped = true;
        if (timer) clearTimeout(timer);
        timers.delete(stop);
      };
      timers.add(stop);
      opts.signal?.addEventListener('abort', stop, { once: true });
      return stop;
    },
    async close() {
      for (const stop of [...timers]) stop();
    },
  };
  return Object.freeze(adapter);
}
