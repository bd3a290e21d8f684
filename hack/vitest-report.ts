// Reads the JSON that vitest's `json` reporter writes: the one format behind the test summary
// (hack/test-summary.ts) and the conformance ledger (hack/conformance-ledger.ts).
import { existsSync, readFileSync } from 'node:fs';

/** One test as the report lists it. */
export interface VitestAssertion {
  title: string;
  fullName: string;
  /** passed | failed | skipped | pending | todo | disabled */
  status: string;
  failureMessages?: string[];
  meta?: { skipReason?: string };
}

/** One test file: `status` is failed also when the file could not be collected (`message` says why). */
export interface VitestFileResult {
  name: string;
  status: string;
  message?: string;
  assertionResults: VitestAssertion[];
}

/** The fields of vitest's JSON report that our scripts read. */
export interface VitestJsonReport {
  numPassedTests: number;
  numFailedTests: number;
  success: boolean;
  testResults: VitestFileResult[];
}

/** A test the report marks skipped or todo, with the file it is in. */
export interface SkippedTest {
  file: string;
  fullName: string;
  /** From the test's meta (pkg/testenv/skip.ts); undefined when the skip gave no reason. */
  reason?: string;
}

/** The parsed report, or undefined when the file is missing or is not a vitest JSON report. */
export function readVitestReport(file: string): VitestJsonReport | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<VitestJsonReport>;
    return {
      numPassedTests: raw.numPassedTests ?? 0,
      numFailedTests: raw.numFailedTests ?? 0,
      success: raw.success === true,
      testResults: Array.isArray(raw.testResults) ? raw.testResults : [],
    };
  } catch {
    return undefined;
  }
}

/** Every skipped or todo test of a report. */
export function skippedTests(report: VitestJsonReport): SkippedTest[] {
  return report.testResults.flatMap((file) => file.assertionResults
    .filter((a) => a.status === 'skipped' || a.status === 'pending' || a.status === 'todo')
    .map((a) => ({ file: file.name, fullName: a.fullName, reason: a.meta?.skipReason })));
}
