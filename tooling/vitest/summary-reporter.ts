import type { Reporter } from 'vitest/reporters';

type Task = { type: string; mode?: string; result?: { state?: string }; tasks?: Task[] };

/** Ends a run with the plain line `N passed, M failed` (and `, K skipped` when any were skipped). */
export default class SummaryReporter implements Reporter {
  onFinished(files: readonly Task[] = []): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const visit = (t: Task) => {
      if (t.type === 'test') {
        if (t.result?.state === 'pass') passed++;
        else if (t.result?.state === 'fail') failed++;
        else skipped++;
      }
      for (const c of t.tasks ?? []) visit(c);
    };
    for (const f of files) {
      visit(f);
      if (f.result?.state === 'fail' && (f.tasks ?? []).length === 0) failed++; // a file that failed to load
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`);
  }
}
