import type { AssumeMinimumDepthParams } from '@aesc/channel-api';
import type { AdapterEvent } from '@aesc/chain-api';
import type { SignedTx } from '@aesc/encoding';
import { OK, reasonError } from '../fsm/client-reply.js';
import { txFromText } from '../fsm/object-bytes.js';
import type { Builder } from './builder.js';
import { ownRoundLocked } from './deposit-withdraw.js';
import { unwatch } from './lookups.js';
import { closeConfirmed, watchClose } from './mutual-close.js';
import { ownFundingLocked } from './opening.js';
import { postWhenUnlocked } from './solo.js';
import type { Cont, Watch, WatchThen } from './types.js';

/**
 * Watching the chain (the node's `aesc_chain_watcher`): txs that touch the channel are reported
 * (`channels.on_chain_tx`) and a solo close moves the FSM to `channel_closing`; watched txs that
 * reach their minimum depth go on with what they were watched for; a settle waits for its
 * height; and a client may assume a depth (`channels.assume_minimum_depth`). A chain event that
 * was only a new height with nothing for this FSM leaves the idle timer running (`quiet`).
 */

/** A chain event for the channel (a tx that touched it) or a new height. */
export function onChain(b: Builder, e: AdapterEvent): void {
  const acted = e.type === 'channel';
  if (e.type === 'channel' && e.txHash !== undefined) { channelTx(b, e.txHash, e.channel, { k: 'chain.settle', event: e, acted }); return; }
  if (e.type === 'channel') {knownNext(b, { k: 'chain.known', event: e, acted, hashes: [...b.s.known.keys()], i: 0 }); return; 
  }
  settle(b, e, acted);
}

function knownNext(b: Builder, c: Extract<Cont, { k: 'chain.known' }>): void {
  for (let i = c.i; i < c.hashes.length; i++) {
    const hash = c.hashes[i]!;
    if (b.s.reported.has(hash)) continue;b.ask({ type: 'lookup', lookup: { kind: 'tx-depth', txHash: hash } }, 'lookup:tx-depth', { ...c, k: 'chain.known.depth', i }); return; 
  }
  settle(b, c.event, c.acted);
}

function knownDepth(b: Builder, c: Extract<Cont, { k: 'chain.known.depth' }>, depth: unknown): void {
  const next: Cont = { ...c, k: 'chain.known', i: c.i + 1 };
  if (depth === null) { knownNext(b, next); return; }
  const channel = c.event.type === 'channel' ? c.event.channel : null;
  channelTx(b, c.hashes[c.i]!, channel, next);
}

/** A settle waiting for its height is posted once the chain is there; then the watched txs. */
function settle(b: Builder, e: AdapterEvent, acted: boolean): void {
  const pending = b.s.pendingSettle;
  if (e.type === 'height' && pending !== undefined) { postWhenUnlocked(b, pending, { k: 'chain.watches', acted: true }); return; }
  watches(b, acted);
}

function watches(b: Builder, acted: boolean): void {
  depthNext(b, { k: 'chain.depth', acted, watches: [...b.s.watches.values()], i: 0 });
}

function depthNext(b: Builder, c: Extract<Cont, { k: 'chain.depth' }>): void {
  if (c.i >= c.watches.length) {
    b.quiet = !c.acted;
    return;
  }
  b.ask({ type: 'lookup', lookup: { kind: 'tx-depth', txHash: c.watches[c.i]!.txHash } }, 'lookup:tx-depth', { ...c, k: 'chain.depth.got' });
}

function depthGot(b: Builder, c: Extract<Cont, { k: 'chain.depth.got' }>, depth: unknown): void {
  const w = c.watches[c.i]!;
  if (depth === null || (depth as bigint) < BigInt(w.minDepth)) { depthNext(b, { ...c, k: 'chain.depth', i: c.i + 1 }); return; }
  // A watched tx is reported mined before its depth is acted on, as by the node's watcher, even
  // from a chain that told a new height before the channel's change, or no change at all. (Still
  // watched here, so that a close is not watched again. No channel object: it only matters for a
  // solo close or a slash, which are not watched.)
  const reached: Cont = { k: 'chain.reached', acted: true, watches: c.watches, i: c.i };
  if (!b.s.reported.has(w.txHash)) { channelTx(b, w.txHash, null, reached); return; }
  depthReached(b, reached);
}

function depthReached(b: Builder, c: Extract<Cont, { k: 'chain.reached' }>): void {
  const w: Watch = c.watches[c.i]!;
  unwatch(b, w.txHash);
  onDepth(b, w.then, { k: 'chain.depth', acted: c.acted, watches: c.watches, i: c.i + 1 });
}

