import { DevChain, inProcessAdapter, serveChainHttp } from '@aesc/chain';
import { type Step, type Transcript, connectParams } from '@aesc/corpus';
import { type KeyPair, accountAddress, addSignature, generateKeyPair, publicKeyOf, signTransaction, txHash } from '@aesc/crypto';
import { type AccountAddress, type SignedTx, decodeTx, encodeObject, encodeTx, objectToJson } from '@aesc/encoding';
import { ChannelNode, serveChannelEndpoint, withMinimumFee } from '@aesc/node';
import { parseJson, stringifyJson } from '@aesc/rpc';
import { buildPoi, initialState, payCloseMutualFee } from '@aesc/state';
import WebSocket from 'ws';
import { continuationSteps, needsVm } from './client-replay.js';

/** The outcome of one transcript replayed against our node. */
export interface NodeTranscriptResult {
  readonly file: string;
  readonly group: string;
  /** Recorded node → client messages matched. */
  readonly matched: number;
  /** What differed, beyond the known differences of an older node's recording (see {@link OLDER_NODE}); the replay stops at the first. */
  readonly mismatches: string[];
  /** Known differences of an older node's recording met on the way (the replay goes on past them). */
  readonly olderNode: string[];
  /** It matched (up to its known differences) on a later run, not the first: the first run's first difference. */
  readonly retried?: string;
}

type Json = Record<string, unknown>;
type Msg = Json & { method?: string; id?: unknown; params?: Json & { data?: Json }; result?: unknown; error?: Json };

const NETWORK_ID = 'local_iris_testnet';
const NO_ACCOUNT = 'ak_11111111111111111111111111111115rHyByZ';
const ENCODED = /^([a-z]{2})_[A-Za-z0-9+/=]+$/;
/** How long one expected message may take (key blocks are made while waiting). */
const RECV_BUDGET_MS = 5000;

interface Socket {
  readonly ws: WebSocket;
  readonly queue: Msg[];
  closed: boolean;
  /** The transcript's `close` step for this socket has been replayed (close steps pair with connect steps, in order). */
  closeStepSeen?: boolean;
  /** The last sign request on this socket: its tag and tx. */
  lastSign?: { tag: string; tx: string };
  /** The last recorded message matched on this socket. */
  lastMatched?: Msg;
  /** The state of the last `channels.update` matched on this socket (ours). */
  lastState?: string;
}

/** Walks expected and actual JSON side by side; records which of our values stand for the recorded ones. */
function learn(expected: unknown, actual: unknown, map: Map<string, string>): void {
  if (typeof expected === 'string' && typeof actual === 'string') {
    const e = ENCODED.exec(expected);
    const a = ENCODED.exec(actual);
    if (e && a && e[1] === a[1] && expected !== actual && !map.has(expected)) {
      map.set(expected, actual);
      // A tx stands for its hash too (`channels.assume_minimum_depth` names txs by hash).
      if (e[1] === 'tx') {
        try {
          map.set(txHash(expected), txHash(actual));
        } catch {
          // not a signed tx
        }
      }
    }
    return;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    for (const [i, v] of expected.entries()) learn(v, actual[i], map);
    return;
  }
  if (expected && actual && typeof expected === 'object' && typeof actual === 'object') {
    for (const [k, v] of Object.entries(expected)) learn(v, (actual as Json)[k], map);
  }
}

/** A copy of a recorded client message with recorded values replaced by ours. */
function substitute(value: unknown, map: Map<string, string>): unknown {
  if (typeof value === 'string') return map.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => substitute(v, map));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, map)]));
  return value;
}

const keys = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v).sort().join(',') : typeof v);
const dataOf = (m: Msg) => (m.params?.data ?? {}) as Json;
const kindOf = (m: Msg) => (m.method !== undefined ? 'notification' : 'error' in m ? 'error' : 'result');

function describe(m: Msg): string {
  if (m.method === undefined) return 'error' in m ? `error ${(m.error as Json).code}` : `result ${stringifyJson(m.result).slice(0, 40)}`;
  const d = dataOf(m);
  const detail = d.event ?? d.info ?? '';
  return `${m.method}${detail ? ` ${detail}` : ''}`;
}

