import {
  type AccountAddress,
  type ChainObject,
  type ChannelId,
  type ChannelV3,
  type SignedTx,
  type StateHash,
  type Transaction,
  type TreesPoi,
  bytesEqual,
  decodeApi,
  decodeObject,
  encodeApi,
  encodeObject,
} from '@aesc/encoding';
import { channelIdFromCreateTx } from '@aesc/crypto';
import { type Mpt, emptyMpt, mptDelete, mptGet, mptPut, poiBalance, poiStateHash, stateHashFromRootHashes } from '@aesc/state';
import { type ChainRules, PROTOCOL_VERSIONS } from './protocol.js';
import { TxRejection, reject } from './tx-rejection.js';

/**
 * The chain state the ledger rules read and write: the accounts tree and the channels tree, as
 * the node keeps them (`aec_trees`; the other trees stay empty on this chain).
 */
export interface LedgerState {
  readonly accounts: Mpt;
  readonly channels: Mpt;
}

/** An account as the accounts tree holds it (`aec_accounts`, basic accounts). */
export interface Account {
  readonly nonce: bigint;
  readonly balance: bigint;
}

/** What a tx is applied in: the height of the block that includes it and the chain's rules. */
export interface TxEnv {
  readonly height: bigint;
  readonly rules: ChainRules;
  /**
   * Whether the off-chain payload (of close_solo, slash, snapshot_solo) carries valid signatures of
   * both peers; checked beforehand by {@link verifyTxSignatures} since verification is async.
   */
  readonly payloadSignaturesValid?: boolean;
}

/** The result of applying a tx: the new state and the channel it touched, if any. */
export interface TxApplied {
  readonly state: LedgerState;
  readonly channelId?: ChannelId;
}

/** An empty ledger whose trees read stored nodes from `accounts` / `channels` sources. */
export function emptyLedger(accounts: Mpt = emptyMpt(), channels: Mpt = emptyMpt()): LedgerState {
  return { accounts, channels };
}

/** The state hash of the ledger (`aec_trees:hash/1` with the other trees empty). */
export function ledgerStateHash(state: LedgerState): Uint8Array {
  return stateHashFromRootHashes({
    accounts: state.accounts.rootHash,
    calls: undefined,
    channels: state.channels.rootHash,
    contracts: undefined,
    ns: undefined,
    oracles: undefined,
  });
}

function pk(address: string): Uint8Array {
  return decodeApi(address, ['ak', 'ch']);
}

/** Reads an account, or undefined when the tree does not hold it. */
export function getAccount(state: LedgerState, address: AccountAddress): Account | undefined {
  const value = mptGet(state.accounts, pk(address));
  if (value === undefined) return undefined;
  const obj = decodeObject(value);
  if (obj.tag !== 'account') throw new Error('not an account');
  return { nonce: obj.nonce, balance: obj.balance };
}

/** Writes an account (version 1, as `aec_accounts:new/2` makes basic accounts). */
export function putAccount(state: LedgerState, address: AccountAddress, account: Account): LedgerState {
  const value = encodeObject({ tag: 'account', version: 1, nonce: account.nonce, balance: account.balance });
  return { ...state, accounts: mptPut(state.accounts, pk(address), value) };
}

/** Reads a channel object, or undefined when the tree does not hold it. */
export function getChannel(state: LedgerState, id: ChannelId): ChannelV3 | undefined {
  const value = mptGet(state.channels, pk(id));
  if (value === undefined) return undefined;
  const obj = decodeObject(value);
  if (obj.tag !== 'channel' || obj.version !== 3) throw new Error('not a channel v3');
  return obj;
}

function putChannel(state: LedgerState, id: ChannelId, channel: ChannelV3): LedgerState {
  return { ...state, channels: mptPut(state.channels, pk(id), encodeObject(channel)) };
}

function deleteChannel(state: LedgerState, id: ChannelId): LedgerState {
  return { ...state, channels: mptDelete(state.channels, pk(id)) };
}

// ---- primitive operations (aeprimop), each failing with the node's reason -------------------------

