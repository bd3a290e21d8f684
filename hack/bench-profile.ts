/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`) as text: where the samples were, by
 * function (self and inclusive) and by file, with paths relative to the repository.
 * Usage: npx tsx hack/bench-profile.ts <file.cpuprofile> [top] [first-function]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
}

const repoUrl = new URL('..', import.meta.url).href;

const sources = new Map<string, string[]>();

/**
 * tsx serves our files as one whitespace-minified line, so V8's line numbers are useless there:
 * find the function's definition in the source file by name instead (first match; 1 when unknown).
 */
function definitionLine(url: string, name: string): number {
  if (name === '' || !url.startsWith(repoUrl) || url.includes('/node_modules/')) return 0;
  let lines = sources.get(url);
  if (lines === undefined) {
    try {
      lines = readFileSync(fileURLToPath(url), 'utf8').split('\n');
    } catch {
      lines = [];
    }
    sources.set(url, lines);
  }
  const method = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : name;
  const escaped = method.replace(/[$]/g, '\\$');
  const def = new RegExp(`(function\\*?\\s+${escaped}\\b|\\b${escaped}\\s*(=|:)\\s*(async\\s*)?(\\(|function|[a-zA-Z_$]+\\s*=>)|^\\s*(public |private |static |async |get |set )*${escaped}\\s*\\()`);
  const index = lines.findIndex((line) => def.test(line));
  return index + 1;
}

function frameKey(f: CallFrame): string {
  const url = f.url.startsWith(repoUrl) ? f.url.slice(repoUrl.length) : f.url.replace(/^file:\/\//, '');
  const line = f.lineNumber === 0 ? definitionLine(f.url, f.functionName) || 1 : f.lineNumber + 1;
  const where = url === '' ? '(native)' : `${url}:${line}`;
  return `${f.functionName || '(anonymous)'} ${where}`;
}

function fileKey(f: CallFrame): string {
  if (f.url === '') return f.functionName.startsWith('(') ? f.functionName : '(native)';
  const url = f.url.startsWith(repoUrl) ? f.url.slice(repoUrl.length) : f.url.replace(/^file:\/\//, '');
  // Group dependencies by package, our files by path.
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  return pkg !== undefined ? `node_modules/${pkg}` : url;
}

/**
 * Percent-of-samples tables: self time by function, inclusive time by our own functions, self
 * time by file. With `startAt`, samples before the first one whose stack holds a function of that
 * name are skipped (e.g. module loading before the first request); all are counted when none has it.
 */
export function summarizeProfile(profile: CpuProfile, top = 25, startAt?: string): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stackHas = (leaf: number, name: string): boolean => {
    for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) {
      if (byId.get(id)?.callFrame.functionName === name) return true;
    }
    return false;
  };
  const first = startAt === undefined ? -1 : profile.samples.findIndex((leaf) => stackHas(leaf, startAt));
  const samples = first > 0 ? profile.samples.slice(first) : profile.samples;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const files = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);
  let total = 0;
  for (const leaf of samples) {
    const node = byId.get(leaf);
    if (node === undefined || node.callFrame.functionName === '(idle)') continue;
    total++;
    bump(self, frameKey(node.callFrame));
    bump(files, fileKey(node.callFrame));
    const onStack = new Set<string>();
    for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      if (frame.url.startsWith(repoUrl) && !frame.url.includes('/node_modules/')) onStack.add(frameKey(frame));
    }
    for (const k of onStack) bump(inclusive, k);
  }
  const table = (title: string, m: Map<string, number>): string => {
    const rows = [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
    return [title, ...rows.map(([k, n]) => `  ${((100 * n) / total).toFixed(1).padStart(5)}%  ${k}`)].join('\n');
  };
  return [
    `${total} busy samples (idle excluded${first > 0 ? `, from the first sample in ${startAt}` : ''})`,
    table('self time by function:', self),
    table('inclusive time, our code only:', inclusive),
    table('self time by file or package:', files),
  ].join('\n\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, top, startAt] = process.argv.slice(2);
  if (file === undefined) {
    console.error('usage: npx tsx hack/bench-profile.ts <file.cpuprofile> [top] [first-function]');
    process.exit(2);
  }
  console.log(summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(top ?? 25), startAt));
}