/** Replies to a client's request: results, errors, pongs, `*.reply` notifications. */
function isReply(m: Msg): boolean {
  return m.method === undefined || m.method === 'channels.system.pong' || m.method.endsWith('.reply');
}

/** Whether an actual message is the one the transcript recorded at this place (method and event / info). */
function sameMessage(expected: Msg, actual: Msg): boolean {
  if (kindOf(expected) !== kindOf(actual)) return false;
  if (expected.method !== actual.method) return false;
  const e = dataOf(expected);
  const a = dataOf(actual);
  return e.event === a.event && e.info === a.info;
}

/** Compares a matched message in detail; returns what differs. */
function compare(expected: Msg, actual: Msg): string[] {
  const out: string[] = [];
  const e = dataOf(expected);
  const a = dataOf(actual);
  for (const k of ['type', 'tag', 'action'] as const) if (e[k] !== a[k]) out.push(`${k} ${String(e[k])} ≠ ${String(a[k])}`);
  if (keys(expected.params) !== keys(actual.params)) out.push(`params keys ${keys(expected.params)} ≠ ${keys(actual.params)}`);
  if (expected.params && keys(e) !== keys(a)) out.push(`data keys ${keys(e)} ≠ ${keys(a)}`);
  if (kindOf(expected) === 'result') {
    const er = expected.result;
    const ar = actual.result;
    if (Array.isArray(er) !== Array.isArray(ar) || (Array.isArray(er) && er.length !== (ar as unknown[]).length)) out.push('result shape differs');
    else if (typeof er === 'object' && er !== null && keys(er) !== keys(ar)) out.push(`result keys ${keys(er)} ≠ ${keys(ar)}`);
    else if (typeof er !== 'object' && er !== ar) out.push(`result ${String(er)} ≠ ${String(ar)}`);
  }
  if (kindOf(expected) === 'error') {
    const ee = expected.error as Json;
    const ae = actual.error as Json;
    if (ee.code !== ae.code) out.push(`error code ${String(ee.code)} ≠ ${String(ae.code)}`);
    const codes = (x: Json) => ((x.data as { code: number }[] | undefined) ?? []).map((d) => d.code).join(',');
    if (codes(ee) !== codes(ae)) out.push(`error data ${codes(ee)} ≠ ${codes(ae)}`);
  }
  if (expected.method?.startsWith('channels.sign.')) out.push(...compareTx(String(e.signed_tx), String(a.signed_tx)));
  return out;
}

/** Fields of a tx the node asks to sign that must equal the recorded ones (not keys, ids, nonces, hashes). */
const TX_FIELDS = [
  'initiatorAmount',
  'responderAmount',
  'channelReserve',
  'lockPeriod',
  'ttl',
  'fee',
  'amount',
  'round',
  'initiatorAmountFinal',
  'responderAmountFinal',
] as const;

function compareTx(expected: string, actual: string): string[] {
  let e: SignedTx;
  let a: SignedTx;
  try {
    e = decodeTx(expected);
    a = decodeTx(actual);
  } catch {
    return ['sign request tx does not decode'];
  }
  if (e.tx.tag !== a.tx.tag || e.tx.version !== a.tx.version) return [`tx ${e.tx.tag} v${e.tx.version} ≠ ${a.tx.tag} v${a.tx.version}`];
  const out: string[] = [];
  if (e.signatures.length !== a.signatures.length) out.push(`tx signatures ${e.signatures.length} ≠ ${a.signatures.length}`);
  for (const f of TX_FIELDS) {
    const ev = (e.tx as unknown as Json)[f];
    const av = (a.tx as unknown as Json)[f];
    if (ev !== av) out.push(`tx ${f} ${String(ev)} ≠ ${String(av)}`);
  }
  if (out.length > 0 && process.env.AESC_DEBUG) console.log(objectToJson(e.tx), objectToJson(a.tx));
  return out;
}

/** How many leading hex digits (nibbles) two keys share: where their paths part in a Merkle Patricia tree. */
export function sharedNibbles(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < a.length && i < b.length; i++) {
    if (a[i] === b[i]) {
      n += 2;
      continue;
    }
    return (a[i]! >> 4) === (b[i]! >> 4) ? n + 1 : n;
  }
  return n;
}

