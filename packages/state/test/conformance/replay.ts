/**
 * Replays the off-chain history of the corpus transcripts with @aesc/state and checks every
 * state hash, PoI and state trees value the node produced against what we compute. Test support
 * only (not part of the package build).
 */
import { type Step, type Transcript, connectParams } from '@aesc/corpus';
import { type AccountAddress, type SignedTx, type Transaction, decodeTx, encodeApi } from '@aesc/encoding';
import {
  AESC_ERROR__STATE__ACCOUNT_NOT_FOUND,
  AESC_ERROR__STATE__INSUFFICIENT_BALANCE,
  AESC_ERROR__STATE__NEGATIVE_AMOUNT,
  AESC_ERROR__STATE__POI_KEY_NOT_PRESENT,
  type AescErrorCode,
  isAescError,
} from '@aesc/errors';
import {
  type OffchainState,
  applyUpdates,
  balanceOf,
  buildPoi,
  decodePoi,
  encodePoi,
  encodeStateTrees,
  encodedOffchainStateHash,
  initialState,
  parseStateTrees,
  poiBalances,
  stateHashOf,
  updateFromJson,
  verifyPoi,
} from '../../src/index.js';

/** What the replay checked, by kind (each counts one tx, PoI or value compared byte for byte). */
export interface ReplayStats {
  /** Create txs whose state hash equals our initial state's. */
  creates: number;
  /** Signing requests (`channels.sign.update`, `…_ack`, deposit, withdraw) whose proposed state hash we reproduced from the updates. */
  proposals: number;
  /** Co-signed off-chain, deposit and withdraw txs (`channels.update`, `on_chain_tx`, `leave`) matching our state of that round. */
  cosigned: number;
  /** Snapshot payloads matching our state of their round. */
  snapshots: number;
  /** Close solo / slash txs whose payload state hash we reproduced and whose PoI we rebuilt byte for byte. */
  soloClosePois: number;
  /** `channels.get.poi` replies rebuilt byte for byte. */
  getPois: number;
  /** Mutual close txs whose final amounts are our balances minus the fee split. */
  closeMutuals: number;
  /** `channels.get.offchain_state` trees equal to our serialization of the replayed state. */
  offchainStates: number;
  /** `channels.get.balances` results equal to ours. */
  balances: number;
  /** Node refusals (insufficient balance, negative amount, unknown account, missing PoI key) we refuse with the matching code. */
  refusals: number;
}

/** The result of replaying one transcript. */
export interface ReplayResult {
  readonly file: string;
  /** Why the transcript needs a contract VM (undefined when it needs none). */
  needsVm: string | undefined;
  readonly stats: ReplayStats;
  /** Every mismatch, with the step number. */
  readonly failures: string[];
  /** Distinct PoIs (`pi_`, or the PoI of a close solo / slash tx) rebuilt byte for byte. */
  readonly poisRebuilt: Set<string>;
  /** Distinct `ss_` values equal to our serialization of the replayed state. */
  readonly stateTreesMatched: Set<string>;
  /** Channels opened outside the corpus whose state was rebuilt from a `get.balances` result. */
  readonly seededFromBalances: string[];
  /** Distinct co-signed rounds matched, by tx type. */
  readonly cosignedByTag: Record<string, number>;
}

interface Channel {
  readonly id: string;
  readonly initiator: AccountAddress;
  readonly responder: AccountAddress;
  readonly reserve: bigint;
  /** Co-signed states by round. */
  readonly history: Map<bigint, OffchainState>;
  /** Proposed (signing requested) states by state hash. */
  readonly proposals: Map<string, OffchainState>;
  /** Rounds whose state we could not compute (contract updates) and the reason. */
  vm: string | undefined;
}

/** Channels shared by the transcripts of one group (init_per_group and its continuations). */
export interface ReplayContext {
  readonly channels: Map<string, Channel>;
  push: bigint;
  reserve: bigint;
}

/** A fresh context. */
export function newReplayContext(): ReplayContext {
  return { channels: new Map(), push: 0n, reserve: 0n };
}

