/**
 * resource.Quantity parsing, enough to compare requests and limits exactly (QoS class, the
 * request <= limit rule). Values are kept as BigInt nano-units so "500m" equals "0.5".
 */

const quantityRegexp = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;

const decimalSuffix: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binarySuffix: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/** Parsed quantities by text: objects repeat the same few ("100m", "64Mi"). Bounded by clearing. */
const parsed = new Map<string, bigint | undefined>();

/** Parses a quantity string (or a JSON number) into nano-units; undefined when it is not one. */
export function parseQuantityNano(input: unknown): bigint | undefined {
  const s = typeof input === 'number' ? String(input) : input;
  if (typeof s !== 'string') return undefined;
  if (parsed.has(s)) return parsed.get(s);
  const value = parseText(s);
  if (parsed.size >= 1024) parsed.clear();
  parsed.set(s, value);
  return value;
}

function parseText(s: string): bigint | undefined {
  const m = quantityRegexp.exec(s.trim());
  if (!m) return undefined;
  const num = m[1] ?? '';
  const suffix = m[2] ?? '';
  if ((num.match(/\./g) ?? []).length > 1 || !/[0-9]/.test(num)) return undefined;
  const negative = num.startsWith('-');
  const [intPart = '', fracPart = ''] = num.replace(/^[+-]/, '').split('.');
  let mantissa = BigInt((intPart || '0') + fracPart);
  let exp10 = -fracPart.length + 9;
  let exp2 = 0;
  if (suffix in binarySuffix) exp2 = binarySuffix[suffix] ?? 0;
  else if (suffix in decimalSuffix) exp10 += decimalSuffix[suffix] ?? 0;
  else if (/^[eE][-+]?[0-9]+$/.test(suffix)) exp10 += Number(suffix.slice(1));
  else return undefined;
  mantissa *= 2n ** BigInt(exp2);
  // Below a nano-unit Kubernetes rounds up; so do we, so tiny values stay non-zero.
  const d = 10n ** BigInt(Math.max(0, -exp10));
  const value = exp10 >= 0 ? mantissa * 10n ** BigInt(exp10) : (mantissa + d - 1n) / d;
  return negative ? -value : value;
}

/** True when both parse and are equal. */
export function quantitiesEqual(a: unknown, b: unknown): boolean {
  const x = parseQuantityNano(a);
  const y = parseQuantityNano(b);
  return x !== undefined && y !== undefined && x === y;
}