/**
 * A fresh key pair for the recorded account `recorded`, whose public key shares as many leading
 * nibbles with each account already mapped (`map`: recorded → fresh) as the recorded keys share.
 * Account trees are keyed by public key, so the two participants' keys decide the shape of the
 * channel's state tree, hence the size of a proof of inclusion in a close_solo or slash tx, and the
 * minimum fee the node asks for: with keys of another shape the fee differs from the recorded one
 * (1 time in 16, when two fresh keys share a first nibble the recorded ones do not share).
 */
async function freshKeyLike(recorded: string, map: ReadonlyMap<string, string>): Promise<KeyPair> {
  const want = [...map].map(([r, f]) => ({ fresh: publicKeyOf(f), shared: sharedNibbles(publicKeyOf(recorded), publicKeyOf(r)) }));
  for (let attempt = 0; ; attempt++) {
    const keys = await generateKeyPair();
    // (Up to 3 shared nibbles takes ~4,096 tries at most; beyond, a recording would need more than it is worth.)
    if (attempt > 20_000 || want.every((w) => sharedNibbles(keys.publicKey, w.fresh) === w.shared)) return keys;
  }
}

/**
 * Replays the clients' side of one transcript against a fresh node of ours (embedded Iris chain,
 * the corpus' network id, fresh keys for the participants): each recorded client message is sent
 * (sign replies are made with the fresh key over what our node asked to sign), and every recorded
 * node message is compared with what our node sent to that client, in order per client.
 */
