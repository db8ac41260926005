import { type Transcript, connectParams, encodedStringsByPrefix, loadTranscripts } from '@aesc/corpus';
import { type TreesPoi, type Transaction, decodeTx, encodeObject, toHex } from '@aesc/encoding';
import { describe, expect, it } from 'vitest';
import { buildPoi, decodePoi, encodePoi, parseStateTrees, poiBalances, poiStateHash, stateHashOf, verifyPoi } from '../../src/index.js';
import { replayCorpus } from './replay.js';

const transcripts = loadTranscripts();
const replay = replayCorpus(transcripts);
const rebuiltFromReplay = new Set(replay.flatMap((r) => [...r.poisRebuilt]));

/** Every `ss_` of the corpus by the state hash of its trees: the trees as the node gave them. */
const givenTrees = new Map(
  [...(encodedStringsByPrefix(transcripts).get('ss') ?? [])].map((ss) => {
    const trees = parseStateTrees(ss);
    return [toHex(stateHashOf(trees)), trees] as const;
  }),
);

interface PoiCase {
  readonly file: string;
  readonly where: string;
  readonly poi: string;
  /** The state hash of the state it was built from (the payload's, or the actor's latest co-signed one). */
  readonly stateHash: string;
  readonly accounts: readonly string[];
  readonly contracts: readonly string[];
}

function innermost(tx: Transaction): Transaction {
  let t = tx;
  while (t.tag === 'ga_meta_tx') t = t.tx.tx;
  return t;
}

type Json = Record<string, unknown>;

function poiCases(t: Transcript): PoiCase[] {
  const out: PoiCase[] = [];
  const latest = new Map<string, string>();
  const request = new Map<string, Json>();
  let participants: string[] = [];
  for (const step of t.steps) {
    if (step.kind === 'connect') {
      const p = connectParams(step);
      if (p.initiator_id && p.responder_id) participants = [p.initiator_id, p.responder_id];
      continue;
    }
    const m = step.message as Json | undefined;
    if (m === undefined || typeof m.method !== 'string') continue;
    const params = (m.params ?? {}) as Json;
    if (step.kind === 'send') {
      request.set(`${step.actor}:${m.method}`, params);
      continue;
    }
    const data = (params.data ?? {}) as Json;
    for (const s of [data.state, data.tx, data.signed_tx]) {
      if (typeof s !== 'string') continue;
      const tx = innermost(decodeTx(s).tx);
      if (m.method === 'channels.update' && 'stateHash' in tx) latest.set(step.actor, tx.stateHash);
      if (tx.tag === 'channel_close_solo_tx' || tx.tag === 'channel_slash_tx') {
        const payload = tx.payload === null ? undefined : innermost(tx.payload.tx);
        const stateHash = payload && 'stateHash' in payload ? payload.stateHash : latest.get(step.actor);
        out.push({
          file: t.file,
          where: tx.tag,
          poi: encodePoi(tx.poi),
          stateHash: stateHash ?? '',
          accounts: participants,
          contracts: [],
        });
      }
    }
    if (m.method === 'channels.get.poi.reply' && typeof data.poi === 'string') {
      const req = request.get(`${step.actor}:channels.get.poi`) ?? {};
      const contracts = (req.contracts as string[] | undefined) ?? [];
      out.push({
        file: t.file,
        where: 'channels.get.poi',
        poi: data.poi,
        stateHash: latest.get(step.actor) ?? '',
        accounts: [...((req.accounts as string[] | undefined) ?? []), ...contracts],
        contracts,
      });
    }
  }
  return out;
}

const cases = transcripts.flatMap(poiCases);
const distinct = new Map(cases.map((c) => [c.poi, c]));

/** Flips one bit of every byte in turn; each copy must fail to decode or to verify. */
function tamperSurvivors(c: PoiCase): number[] {
  const bytes = encodeObject(decodePoi(c.poi));
  const survivors: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const copy = bytes.slice();
    copy[i]! ^= 1;
    let poi: TreesPoi;
    try {
      poi = decodePoi(copy);
    } catch {
      continue;
    }
    try {
      verifyPoi(poi, c.stateHash);
      survivors.push(i);
    } catch {
      // expected
    }
  }
  return survivors;
}

describe('corpus: every PoI is rebuilt byte for byte and verifies', () => {
  it('finds the PoIs of close solo / slash txs and of get.poi replies', () => {
    console.log(
      `PoIs in the corpus: ${cases.length} occurrences, ${distinct.size} distinct ` +
        `(${[...distinct.values()].filter((c) => c.where === 'channels.get.poi').length} from get.poi replies)`,
    );
    expect(cases.length).toBe(177);
    expect(distinct.size).toBe(12);
  });

  it('verifies every PoI against the state hash it was built for', () => {
    for (const c of distinct.values()) {
      const poi = decodePoi(c.poi);
      expect(c.stateHash, `${c.file} ${c.where}`).toMatch(/^st_/);
      verifyPoi(poi, c.stateHash);
      // The participants' balances read out of it (what close_solo, slash and settle use).
      const balances = poiBalances(poi, c.accounts.slice(0, 2) as `ak_${string}`[]);
      expect(balances.every((b) => b >= 0n)).toBe(true);
    }
  });

  it('rebuilds every PoI byte for byte: from the replayed state, or from the trees the node gave', () => {
    const notRebuilt: string[] = [];
    let fromReplay = 0;
    let fromGiven = 0;
    for (const c of distinct.values()) {
      if (rebuiltFromReplay.has(c.poi)) {
        fromReplay++;
        continue;
      }
      const trees = givenTrees.get(toHex(poiStateHash(decodePoi(c.poi))));
      if (trees !== undefined) {
        const ours = encodePoi(
          buildPoi(trees, { accounts: c.accounts as `ak_${string}`[], contracts: c.contracts as `ct_${string}`[] }),
        );
        expect(ours, `${c.file} ${c.where}`).toBe(c.poi);
        fromGiven++;
        continue;
      }
      notRebuilt.push(`${c.file} (${c.where})`);
    }
    console.log(
      `PoIs rebuilt byte for byte: ${fromReplay} from the replayed state, ${fromGiven} from the node's trees (contract state); ` +
        `${notRebuilt.length} not rebuildable without a VM (no trees of their round in the corpus): ${[...new Set(notRebuilt)].join(', ')}`,
    );
    // Only the contract transcripts' PoIs need a VM to rebuild.
    for (const n of notRebuilt) expect(n).toMatch(/^contracts\//);
  });

  it('rejects every PoI with any one byte changed', () => {
    let tampered = 0;
    for (const c of distinct.values()) {
      expect(tamperSurvivors(c), `${c.file} ${c.where}`).toEqual([]);
      tampered += encodeObject(decodePoi(c.poi)).length;
    }
    console.log(`tampered PoIs rejected: ${tampered} (every byte of the ${distinct.size} distinct PoIs)`);
  });
});
