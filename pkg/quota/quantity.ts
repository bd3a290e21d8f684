/**
 * Quantity arithmetic for quota and LimitRanger (apimachinery resource.Quantity Add/Sub/Cmp/Value and
 * the ResourceList helpers of k8s.io/apiserver/pkg/quota/v1/resources.go). A quantity keeps its format so sums
 * print as Kubernetes prints them: "252Mi" stays binary, "500m" decimal.
 */
import { parseQuantityNano } from '../registry/validation/quantity.ts';

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** Value in nano-units (1 = 1e-9). */
  nano: bigint;
  format: QuantityFormat;
}

/** Usage or limits by resource name (a ResourceList). */
export type ResourceList = Map<string, Quantity>;

const nanoPerUnit = 1_000_000_000n;
const binarySuffixes = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const decimalSuffixes: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };

export function quantity(units: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
  return { nano: BigInt(units) * nanoPerUnit, format };
}

/** Parses the wire form; undefined when it is not a quantity. */
export function parseQuantity(input: unknown): Quantity | undefined {
  const nano = parseQuantityNano(input);
  if (nano === undefined) return undefined;
  const s = String(input).trim();
  const format: QuantityFormat = /i$/.test(s) ? 'BinarySI' : /[eE][-+]?[0-9]+$/.test(s) ? 'DecimalExponent' : 'DecimalSI';
  return { nano, format };
}

/** Quantity.Add: a zero receiver takes the other's format. */
export function addQuantity(a: Quantity, b: Quantity): Quantity {
  return { nano: a.nano + b.nano, format: a.nano === 0n ? b.format : a.format };
}

export function subQuantity(a: Quantity, b: Quantity): Quantity {
  return { nano: a.nano - b.nano, format: a.nano === 0n && b.nano !== 0n ? b.format : a.format };
}

/** Division rounding towards +infinity. */
function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n ? q + 1n : q;
}

/** Quantity.Value(): whole units, rounded up. */
export function quantityValue(q: Quantity): bigint {
  return ceilDiv(q.nano, nanoPerUnit);
}

/** Quantity.MilliValue(): thousandths, rounded up. */
export function quantityMilliValue(q: Quantity): bigint {
  return ceilDiv(q.nano, 1_000_000n);
}

/** Quantity.String(): the canonical form (CanonicalizeBytes). */
export function formatQuantity(q: Quantity): string {
  const negative = q.nano < 0n;
  const abs = negative ? -q.nano : q.nano;
  const sign = negative ? '-' : '';
  if (abs === 0n) return '0';
  let format = q.format;
  if (format === 'BinarySI') {
    // Small or fractional values are printed in decimal, as upstream does to avoid rounding.
    if (abs < 1024n * nanoPerUnit || abs % nanoPerUnit !== 0n) format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    let units = abs / nanoPerUnit;
    let i = 0;
    while (i < binarySuffixes.length - 1 && units % 1024n === 0n) { units /= 1024n; i++; }
    return `${sign}${units}${binarySuffixes[i]}`;
  }
  // Largest exponent (a multiple of 3) that leaves an integer mantissa.
  let exp = -9;
  let mantissa = abs;
  while (exp < 18 && mantissa % 1000n === 0n) { mantissa /= 1000n; exp += 3; }
  if (format === 'DecimalExponent') return exp === 0 ? `${sign}${mantissa}` : `${sign}${mantissa}e${exp}`;
  return `${sign}${mantissa}${decimalSuffixes[exp] ?? ''}`;
}

/** A wire ResourceList (map of quantity strings); unparseable entries are skipped. */
export function parseResourceList(list: Record<string, unknown> | undefined | null): ResourceList {
  const out: ResourceList = new Map();
  for (const [name, v] of Object.entries(list ?? {})) {
    const q = parseQuantity(v);
    if (q) out.set(name, q);
  }
  return out;
}

/** The wire form with canonical quantity strings. */
export function toWire(list: ResourceList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, q] of [...list].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[name] = formatQuantity(q);
  return out;
}

/** quota.Add: the union, summing common keys. */
export function add(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = new Map(a);
  for (const [k, v] of b) {
    const cur = out.get(k);
    out.set(k, cur ? addQuantity(cur, v) : v);
  }
  return out;
}

/** quota.SubtractWithNonNegativeResult: a - b over a's keys, floored at zero. */
export function subtractNonNegative(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = new Map();
  for (const [k, v] of a) {
    const other = b.get(k);
    const d = other ? subQuantity(v, other) : v;
    out.set(k, d.nano < 0n ? { nano: 0n, format: d.format } : d);
  }
  return out;
}

/** quota.Mask: only the named keys. */
export function mask(list: ResourceList, names: Iterable<string>): ResourceList {
  const out: ResourceList = new Map();
  for (const n of names) {
    const v = list.get(n);
    if (v) out.set(n, v);
  }
  return out;
}

export function removeZeros(list: ResourceList): ResourceList {
  return new Map([...list].filter(([, v]) => v.nano !== 0n));
}

export function isNegative(list: ResourceList): string[] {
  return [...list].filter(([, v]) => v.nano < 0n).map(([k]) => k);
}

/** quota.LessThanOrEqual: keys of `a` above their limit in `b` (keys absent from b are not limited). */
export function exceeded(a: ResourceList, b: ResourceList): string[] {
  const out: string[] = [];
  for (const [k, v] of a) {
    const limit = b.get(k);
    if (limit && v.nano > limit.nano) out.push(k);
  }
  return out;
}

/** quota.Equals: same keys, equal values. */
export function equals(a: ResourceList, b: ResourceList): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k)?.nano !== v.nano) return false;
  return true;
}

/** prettyPrint: `name=value` sorted by name, comma separated. */
export function prettyPrint(list: ResourceList): string {
  return [...list.keys()].sort().map((k) => `${k}=${formatQuantity(list.get(k)!)}`).join(',');
}
