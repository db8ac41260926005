import { loadTranscripts } from '@aesc/corpus';
import { describe, expect, it } from 'vitest';
import { replayCorpusClients } from './client-replay.js';

// The count `pnpm conformance:client` reaches today; it only goes up (the goal is every non-VM transcript).
const MIN_PASSING = 99;

describe('client conformance (through the driver, in memory)', () => {
  it(`replays at least ${MIN_PASSING} non-VM transcripts exactly`, async () => {
    const report = await replayCorpusClients(loadTranscripts());
    expect(report.passed + report.failed + report.leftOut.length).toBeGreaterThan(100);
    expect(report.passed).toBeGreaterThanOrEqual(MIN_PASSING);
  });
});