export async function replayTranscriptAgainstNode(t: Transcript, steps: readonly Step[] = t.steps): Promise<NodeTranscriptResult> {
  const mismatches: string[] = [];
  const olderNode: string[] = [];
  const older = OLDER_NODE[t.file];
  let matched = 0;
  // Fresh keys for every participant named in a connect URL, shaped as the recorded ones (see freshKeyLike).
  const map = new Map<string, string>();
  const secret = new Map<string, Uint8Array>();
  for (const s of steps) {
    for (const k of ['initiator_id', 'responder_id']) {
      const id = connectParams(s)[k];
      // The all-zero key stands for an account that does not exist (sc_ws_broken_open_params).
      if (id === undefined || map.has(id) || !id.startsWith('ak_') || id === NO_ACCOUNT) continue;
      const keys = await freshKeyLike(id, map);
      const fresh = accountAddress(keys.publicKey);
      map.set(id, fresh);
      secret.set(fresh, keys.secretKey);
    }
  }
  // The recorded accounts had made txs before: start ours at the same nonces, so that the txs our
  // node builds have the recorded sizes (and fees).
  const firstNonce = new Map<string, bigint>();
  let createVersion: 1 | 2 = 1;
  for (const s of steps) {
    const m = s.message as Msg | undefined;
    if (s.kind !== 'recv' || !m?.method?.startsWith('channels.sign.')) continue;
    try {
      const tx = decodeTx(String(dataOf(m).signed_tx)).tx as unknown as Json;
      if (tx.tag === 'channel_create_tx' && m.method === 'channels.sign.initiator_sign') createVersion = tx.version === 2 ? 2 : 1;
      const origin = (tx.tag === 'channel_create_tx' ? tx.initiatorId : (tx.fromId ?? tx.toId)) as string | undefined;
      if (origin === undefined || typeof tx.nonce !== 'bigint') continue;
      const prev = firstNonce.get(origin);
      if (prev === undefined || tx.nonce < prev) firstNonce.set(origin, tx.nonce);
    } catch {
      // not a tx
    }
  }
  const genesisNonce = (fresh: string) => {
    const recorded = [...map].find(([, v]) => v === fresh)?.[0];
    const n = recorded === undefined ? undefined : firstNonce.get(recorded);
    return n !== undefined && n > 0n ? n - 1n : 0n;
  };
  const chain = DevChain.open({
    genesis: [...secret.keys()].map((address) => ({ address: address as AccountAddress, balance: 10n ** 24n, nonce: genesisNonce(address) })),
    rules: { protocol: 'iris', networkId: NETWORK_ID, acceptCreateV1: true },
    // Txs wait in the mempool until the harness makes blocks, as on the node the corpus was recorded with.
    autoMine: false,
  });
  const http = await serveChainHttp(chain);
  const node = await ChannelNode.start({ chain: inProcessAdapter(chain), createTxVersion: createVersion, connectTimeoutMs: 10_000 });
  const detach = serveChannelEndpoint(node, http.server);
  const sockets = new Map<string, Socket[]>();
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of [...waiters]) w();
  };
  const pause = (ms: number) =>
    new Promise<void>((r) => {
      const done = () => {
        waiters.delete(done);
        r();
      };
      waiters.add(done);
      setTimeout(done, ms);
    });
  const current = (actor: string) => sockets.get(actor)?.at(-1);
  // The stale close_solo the node's test suite posted itself before `can_slash` (sc_ws_slash).
  let staleClosePosted = false;
  let stepIndex = 0;
  const postStaleClose = async () => {
    staleClosePosted = true;
    const open = steps.slice(0, stepIndex).filter((s) => s.kind === 'connect' && s.actor === 'initiator' && connectParams(s).initiator_id !== undefined).at(-1);
    if (open === undefined) return;
    const p = connectParams(open);
    const initiator = map.get(p.initiator_id!) as AccountAddress;
    const responder = map.get(p.responder_id!) as AccountAddress;
    const channelId = [...map.values()].filter((v) => v.startsWith('ch_')).at(-1);
    if (channelId === undefined) return;
    const state = initialState({
      initiator,
      initiatorAmount: BigInt(p.initiator_amount!),
      responder,
      responderAmount: BigInt(p.responder_amount!),
      pushAmount: BigInt(p.push_amount ?? 0),
    });
    const nonce = chain.nextNonce(initiator);
    const built = withMinimumFee(
      (fee) =>
        ({ tag: 'channel_close_solo_tx', version: 1, channelId, fromId: initiator, payload: null, poi: buildPoi(state.trees, { accounts: [initiator, responder] }), ttl: 0n, fee, nonce }) as never,
      {},
      1_000_000_000n,
    );
    if (!built.ok) return;
    const sig = await signTransaction(encodeObject(built.tx), NETWORK_ID, secret.get(initiator)!);
    await chain.postTx(encodeTx({ tag: 'signed_tx', version: 1, signatures: [sig], tx: built.tx })).catch(() => undefined);
  };

  try {
    for (const [index, step] of steps.entries()) {
      stepIndex = index;
      if (step.kind === 'connect') staleClosePosted = false;
      const where = `step ${index} (${step.actor} ${step.kind})`;
      if (step.kind === 'connect') {
        const url = new URL(step.url!);
        const local = new URL(`${http.url.replace('http', 'ws')}/channel`);
        for (const [k, v] of url.searchParams) local.searchParams.set(k, map.get(v) ?? v);
        const ws = new WebSocket(local.toString());
        const socket: Socket = { ws, queue: [], closed: false };
        ws.on('message', (d) => {
          const m = parseJson(d.toString()) as Msg;
          if (process.env.AESC_DEBUG) console.log(`  ${step.actor} <- ${describe(m)}`);
          socket.queue.push(m);
          if (m.method?.startsWith('channels.sign.')) socket.lastSign = { tag: m.method.slice(14), tx: String(dataOf(m).signed_tx) };
          wake();
        });
        ws.on('close', () => {
          socket.closed = true;
          wake();
        });
        await new Promise<void>((resolve) => {
          ws.once('open', () => resolve());
          ws.once('error', () => resolve());
        });
        sockets.set(step.actor, [...(sockets.get(step.actor) ?? []), socket]);
        continue;
      }
      if (step.kind === 'close') {
        // The recording logs a close where the client noticed it, sometimes after it had opened a
        // new session: the socket closed is the actor's oldest one still open.
        const s = (sockets.get(step.actor) ?? []).find((x) => !x.closeStepSeen);
        if (s !== undefined) {
          s.closeStepSeen = true;
          // Wait for the closing handshake: the node has seen the client go before the next step.
          const gone = new Promise<void>((r) => {
            if (s.ws.readyState === WebSocket.CLOSED) r();
            else s.ws.once('close', () => r());
          });
          s.ws.close();
          await Promise.race([gone, pause(1000)]);
        }
        continue;
      }
      if (step.kind === 'send') {
        const s = current(step.actor);
        if (s === undefined || s.ws.readyState !== WebSocket.OPEN) continue;
        const m = substitute(step.message, map) as Msg;
        const params = m.params as Json | undefined;
        if (m.method !== undefined && params && typeof params.signed_tx === 'string' && s.lastSign !== undefined) {
          const me = [...secret.keys()].find((k) => k === map.get(roleAccount(steps, step.actor)));
          if (me !== undefined) {
            let signed = decodeTx(s.lastSign.tx);
            // The recorded client sometimes sent a tx signed by both parties (the test suite holds
            // both keys): do the same with ours.
            const recorded = decodeTx(String((step.message as Msg).params?.signed_tx));
            const signers = recorded.signatures.length > signed.signatures.length + 1 ? [...secret.values()] : [secret.get(me)!];
            for (const key of signers) signed = addSignature(signed, await signTransaction(encodeObject(signed.tx), NETWORK_ID, key));
            params.signed_tx = encodeTx(signed);
          }
        }
        if (process.env.AESC_DEBUG) console.log(`  ${step.actor} -> ${m.method}`);
        s.ws.send(stringifyJson(m));
        continue;
      }
      if (step.kind !== 'recv') continue;
      const expected = step.message as Msg;
      const deadline = Date.now() + RECV_BUDGET_MS;
      let found: { socket: Socket; msg: Msg; at: number } | undefined;
      for (let quiet = 0; ; ) {
        for (const s of sockets.get(step.actor) ?? []) {
          // A reply to the client's own request (a result, an error, a pong) races with the
          // notifications the node sends meanwhile: replies may be passed over, and a reply may
          // be found a few messages ahead.
          for (let k = 0; k < (isReply(expected) ? s.queue.length : Math.min(4, s.queue.length)); k++) {
            if (sameMessage(expected, s.queue[k]!)) {
              found = { socket: s, msg: s.queue[k]!, at: k };
              break;
            }
            if (older?.extra?.(s.queue[k]!, s) === true) {
              olderNode.push(`${where}: ${describe(s.queue[k]!)} before ${describe(expected)}, which the recording does not have`);
              s.queue.splice(k, 1);
              k--;
              continue;
            }
            if (!isReply(expected) && !isReply(s.queue[k]!)) break;
          }
          if (found !== undefined) break;
        }
        if (found !== undefined || Date.now() > deadline) break;
        if (!staleClosePosted && dataOf(expected).info === 'can_slash') await postStaleClose();
        await pause(40);
        // Nothing yet: mine what waits in the mempool; when nothing does, a key block now and then
        // (minimum depths, lock periods), slowly enough for the FSMs to react to each.
        quiet++;
        if (quiet >= 2 && (await chain.emitMicroBlock()) === undefined && quiet % 3 === 0) await chain.emitKeyBlocks(1);
      }
      if (found === undefined) {
        const heads = (sockets.get(step.actor) ?? []).map((s) =>
          s.queue.length > 0 ? s.queue.slice(0, 3).map(describe).join(', ') : s.closed ? '(closed)' : '(nothing)',
        );
        mismatches.push(`${where}: expected ${describe(expected)}, got ${heads.join(' | ')}`);
        break;
      }
      found.socket.queue.splice(found.at, 1);
      found.socket.lastMatched = expected;
      if (found.msg.method === 'channels.update') found.socket.lastState = String(dataOf(found.msg).state);
      matched++;
      const diffs = compare(expected, found.msg);
      if (diffs.length > 0 && older?.tolerates(expected, found.msg)) {
        olderNode.push(`${where} ${describe(expected)}: ${diffs.join('; ')}`);
      } else if (diffs.length > 0) {
        mismatches.push(`${where} ${describe(expected)}: ${diffs.join('; ')}`);
        break;
      }
      learn(expected, found.msg, map);
    }
  } catch (e) {
    mismatches.push(`harness error: ${String(e)}`);
  } finally {
    for (const list of sockets.values()) for (const s of list) s.ws.terminate();
    detach();
    await node.close();
    await http.close();
    await chain.close();
  }
  return { file: t.file, group: t.group, matched, mismatches, olderNode };
}

