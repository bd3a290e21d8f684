import { describe, expect, it } from 'vitest';
import { summarize } from './test-summary.ts';

const ok = (passed: number) => ({ numPassedTests: passed, numFailedTests: 0, success: true });

describe('summarize', () => {
  it('adds passed and failed tests over the tiers', () => {
    expect(
      summarize([
        { tier: 'unit', report: ok(10) },
        { tier: 'integration', report: { numPassedTests: 4, numFailedTests: 2, success: false } },
        { tier: 'e2e', report: ok(0) },
      ]),
    ).toEqual({ passed: 14, failed: 2, notes: [] });
  });

  it('counts a tier without a report as one failure', () => {
    const s = summarize([{ tier: 'unit', report: ok(3) }, { tier: 'e2e' }]);
    expect([s.passed, s.failed]).toEqual([3, 1]);
    expect(s.notes).toEqual([expect.stringContaining('e2e: no vitest report')]);
  });

  it('counts an unsuccessful tier with no failed test as one failure', () => {
    const s = summarize([{ tier: 'integration', report: { numPassedTests: 0, numFailedTests: 0, success: false } }]);
    expect(s.failed).toBe(1);
  });
});
