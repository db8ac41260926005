import type { OnChainOptionParams } from '@aesc/channel-api';
import { txHash as hashOfTx } from '@aesc/crypto';
import { type AccountAddress, type SignedTx, decodeApi } from '@aesc/encoding';
import { NOT_SET_BLOCK_HASH, blockHashVerdict, isNotSet } from '../fsm/block-hash-delta.js';
import type { CachedChannel } from '../fsm/cached-channel.js';
import { minimumDepthOf } from '../fsm/min-depth.js';
import { txText } from '../fsm/object-bytes.js';
import type { Builder } from './builder.js';
import { pendingRoundRecord } from './pending-round.js';
import type { Cont, FsmState, LookupValue, OnChainOpts, WatchThen } from './types.js';

/**
 * What the stages ask the chain, the signature check and the state cache, each as an effect and a
 * continuation (`Cont`): the helpers here ask in turn what one answer needs (a block hash may take
 * two lookups) and then go on with the continuation they were given (`then`), with the answer.
 */

/**
 * The block a proposal is pinned to (`pick_onchain_env/2`): the one the client names (which the
 * chain must know: undefined when it does not), else the key block `bh_delta_*` below the top
 * (`pick_hash/1`). Without a block source: the not-set hash. Goes on with `then` and the hash.
 */
export function pickBlockHash(b: Builder, given: unknown, then: Cont): void {
  const hasBlocks = b.s.config.hasBlocks;
  if (typeof given === 'string') {
    const hash = decodeApi(given as `kh_${string}`, ['kh', 'mh']);
    if (isNotSet(hash)) { b.resume(then, NOT_SET_BLOCK_HASH); return; }
    if (!hasBlocks) { b.resume(then, undefined); return; }b.ask({ type: 'lookup', lookup: { kind: 'block-place', hash } }, 'lookup:block-place', { k: 'pick.place', hash, then }); return; 
  }
  if (!hasBlocks) { b.resume(then, NOT_SET_BLOCK_HASH); return; }
  b.ask({ type: 'lookup', lookup: { kind: 'picked-block', delta: b.s.config.options.blockHashDelta } }, 'lookup:picked-block', { k: 'pick.key', then });
}

/** Checks the block hash of the peer's proposal against this FSM's deltas (`check_block_hash/2`); goes on with `then` and the verdict. */
export function checkBlockHash(b: Builder, hash: Uint8Array, then: Cont): void {
  if (isNotSet(hash)) { b.resume(then, 'ok'); return; }
  if (!b.s.config.hasBlocks) { b.ask({ type: 'lookup', lookup: { kind: 'height' } }, 'lookup:height', { k: 'check-block.height', hash, place: undefined, then }); return; }
  b.ask({ type: 'lookup', lookup: { kind: 'block-check', hash } }, 'lookup:block-check', { k: 'check-block', hash, then });
}

/** The nonce of `account`'s next tx: `given` (a request's `nonce`), else the chain's. Goes on with `then` and the nonce. */
export function nonceOf(b: Builder, account: AccountAddress, given: bigint | undefined, then: Cont): void {
  if (given !== undefined) { b.resume(then, given); return; }
  b.ask({ type: 'lookup', lookup: { kind: 'nonce', account } }, 'lookup:nonce', then);
}

/** Whether a signed tx carries exactly one valid signature of each of `accounts` (see exact-signers.ts); goes on with `then` and the answer. */
export function checkSigners(b: Builder, signed: SignedTx, accounts: readonly AccountAddress[], then: Cont): void {
  b.ask({ type: 'check', signed, accounts }, 'checked', then);
}

/** The accounts whose signatures the peer's half-signed tx carries: its own, or both when it carries two or more (a round co-signed already). */
export function peerSigners(b: Builder, half: SignedTx): AccountAddress[] {
  return half.signatures.length >= 2 ? [b.s.initiator!, b.s.responder] : [b.other()];
}

/** Posts a tx; goes on with `then` and whether the chain took it (when not, the client is told: `channels.error`). */
export function post(b: Builder, signed: SignedTx, then: Cont | undefined): void {
  know(b, hashOfTx(signed), signed);
  b.ask({ type: 'post', tx: signed }, 'posted', { k: 'post.done', then });
}

/** Notes a tx this FSM or its peer signed (a chain that cannot give txs back is told about by hash). */
export function know(b: Builder, hash: string, signed: SignedTx): void {
  if (b.s.known.get(hash) === signed) return;
  b.w.known = new Map(b.s.known).set(hash, signed);
}

