// The conformance ledger: for each official conformance test a simulated cluster can honour
// (test/conformance/ownership.tsv, a copy of ../shared/conformance/ownership.tsv), whether
// test/conformance/ has a test of that exact name and whether it passed, summed per capability.
// Prints the table and writes ledger.md and ledger.html beside the vitest report.
// Usage: node --import tsx hack/conformance-ledger.ts <conformance vitest report.json> <out dir>
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readVitestReport, type VitestJsonReport } from './vitest-report.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
/** The committed copy of the ownership table (a unit test keeps it equal to ../shared's). */
export const ownershipFile = join(repoRoot, 'test/conformance/ownership.tsv');

export interface OwnershipRow {
  testname: string;
  capability: string;
  what: string;
}

export type RowStatus = 'passing' | 'failing' | 'not yet';

export interface LedgerRow extends OwnershipRow {
  status: RowStatus;
  /** The test file, relative to the repository, when a test exists. */
  file?: string;
}

export interface CapabilityTotals {
  capability: string;
  rows: number;
  written: number;
  passing: number;
}

export interface Ledger {
  rows: LedgerRow[];
  capabilities: CapabilityTotals[];
  total: CapabilityTotals;
  /** Conformance tests whose name is no row of the table (misspelt, or not a conformance test). */
  unknown: string[];
  /** Row names used by more than one test. */
  duplicates: string[];
  /** Test files that failed before running their tests (import or hook errors). */
  brokenFiles: string[];
}

/** Parses ownership.tsv: a header line, then testname, class, capability, what it checks. */
export function parseOwnership(text: string): OwnershipRow[] {
  const [header, ...lines] = text.split('\n').filter((l) => l.trim() !== '');
  if (header?.split('\t')[0] !== 'testname') throw new Error('ownership.tsv: the first line must be the header (testname…)');
  return lines.map((line, i) => {
    const [testname, , capability, what] = line.split('\t');
    if (!testname || !capability) throw new Error(`ownership.tsv line ${i + 2}: expected testname, class, capability`);
    return { testname, capability, what: what ?? '' };
  });
}

/** Joins the table with one run of the conformance tier. Pure. */
export function buildLedger(table: readonly OwnershipRow[], report: VitestJsonReport, root = repoRoot): Ledger {
  const known = new Set(table.map((r) => r.testname));
  const seen = new Map<string, { passed: boolean; file: string; count: number }>();
  const unknown: string[] = [];
  const brokenFiles: string[] = [];
  for (const file of report.testResults) {
    const name = relative(root, file.name);
    if (file.status === 'failed' && file.assertionResults.length === 0) brokenFiles.push(name);
    for (const a of file.assertionResults) {
      if (!known.has(a.title)) { unknown.push(`${name}: ${a.fullName}`); continue; }
      const prev = seen.get(a.title);
      seen.set(a.title, { passed: a.status === 'passed' && (prev?.passed ?? true), file: name, count: (prev?.count ?? 0) + 1 });
    }
  }
  const rows: LedgerRow[] = table.map((row) => {
    const test = seen.get(row.testname);
    if (test === undefined) return { ...row, status: 'not yet' };
    return { ...row, status: test.passed ? 'passing' : 'failing', file: test.file };
  });
  const capabilities = [...new Set(table.map((r) => r.capability))].sort().map((capability) => totals(capability, rows.filter((r) => r.capability === capability)));
  return {
    rows, capabilities, total: totals('total', rows), unknown, brokenFiles,
    duplicates: [...seen].filter(([, t]) => t.count > 1).map(([name]) => name),
  };
}

function totals(capability: string, rows: readonly LedgerRow[]): CapabilityTotals {
  return {
    capability,
    rows: rows.length,
    written: rows.filter((r) => r.status !== 'not yet').length,
    passing: rows.filter((r) => r.status === 'passing').length,
  };
}

