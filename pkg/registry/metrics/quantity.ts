/**
 * Usage quantities as metrics-server writes them: CPU as resource.NewScaledQuantity(nanocores, -9)
 * and memory as resource.NewQuantity(bytes, BinarySI), both in their canonical form — the largest
 * suffix that keeps the number whole ("250m", "1500u", "123456789n"; "512Mi", "4Ki", "1000").
 */

const decimalSuffixes = ['n', 'u', 'm', '', 'k', 'M', 'G', 'T', 'P', 'E'];
const binarySuffixes = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/** A whole number of 10^(3*start) units in canonical DecimalSI form. */
function decimal(units: bigint, start: number): string {
  if (units === 0n) return '0';
  let value = units;
  let i = start;
  while (i < decimalSuffixes.length - 1 && value % 1000n === 0n) {
    value /= 1000n;
    i++;
  }
  return `${value}${decimalSuffixes[i]}`;
}

/** Nanocores as a canonical decimal quantity. */
export function cpuQuantity(nanoCores: number): string {
  return decimal(BigInt(Math.max(0, Math.round(nanoCores))), 0);
}

/** Bytes as a canonical binary quantity. */
export function memoryQuantity(bytes: number): string {
  let value = BigInt(Math.max(0, Math.round(bytes)));
  // CanonicalizeBytes writes BinarySI values below 1024 in DecimalSI ("1k" for 1000).
  if (value < 1024n) return decimal(value, 3);
  let i = 0;
  while (i < binarySuffixes.length - 1 && value % 1024n === 0n) {
    value /= 1024n;
    i++;
  }
  return `${value}${binarySuffixes[i]}`;
}