/** The account a transcript's actor opens with (from its first connect step). */
function roleAccount(steps: readonly Step[], actor: string): string {
  const open = steps.find((s) => s.kind === 'connect' && s.actor === actor && connectParams(s).initiator_id !== undefined);
  const p = open ? connectParams(open) : {};
  return (actor === 'initiator' ? p.initiator_id : p.responder_id) ?? '';
}

/** How a recording made by an older node differs from what the node sends now, and how to tell that difference from any other. */
interface OlderNodeDifference {
  readonly why: string;
  /** Whether `actual` differs from the recorded `expected` in this way and no other. */
  tolerates(expected: Msg, actual: Msg): boolean;
  /**
   * Whether `actual`, which the recording does not have where it came, is a message the current
   * node sends and the older one did not; `socket` tells what that actor's socket saw before.
   */
  extra?(actual: Msg, socket: Pick<Socket, 'lastMatched' | 'lastState'>): boolean;
}

/**
 * The `changeable_fee/sc_ws_set_fee_*` transcripts were recorded by an older node, and differ from
 * what the current node sends (and ours) in two ways:
 * - its `funding_created` and `funding_signed` reports have no `fsm_id`, where the current node's
 *   (in the same group's `sc_ws_optional_params_*` transcripts and everywhere else in the corpus)
 *   have one;
 * - a `channels.shutdown` without a fee got a close_mutual tx with its default fee, 20,000 gas at
 *   the minimum gas price (`default_fee`, removed from aesc_fsm in aeternity#3077, Jan 2020, since
 *   when the fee is the minimum for the tx's size), split between the parties as the node splits
 *   any close_mutual fee.
 * The replay notes each such difference, checks that it is this and nothing else, and goes on, so
 * the rest of each transcript (the fee overrides it is about) is still compared; the transcript
 * counts as failed.
 */