function innermost(signed: SignedTx): Transaction {
  let tx: Transaction = signed.tx;
  while (tx.tag === 'ga_meta_tx') tx = tx.tx.tx;
  return tx;
}

function latest(ch: Channel): OffchainState | undefined {
  let best: OffchainState | undefined;
  for (const s of ch.history.values()) if (best === undefined || s.round > best.round) best = s;
  return best;
}

type Json = Record<string, unknown>;

function asObject(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

const STATE_TXS = new Set(['channel_offchain_tx', 'channel_deposit_tx', 'channel_withdraw_tx']);

/** Replays one transcript within a context (channels of its group carry over). */
export function replayTranscript(t: Transcript, ctx: ReplayContext): ReplayResult {
  const stats: ReplayStats = {
    creates: 0,
    proposals: 0,
    cosigned: 0,
    snapshots: 0,
    soloClosePois: 0,
    getPois: 0,
    closeMutuals: 0,
    offchainStates: 0,
    balances: 0,
    refusals: 0,
  };
  const result: ReplayResult = {
    file: t.file,
    needsVm: undefined,
    stats,
    failures: [],
    poisRebuilt: new Set(),
    stateTreesMatched: new Set(),
    seededFromBalances: [],
    cosignedByTag: {},
  };
  const checked = new Set<string>();
  const fail = (i: number, msg: string): void => {
    result.failures.push(`${t.file} step ${i + 1}: ${msg}`);
  };
  const vm = (ch: Channel | undefined, reason: string) => {
    if (ch && ch.vm === undefined) ch.vm = reason;
    result.needsVm ??= reason;
  };
  /** The last request of each actor by method. */
  const lastRequest = new Map<string, Json>();

  const channelOf = (id: unknown): Channel | undefined => (typeof id === 'string' ? ctx.channels.get(id) : undefined);

  /**
   * A channel opened outside the corpus (`continuous/sc_ws_update_conflict` was recorded on a
   * channel whose earlier rounds are in no transcript): its state before `round` is rebuilt from
   * the transcript's first `channels.get.balances` result for it. That is exact when the rounds
   * in between only moved tokens: the accounts tree then holds the two accounts (version 1, nonce
   * 0) and every other tree is empty.
   */
  const seeded = (id: string, round: bigint): Channel | undefined => {
    for (const step of t.steps) {
      const m = asObject(step.message);
      if (m?.channel_id !== id || !Array.isArray(m.result) || m.result.length !== 2) continue;
      const [i, r] = m.result.map((e) => asObject(e) ?? {});
      const amount = (v: unknown) => (typeof v === 'number' ? BigInt(v) : (v as bigint));
      const state = initialState({
        initiator: i!.account as AccountAddress,
        initiatorAmount: amount(i!.balance),
        responder: r!.account as AccountAddress,
        responderAmount: amount(r!.balance),
      });
      const ch: Channel = {
        id,
        initiator: i!.account as AccountAddress,
        responder: r!.account as AccountAddress,
        reserve: ctx.reserve,
        history: new Map([[round, { ...state, round }]]),
        proposals: new Map(),
        vm: undefined,
      };
      ctx.channels.set(id, ch);
      result.seededFromBalances.push(`${id} at round ${round}`);
      return ch;
    }
    return undefined;
  };

  const registerCreate = (i: number, channelId: unknown, tx: Transaction, once: string) => {
    if (tx.tag !== 'channel_create_tx') return;
    const state = initialState({
      initiator: tx.initiatorId,
      initiatorAmount: tx.initiatorAmount,
      responder: tx.responderId,
      responderAmount: tx.responderAmount,
      pushAmount: ctx.push,
    });
    if (!checked.has(`create:${once}`)) {
      checked.add(`create:${once}`);
      if (encodedOffchainStateHash(state) === tx.stateHash) stats.creates++;
      else fail(i, `create tx state hash ${tx.stateHash}, ours ${encodedOffchainStateHash(state)} (push ${ctx.push})`);
    }
    if (typeof channelId === 'string' && !ctx.channels.has(channelId)) {
      ctx.channels.set(channelId, {
        id: channelId,
        initiator: tx.initiatorId,
        responder: tx.responderId,
        reserve: tx.channelReserve,
        history: new Map([[1n, state]]),
        proposals: new Map(),
        vm: undefined,
      });
    }
  };

  /** A co-signed state tx (off-chain, deposit, withdraw): it must be a state we know. */
  const cosigned = (i: number, tx: Transaction, what: string) => {
    if (!STATE_TXS.has(tx.tag) || !('round' in tx) || !('stateHash' in tx)) return;
    const ch = channelOf(tx.channelId);
    if (ch === undefined) return fail(i, `${what}: unknown channel ${tx.channelId}`);
    const known = ch.history.get(tx.round) ?? ch.proposals.get(`${tx.round}:${tx.stateHash}`);
    if (known === undefined) {
      if (ch.vm !== undefined) return;
      return fail(i, `${what}: no state of round ${tx.round} (${tx.stateHash})`);
    }
    const ours = encodedOffchainStateHash(known);
    if (ours !== tx.stateHash) return fail(i, `${what}: round ${tx.round} state hash ${tx.stateHash}, ours ${ours}`);
    ch.history.set(tx.round, known);
    const key = `cosigned:${ch.id}:${tx.round}:${what}`;
    if (!checked.has(key)) {
      checked.add(key);
      stats.cosigned++;
      result.cosignedByTag[tx.tag] = (result.cosignedByTag[tx.tag] ?? 0) + 1;
    }
  };

  /** A signing request with its updates: recompute the proposed state from the previous round. */
  const proposal = (i: number, tx: Transaction, updatesJson: unknown) => {
    if (!STATE_TXS.has(tx.tag) || !('round' in tx) || !('stateHash' in tx)) return;
    const ch = channelOf(tx.channelId) ?? seeded(tx.channelId, tx.round - 1n);
    if (ch === undefined) return fail(i, `proposal: unknown channel ${tx.channelId}`);
    const updates = Array.isArray(updatesJson) ? updatesJson.map((u) => updateFromJson(u)) : [];
    const contract = updates.find(
      (u) => u.tag === 'channel_offchain_update_create_contract' || u.tag === 'channel_offchain_update_call_contract',
    );
    if (contract !== undefined) return vm(ch, `${contract.tag} in round ${tx.round}`);
    const base = ch.history.get(tx.round - 1n);
    if (base === undefined) {
      if (ch.vm !== undefined) return;
      return fail(i, `proposal of round ${tx.round}: no co-signed state of round ${tx.round - 1n}`);
    }
    const next = applyUpdates(base, updates, { channelReserve: ch.reserve });
    const ours = encodedOffchainStateHash(next);
    if (ours !== tx.stateHash) return fail(i, `proposal of round ${tx.round}: state hash ${tx.stateHash}, ours ${ours}`);
    ch.proposals.set(`${tx.round}:${tx.stateHash}`, next);
    stats.proposals++;
  };

  /** Close solo / slash: payload state hash and PoI rebuilt from the latest co-signed state. */
  const soloClose = (i: number, tx: Transaction) => {
    if (tx.tag !== 'channel_close_solo_tx' && tx.tag !== 'channel_slash_tx') return;
    const ch = channelOf(tx.channelId);
    if (ch === undefined) return fail(i, `${tx.tag}: unknown channel`);
    const poiString = encodePoi(tx.poi);
    const payload = tx.payload === null ? undefined : innermost(tx.payload);
    const state =
      payload !== undefined && 'round' in payload ? ch.history.get(payload.round as bigint) : (latest(ch) as OffchainState);
    if (state === undefined) {
      if (ch.vm === undefined) fail(i, `${tx.tag}: no state for its payload`);
      return;
    }
    if (payload !== undefined && 'stateHash' in payload && payload.stateHash !== encodedOffchainStateHash(state)) {
      return fail(i, `${tx.tag}: payload state hash ${payload.stateHash}, ours ${encodedOffchainStateHash(state)}`);
    }
    try {
      verifyPoi(tx.poi, stateHashOf(state.trees));
    } catch (e) {
      return fail(i, `${tx.tag}: PoI does not verify against our state: ${(e as Error).message}`);
    }
    const ours = encodePoi(buildPoi(state.trees, { accounts: [ch.initiator, ch.responder] }));
    if (ours !== poiString) return fail(i, `${tx.tag}: PoI differs from ours`);
    if (!checked.has(`poi:${poiString}`)) {
      checked.add(`poi:${poiString}`);
      stats.soloClosePois++;
    }
    result.poisRebuilt.add(poiString);
  };

  const snapshot = (i: number, tx: Transaction) => {
    if (tx.tag !== 'channel_snapshot_solo_tx') return;
    const payload = innermost(tx.payload);
    if (payload.tag !== 'channel_offchain_tx') return fail(i, 'snapshot payload is not an off-chain tx');
    const ch = channelOf(payload.channelId);
    const state = ch?.history.get(payload.round);
    if (state === undefined) {
      if (ch?.vm === undefined) fail(i, `snapshot of round ${payload.round}: unknown state`);
      return;
    }
    if (encodedOffchainStateHash(state) !== payload.stateHash) return fail(i, 'snapshot payload state hash differs');
    if (!checked.has(`snapshot:${payload.channelId}:${payload.round}`)) {
      checked.add(`snapshot:${payload.channelId}:${payload.round}`);
      stats.snapshots++;
    }
  };

  const closeMutual = (i: number, tx: Transaction) => {
    if (tx.tag !== 'channel_close_mutual_tx') return;
    const ch = channelOf(tx.channelId);
    const state = ch && latest(ch);
    if (ch === undefined || state === undefined || ch.vm !== undefined) return;
    const ib = balanceOf(state.trees, ch.initiator) ?? 0n;
    const rb = balanceOf(state.trees, ch.responder) ?? 0n;
    const fee = tx.fee;
    const ceil = (fee + 1n) / 2n;
    const floor = fee / 2n;
    let expected: [bigint, bigint];
    if (ib >= ceil && rb >= floor) expected = [ib - ceil, rb - floor];
    else if (rb >= ceil && ib >= floor) expected = [ib - floor, rb - ceil];
    else if (ib > rb) expected = [ib - fee + rb, 0n];
    else expected = [0n, rb - fee + ib];
    if (tx.initiatorAmountFinal !== expected[0] || tx.responderAmountFinal !== expected[1]) {
      return fail(i, `close mutual amounts ${tx.initiatorAmountFinal}/${tx.responderAmountFinal}, ours ${expected.join('/')}`);
    }
    const key = `close:${tx.channelId}:${tx.fee}:${tx.nonce}`;
    if (!checked.has(key)) {
      checked.add(key);
      stats.closeMutuals++;
    }
  };

  /** Every tx in a node message: create, co-signed states, closes. */
  const onTx = (i: number, channelId: unknown, encoded: unknown, context: 'proposal' | 'cosigned', updates?: unknown) => {
    if (typeof encoded !== 'string' || !encoded.startsWith('tx_')) return;
    const tx = innermost(decodeTx(encoded));
    registerCreate(i, channelId, tx, encoded);
    if (tx.tag === 'channel_force_progress_tx') return vm(channelOf(tx.channelId), 'channel_force_progress_tx');
    if (context === 'proposal') proposal(i, tx, updates);
    else cosigned(i, tx, 'co-signed');
    soloClose(i, tx);
    snapshot(i, tx);
    closeMutual(i, tx);
  };

  const onGetPoi = (i: number, channelId: unknown, poiString: string, request: Json | undefined) => {
    const ch = channelOf(channelId);
    const state = ch && latest(ch);
    if (ch === undefined || state === undefined) return fail(i, 'get.poi reply for an unknown channel');
    const params = asObject(request?.params) ?? {};
    const accounts = (params.accounts as AccountAddress[] | undefined) ?? [];
    const contracts = (params.contracts as `ct_${string}`[] | undefined) ?? [];
    if (ch.vm !== undefined) return;
    const ours = encodePoi(buildPoi(state.trees, { accounts: [...accounts, ...contracts], contracts }));
    if (ours !== poiString) return fail(i, 'get.poi reply differs from our PoI');
    verifyPoi(decodePoi(poiString), stateHashOf(state.trees));
    const [ib, rb] = poiBalances(decodePoi(poiString), [ch.initiator, ch.responder]);
    if (ib !== balanceOf(state.trees, ch.initiator) || rb !== balanceOf(state.trees, ch.responder)) {
      return fail(i, 'balances read out of the PoI differ');
    }
    stats.getPois++;
    result.poisRebuilt.add(poiString);
  };

  const onOffchainState = (i: number, channelId: unknown, res: Json) => {
    const ss = res.trees;
    const signed = res.signed_tx;
    if (typeof ss !== 'string' || typeof signed !== 'string' || signed === '') return;
    const tx = innermost(decodeTx(signed));
    if (!('round' in tx) || !('stateHash' in tx) || typeof tx.round !== 'bigint') return;
    const ch = channelOf(channelId);
    if (ch === undefined) return fail(i, 'offchain_state for an unknown channel');
    const state = ch.history.get(tx.round);
    if (state === undefined || ch.vm !== undefined) {
      // A state we could not replay (contract rounds): adopt the trees as given, so that later
      // rounds without contracts are replayed from them.
      const trees = parseStateTrees(ss);
      if (encodeApi('st', stateHashOf(trees)) === tx.stateHash) ch.history.set(tx.round, { round: tx.round, trees });
      return;
    }
    const ours = encodeStateTrees(state.trees);
    if (ours !== ss) return fail(i, `offchain_state trees of round ${tx.round} differ from our serialization`);
    stats.offchainStates++;
    result.stateTreesMatched.add(ss);
  };

  const onBalances = (i: number, channelId: unknown, res: unknown[]) => {
    const ch = channelOf(channelId);
    const state = ch && latest(ch);
    if (ch === undefined || state === undefined || ch.vm !== undefined) return;
    for (const entry of res) {
      const e = asObject(entry);
      if (e === undefined) continue;
      const ours = balanceOf(state.trees, e.account as AccountAddress);
      const theirs = typeof e.balance === 'number' ? BigInt(e.balance) : e.balance;
      if (ours !== theirs) return fail(i, `balance of ${String(e.account)}: ${String(theirs)}, ours ${String(ours)}`);
    }
    stats.balances++;
  };

  /** Error replies the state rules must reproduce. */
  const onError = (i: number, channelId: unknown, error: Json) => {
    const request = asObject(error.request);
    const data = Array.isArray(error.data) ? asObject(error.data[0]) : undefined;
    const code = data?.code;
    const params = asObject(request?.params);
    const ch = channelOf(channelId);
    const state = ch && latest(ch);
    if (request === undefined || params === undefined || ch === undefined || state === undefined || ch.vm !== undefined) return;
    let refused: unknown;
    const attempt = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        refused = e;
      }
    };
    if (request.method === 'channels.update.new' && (code === 1001 || code === 1002 || code === 1003)) {
      const amount = params.amount;
      if (typeof amount !== 'number' && typeof amount !== 'bigint') return;
      attempt(() =>
        applyUpdates(
          state,
          [updateFromJson({ op: 'OffChainTransfer', from: params.from, to: params.to, amount })],
          { channelReserve: ch.reserve },
        ),
      );
      const expected: AescErrorCode =
        code === 1001
          ? AESC_ERROR__STATE__INSUFFICIENT_BALANCE
          : code === 1002
            ? AESC_ERROR__STATE__NEGATIVE_AMOUNT
            : AESC_ERROR__STATE__ACCOUNT_NOT_FOUND;
      if (!isAescError(refused, expected)) return fail(i, `update.new refused by the node (${code}) but not by us with ${expected}`);
      stats.refusals++;
    } else if (request.method === 'channels.get.poi' && code === 100) {
      attempt(() =>
        buildPoi(state.trees, {
          accounts: [...((params.accounts as AccountAddress[]) ?? []), ...((params.contracts as `ct_${string}`[]) ?? [])],
          contracts: (params.contracts as `ct_${string}`[]) ?? [],
        }),
      );
      if (!isAescError(refused, AESC_ERROR__STATE__POI_KEY_NOT_PRESENT)) return fail(i, 'get.poi refused by the node but not by us');
      stats.refusals++;
    }
  };

  t.steps.forEach((step: Step, i) => {
    if (step.kind === 'connect') {
      const p = connectParams(step);
      if (p.push_amount !== undefined && /^\d+$/.test(p.push_amount)) ctx.push = BigInt(p.push_amount);
      if (p.channel_reserve !== undefined && /^\d+$/.test(p.channel_reserve)) ctx.reserve = BigInt(p.channel_reserve);
      if (p.offchain_tx !== undefined) onTx(i, p.existing_channel_id, p.offchain_tx, 'cosigned');
      return;
    }
    const m = asObject(step.message);
    if (m === undefined) return;
    const method = typeof m.method === 'string' ? m.method : undefined;
    if (step.kind === 'send') {
      if (method !== undefined) lastRequest.set(`${step.actor}:${method}`, m);
      return;
    }
    if (step.kind !== 'recv') return;
    try {
      if (method === undefined) {
        const channelId = m.channel_id;
        const res = m.result;
        if (Array.isArray(res)) onBalances(i, channelId, res);
        else if (asObject(res)?.trees !== undefined) onOffchainState(i, channelId, asObject(res)!);
        const error = asObject(m.error);
        if (error !== undefined) onError(i, channelId, error);
        return;
      }
      const params = asObject(m.params) ?? {};
      const data = asObject(params.data) ?? {};
      const channelId = params.channel_id;
      if (method.startsWith('channels.sign.')) onTx(i, channelId, data.signed_tx, 'proposal', data.updates);
      else if (method === 'channels.update' || method === 'channels.leave') onTx(i, channelId, data.state, 'cosigned');
      else if (method === 'channels.on_chain_tx') onTx(i, channelId, data.tx, 'cosigned');
      else if (method === 'channels.get.poi.reply' && typeof data.poi === 'string') {
        onGetPoi(i, channelId, data.poi, lastRequest.get(`${step.actor}:channels.get.poi`));
      }
    } catch (e) {
      fail(i, `threw ${(e as Error).message}`);
    }
  });
  return result;
}

