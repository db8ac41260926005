import { type Transcript, connectParams, loadTranscripts, walkStrings } from '@aesc/corpus';
import { type SignedTx, decodeTx } from '@aesc/encoding';
import { describe, expect, it } from 'vitest';
import { channelIdFromCreateTx } from '../../src/ids.js';

const transcripts = loadTranscripts();

function innermost(s: SignedTx): SignedTx['tx'] {
  return s.tx.tag === 'ga_meta_tx' ? innermost(s.tx.tx) : s.tx;
}

/** The channel ids derived from the create txs a transcript carries. */
function derivedIds(t: Transcript): Set<string> {
  const out = new Set<string>();
  for (const step of t.steps) {
    walkStrings(step.message, (s) => {
      if (!s.startsWith('tx_')) return;
      const signed = decodeTx(s);
      const inner = innermost(signed);
      // A GA initiator is sent its create tx with nonce 0 to wrap in a ga_meta_tx; only the
      // wrapped form names the channel (through the auth id).
      if (inner.tag === 'channel_create_tx' && !(inner.nonce === 0n && signed.tx.tag !== 'ga_meta_tx')) {
        out.add(channelIdFromCreateTx(signed));
      }
    });
  }
  return out;
}

/** The channel ids a transcript uses: `channel_id` of the node's messages and `existing_channel_id` of connect URLs. */
function usedIds(t: Transcript): Set<string> {
  const out = new Set<string>();
  for (const step of t.steps) {
    const m = step.message as { channel_id?: unknown; params?: { channel_id?: unknown } } | undefined;
    for (const id of [m?.channel_id, m?.params?.channel_id, connectParams(step).existing_channel_id]) {
      if (typeof id === 'string' && id.startsWith('ch_')) out.add(id);
    }
  }
  return out;
}

/** The init_per_group transcripts a transcript may continue (its folder's, or its parent folder's for */
/** `*\/conflicts`). */
function groupInits(t: Transcript): Transcript[] {
  const parts = t.group.split('/');
  const groups = [t.group, parts.slice(0, -1).join('/')];
  return transcripts.filter((o) => o.name === 'init_per_group' && groups.includes(o.group));
}

// continuous/sc_ws_update_conflict was regenerated on its own (2020-01-20, local_lima_testnet) and
// continues a channel whose opening is in no transcript of the corpus.
const ORPHANS: Record<string, string> = {
  'continuous/sc_ws_update_conflict.json': 'continues a channel opened outside the corpus (regenerated alone, on lima)',
};

// Transcripts whose create tx is refused, so that its channel is never opened or named.
const NEVER_OPENED: Record<string, string> = {
  'changeable_nonce/sc_ws_optional_params_fail_create.json': 'the create tx carries a wrong nonce and is refused',
};

describe('corpus: channel ids re-derived from their create txs', () => {
  const derivedTotal = new Set<string>();

  it('every create tx yields a channel id that its transcript uses', () => {
    let creates = 0;
    for (const t of transcripts) {
      if (t.file in NEVER_OPENED) {
        expect(usedIds(t).size, t.file).toBe(0);
        continue;
      }
      const used = usedIds(t);
      for (const id of derivedIds(t)) {
        derivedTotal.add(id);
        creates++;
        expect(used.has(id), `${t.file}: ${id}`).toBe(true);
      }
    }
    expect(creates).toBeGreaterThan(100);
  });

  it('every channel id a transcript uses comes from a create tx of it or of its group', () => {
    const orphans: string[] = [];
    let checked = 0;
    for (const t of transcripts) {
      const known = new Set([derivedIds(t), ...groupInits(t).map(derivedIds)].flatMap((s) => [...s]));
      for (const id of usedIds(t)) {
        checked++;
        if (!known.has(id)) orphans.push(`${t.file} ${id}`);
      }
    }
    expect([...new Set(orphans.map((o) => o.split(' ')[0]))]).toEqual(Object.keys(ORPHANS));
    expect(checked).toBeGreaterThan(100);
  });
});