/** What reaching a watched tx's minimum depth does; then goes on with `after`. */
export function onDepth(b: Builder, then: WatchThen, after: Cont | undefined): void {
  switch (then.k) {
    case 'funding':
      { ownFundingLocked(b, after); return; }
    case 'round-lock':
      { ownRoundLocked(b, then, after); return; }
    case 'close':
      { closeConfirmed(b, after); return; }
    case 'snapshot':
      // The node reports the snapshot's minimum depth to the client that made it.
      b.info('min_depth_achieved', { tx_hash: then.txHash, type: 'channel_snapshot_solo_tx' });
      { b.resume(after); return; }
    case 'assumed':
      b.info('minimum_depth_achieved', { notice: 'already_assumed', tx_hash: then.txHash, tx_type: then.txType });
      { b.resume(after); return; }
  }
}

/** A tx touching the channel was mined: reported as the node's chain watcher does (once); then `then`. */
function channelTx(b: Builder, txHash: string, channel: { readonly round: bigint } | null, then: Cont): void {
  if (b.s.reported.has(txHash)) { b.resume(then); return; }
  b.w.reported = new Set(b.s.reported).add(txHash);
  b.ask({ type: 'lookup', lookup: { kind: 'tx', txHash } }, 'lookup:tx', { k: 'channel-tx.tx', txHash, channel, then });
}

function channelTxGot(b: Builder, c: Extract<Cont, { k: 'channel-tx.tx' }>, encoded: unknown): void {
  const s = b.s;
  const signed: SignedTx | undefined = encoded === null ? s.known.get(c.txHash) : txFromText(encoded as string);
  if (signed !== undefined) reportChannelTx(b, c.txHash, c.channel, signed);
  b.resume(c.then);
}

function reportChannelTx(b: Builder, txHash: string, channel: { readonly round: bigint } | null, signed: SignedTx): void {
  const s = b.s;
  switch (signed.tx.tag) {
    case 'channel_create_tx':
    case 'channel_deposit_tx':
    case 'channel_withdraw_tx':
    case 'channel_snapshot_solo_tx':
      { b.onChainTx('channel_changed', signed); return; }
    case 'channel_close_solo_tx':
    case 'channel_slash_tx': {
      const stale = channel !== null && s.offchain !== undefined && channel.round < s.offchain.round;
      if (stale) b.onChainTx('can_slash', s.signedTx!);
      else b.onChainTx('solo_closing', signed);
      if (!s.soloClosing) {
        b.w.soloClosing = true;
        b.phase('channel_closing');
        b.info('closing');
      }
      return;
    }
    case 'channel_settle_tx':
    case 'channel_close_mutual_tx':
      b.onChainTx('channel_closed', signed);
      if (!b.s.watches.has(txHash)) watchClose(b, signed);
      return;
    default:
      return;
  }
}

/**
 * `channels.assume_minimum_depth`: the watched tx is taken as deep enough at once (what its depth
 * does runs as the next input), and when it really is, the client hears so (`already_assumed`).
 */
export function assumeMinimumDepth(b: Builder, params: AssumeMinimumDepthParams): void {
  const w = b.s.watches.get(params.tx_hash);
  if (w === undefined) { b.reply(reasonError(100)); return; }
  b.reply(OK);
  const tx = b.s.known.get(w.txHash);
  // biome-ignore lint/suspicious/noThenProperty: a continuation as data (an object, never a function: nothing awaits it)
  b.w.watches = new Map(b.s.watches).set(w.txHash, { ...w, then: { k: 'assumed', txHash: w.txHash, txType: tx?.tx.tag ?? 'unknown' } });
  // biome-ignore lint/suspicious/noThenProperty: a continuation as data (an object, never a function: nothing awaits it)
  b.push({ type: 'enqueue', event: { type: 'depth-assumed', then: w.then } });
}

/** The continuations of this stage. */
export const chainResumers = {
  'chain.known': (b: Builder, c: Extract<Cont, { k: 'chain.known' }>) => knownNext(b, c),
  'chain.known.depth': knownDepth,
  'chain.settle': (b: Builder, c: Extract<Cont, { k: 'chain.settle' }>) => settle(b, c.event, c.acted),
  'chain.watches': (b: Builder, c: Extract<Cont, { k: 'chain.watches' }>) => watches(b, c.acted),
  'chain.depth': (b: Builder, c: Extract<Cont, { k: 'chain.depth' }>) => depthNext(b, c),
  'chain.depth.got': depthGot,
  'chain.reached': (b: Builder, c: Extract<Cont, { k: 'chain.reached' }>) => depthReached(b, c),
  'channel-tx.tx': channelTxGot,
} as const;