/** The older node's default close_mutual fee: 20,000 gas at the minimum gas price (10^9 aettos). */
const OLD_CLOSE_MUTUAL_FEE = 20_000n * 1_000_000_000n;

const SET_FEE_RECORDINGS: OlderNodeDifference = {
  why: 'recorded by an older node: funding_created and funding_signed without fsm_id, and the old default fee of a close_mutual',
  tolerates(expected, actual) {
    const event = dataOf(expected).event;
    if (expected.method === 'channels.info' && (event === 'funding_created' || event === 'funding_signed')) {
      const withFsmId = { ...expected, params: { ...expected.params, data: { ...dataOf(expected), fsm_id: dataOf(actual).fsm_id } } };
      return dataOf(actual).event === event && dataOf(expected).fsm_id === undefined && dataOf(actual).fsm_id !== undefined && compare(withFsmId, actual).length === 0;
    }
    if (expected.method === 'channels.sign.shutdown_sign' || expected.method === 'channels.sign.shutdown_sign_ack') {
      const rest = compare(expected, actual).filter((d) => !/^tx (fee|initiatorAmountFinal|responderAmountFinal) /.test(d));
      if (rest.length > 0) return false;
      const e = decodeTx(String(dataOf(expected).signed_tx)).tx as unknown as Json;
      const a = decodeTx(String(dataOf(actual).signed_tx)).tx as unknown as Json;
      if (e.tag !== 'channel_close_mutual_tx' || e.fee !== OLD_CLOSE_MUTUAL_FEE) return false;
      // The balances before the fee, from our tx; the recorded amounts must be the old fee's split of them.
      const fee = a.fee as bigint;
      const initiator = (a.initiatorAmountFinal as bigint) + (fee + 1n) / 2n;
      const responder = (a.responderAmountFinal as bigint) + fee / 2n;
      const ours = payCloseMutualFee(fee, initiator, responder);
      const old = payCloseMutualFee(OLD_CLOSE_MUTUAL_FEE, initiator, responder);
      return (
        ours?.initiatorAmountFinal === a.initiatorAmountFinal &&
        ours?.responderAmountFinal === a.responderAmountFinal &&
        old?.initiatorAmountFinal === e.initiatorAmountFinal &&
        old?.responderAmountFinal === e.responderAmountFinal
      );
    }
    return false;
  },
};

