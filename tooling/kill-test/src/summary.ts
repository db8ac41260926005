import type { KillSummary } from './kill-run.js';

const median = (xs: readonly number[]) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/** The summary table of a kill run, one row per target, then every failure with how to reproduce it. */
export function summaryLines(summaries: readonly KillSummary[]): string[] {
  const lines = [
    '',
    'target  kills  recovered  mid-round  rounds lost  recovery median / max (ms)  rounds  fresh channels  failures',
  ];
  for (const s of summaries) {
    lines.push(
      [
        s.target.padEnd(6),
        String(s.kills).padStart(5),
        String(s.recovered).padStart(10),
        String(s.midStream).padStart(10),
        String(s.roundsLost).padStart(12),
        `${median(s.recoveryMs)} / ${s.recoveryMs.length === 0 ? 0 : Math.max(...s.recoveryMs)}`.padStart(28),
        String(s.rounds).padStart(7),
        String(s.freshChannels).padStart(15),
        String(s.failures.length).padStart(9),
      ].join(' '),
    );
  }
  const failures = summaries.flatMap((s) => s.failures);
  if (failures.length > 0) {
    lines.push('', `${failures.length} failed check(s):`);
    for (const f of failures) {
      lines.push(`  seed ${f.seed}, target ${f.target}, kill ${f.kill}: ${f.check}: ${f.detail}`);
    }
    lines.push(`reproduce one with: pnpm kill:test --seed ${failures[0]!.seed} --target ${failures[0]!.target} --kills ${failures[0]!.kill}`);
  }
  return lines;
}
