// Sums vitest JSON reports over the test tiers into the one line .ci/run ends with:
// "N passed, M failed, K skipped", after one line per skipped test saying why.
// Usage: node --import tsx hack/test-summary.ts <report dir> <tier>...
import { join } from 'node:path';
import { readVitestReport, skippedTests, type SkippedTest, type VitestJsonReport } from './vitest-report.ts';

export interface TierResult {
  tier: string;
  /** undefined when the tier wrote no report (it crashed, or never ran). */
  report?: VitestJsonReport;
}

export interface Summary {
  passed: number;
  failed: number;
  skipped: number;
  /** Every skipped test, with its tier. */
  skips: (SkippedTest & { tier: string })[];
  /** Why a tier counts as failed beyond its failed tests, one line each. */
  notes: string[];
}

/**
 * Adds up passed, failed and skipped tests. A tier without a report, or one vitest marks
 * unsuccessful with no failed test (a setup error, an unhandled error), counts as one failure so
 * the total never reads as green; so does each skip that gives no reason.
 */
export function summarize(tiers: readonly TierResult[]): Summary {
  const summary: Summary = { passed: 0, failed: 0, skipped: 0, skips: [], notes: [] };
  for (const { tier, report } of tiers) {
    if (report === undefined) {
      summary.failed += 1;
      summary.notes.push(`${tier}: no vitest report (the tier crashed before reporting)`);
      continue;
    }
    summary.passed += report.numPassedTests;
    summary.failed += report.numFailedTests;
    if (!report.success && report.numFailedTests === 0) {
      summary.failed += 1;
      summary.notes.push(`${tier}: vitest failed without a failing test (setup or unhandled error, see the log)`);
    }
    for (const skip of skippedTests(report)) {
      summary.skipped += 1;
      summary.skips.push({ ...skip, tier });
      if (skip.reason === undefined) {
        summary.failed += 1;
        summary.notes.push(`${tier}: "${skip.fullName}" was skipped without a reason (use skipBecause from pkg/testenv)`);
      }
    }
  }
  return summary;
}

/** The lines the summary prints: one per skip, the notes, then the closing count line. */
export function formatSummary(summary: Summary): string[] {
  return [
    ...summary.skips.map((s) => `skipped: [${s.tier}] ${s.fullName}: ${s.reason ?? 'no reason given'}`),
    ...summary.notes,
    `${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`,
  ];
}

function main(argv: readonly string[]): number {
  const [dir, ...tiers] = argv;
  if (dir === undefined || tiers.length === 0) {
    console.error('usage: test-summary.ts <report dir> <tier>...');
    return 2;
  }
  const summary = summarize(tiers.map((tier) => ({ tier, report: readVitestReport(join(dir, `${tier}.json`)) })));
  for (const line of formatSummary(summary)) console.log(line);
  return summary.failed === 0 ? 0 : 1;
}

if (process.argv[1]?.endsWith('test-summary.ts')) process.exitCode = main(process.argv.slice(2));
