import { txHash } from '@aesc/crypto';
import { type TreesPoi, bytesEqual, decodeApi, decodeTx, encodeApi, inspectEncoded } from '@aesc/encoding';
import { TREE_NAMES, decodePoi, mptEntries, mptGet, parseStateTrees, poiHashes, poiLookup, stateHashOf } from '@aesc/state';
import { stringifyJson } from '@aesc/rpc';

/** An API-encoded string: its prefix and payload. */
const ENCODED = /^([a-z]{2})_[A-Za-z0-9+/=]+$/;

/**
 * The values a replay made of its own that stand for the recorded ones (keys, channel ids, fsm
 * ids, state hashes, txs and their hashes, block hashes): learned from the first frame each
 * recorded value appears in, then held to. It is a bijection: a recorded value stands for one of
 * ours, and one of ours for one recorded value, so a value the recording repeats must come back
 * the same, and two the recording tells apart must differ.
 */
export class IdMap {
  readonly #ours = new Map<string, string>();
  readonly #recorded = new Map<string, string>();
  readonly #aliases = new Map<string, string>();

  /**
   * Makes a recorded value stand for another recorded value (a transcript that continues a channel
   * under other accounts and another channel id than the transcript that opened it).
   */
  alias(recorded: string, sameAs: string): void {
    this.#aliases.set(recorded, sameAs);
  }

  #resolve(recorded: string): string {
    return this.#aliases.get(recorded) ?? recorded;
  }

  /** Ours for a recorded value (undefined when not learned). */
  get(recorded: string): string | undefined {
    return this.#ours.get(this.#resolve(recorded));
  }

  /** The recorded value one of ours stands for. */
  recordedOf(ours: string): string | undefined {
    return this.#recorded.get(ours);
  }

  /** Every pair learned, recorded → ours. */
  entries(): IterableIterator<[string, string]> {
    return this.#ours.entries();
  }

  /** Learns that `ours` stands for `recorded`, or checks it when either is known; false when it contradicts what was learned. */
  bind(recorded0: string, ours: string): boolean {
    const recorded = this.#resolve(recorded0);
    const known = this.#ours.get(recorded);
    if (known !== undefined) return known === ours;
    if (this.#recorded.has(ours)) return false;
    this.#ours.set(recorded, ours);
    this.#recorded.set(ours, recorded);
    return true;
  }

  /** A copy of a recorded client message with every learned value replaced by ours. */
  substitute(value: unknown): unknown {
    if (typeof value === 'string') return this.#ours.get(this.#resolve(value)) ?? value;
    if (Array.isArray(value)) return value.map((v) => this.substitute(v));
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.substitute(v)]));
    return value;
  }
}

/** What a comparison counted. */
export interface CompareCounts {
  /** Leaf values held to the recording: numbers, strings, and ids through the {@link IdMap}. */
  values: number;
}

/**
 * The recorded string is one the corpus lost: the node sent raw bytes there (the 32-byte hash of a
 * snapshot_solo tx in `min_depth_achieved`), which the transcripts' generator decoded as UTF-8 with
 * replacement characters (corpus README, oddity 1).
 */
const isLostBytes = (s: string) => s.includes('\uFFFD');

const isNumeric = (v: unknown): v is number | bigint => typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
const shape = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const show = (v: unknown) => {
  const s = typeof v === 'string' ? v : (stringifyJson(v) ?? String(v));
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
};

/**
 * Compares a recorded node → client frame with ours, value by value, and returns what differs (by
 * path). Structure must be the same (keys, array lengths, types). Numbers and plain strings must be
 * equal. API-encoded ids (`ak_`, `ch_`, `ba_`, `st_`, `th_`, `kh_`, …) must stand for each other
 * through `ids`, which learns them. Txs (`tx_`) are decoded and compared field by field, their
 * signatures by number only (the replay signs with keys of its own); each tx, and its hash, is then
 * learned as standing for the recorded one. A proof of inclusion (`pi_`) and state trees (`ss_`)
 * are compared where keys allow: the state hash they prove (through `ids`), the number of proof
 * nodes or entries in each tree, and the bytes of every account the replay knows both keys of
 * (balance and nonce do not depend on keys).
 */
export function compareFrame(expected: unknown, actual: unknown, ids: IdMap, counts: CompareCounts): string[] {
  const out: string[] = [];
  walk(expected, actual, '$', ids, counts, out);
  return out;
}

