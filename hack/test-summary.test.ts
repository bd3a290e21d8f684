import { describe, expect, it } from 'vitest';
import { formatSummary, summarize } from './test-summary.ts';
import type { VitestAssertion, VitestJsonReport } from './vitest-report.ts';

const report = (passed: number, failed = 0, assertions: VitestAssertion[] = []): VitestJsonReport => ({
  numPassedTests: passed, numFailedTests: failed, success: failed === 0,
  testResults: [{ name: '/repo/x.test.ts', status: failed === 0 ? 'passed' : 'failed', assertionResults: assertions }],
});
const skipped = (title: string, reason?: string): VitestAssertion =>
  ({ title, fullName: `suite ${title}`, status: 'skipped', meta: reason === undefined ? {} : { skipReason: reason } });

describe('summarize', () => {
  it('adds passed and failed tests over the tiers', () => {
    const s = summarize([
      { tier: 'unit', report: report(10) },
      { tier: 'integration', report: report(4, 2) },
      { tier: 'e2e', report: report(0) },
    ]);
    expect([s.passed, s.failed, s.skipped, s.notes]).toEqual([14, 2, 0, []]);
  });

  it('counts a tier without a report as one failure', () => {
    const s = summarize([{ tier: 'unit', report: report(3) }, { tier: 'e2e' }]);
    expect([s.passed, s.failed]).toEqual([3, 1]);
    expect(s.notes).toEqual([expect.stringContaining('e2e: no vitest report')]);
  });

  it('counts an unsuccessful tier with no failed test as one failure', () => {
    const s = summarize([{ tier: 'integration', report: { ...report(0), success: false } }]);
    expect(s.failed).toBe(1);
  });

  it('counts skips, prints each with its reason, and fails a skip without one', () => {
    const s = summarize([{ tier: 'unit', report: report(1, 0, [skipped('a', 'kubectl 1.33.1 is not 1.33.0'), skipped('b')]) }]);
    expect([s.passed, s.failed, s.skipped]).toEqual([1, 1, 2]);
    expect(formatSummary(s)).toEqual([
      'skipped: [unit] suite a: kubectl 1.33.1 is not 1.33.0',
      'skipped: [unit] suite b: no reason given',
      'unit: "suite b" was skipped without a reason (use skipBecause from pkg/testenv)',
      '1 passed, 1 failed, 2 skipped',
    ]);
  });
});
