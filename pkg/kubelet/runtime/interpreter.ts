/**
 * What a simulated container "does": its command and args read as a tiny shell, so a pod spec
 * decides how long a container runs, what it prints and how it exits, without running anything.
 * Understood: `sleep N` (s/m/h/d suffixes, `infinity`), `exit N`, `true`/`:`, `false`, `echo …`
 * (`>&2` goes to stderr, other redirections discard the line), and `a && b; c || d` chains, as the
 * argv itself or inside `sh -c "…"` (also bash/ash/dash, any flag cluster ending in c). Anything
 * else (a real binary, a loop, a subshell, an image's default entrypoint) runs forever, which is
 * what a server would do. Pure: no timers, no I/O; the pod worker plays the result back in time.
 */

export interface ProgramLine {
  /** Seconds after the container started. */
  at: number;
  stream: 'stdout' | 'stderr';
  text: string;
  /** The line as written at `time`, for programs that stamp their lines (klog); `text` otherwise. */
  textAt?: (time: Date) => string;
}

export type ProgramOutcome =
  | { kind: 'exits'; after: number; code: number }
  | { kind: 'runsForever' };

export interface Simulation {
  lines: ProgramLine[];
  outcome: ProgramOutcome;
}

type Op = ';' | '&&' | '||';
interface Clause { op: Op; words: string[] }

const shells = new Set(['sh', 'bash', 'ash', 'dash', 'busybox-sh', 'zsh']);

/** Reads `command` + `args` as the container runtime would put them together. */
export function interpret(command: readonly string[] | undefined, args: readonly string[] | undefined): Simulation {
  const argv = [...(command ?? []), ...(args ?? [])];
  if (argv.length === 0) return forever([]);
  const script = shellScript(argv);
  if (script !== undefined) {
    const clauses = parseScript(script);
    return clauses ? run(clauses) : forever([]);
  }
  return run([{ op: ';', words: argv }]);
}

/** The script of `sh -c "<script>"` (the word after a flag cluster holding c), or undefined. */
function shellScript(argv: readonly string[]): string | undefined {
  if (!shells.has(basename(argv[0]!))) return undefined;
  for (let i = 1; i < argv.length; i++) {
    const flag = argv[i]!;
    if (!flag.startsWith('-')) return undefined;
    if (flag.includes('c')) return argv[i + 1] ?? '';
  }
  return undefined;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Splits a script into words and `;` `&&` `||` operators; undefined for anything beyond that. */
export function parseScript(script: string): Clause[] | undefined {
  const clauses: Clause[] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let op: Op = ';';
  const endWord = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endClause = (next: Op): boolean => {
    endWord();
    if (words.length === 0) {
      if (next !== ';') return false; // `&& b` without a left side
    } else clauses.push({ op, words });
    words = [];
    op = next;
    return true;
  };
  for (let i = 0; i < script.length; i++) {
    const c = script[i]!;
    if (c === "'") {
      const end = script.indexOf("'", i + 1);
      if (end < 0) return undefined;
      word += script.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < script.length && script[j] !== '"'; j++) {
        if (script[j] === '\\' && j + 1 < script.length && '"\\$`'.includes(script[j + 1]!)) j++;
        if (script[j] === '$' || script[j] === '`') return undefined;
        word += script[j];
      }
      if (j >= script.length) return undefined;
      inWord = true;
      i = j;
    } else if (c === '\\') {
      if (i + 1 < script.length && script[i + 1] !== '\n') word += script[i + 1];
      inWord = true;
      i++;
    } else if (c === ' ' || c === '\t') {
      endWord();
    } else if (c === '\n' || c === ';') {
      if (!endClause(';')) return undefined;
    } else if (c === '&' && script[i + 1] === '&') {
      if (!endClause('&&')) return undefined;
      i++;
    } else if (c === '|' && script[i + 1] === '|') {
      if (!endClause('||')) return undefined;
      i++;
    } else if (c === '#' && !inWord) {
      const end = script.indexOf('\n', i);
      i = end < 0 ? script.length : end - 1;
    } else if (c === '>') {
      // A redirection (`>`, `>>`, `>&2`, `2>&1`): kept as a word for splitRedirects to read.
      word += '>';
      if (script[i + 1] === '>') word += script[++i];
      if (script[i + 1] === '&') word += script[++i];
      inWord = true;
    } else if ('|&()<`$'.includes(c)) {
      return undefined; // pipes, background jobs, subshells, expansions: not simulated
    } else {
      word += c;
      inWord = true;
    }
  }
  if (!endClause(';')) return undefined;
  if (op !== ';') return undefined;
  return clauses;
}