function walk(e: unknown, a: unknown, path: string, ids: IdMap, counts: CompareCounts, out: string[]): void {
  if (isNumeric(e)) {
    if (!isNumeric(a) || BigInt(e) !== BigInt(a)) out.push(`${path}: ${show(e)} ≠ ${show(a)}`);
    else counts.values++;
    return;
  }
  if (typeof e === 'string') {
    if (typeof a !== 'string') {
      out.push(`${path}: ${show(e)} ≠ ${show(a)}`);
      return;
    }
    compareString(e, a, path, ids, counts, out);
    return;
  }
  if (shape(e) !== shape(a)) {
    out.push(`${path}: ${shape(e)} ≠ ${shape(a)}`);
    return;
  }
  if (Array.isArray(e)) {
    const av = a as unknown[];
    if (e.length !== av.length) {
      out.push(`${path}: ${e.length} items ≠ ${av.length}`);
      return;
    }
    for (const [i, v] of e.entries()) walk(v, av[i], `${path}[${i}]`, ids, counts, out);
    return;
  }
  if (e !== null && typeof e === 'object') {
    const eo = e as Record<string, unknown>;
    const ao = a as Record<string, unknown>;
    const ek = Object.keys(eo).sort();
    const ak = Object.keys(ao).sort();
    if (ek.join() !== ak.join()) {
      out.push(`${path}: keys ${ek.join(',')} ≠ ${ak.join(',')}`);
      return;
    }
    if (eo.tag === 'trees_poi') {
      // a PoI inside a decoded tx (close_solo, slash): as a `pi_` string would be compared
      return;
    }
    for (const k of ek) {
      if (k === 'signatures' && Array.isArray(eo[k]) && Array.isArray(ao[k])) {
        // signed with the replay's own keys: as many, not the same
        const n = (eo[k] as unknown[]).length;
        if (n !== (ao[k] as unknown[]).length) out.push(`${path}.signatures: ${n} ≠ ${(ao[k] as unknown[]).length}`);
        else counts.values++;
        continue;
      }
      walk(eo[k], ao[k], `${path}.${k}`, ids, counts, out);
    }
    return;
  }
  if (e !== a) out.push(`${path}: ${show(e)} ≠ ${show(a)}`);
  else counts.values++;
}

function compareString(e: string, a: string, path: string, ids: IdMap, counts: CompareCounts, out: string[]): void {
  if (isLostBytes(e)) {
    // The recorded value is lost; ours must at least be a hash the replay has seen the tx of.
    if (!(a.startsWith('th_') && ids.recordedOf(a) !== undefined)) out.push(`${path}: ${show(a)} is not the hash of a tx seen before`);
    else counts.values++;
    return;
  }
  const em = ENCODED.exec(e);
  const am = ENCODED.exec(a);
  if (em === null || am === null || em[1] !== am[1]) {
    if (e !== a) out.push(`${path}: ${show(e)} ≠ ${show(a)}`);
    else counts.values++;
    return;
  }
  const prefix = em[1]!;
  if (prefix === 'sg') return; // a signature (the replay's own key)
  if (prefix === 'cs') {
    // the calls tree: no contracts here, so the same empty tree whatever the keys
    if (e !== a) out.push(`${path}: calls ${show(e)} ≠ ${show(a)}`);
    else counts.values++;
    return;
  }
  if (prefix === 'tx') {
    let ei: unknown;
    let ai: unknown;
    try {
      ei = inspectEncoded(e);
      ai = inspectEncoded(a);
    } catch {
      out.push(`${path}: a tx that does not decode`);
      return;
    }
    const before = out.length;
    walk(ei, ai, `${path}<tx>`, ids, counts, out);
    comparePoisIn(e, a, `${path}<tx>`, ids, counts, out);
    if (out.length > before) return;
  } else if (prefix === 'pi') {
    const before = out.length;
    comparePoi(e, a, path, ids, counts, out);
    if (out.length > before) return;
  } else if (prefix === 'ss') {
    const before = out.length;
    compareTrees(e, a, path, ids, counts, out);
    if (out.length > before) return;
  }
  if (!ids.bind(e, a)) {
    out.push(`${path}: ${show(a)} does not stand for ${show(e)} (learned: ${show(ids.get(e) ?? ids.recordedOf(a))})`);
    return;
  }
  counts.values++;
  if (prefix === 'tx') {
    try {
      ids.bind(txHash(e), txHash(a));
    } catch {
      // not a signed tx
    }
  }
}

