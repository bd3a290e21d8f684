import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildLedger, formatLedger, ownershipFile, parseOwnership, renderHtml } from './conformance-ledger.ts';
import type { VitestAssertion, VitestJsonReport } from './vitest-report.ts';

const table = parseOwnership([
  'testname\tclass\tcapability\twhat it checks',
  'watch-a\tapi\tfoundation\tA',
  'watch-b\tapi\tfoundation\tB',
  'Deploy <x>\tapi\tcontrollers\tC',
].join('\n'));

const test = (title: string, status: string): VitestAssertion => ({ title, fullName: title, status });
const report = (...assertions: VitestAssertion[]): VitestJsonReport => ({
  numPassedTests: 0, numFailedTests: 0, success: true,
  testResults: [{ name: '/repo/test/conformance/w.test.ts', status: 'passed', assertionResults: assertions }],
});

describe('conformance ledger', () => {
  it('counts rows, written and passing tests per capability', () => {
    const ledger = buildLedger(table, report(test('watch-a', 'passed'), test('watch-b', 'failed')), '/repo');
    expect(ledger.capabilities).toEqual([
      { capability: 'controllers', rows: 1, written: 0, passing: 0 },
      { capability: 'foundation', rows: 2, written: 2, passing: 1 },
    ]);
    expect(ledger.total).toEqual({ capability: 'total', rows: 3, written: 2, passing: 1 });
    expect(ledger.rows.map((r) => r.status)).toEqual(['passing', 'failing', 'not yet']);
    expect(ledger.rows[0]!.file).toBe('test/conformance/w.test.ts');
    const text = formatLedger(ledger);
    expect(text.at(-1)).toBe('passing 1 of 3');
    expect(text).toContain('failing: [foundation] watch-b (test/conformance/w.test.ts)');
  });

  it('reports tests that are no row, and rows written twice', () => {
    const ledger = buildLedger(table, report(test('watch-a', 'passed'), test('watch-a', 'passed'), test('watch-c', 'passed')), '/repo');
    expect(ledger.unknown).toEqual(['test/conformance/w.test.ts: watch-c']);
    expect(ledger.duplicates).toEqual(['watch-a']);
  });

  it('counts a skipped row as written but not passing', () => {
    const ledger = buildLedger(table, report(test('watch-a', 'skipped')), '/repo');
    expect(ledger.rows[0]!.status).toBe('failing');
  });

  it('escapes test names in the HTML page', () => {
    expect(renderHtml(buildLedger(table, report(), '/repo'))).toContain('Deploy &lt;x&gt;');
  });

  it('keeps the committed ownership table equal to the shared one', () => {
    const shared = join(ownershipFile, '../../../../shared/conformance/ownership.tsv');
    const committed = parseOwnership(readFileSync(ownershipFile, 'utf8'));
    expect(committed.length).toBeGreaterThanOrEqual(221);
    if (existsSync(shared)) expect(readFileSync(ownershipFile, 'utf8')).toBe(readFileSync(shared, 'utf8'));
  });
});
