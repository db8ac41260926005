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
import { type OffchainState, encodeStateTrees, encodedOffchainStateHash, parseStateTrees } from '@aesc/state';

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
  };
}

function corrupt(channelId: string, reason: string, cause?: unknown): AescError {
  return new AescError(AESC_ERROR__CHANNEL__STORE_CORRUPT, { channelId, reason }, cause === undefined ? undefined : { cause });
}

/** Parses and checks a stored record (the trees must hash to the stored state hash). */
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
    return {
      channelId: j.channelId as ChannelId,
      networkId: j.networkId!,
      role: j.role,
      initiator: j.initiator as AccountAddress,
      responder: j.responder as AccountAddress,
      channelReserve: BigInt(j.channelReserve!),
      ...(typeof j.fsmId === 'string' ? { fsmId: j.fsmId } : {}),
      lastCoSigned: { tx: decodeTx(j.tx!), state },
    };
  } catch (e) {
    if (isAescError(e, AESC_ERROR__CHANNEL__STORE_CORRUPT)) throw e;
    throw corrupt(id, e instanceof Error ? e.message : String(e), e);
  }
}