/** The PoIs inside two txs (close_solo, slash: `poi`), compared as {@link comparePoi} compares them. */
function comparePoisIn(e: string, a: string, path: string, ids: IdMap, counts: CompareCounts, out: string[]): void {
  const poiOf = (tx: string) => (decodeTx(tx).tx as { poi?: TreesPoi }).poi;
  const ep = poiOf(e);
  const ap = poiOf(a);
  if (ep !== undefined && ap !== undefined) comparePoiObjects(ep, ap, `${path}.poi`, ids, counts, out);
}

/** The account keys the replay knows both of: recorded public key → ours. */
function knownAccounts(ids: IdMap): [Uint8Array, Uint8Array][] {
  const out: [Uint8Array, Uint8Array][] = [];
  for (const [r, o] of ids.entries()) if (r.startsWith('ak_') && o.startsWith('ak_')) out.push([decodeApi(r as `ak_${string}`, 'ak'), decodeApi(o as `ak_${string}`, 'ak')]);
  return out;
}

function comparePoi(e: string, a: string, path: string, ids: IdMap, counts: CompareCounts, out: string[]): void {
  let ep: TreesPoi;
  let ap: TreesPoi;
  try {
    ep = decodePoi(e);
    ap = decodePoi(a);
  } catch {
    out.push(`${path}: a PoI that does not decode`);
    return;
  }
  comparePoiObjects(ep, ap, path, ids, counts, out);
}

function comparePoiObjects(ep: TreesPoi, ap: TreesPoi, path: string, ids: IdMap, counts: CompareCounts, out: string[]): void {
  for (const tree of TREE_NAMES) {
    const et = ep[tree];
    const at = ap[tree];
    if ((et === null) !== (at === null)) {
      out.push(`${path}<poi>.${tree}: ${et === null ? 'absent' : 'present'} ≠ ${at === null ? 'absent' : 'present'}`);
      continue;
    }
    if (et === null || at === null) continue;
    if (et.proof.length !== at.proof.length) out.push(`${path}<poi>.${tree}: ${et.proof.length} proof nodes ≠ ${at.proof.length}`);
    else counts.values++;
  }
  for (const [r, o] of knownAccounts(ids)) {
    let ev: Uint8Array | undefined;
    let av: Uint8Array | undefined;
    try {
      ev = poiLookup(ep, 'accounts', r);
      av = poiLookup(ap, 'accounts', o);
    } catch {
      out.push(`${path}<poi>: a proof that does not reach an account`);
      continue;
    }
    if ((ev === undefined) !== (av === undefined) || (ev !== undefined && av !== undefined && !bytesEqual(ev, av))) {
      out.push(`${path}<poi>: the account ${encodeApi('ak', o)} differs from the recorded one`);
    } else if (ev !== undefined) counts.values++;
  }
  const eh = encodeApi('st', poiHashes(ep).stateHash);
  const ah = encodeApi('st', poiHashes(ap).stateHash);
  if (!ids.bind(eh, ah)) out.push(`${path}<poi>: proves ${ah}, which does not stand for the recorded ${eh}`);
  else counts.values++;
}

function compareTrees(e: string, a: string, path: string, ids: IdMap, counts: CompareCounts, out: string[]): void {
  let et: ReturnType<typeof parseStateTrees>;
  let at: ReturnType<typeof parseStateTrees>;
  try {
    et = parseStateTrees(e);
    at = parseStateTrees(a);
  } catch {
    out.push(`${path}: state trees that do not decode`);
    return;
  }
  for (const tree of TREE_NAMES) {
    const en = [...mptEntries(et[tree])].length;
    const an = [...mptEntries(at[tree])].length;
    if (en !== an) out.push(`${path}<trees>.${tree}: ${en} entries ≠ ${an}`);
    else counts.values++;
  }
  for (const [r, o] of knownAccounts(ids)) {
    const ev = mptGet(et.accounts, r);
    const av = mptGet(at.accounts, o);
    if ((ev === undefined) !== (av === undefined) || (ev !== undefined && av !== undefined && !bytesEqual(ev, av))) {
      out.push(`${path}<trees>: the account ${encodeApi('ak', o)} differs from the recorded one`);
    } else if (ev !== undefined) counts.values++;
  }
  const eh = encodeApi('st', stateHashOf(et));
  const ah = encodeApi('st', stateHashOf(at));
  if (!ids.bind(eh, ah)) out.push(`${path}<trees>: hash to ${ah}, which does not stand for the recorded ${eh}`);
  else counts.values++;
}