function accountOf(state: LedgerState, address: AccountAddress): Account {
  const account = getAccount(state, address);
  if (account === undefined) reject('account_not_found');
  return account;
}

function incNonce(state: LedgerState, address: AccountAddress, nonce: bigint): LedgerState {
  const account = accountOf(state, address);
  if (account.nonce + 1n !== nonce) {
    reject(account.nonce >= nonce ? 'tx_nonce_already_used_for_account' : 'tx_nonce_too_high_for_account');
  }
  return putAccount(state, address, { ...account, nonce });
}

function spend(state: LedgerState, address: AccountAddress, amount: bigint): LedgerState {
  const account = accountOf(state, address);
  if (account.balance < amount) reject('insufficient_funds');
  return putAccount(state, address, { ...account, balance: account.balance - amount });
}

function earn(state: LedgerState, address: AccountAddress, amount: bigint): LedgerState {
  const account = getAccount(state, address) ?? { nonce: 0n, balance: 0n };
  return putAccount(state, address, { ...account, balance: account.balance + amount });
}

/** The `aetx_utils:check_account/5` check: the account exists, covers `amount`, and `nonce` is next. */
function checkAccount(state: LedgerState, address: AccountAddress, nonce: bigint, amount: bigint): void {
  const account = accountOf(state, address);
  if (account.balance < amount) reject('insufficient_funds');
  if (account.nonce + 1n !== nonce) {
    reject(account.nonce >= nonce ? 'tx_nonce_already_used_for_account' : 'tx_nonce_too_high_for_account');
  }
}

function channelOf(state: LedgerState, id: ChannelId): ChannelV3 {
  const channel = getChannel(state, id);
  if (channel === undefined) reject('channel_does_not_exist');
  return channel;
}

const isActive = (ch: ChannelV3) => ch.lockedUntil === 0n;
const isPeer = (ch: ChannelV3, who: AccountAddress) => who === ch.initiatorId || who === ch.responderId;

function assertPeer(ch: ChannelV3, who: AccountAddress): void {
  if (!isPeer(ch, who)) reject('account_not_peer');
}

/** `aesc_utils:check_round_greater_than_last/3` (no forced progress on this chain: solo_round stays 0). */
function checkRound(ch: ChannelV3, round: bigint): void {
  const min = ch.soloRound !== 0n ? ch.soloRound - 1n : ch.round;
  if (min === round) reject('same_round');
  if (min > round) reject('old_round');
}

// ---- txs ------------------------------------------------------------------------------------------

/** Whether a tx (its inner transaction) is valid at the chain's protocol (`aetx:valid_at_protocol/2`). */
export function validAtProtocol(tx: Transaction, rules: ChainRules): boolean {
  const protocol = PROTOCOL_VERSIONS[rules.protocol];
  if (tx.tag === 'channel_create_tx') return tx.version === 2 ? protocol >= 5 : rules.acceptCreateV1 || protocol < 5;
  if (tx.tag === 'channel_offchain_tx') return tx.version === 2;
  return true;
}

/** The tx types this chain can apply; the others need a VM (or are not supported) and are refused. */
export const SUPPORTED_TX_TYPES = [
  'spend_tx',
  'channel_create_tx',
  'channel_deposit_tx',
  'channel_withdraw_tx',
  'channel_close_mutual_tx',
  'channel_close_solo_tx',
  'channel_slash_tx',
  'channel_settle_tx',
  'channel_snapshot_solo_tx',
] as const;

/** One of {@link SUPPORTED_TX_TYPES}. */
export type SupportedTx = Extract<Transaction, { tag: (typeof SUPPORTED_TX_TYPES)[number] }>;

/** Whether the chain can apply a tx of this type. */
export function isSupportedTx(tx: ChainObject): tx is SupportedTx {
  return (SUPPORTED_TX_TYPES as readonly string[]).includes(tx.tag);
}