/** The table printed by `make conformance`, then the closing "passing N of M" line. */
export function formatLedger(ledger: Ledger): string[] {
  const width = Math.max(...ledger.capabilities.map((c) => c.capability.length), 10);
  const line = (c: CapabilityTotals): string =>
    `${c.capability.padEnd(width)}  ${String(c.rows).padStart(4)}  ${String(c.written).padStart(7)}  ${String(c.passing).padStart(7)}`;
  return [
    `${'capability'.padEnd(width)}  ${'rows'.padStart(4)}  ${'written'.padStart(7)}  ${'passing'.padStart(7)}`,
    ...ledger.capabilities.map(line),
    line(ledger.total),
    ...ledger.rows.filter((r) => r.status === 'failing').map((r) => `failing: [${r.capability}] ${r.testname} (${r.file})`),
    ...ledger.unknown.map((u) => `not a row of ownership.tsv: ${u}`),
    ...ledger.duplicates.map((d) => `written more than once: ${d}`),
    ...ledger.brokenFiles.map((f) => `could not run: ${f}`),
    `passing ${ledger.total.passing} of ${ledger.total.rows}`,
  ];
}

/** Markdown: the totals table, then every row with its status. */
export function renderMarkdown(ledger: Ledger): string {
  const totalsTable = ['| capability | rows | written | passing |', '|---|---:|---:|---:|',
    ...[...ledger.capabilities, ledger.total].map((c) => `| ${c.capability} | ${c.rows} | ${c.written} | ${c.passing} |`)];
  const rowTable = ['| status | capability | conformance test | test file |', '|---|---|---|---|',
    ...ledger.rows.map((r) => `| ${r.status} | ${r.capability} | ${r.testname.replace(/\|/g, '\\|')} | ${r.file ?? ''} |`)];
  return [`# Conformance ledger: passing ${ledger.total.passing} of ${ledger.total.rows}`, '', ...totalsTable, '', ...rowTable, ''].join('\n');
}

const escapeHtml = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** A self-contained HTML page of the same content. */
export function renderHtml(ledger: Ledger): string {
  const cell = (s: string | number): string => `<td>${escapeHtml(String(s))}</td>`;
  const totalsRows = [...ledger.capabilities, ledger.total]
    .map((c) => `<tr>${cell(c.capability)}${cell(c.rows)}${cell(c.written)}${cell(c.passing)}</tr>`).join('\n');
  const rows = ledger.rows
    .map((r) => `<tr class="${r.status.replace(' ', '-')}">${cell(r.status)}${cell(r.capability)}${cell(r.testname)}${cell(r.what)}${cell(r.file ?? '')}</tr>`).join('\n');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Conformance ledger</title>
<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}
.passing td:first-child{background:#cfc}.failing td:first-child{background:#fcc}.not-yet td:first-child{color:#888}</style></head>
<body><h1>Conformance ledger: passing ${ledger.total.passing} of ${ledger.total.rows}</h1>
<table><tr><th>capability</th><th>rows</th><th>written</th><th>passing</th></tr>
${totalsRows}
</table>
<h2>Rows</h2>
<table><tr><th>status</th><th>capability</th><th>conformance test</th><th>what it checks</th><th>test file</th></tr>
${rows}
</table></body></html>
`;
}

function main(argv: readonly string[]): number {
  const [reportFile, outDir] = argv;
  if (reportFile === undefined || outDir === undefined) {
    console.error('usage: conformance-ledger.ts <vitest report.json> <out dir>');
    return 2;
  }
  const report = readVitestReport(reportFile);
  if (report === undefined) {
    console.error(`conformance ledger: no vitest report at ${reportFile} (the tier crashed before reporting)`);
    return 1;
  }
  const ledger = buildLedger(parseOwnership(readFileSync(ownershipFile, 'utf8')), report);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'ledger.md'), renderMarkdown(ledger));
  writeFileSync(join(outDir, 'ledger.html'), renderHtml(ledger));
  for (const line of formatLedger(ledger)) console.log(line);
  console.log(`ledger written to ${join(outDir, 'ledger.html')} and ledger.md`);
  // Failing tests already fail the tier; the ledger fails for what only it can see.
  return ledger.unknown.length + ledger.duplicates.length === 0 ? 0 : 1;
}

if (process.argv[1]?.endsWith('conformance-ledger.ts')) process.exitCode = main(process.argv.slice(2));
