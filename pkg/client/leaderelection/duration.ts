/**
 * Go duration strings as component flags take them (time.ParseDuration, src/time/format.go):
 * a sequence of decimal numbers with units, e.g. "15s", "1m30s", "1.5h", "300ms"; "0" alone.
 */

const unitMs: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** Milliseconds in a Go duration; throws `time: invalid duration "<s>"` as Go does. */
export function parseGoDuration(text: string): number {
  const invalid = () => new Error(`time: invalid duration "${text}"`);
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw invalid();
  let total = 0;
  part.lastIndex = 0;
  while (part.lastIndex < s.length) {
    const m = part.exec(s);
    if (!m) throw invalid();
    total += Number(m[1]) * unitMs[m[2]!]!;
  }
  return sign * total;
}