type Step = { kind: 'status'; code: number; after: number; lines: Omit<ProgramLine, 'at'>[] } | { kind: 'exit'; code?: number } | { kind: 'forever' };

/** Runs the clauses in order with the shell's && / || rules. */
function run(clauses: readonly Clause[]): Simulation {
  const lines: ProgramLine[] = [];
  let now = 0;
  let status = 0;
  for (const clause of clauses) {
    // In an and-or list a skipped command leaves the status as it was: `false && a || b` runs b.
    if (clause.op === '&&' && status !== 0) continue;
    if (clause.op === '||' && status === 0) continue;
    const step = simulateCommand(clause.words, status);
    if (step.kind === 'forever') return forever(lines);
    if (step.kind === 'exit') return { lines, outcome: { kind: 'exits', after: now, code: (step.code ?? status) & 0xff } };
    for (const line of step.lines) lines.push({ at: now, ...line });
    now += step.after;
    status = step.code;
  }
  return { lines, outcome: { kind: 'exits', after: now, code: status } };
}

function forever(lines: ProgramLine[]): Simulation {
  return { lines, outcome: { kind: 'runsForever' } };
}

const sleepUnits: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

function simulateCommand(rawWords: readonly string[], lastStatus: number): Step {
  const { words, stream } = splitRedirects(rawWords);
  const name = basename(words[0] ?? '');
  const rest = words.slice(1);
  switch (name) {
    case 'true':
    case ':':
      return done(0);
    case 'false':
      return done(1);
    case 'exit': {
      if (rest.length === 0) return { kind: 'exit', code: lastStatus };
      const code = Number(rest[0]);
      return Number.isInteger(code) ? { kind: 'exit', code } : { kind: 'exit', code: 2 };
    }
    case 'echo': {
      let i = 0;
      while (/^-[neE]+$/.test(rest[i] ?? '')) i++;
      const text = rest.slice(i).join(' ');
      return { kind: 'status', code: 0, after: 0, lines: stream === 'discard' ? [] : [{ stream, text }] };
    }
    case 'sleep':
      return sleep(rest);
    default:
      return { kind: 'forever' };
  }
}

function done(code: number): Step {
  return { kind: 'status', code, after: 0, lines: [] };
}

/** GNU sleep: the sum of its operands; `infinity` never ends; a bad operand fails at once. */
function sleep(operands: readonly string[]): Step {
  if (operands.length === 0) return { kind: 'status', code: 1, after: 0, lines: [{ stream: 'stderr', text: 'sleep: missing operand' }] };
  let total = 0;
  for (const operand of operands) {
    if (operand === 'infinity' || operand === 'inf') return { kind: 'forever' };
    const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(operand);
    if (!m) return { kind: 'status', code: 1, after: 0, lines: [{ stream: 'stderr', text: `sleep: invalid time interval '${operand}'` }] };
    total += Number(m[1]) * sleepUnits[m[2]!]!;
  }
  return { kind: 'status', code: 0, after: total, lines: [] };
}

/** Takes redirections off the words: `>&2`/`1>&2` send output to stderr, `>file` discards it. */
function splitRedirects(words: readonly string[]): { words: string[]; stream: ProgramLine['stream'] | 'discard' } {
  const kept: string[] = [];
  let stream: ProgramLine['stream'] | 'discard' = 'stdout';
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const m = /^(\d?)(>>?)(&?)(.*)$/.exec(w);
    if (!m) {
      kept.push(w);
      continue;
    }
    const [, fd, , amp, target0] = m;
    let target = target0!;
    if (target === '') target = words[++i] ?? '';
    if (fd === '2') continue; // stderr redirections do not move echo's stdout
    if (amp === '&' && target === '2') stream = 'stderr';
    else if (amp === '&' && target === '1') stream = 'stdout';
    else stream = 'discard';
  }
  return { words: kept, stream };
}