/**
 * The recordings of a responder whose FSM kept running through the initiator's leave
 * (`keep_running`) and then saw the channel reestablished: the node of 2021-03 did not report
 * the co-signed state to that responder again; since aeternity#3235 (commit ba0ad3de8, Nov 2021,
 * "Responder sends channels.update report after reestablish": `force_update_report` in aesc_fsm)
 * it does, and ours does as the current node. The one message the recording lacks is that
 * `channels.update`, right after the responder's `open` report; it must carry the state the
 * reestablish agreed on, which is the last one this responder was sent.
 */
const RESPONDER_STAYS_RECORDINGS: OlderNodeDifference = {
  why: 'recorded before the node reported the co-signed state to a responder that stayed through a reestablish (aeternity#3235, Nov 2021)',
  tolerates: () => false,
  extra: (actual, { lastMatched, lastState }) =>
    actual.method === 'channels.update' &&
    lastMatched?.method === 'channels.info' &&
    dataOf(lastMatched).event === 'open' &&
    lastState !== undefined &&
    dataOf(actual).state === lastState,
};

/** Transcripts recorded by an older node, by file, with the differences they show. */
export const OLDER_NODE: Readonly<Record<string, OlderNodeDifference>> = {
  ...Object.fromEntries(
    ['close_mutual', 'close_solo', 'create', 'deposit', 'settle', 'slash', 'snapshot', 'withdrawal'].map((x) => [`changeable_fee/sc_ws_set_fee_${x}.json`, SET_FEE_RECORDINGS]),
  ),
  'sc_ws_leave_reestablish_responder_stays.json': RESPONDER_STAYS_RECORDINGS,
  'sc_ws_leave_reconnect.json': RESPONDER_STAYS_RECORDINGS,
};

/**
 * Transcripts our node cannot follow at all, and why: they continue a channel the corpus never
 * opened. (The older node's recordings are in {@link OLDER_NODE}.)
 */
export const UNREPLAYABLE: Readonly<Record<string, string>> = {
  'continuous/sc_ws_update_conflict.json': 'continues a channel no transcript opens (its id appears nowhere else in the corpus; its accounts are those of the older set_fee recordings)',
};

/** What {@link replayCorpusAgainstNode} found. */
export interface NodeCorpusReport {
  readonly results: readonly NodeTranscriptResult[];
  readonly leftOut: readonly string[];
  readonly passed: number;
  readonly failed: number;
}

/** Replays every transcript that needs no contract VM against fresh nodes, one at a time. */
export async function replayCorpusAgainstNode(
  transcripts: readonly Transcript[],
  onResult?: (r: NodeTranscriptResult) => void,
  only?: (t: Transcript) => boolean,
): Promise<NodeCorpusReport> {
  const results: NodeTranscriptResult[] = [];
  const leftOut: string[] = [];
  for (const t of transcripts) {
    if (only !== undefined && !only(t)) continue;
    const vm = needsVm(t);
    if (vm !== undefined) {
      leftOut.push(`${t.file}: needs the contract VM (${vm})`);
      continue;
    }
    const steps = t.steps.some((s) => s.kind === 'connect') ? t.steps : continuationSteps(t, transcripts);
    let r = await replayTranscriptAgainstNode(t, steps);
    // The recordings interleave two clients and block production in real time; a run can lose a
    // race the recording won. A failure is run again, up to twice, and a match on a later run is
    // counted and reported as such. A real difference shows on every run.
    const first = r.mismatches[0] ?? '';
    for (let attempt = 0; attempt < 2 && r.mismatches.length > 0; attempt++) {
      const again = await replayTranscriptAgainstNode(t, steps);
      if (again.mismatches.length === 0) r = { ...again, retried: first };
    }
    results.push(r);
    onResult?.(r);
  }
  const passed = results.filter((r) => r.mismatches.length === 0 && r.olderNode.length === 0).length;
  return { results, leftOut, passed, failed: results.length - passed };
}