/** The smallest round a transcript's txs carry (the order its group ran the test cases in). */
export function firstRound(t: Transcript): bigint {
  let min: bigint | undefined;
  for (const step of t.steps) {
    const m = asObject(step.message);
    const data = asObject(asObject(m?.params)?.data);
    const s = data?.signed_tx ?? data?.state ?? data?.tx;
    if (typeof s !== 'string' || !s.startsWith('tx_')) continue;
    const tx = innermost(decodeTx(s));
    if ('round' in tx && typeof tx.round === 'bigint' && (min === undefined || tx.round < min)) min = tx.round;
  }
  return min ?? 0n;
}

/** Transcripts without a connect step continue the channel of their group's init_per_group. */
function initOf(t: Transcript, byFile: Map<string, Transcript>): Transcript | undefined {
  let dir = t.group;
  while (dir !== '') {
    const init = byFile.get(`${dir}/init_per_group.json`);
    if (init) return init;
    dir = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '';
  }
  return undefined;
}

/**
 * Replays the whole corpus: every transcript on its own, except those that continue their group's
 * channel, which run after their init_per_group in the order of their rounds.
 */
export function replayCorpus(transcripts: readonly Transcript[]): ReplayResult[] {
  const byFile = new Map(transcripts.map((t) => [t.file, t]));
  const continuations = new Map<string, Transcript[]>();
  const standalone: Transcript[] = [];
  for (const t of transcripts) {
    const hasConnect = t.steps.some((s) => s.kind === 'connect');
    const init = hasConnect ? undefined : initOf(t, byFile);
    if (init === undefined) standalone.push(t);
    else continuations.set(init.file, [...(continuations.get(init.file) ?? []), t]);
  }
  const results: ReplayResult[] = [];
  for (const t of standalone) {
    const ctx = newReplayContext();
    results.push(replayTranscript(t, ctx));
    const rest = continuations.get(t.file);
    if (rest === undefined) continue;
    // The group ran its test cases on one channel; their rounds give the order.
    for (const c of [...rest].sort((a, b) => Number(firstRound(a) - firstRound(b)))) results.push(replayTranscript(c, ctx));
  }
  return results;
}

