import {
  type AccountAddress,
  type ChannelId,
  type EncodedStateTrees,
  type EncodedTx,
  type SignedTx,
  decodeTx,
  encodeTx,
} from '@aesc/encoding';
import { AESC_ERROR__CHANNEL__STORE_CORRUPT, AescError, isAescError } from '@aesc/errors';
import { PROPOSAL_TX_TYPES, checkProposal } from '@aesc/protocol';
import {
  type OffchainState,
  type OffchainUpdate,
  encodeStateTrees,
  encodedOffchainStateHash,
  parseStateTrees,
  updateFromJson,
  updateToJson,
} from '@aesc/state';

/** The sign tags of this client's own proposals: the rounds it proposes and signs first. */
export type OwnProposalTag = 'update' | 'deposit_tx' | 'withdraw_tx';

/** The kind of round each own proposal tag makes. */
export const OWN_PROPOSAL_KINDS: Readonly<Record<OwnProposalTag, 'update' | 'deposit' | 'withdraw'>> = Object.freeze({
  update: 'update',
  deposit_tx: 'deposit',
  withdraw_tx: 'withdraw',
});

/** Whether `tag` is the sign tag of one of this client's own proposals. */
export function isOwnProposalTag(tag: string): tag is OwnProposalTag {
  return Object.hasOwn(OWN_PROPOSAL_KINDS, tag);
}

/**
 * This client's own proposal of the next round, kept before it signs it (`channels.sign.update`,
 * `deposit_tx`, `withdraw_tx`): after a crash, it is what lets the client take the round the node
 * reports co-signed (its state recomputed from these updates) and sign the same request again,
 * and nothing else.
 */
export interface PendingProposal {
  readonly tag: OwnProposalTag;
  /** The round it makes: the last co-signed round + 1. */
  readonly round: bigint;
  /** The updates the node reported with the request, which the client checked against what it asked for. */
  readonly updates: readonly OffchainUpdate[];
  /** The tx the node asked this client to sign, as it came (no signature on it yet). */
  readonly tx: SignedTx;
}

/**
 * What a client keeps of a channel so that, after a crash, it can reconnect, close solo or slash
 * on its own: who it is, the channel's parameters, and the latest co-signed round — the signed tx
 * and the state trees (from which it builds a PoI).
 */
export interface ChannelRecord {
  readonly channelId: ChannelId;
  readonly networkId: string;
  readonly role: 'initiator' | 'responder';
  readonly initiator: AccountAddress;
  readonly responder: AccountAddress;
  readonly channelReserve: bigint;
  /** The node's FSM id (`ba_…`), for reconnecting to a live FSM. */
  readonly fsmId?: string;
  readonly lastCoSigned: { readonly tx: SignedTx; readonly state: OffchainState };
  /** This client's own proposal of the next round, kept from before it signs it until the round ends. */
  readonly pending?: PendingProposal;
}

/** The JSON form of a pending proposal: the round as a decimal string, the updates in their JSON-RPC form with amounts as decimal strings. */
export interface PendingProposalJson {
  readonly tag: string;
  readonly round: string;
  readonly updates: readonly Record<string, unknown>[];
  readonly tx: EncodedTx;
}

/** The JSON a store writes: bigints as decimal strings, the tx as `tx_…`, the trees as `ss_…`. */
export interface ChannelRecordJson {
  readonly version: 1;
  readonly channelId: string;
  readonly networkId: string;
  readonly role: string;
  readonly initiator: string;
  readonly responder: string;
  readonly channelReserve: string;
  readonly fsmId?: string;
  readonly round: string;
  readonly tx: EncodedTx;
  readonly trees: EncodedStateTrees;
  /** The state hash of the trees, checked when loading. */
  readonly stateHash: string;
  readonly pending?: PendingProposalJson;
}

/** The fields of the updates' JSON-RPC form that are integers (written as decimal strings). */
const INTEGER_FIELDS: ReadonlySet<string> = new Set(['amount', 'deposit', 'vm_version', 'abi_version', 'gas', 'gas_price']);

