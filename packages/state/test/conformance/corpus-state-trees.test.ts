import { encodedStringsByPrefix, loadTranscripts } from '@aesc/corpus';
import { type Transaction, decodeTx, encodeObject, toHex } from '@aesc/encoding';
import { describe, expect, it } from 'vitest';
import {
  accountEntries,
  callEntries,
  contractsTreeEntries,
  encodeCallsTree,
  encodeStateTrees,
  encodedStateHashOf,
  parseCallsTree,
  parseStateTrees,
  stateTreesHashes,
} from '../../src/index.js';
import { replayCorpus } from './replay.js';

const transcripts = loadTranscripts();

interface OffchainStateReply {
  readonly file: string;
  readonly trees: string;
  readonly calls: string;
  readonly signedTx: string;
}

function innermost(tx: Transaction): Transaction {
  let t = tx;
  while (t.tag === 'ga_meta_tx') t = t.tx.tx;
  return t;
}

const replies: OffchainStateReply[] = transcripts.flatMap((t) =>
  t.steps.flatMap((s) => {
    const r = (s.message as { result?: Record<string, unknown> } | undefined)?.result;
    if (typeof r?.trees !== 'string') return [];
    return [{ file: t.file, trees: r.trees, calls: String(r.calls), signedTx: String(r.signed_tx) }];
  }),
);

describe('corpus: every ss_ state trees value round-trips and gives the state hash of its round', () => {
  it('finds the get.offchain_state replies', () => {
    expect(replies).toHaveLength(183);
    expect(new Set(replies.map((r) => r.trees)).size).toBe(21);
  });

  it('parses every ss_ and cs_ value and serializes it back to the same string', () => {
    for (const ss of encodedStringsByPrefix(transcripts).get('ss') ?? []) expect(encodeStateTrees(parseStateTrees(ss))).toBe(ss);
    for (const cs of encodedStringsByPrefix(transcripts).get('cs') ?? []) expect(encodeCallsTree(parseCallsTree(cs))).toBe(cs);
  });

  it('computes from the trees as given the state hash of the co-signed tx of the reply (contract transcripts too)', () => {
    let contractStates = 0;
    for (const r of replies) {
      const tx = innermost(decodeTx(r.signedTx).tx);
      expect('stateHash' in tx, r.file).toBe(true);
      const trees = parseStateTrees(r.trees);
      expect(encodedStateHashOf(trees), r.file).toBe((tx as { stateHash: string }).stateHash);
      const { rootHashes, stateHash } = stateTreesHashes(r.trees);
      expect(toHex(stateHash)).toBe(toHex(stateTreesHashes(encodeStateTrees(trees)).stateHash));
      if (rootHashes.contracts !== undefined) contractStates++;
    }
    console.log(`get.offchain_state replies checked: ${replies.length}, ${contractStates} of them with contracts`);
    expect(contractStates).toBeGreaterThan(0);
  });

  it('serializes the replayed state of every round without contracts to the node’s exact ss_ value', () => {
    const matched = new Set(replayCorpus(transcripts).flatMap((r) => [...r.stateTreesMatched]));
    const all = new Set(replies.map((r) => r.trees));
    const withContracts = [...all].filter((ss) => parseStateTrees(ss).contracts.rootHash !== undefined);
    console.log(`distinct ss_ values equal to our replayed state: ${matched.size} of ${all.size} (${withContracts.length} hold contracts)`);
    expect(matched.size + withContracts.length).toBe(all.size);
  });

  it('decodes the entries of the contracts and calls trees without a VM', () => {
    let contracts = 0;
    let storeValues = 0;
    let calls = 0;
    for (const ss of new Set(replies.map((r) => r.trees))) {
      const trees = parseStateTrees(ss);
      for (const a of accountEntries(trees.accounts)) expect(a.account.tag).toBe('account');
      for (const e of contractsTreeEntries(trees.contracts)) {
        if (e.kind === 'contract') {
          contracts++;
          expect(e.value.tag).toBe('contract');
          expect(encodeObject(e.value).length).toBeGreaterThan(0);
        } else if (e.kind === 'store-value') storeValues++;
      }
      for (const c of callEntries(trees.calls)) {
        calls++;
        expect(c.call.contractId).toBe(c.contract);
      }
    }
    for (const cs of encodedStringsByPrefix(transcripts).get('cs') ?? []) calls += callEntries(parseCallsTree(cs)).length;
    console.log(`decoded: ${contracts} contracts, ${storeValues} store values, ${calls} calls`);
    expect(contracts).toBeGreaterThan(0);
    expect(calls).toBeGreaterThan(0);
  });
});
