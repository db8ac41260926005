import { loadTranscripts } from '@aesc/corpus';
import { describe, expect, it } from 'vitest';
import { needsVm } from './client-replay.js';
import { OLDER_NODE, replayCorpusAgainstNode, replayedExactly } from './node-session-replay.js';

/**
 * The node's machine (`packages/node/src/machine`, through its driver) replays the node side of
 * the corpus with no socket: the recorded clients' frames go to the node's client sessions
 * directly, the two FSMs of each channel are linked in process, the chain is the dev chain in
 * process; every frame the node sends is held to the recording as strictly as `conformance:node`
 * holds it over WebSockets.
 */
describe('corpus: the node machine replays the node side of every non-VM transcript without sockets', () => {
  it('matches every recorded node frame, strictly, but the older nodes’ documented recordings', { timeout: 900_000 }, async () => {
    const transcripts = loadTranscripts();
    const report = await replayCorpusAgainstNode(transcripts, undefined, undefined, 'memory');
    const nonVm = transcripts.filter((t) => needsVm(t) === undefined);
    expect(report.results.map((r) => r.file)).toEqual(nonVm.map((t) => t.file));
    const failed = report.results.filter((r) => !replayedExactly(r)).map((r) => `${r.file}: ${[...r.extraFrames, ...r.mismatches][0]}`);
    expect(failed).toEqual([]);
    // an older node's differences only where documented, and every documented one met
    const older = report.results.filter((r) => r.olderNode.length > 0).map((r) => r.file);
    expect(older.sort()).toEqual(Object.keys(OLDER_NODE).sort());
    const strict = report.results.filter((r) => r.olderNode.length === 0);
    expect(strict.length + older.length).toBe(nonVm.length);
    expect(report.results.reduce((n, r) => n + r.framesCompared, 0)).toBeGreaterThan(7000);
    console.log(`node machine replay, no sockets: ${report.results.length} transcripts, ${strict.length} strictly, ${older.length} older-node recordings, 0 failed`);
  });
});