/** The account whose nonce a tx uses (`aetx:origin/1`). */
export function txOrigin(tx: SupportedTx): AccountAddress {
  switch (tx.tag) {
    case 'spend_tx':
      return tx.senderId;
    case 'channel_create_tx':
      return tx.initiatorId;
    case 'channel_deposit_tx':
    case 'channel_close_mutual_tx':
    case 'channel_close_solo_tx':
    case 'channel_slash_tx':
    case 'channel_settle_tx':
    case 'channel_snapshot_solo_tx':
      return tx.fromId;
    case 'channel_withdraw_tx':
      return tx.toId;
  }
}

/** The accounts that must sign a tx (`aetx:signers/2`): both peers for co-signed channel txs. */
export function txSigners(state: LedgerState, tx: SupportedTx): AccountAddress[] {
  switch (tx.tag) {
    case 'spend_tx':
      return [tx.senderId];
    case 'channel_create_tx':
      return [tx.initiatorId, tx.responderId];
    case 'channel_deposit_tx':
    case 'channel_withdraw_tx':
    case 'channel_close_mutual_tx': {
      const ch = channelOf(state, tx.channelId);
      return [ch.initiatorId, ch.responderId];
    }
    default:
      return [tx.fromId];
  }
}

function offchainPayload(payload: SignedTx | null): { round: bigint; stateHash: StateHash; channelId: ChannelId } | null {
  if (payload === null) return null;
  const inner = payload.tx;
  if (inner.tag !== 'channel_offchain_tx') reject('bad_offchain_state_type');
  return inner;
}

function peersAndAmountsInPoi(ch: ChannelV3, poi: TreesPoi): [bigint, bigint] {
  let i: bigint | undefined;
  let r: bigint | undefined;
  try {
    i = poiBalance(poi, ch.initiatorId);
    r = poiBalance(poi, ch.responderId);
  } catch {
    reject('wrong_channel_peers');
  }
  if (i === undefined || r === undefined) reject('wrong_channel_peers');
  if (ch.channelAmount < i + r) reject('poi_amounts_change_channel_funds');
  return [i, r];
}

function poiHashIs(poi: TreesPoi, stateHash: StateHash, reason: string): void {
  if (!bytesEqual(poiStateHash(poi), decodeApi(stateHash, 'st'))) reject(reason);
}

function checkPayload(ch: ChannelV3, id: ChannelId, payload: { round: bigint; channelId: ChannelId }, from: AccountAddress, env: TxEnv): void {
  if (payload.channelId !== id) reject('bad_state_channel_pubkey');
  checkRound(ch, payload.round);
  if (!isPeer(ch, from)) {
    const delegates = [...ch.initiatorDelegateIds, ...ch.responderDelegateIds];
    reject(delegates.includes(from) ? 'account_not_peer' : 'account_not_peer_or_delegate');
  }
  if (env.payloadSignaturesValid === false) reject('signature_check_failed');
}

function closeSolo(ch: ChannelV3, poi: TreesPoi, height: bigint, round: bigint, stateHash: StateHash): ChannelV3 {
  const [i, r] = [poiBalance(poi, ch.initiatorId) ?? 0n, poiBalance(poi, ch.responderId) ?? 0n];
  return { ...ch, initiatorAmount: i, responderAmount: r, round, stateHash, lockedUntil: height + ch.lockPeriod };
}

/**
 * Applies one signed tx to the ledger with the node's consensus rules (`aetx:check/3` then
 * `process/3` of each tx module and the primitive operations of `aeprimop`): protocol validity,
 * minimum fee and TTL first, then nonces, balances, channel rules. Pure: returns the new state,
 * or throws a {@link TxRejection} with the node's reason. Signatures are checked beforehand
 * ({@link verifyTxSignatures}).
 */
