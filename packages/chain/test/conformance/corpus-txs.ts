import type { Transcript } from '@aesc/corpus';
import { type SignedTx, decodeTx, encodeObject, toHex } from '@aesc/encoding';

/** The on-chain tx types a transcript can post. */
export const ON_CHAIN_TAGS = new Set([
  'channel_create_tx',
  'channel_deposit_tx',
  'channel_withdraw_tx',
  'channel_close_mutual_tx',
  'channel_close_solo_tx',
  'channel_slash_tx',
  'channel_settle_tx',
  'channel_snapshot_solo_tx',
  'channel_force_progress_tx',
  'ga_meta_tx',
]);

function strings(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
}

function tryDecode(s: string): SignedTx | undefined {
  if (!s.startsWith('tx_')) return undefined;
  try {
    return decodeTx(s);
  } catch {
    return undefined;
  }
}

/**
 * The on-chain txs of a transcript in the order they were posted: each tx announced in a
 * `channels.on_chain_tx` notification, in the version with the most signatures found anywhere in
 * the transcript (the node announces the create tx half-signed to one side; the co-signed one is in
 * `channels.update` / `channels.leave`).
 */
export function onChainTxs(t: Transcript): SignedTx[] {
  const best = new Map<string, SignedTx>();
  const order: string[] = [];
  for (const step of t.steps) {
    if (step.kind !== 'recv' && step.kind !== 'send') continue;
    const all: string[] = [];
    strings(step.message, all);
    for (const s of all) {
      const signed = tryDecode(s);
      if (!signed) continue;
      const key = toHex(encodeObject(signed.tx));
      const prev = best.get(key);
      if (!prev || prev.signatures.length < signed.signatures.length) best.set(key, signed);
    }
    const m = step.message as { method?: string; params?: { data?: { tx?: unknown } } } | undefined;
    if (step.kind === 'recv' && m?.method === 'channels.on_chain_tx' && typeof m.params?.data?.tx === 'string') {
      const signed = tryDecode(m.params.data.tx);
      if (signed && ON_CHAIN_TAGS.has(signed.tx.tag)) {
        const key = toHex(encodeObject(signed.tx));
        if (!order.includes(key)) order.push(key);
      }
    }
  }
  return order.map((k) => best.get(k)!);
}