/** The record of the latest co-signed state (its trees beside it), or undefined before there is one. */
export function persistRecord(s: FsmState): Omit<CachedChannel, 'trees'> | undefined {
  if (s.channelId === undefined || s.offchain === undefined || s.signedTx === undefined) return undefined;
  const o = s.config.options;
  const record: { -readonly [K in keyof CachedChannel]?: CachedChannel[K] } = {
    channelId: s.channelId,
    role: s.config.role,
    fsmId: s.config.fsmId,
    initiatorId: s.initiator!,
    responderId: s.responder,
    port: o.port,
    host: o.host,
    lockPeriod: s.lockPeriod.toString(),
    channelReserve: s.channelReserve.toString(),
    minimumDepth: s.minDepth,
    minimumDepthStrategy: s.minDepthStrategy,
    round: s.offchain.round.toString(),
    signedTx: txText(s.signedTx),
  };
  if (s.pendingRound !== undefined) record.pending = pendingRoundRecord(s.pendingRound);
  return record as Omit<CachedChannel, 'trees'>;
}

/**
 * Writes the latest co-signed state to the state cache, then goes on with `then` once it is
 * durable (at once when there is nothing to write yet). Returns whether it waits.
 */
export function persist(b: Builder, then: Cont | undefined): boolean {
  const record = persistRecord(b.s);
  if (record === undefined) {
    b.resume(then);
    return false;
  }
  b.ask({ type: 'persist', record, trees: b.s.offchain!.trees }, 'persisted', { k: 'persisted', then });
  return true;
}

/** Watches the chain for the channel's txs from now on (once the channel id is known). */
export function watchChain(b: Builder): void {
  const s = b.s;
  if (s.subscribed || s.channelId === undefined) return;
  b.push({ type: 'subscribe', channelId: s.channelId });
  b.w.subscribed = true;
}

/** Waits for a tx to reach its minimum depth (by the channel's strategy), then does `then`. */
export function watch(b: Builder, signed: SignedTx, then: WatchThen): void {
  const s = b.s;
  const hash = hashOfTx(signed);
  know(b, hash, signed);
  const minDepth = minimumDepthOf(s.minDepthStrategy, s.minDepth, (signed.tx as { fee: bigint }).fee, s.config.minMinerGasPrice);
  b.w.watches = new Map(b.s.watches).set(hash, { txHash: hash, minDepth, then });
}

/** Stops watching a tx. */
export function unwatch(b: Builder, hash: string): void {
  if (!b.s.watches.has(hash)) return;
  const watches = new Map(b.s.watches);
  watches.delete(hash);
  b.w.watches = watches;
}

/** An optional integer param (`fee`, `nonce`, `gas_price`): a JSON integer, or a string of digits (the node's `list_to_integer`). */
function bigOf(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  return typeof v === 'string' && /^-?\d+$/.test(v) ? BigInt(v) : undefined;
}

/** The on-chain options of a request (`fee`, `gas_price`, `nonce`). */
export function onChainOpts(params: OnChainOptionParams): OnChainOpts {
  const out: { fee?: bigint; gasPrice?: bigint; nonce?: bigint } = {};
  const fee = bigOf(params.fee);
  const gasPrice = bigOf(params.gas_price);
  const nonce = bigOf(params.nonce);
  if (fee !== undefined) out.fee = fee;
  if (gasPrice !== undefined) out.gasPrice = gasPrice;
  if (nonce !== undefined) out.nonce = nonce;
  return out;
}

/** The continuations of the helpers above. */
export const lookupResumers = {
  'pick.place': (b: Builder, c: Extract<Cont, { k: 'pick.place' }>, place: unknown) => b.resume(c.then, place !== undefined ? c.hash : undefined),
  'pick.key': (b: Builder, c: Extract<Cont, { k: 'pick.key' }>, hash: unknown) => b.resume(c.then, (hash as Uint8Array | undefined) ?? NOT_SET_BLOCK_HASH),
  'check-block': (b: Builder, c: Extract<Cont, { k: 'check-block' }>, found: unknown) => {
    const { place, top } = found as LookupValue['block-check'];
    b.resume(c.then, blockHashVerdict(c.hash, place, top, b.s.config.options.blockHashDelta));
  },
  'check-block.height': (b: Builder, c: Extract<Cont, { k: 'check-block.height' }>, top: unknown) =>
    b.resume(c.then, blockHashVerdict(c.hash, c.place, top as bigint, b.s.config.options.blockHashDelta)),
  'post.done': (b: Builder, c: Extract<Cont, { k: 'post.done' }>, error: unknown) => {
    if (error !== undefined) b.report('error', 'channels.error', { message: `tx rejected: ${String(error)}` });
    b.resume(c.then, error === undefined);
  },
  persisted: (b: Builder, c: Extract<Cont, { k: 'persisted' }>) => b.resume(c.then),
} as const;