export function applyTx(state: LedgerState, signed: SignedTx, env: TxEnv): TxApplied {
  const tx = signed.tx;
  if (!isSupportedTx(tx)) {
    throw new TxRejection(tx.tag === 'channel_force_progress_tx' || tx.tag.startsWith('contract_') || tx.tag.startsWith('ga_') ? 'needs_vm' : 'unsupported_tx_type');
  }
  if (!validAtProtocol(tx, env.rules)) reject('invalid_at_protocol');
  const size = encodeObject(tx).length;
  const minFee = (15000n + 20n * BigInt(size)) * 1_000_000n;
  if (tx.fee < minFee) reject('too_low_fee');
  if (tx.ttl !== 0n && tx.ttl < env.height) reject('ttl_expired');
  let s = state;
  switch (tx.tag) {
    case 'spend_tx': {
      s = incNonce(s, tx.senderId, tx.nonce);
      s = spend(s, tx.senderId, tx.fee);
      if (!tx.recipientId.startsWith('ak_')) reject('unsupported_recipient');
      s = spend(s, tx.senderId, tx.amount);
      s = earn(s, tx.recipientId as AccountAddress, tx.amount);
      return { state: s };
    }
    case 'channel_create_tx': {
      const id = channelIdFromCreateTx(signed);
      s = incNonce(s, tx.initiatorId, tx.nonce);
      s = spend(s, tx.initiatorId, tx.fee + tx.initiatorAmount);
      s = spend(s, tx.responderId, tx.responderAmount);
      if (tx.initiatorAmount < tx.channelReserve) reject('insufficient_initiator_amount');
      if (tx.responderAmount < tx.channelReserve) reject('insufficient_responder_amount');
      if (tx.initiatorId === tx.responderId) reject('initiator_is_responder');
      if (getChannel(s, id) !== undefined) reject('channel_exists');
      const [iDelegates, rDelegates] =
        tx.version === 2 ? [tx.initiatorDelegateIds, tx.responderDelegateIds] : [tx.delegateIds, tx.delegateIds];
      const channel: ChannelV3 = {
        tag: 'channel',
        version: 3,
        initiatorId: tx.initiatorId,
        responderId: tx.responderId,
        channelAmount: tx.initiatorAmount + tx.responderAmount,
        initiatorAmount: tx.initiatorAmount,
        responderAmount: tx.responderAmount,
        channelReserve: tx.channelReserve,
        initiatorDelegateIds: iDelegates,
        responderDelegateIds: rDelegates,
        stateHash: tx.stateHash,
        round: 1n,
        soloRound: 0n,
        lockPeriod: tx.lockPeriod,
        lockedUntil: 0n,
        initiatorAuth: new Uint8Array(0),
        responderAuth: new Uint8Array(0),
      };
      return { state: putChannel(s, id, channel), channelId: id };
    }
    case 'channel_deposit_tx': {
      s = incNonce(s, tx.fromId, tx.nonce);
      s = spend(s, tx.fromId, tx.fee + tx.amount);
      const ch = channelOf(s, tx.channelId);
      if (!isActive(ch)) reject('channel_not_active');
      assertPeer(ch, tx.fromId);
      checkRound(ch, tx.round);
      const next = { ...ch, channelAmount: ch.channelAmount + tx.amount, stateHash: tx.stateHash, soloRound: 0n, round: tx.round };
      return { state: putChannel(s, tx.channelId, next), channelId: tx.channelId };
    }
    case 'channel_withdraw_tx': {
      s = incNonce(s, tx.toId, tx.nonce);
      s = spend(s, tx.toId, tx.fee);
      const ch = channelOf(s, tx.channelId);
      if (!isActive(ch)) reject('channel_not_active');
      assertPeer(ch, tx.toId);
      if (ch.channelAmount < 2n * ch.channelReserve + tx.amount) reject('not_enough_channel_funds');
      checkRound(ch, tx.round);
      const next = { ...ch, channelAmount: ch.channelAmount - tx.amount, stateHash: tx.stateHash, soloRound: 0n, round: tx.round };
      s = earn(s, tx.toId, tx.amount);
      return { state: putChannel(s, tx.channelId, next), channelId: tx.channelId };
    }
    case 'channel_close_mutual_tx': {
      s = incNonce(s, tx.fromId, tx.nonce);
      const ch = channelOf(s, tx.channelId);
      assertPeer(ch, tx.fromId);
      if (ch.channelAmount - (tx.initiatorAmountFinal + tx.responderAmountFinal + tx.fee) < 0n) reject('wrong_amounts');
      s = earn(s, ch.initiatorId, tx.initiatorAmountFinal);
      s = earn(s, ch.responderId, tx.responderAmountFinal);
      return { state: deleteChannel(s, tx.channelId), channelId: tx.channelId };
    }
    case 'channel_close_solo_tx':
    case 'channel_slash_tx': {
      const ch = channelOf(s, tx.channelId);
      const payload = offchainPayload(tx.payload);
      if (tx.tag === 'channel_slash_tx' && payload === null) reject('slash_must_have_payload');
      checkAccount(s, tx.fromId, tx.nonce, tx.fee);
      if (payload === null) {
        assertPeer(ch, tx.fromId);
        if (!isActive(ch)) reject('channel_not_active');
        poiHashIs(tx.poi, ch.stateHash, 'invalid_poi_hash_in_channel');
        peersAndAmountsInPoi(ch, tx.poi);
      } else {
        if (tx.tag === 'channel_close_solo_tx' && !isActive(ch)) reject('channel_not_active');
        if (tx.tag === 'channel_slash_tx' && isActive(ch)) reject('channel_not_closing');
        checkPayload(ch, tx.channelId, payload, tx.fromId, env);
        poiHashIs(tx.poi, payload.stateHash, 'invalid_poi_hash');
        peersAndAmountsInPoi(ch, tx.poi);
      }
      s = spend(s, tx.fromId, tx.fee);
      s = incNonce(s, tx.fromId, tx.nonce);
      const next =
        payload === null
          ? closeSolo(ch, tx.poi, env.height, ch.round, ch.stateHash)
          : closeSolo(ch, tx.poi, env.height, payload.round, payload.stateHash);
      return { state: putChannel(s, tx.channelId, next), channelId: tx.channelId };
    }
    case 'channel_snapshot_solo_tx': {
      const ch = channelOf(s, tx.channelId);
      const payload = offchainPayload(tx.payload);
      if (payload === null) reject('snapshot_must_have_payload');
      checkAccount(s, tx.fromId, tx.nonce, tx.fee);
      if (!isActive(ch)) reject('channel_not_active');
      checkPayload(ch, tx.channelId, payload, tx.fromId, env);
      const next = { ...ch, round: payload.round, soloRound: 0n, stateHash: payload.stateHash };
      s = putChannel(s, tx.channelId, next);
      s = spend(s, tx.fromId, tx.fee);
      s = incNonce(s, tx.fromId, tx.nonce);
      return { state: s, channelId: tx.channelId };
    }
    case 'channel_settle_tx': {
      s = incNonce(s, tx.fromId, tx.nonce);
      s = spend(s, tx.fromId, tx.fee);
      const ch = channelOf(s, tx.channelId);
      assertPeer(ch, tx.fromId);
      if (isActive(ch) || ch.lockedUntil > env.height) reject('channel_not_closed');
      if (ch.channelAmount - (tx.initiatorAmountFinal + tx.responderAmountFinal) < 0n) reject('insufficient_channel_funds');
      if (tx.initiatorAmountFinal !== ch.initiatorAmount || tx.responderAmountFinal !== ch.responderAmount) reject('wrong_amt');
      s = earn(s, ch.responderId, tx.responderAmountFinal);
      s = earn(s, ch.initiatorId, tx.initiatorAmountFinal);
      return { state: deleteChannel(s, tx.channelId), channelId: tx.channelId };
    }
  }
}

/** The channel id a tx touches, if it is a channel tx. */
export function txChannelId(signed: SignedTx): ChannelId | undefined {
  const tx = signed.tx;
  if (tx.tag === 'channel_create_tx') return channelIdFromCreateTx(signed);
  return 'channelId' in tx && typeof tx.channelId === 'string' && tx.channelId.startsWith('ch_') ? (tx.channelId as ChannelId) : undefined;
}

/** Encodes a 32-byte public key as an account address. */
export function accountAddressOf(publicKey: Uint8Array): AccountAddress {
  return encodeApi('ak', publicKey);
}
