import { encodedStringsOf, loadTranscripts } from '@aesc/corpus';
import { type Transaction, decodeTx } from '@aesc/encoding';
import { describe, expect, it } from 'vitest';
import { type ReplayResult, type ReplayStats, replayCorpus } from './replay.js';

const transcripts = loadTranscripts();

const results = replayCorpus(transcripts);
const vmResults = results.filter((r) => r.needsVm !== undefined);
const replayed = results.filter((r) => r.needsVm === undefined);

function total(list: readonly ReplayResult[], key: keyof ReplayStats): number {
  return list.reduce((n, r) => n + r.stats[key], 0);
}

describe('corpus: replaying the off-chain history gives the node’s state hashes', () => {
  it('replays every transcript', () => {
    expect(results).toHaveLength(transcripts.length);
    const lines = vmResults.map((r) => `  ${r.file}: needs a contract VM (${r.needsVm})`);
    console.log(
      `replayed ${replayed.length} of ${results.length} transcripts without a VM; ${vmResults.length} need one:\n${lines.join('\n')}`,
    );
  });

  it('reproduces the state hash of every channel_create_tx', () => {
    const failures = results.flatMap((r) => r.failures.filter((f) => f.includes('create tx')));
    expect(failures).toEqual([]);
    // Every distinct tx_ string of the corpus whose (innermost) tx is a channel_create_tx.
    const creates = new Set<string>();
    for (const t of transcripts) {
      for (const s of encodedStringsOf(t)) {
        if (!s.startsWith('tx_')) continue;
        let tx: Transaction = decodeTx(s).tx;
        while (tx.tag === 'ga_meta_tx') tx = tx.tx.tx;
        if (tx.tag === 'channel_create_tx') creates.add(s);
      }
    }
    console.log(`create txs whose state hash we reproduce: ${total(results, 'creates')} of ${creates.size}`);
    expect(total(results, 'creates')).toBe(creates.size);
  });

  it('reproduces round by round every co-signed state of the transcripts that need no VM', () => {
    const failures = results.flatMap((r) => r.failures);
    expect(failures).toEqual([]);
    const s = (k: keyof ReplayStats) => total(results, k);
    console.log(
      [
        `proposals (sign requests recomputed from their updates): ${s('proposals')}`,
        `co-signed rounds matched: ${s('cosigned')} (${Object.entries(
          results.reduce<Record<string, number>>((acc, r) => {
            for (const [k, v] of Object.entries(r.cosignedByTag)) acc[k] = (acc[k] ?? 0) + v;
            return acc;
          }, {}),
        )
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')})`,
        `snapshot payloads: ${s('snapshots')}`,
        `close solo / slash txs (payload + PoI): ${s('soloClosePois')}`,
        `mutual close amounts: ${s('closeMutuals')}`,
        `get.poi replies rebuilt: ${s('getPois')}`,
        `get.offchain_state trees equal to ours: ${s('offchainStates')}`,
        `get.balances results: ${s('balances')}`,
        `node refusals reproduced with our codes: ${s('refusals')}`,
      ].join('\n'),
    );
    // The counts this replay reaches today; a replay that silently checks less fails here.
    expect(replayed).toHaveLength(103);
    expect(vmResults).toHaveLength(11);
    expect(s('proposals')).toBe(464);
    expect(s('cosigned')).toBe(182);
    expect(s('snapshots')).toBe(17);
    expect(s('soloClosePois')).toBe(22);
    expect(s('closeMutuals')).toBe(41);
    expect(s('balances')).toBe(425);
    expect(s('refusals')).toBe(6);
    expect(s('getPois')).toBe(12);
    expect(s('offchainStates')).toBe(162);
    const nothing = replayed.filter((r) => Object.values(r.stats).every((n) => n === 0)).map((r) => r.file);
    console.log(`transcripts with no state to check (no channel opened): ${nothing.join(', ') || 'none'}`);
    console.log(`channels opened outside the corpus, rebuilt from get.balances: ${results.flatMap((r) => r.seededFromBalances).join(', ')}`);
    for (const file of nothing) {
      const t = transcripts.find((x) => x.file === file)!;
      expect(JSON.stringify(t.steps, (_, v) => (typeof v === 'bigint' ? v.toString() : v)), file).not.toContain('tx_');
    }
  });
});
