import { loadTranscripts } from '@aesc/corpus';
import { describe, expect, it } from 'vitest';
import { KNOWN_CLIENT_DIFFERENCES, replayCorpusClients } from './client-replay.js';

// The counts `pnpm conformance:client` reaches today; they only go up (the goal is every non-VM
// transcript). SENDS is every client frame of the 100 non-VM transcripts (with the earlier steps
// of the channels they continue); every session of both clients is replayed.
const SENDS = 2817;
const MIN_REPLAYED = 2804;
const MIN_PASSING = 96;

describe('client conformance (through the driver, in memory)', () => {
  it(`replays every session of both clients: at least ${MIN_REPLAYED} of the ${SENDS} client sends, ${MIN_PASSING} non-VM transcripts exactly`, async () => {
    const report = await replayCorpusClients(loadTranscripts());
    expect(report.passed + report.failed + report.leftOut.length).toBeGreaterThan(100);
    expect(report.sends).toBe(SENDS);
    expect(report.replayed).toBeGreaterThanOrEqual(MIN_REPLAYED);
    expect(report.passed).toBeGreaterThanOrEqual(MIN_PASSING);
    // every failure is a documented difference of a verifying client
    expect(report.failures.filter((f) => KNOWN_CLIENT_DIFFERENCES[f.slice(0, f.indexOf(':'))] === undefined)).toEqual([]);
    // a session that was not replayed is a connect the node refused, and sends nothing
    expect(report.sessions.filter((s) => s.skipped !== undefined && s.sends > 0)).toEqual([]);
    expect(report.sessions.filter((s) => s.session > 1 && s.skipped === undefined).length).toBeGreaterThan(50);
  }, 120_000);
});
