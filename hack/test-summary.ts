// Sums vitest JSON reports over the test tiers into the one line .ci/run ends with.
// Usage: node --import tsx hack/test-summary.ts <report dir> <tier>...
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The fields of vitest's JSON reporter output that the summary needs. */
export interface VitestJsonReport {
  numPassedTests: number;
  numFailedTests: number;
  success: boolean;
}

export interface TierResult {
  tier: string;
  /** undefined when the tier wrote no report (it crashed, or never ran). */
  report?: VitestJsonReport;
}

export interface Summary {
  passed: number;
  failed: number;
  /** Why a tier counts as failed beyond its failed tests, one line each. */
  notes: string[];
}

/**
 * Adds up passed and failed tests. A tier without a report, or one vitest
 * marks unsuccessful with no failed test (a setup error, an unhandled
 * error), counts as one failure so the total never reads as green.
 */
export function summarize(tiers: readonly TierResult[]): Summary {
  const summary: Summary = { passed: 0, failed: 0, notes: [] };
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
  }
  return summary;
}

function readReport(file: string): VitestJsonReport | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<VitestJsonReport>;
    return { numPassedTests: raw.numPassedTests ?? 0, numFailedTests: raw.numFailedTests ?? 0, success: raw.success === true };
  } catch {
    return undefined;
  }
}

function main(argv: readonly string[]): number {
  const [dir, ...tiers] = argv;
  if (dir === undefined || tiers.length === 0) {
    console.error('usage: test-summary.ts <report dir> <tier>...');
    return 2;
  }
  const summary = summarize(tiers.map((tier) => ({ tier, report: readReport(join(dir, `${tier}.json`)) })));
  for (const note of summary.notes) console.error(note);
  console.log(`${summary.passed} passed, ${summary.failed} failed`);
  return summary.failed === 0 ? 0 : 1;
}

if (process.argv[1]?.endsWith('test-summary.ts')) process.exitCode = main(process.argv.slice(2));