function pendingToJson(p: PendingProposal): PendingProposalJson {
  return {
    tag: p.tag,
    round: p.round.toString(),
    updates: p.updates.map((u) =>
      Object.fromEntries(Object.entries(updateToJson(u)).map(([k, v]) => [k, typeof v === 'bigint' ? v.toString() : v])),
    ),
    tx: encodeTx(p.tx),
  };
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** Parses a stored pending proposal (throws on a malformed one; the caller makes it STORE_CORRUPT). */
function pendingFromJson(j: unknown): PendingProposal {
  const p = j as Partial<PendingProposalJson> | null;
  if (p === null || typeof p !== 'object') throw new Error('pending is not an object');
  if (typeof p.tag !== 'string' || !isOwnProposalTag(p.tag)) throw new Error(`pending has no own proposal tag (${String(p.tag)})`);
  if (typeof p.round !== 'string' || !DECIMAL.test(p.round)) throw new Error('pending.round is not a decimal string');
  if (typeof p.tx !== 'string') throw new Error('pending.tx missing');
  if (!Array.isArray(p.updates) || p.updates.length === 0) throw new Error('pending.updates is not a list of updates');
  const updates = p.updates.map((u) => {
    if (u === null || typeof u !== 'object') throw new Error('pending.updates holds a value that is no update');
    const fields = Object.entries(u as Record<string, unknown>).map(([k, v]) => {
      if (!INTEGER_FIELDS.has(k)) return [k, v];
      if (typeof v !== 'string' || !DECIMAL.test(v)) throw new Error(`pending update field ${k} is not a decimal string`);
      return [k, BigInt(v)];
    });
    return updateFromJson(Object.fromEntries(fields));
  });
  return { tag: p.tag, round: BigInt(p.round), updates, tx: decodeTx(p.tx) };
}

/**
 * Throws STORE_CORRUPT unless `pending` is what this client can have kept for `record`: a proposal
 * of the round after its last co-signed one, of its channel, with no signature yet, whose tx is the
 * one the updates make from the last co-signed state (type, channel, round and state hash
 * recomputed with @aesc/protocol, as when the client first checked it).
 */
export function checkPendingProposal(record: Omit<ChannelRecord, 'pending'>, pending: PendingProposal): void {
  const bad = (reason: string, cause?: unknown) => corrupt(record.channelId, `its pending proposal ${reason}`, cause);
  const last = record.lastCoSigned.state.round;
  if (pending.round !== last + 1n) throw bad(`is for round ${pending.round}, not the one after the last co-signed round ${last}`);
  const tx = pending.tx.tx;
  if ('channelId' in tx && tx.channelId !== record.channelId) throw bad(`is a round of channel ${String(tx.channelId)}`);
  if (pending.tx.signatures.length > 0) throw bad('carries signatures');
  const kind = OWN_PROPOSAL_KINDS[pending.tag];
  if (tx.tag !== PROPOSAL_TX_TYPES[kind]) throw bad(`is a ${tx.tag}, not the ${PROPOSAL_TX_TYPES[kind]} of a ${pending.tag}`);
  try {
    checkProposal(kind, tx, pending.updates, { channelId: record.channelId, last: record.lastCoSigned.state, channelReserve: record.channelReserve });
  } catch (e) {
    throw bad(`does not follow from the last co-signed state: ${e instanceof Error ? e.message : String(e)}`, e);
  }
}

/** The JSON form of a record. */
export function recordToJson(record: ChannelRecord): ChannelRecordJson {
  return {
    version: 1,
    channelId: record.channelId,
    networkId: record.networkId,
    role: record.role,
    initiator: record.initiator,
    responder: record.responder,
    channelReserve: record.channelReserve.toString(),
    ...(record.fsmId === undefined ? {} : { fsmId: record.fsmId }),
    round: record.lastCoSigned.state.round.toString(),
    tx: encodeTx(record.lastCoSigned.tx),
    trees: encodeStateTrees(record.lastCoSigned.state.trees),
    stateHash: encodedOffchainStateHash(record.lastCoSigned.state),
    ...(record.pending === undefined ? {} : { pending: pendingToJson(record.pending) }),
  };
}

function corrupt(channelId: string, reason: string, cause?: unknown): AescError {
  return new AescError(AESC_ERROR__CHANNEL__STORE_CORRUPT, { channelId, reason }, cause === undefined ? undefined : { cause });
}

/**
 * Parses and checks a stored record: the trees must hash to the stored state hash, and a pending
 * proposal, if there is one, must follow from that state ({@link checkPendingProposal}). A record
 * without one (every record written before pending proposals were kept) loads as it always did.
 */
export function recordFromJson(json: unknown): ChannelRecord {
  const j = json as Partial<ChannelRecordJson> | null;
  const id = typeof j?.channelId === 'string' ? j.channelId : '?';
  if (j === null || typeof j !== 'object' || j.version !== 1) throw corrupt(id, 'not a version 1 channel record');
  for (const key of ['channelId', 'networkId', 'role', 'initiator', 'responder', 'channelReserve', 'round', 'tx', 'trees', 'stateHash'] as const) {
    if (typeof j[key] !== 'string') throw corrupt(id, `field ${key} missing`);
  }
  if (j.role !== 'initiator' && j.role !== 'responder') throw corrupt(id, 'bad role');
  try {
    const state: OffchainState = { round: BigInt(j.round!), trees: parseStateTrees(j.trees!) };
    if (encodedOffchainStateHash(state) !== j.stateHash) throw corrupt(id, 'the trees do not hash to the stored state hash');
    const record: ChannelRecord = {
      channelId: j.channelId as ChannelId,
      networkId: j.networkId!,
      role: j.role,
      initiator: j.initiator as AccountAddress,
      responder: j.responder as AccountAddress,
      channelReserve: BigInt(j.channelReserve!),
      ...(typeof j.fsmId === 'string' ? { fsmId: j.fsmId } : {}),
      lastCoSigned: { tx: decodeTx(j.tx!), state },
    };
    if (j.pending === undefined) return record;
    let pending: PendingProposal;
    try {
      pending = pendingFromJson(j.pending);
    } catch (e) {
      throw corrupt(id, `its pending proposal is malformed: ${e instanceof Error ? e.message : String(e)}`, e);
    }
    checkPendingProposal(record, pending);
    return { ...record, pending };
  } catch (e) {
    if (isAescError(e, AESC_ERROR__CHANNEL__STORE_CORRUPT)) throw e;
    throw corrupt(id, e instanceof Error ? e.message : String(e), e);
  }
}
