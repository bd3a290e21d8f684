/**
 * Go's time.Duration text form, which metav1.Duration uses in JSON ("1h0m0s", "1.5s", "300ms"):
 * format like Duration.String and parse like time.ParseDuration, on nanoseconds as bigint.
 */

const unitNanos: Record<string, bigint> = {
  ns: 1n, us: 1_000n, 'µs': 1_000n, 'μs': 1_000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n,
};

/** Digits of `value mod 10^precision` without trailing zeros, with a leading "." when any remain. */
function fraction(value: bigint, precision: number): string {
  const digits = (value % 10n ** BigInt(precision)).toString().padStart(precision, '0').replace(/0+$/, '');
  return digits ? `.${digits}` : '';
}

export function formatGoDuration(nanos: bigint): string {
  const sign = nanos < 0n ? '-' : '';
  const u = nanos < 0n ? -nanos : nanos;
  if (u === 0n) return '0s';
  if (u < 1_000n) return `${sign}${u}ns`;
  if (u < 1_000_000n) return `${sign}${u / 1_000n}${fraction(u, 3)}µs`;
  if (u < 1_000_000_000n) return `${sign}${u / 1_000_000n}${fraction(u, 6)}ms`;
  const totalSeconds = u / 1_000_000_000n;
  let text = `${totalSeconds % 60n}${fraction(u, 9)}s`;
  const minutes = totalSeconds / 60n;
  if (minutes > 0n) {
    text = `${minutes % 60n}m${text}`;
    const hours = minutes / 60n;
    if (hours > 0n) text = `${hours}h${text}`;
  }
  return sign + text;
}

/** Nanoseconds of a Go duration string; undefined when it is not one. */
export function parseGoDuration(text: string): bigint | undefined {
  const match = /^([-+]?)(.+)$/.exec(text);
  if (!match) return undefined;
  const [, sign, body = ''] = match;
  if (body === '0') return 0n;
  const term = /(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/y;
  let total = 0n;
  let at = 0;
  while (at < body.length) {
    term.lastIndex = at;
    const t = term.exec(body);
    if (!t) return undefined;
    const [, whole = '', frac = '', unit = ''] = t;
    if (whole === '' && frac === '') return undefined;
    const scale = unitNanos[unit] ?? 1n;
    total += BigInt(whole || '0') * scale;
    if (frac) total += (BigInt(frac) * scale) / 10n ** BigInt(frac.length);
    at = term.lastIndex;
  }
  return at === 0 ? undefined : sign === '-' ? -total : total;
}
