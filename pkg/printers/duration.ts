/**
 * Human-readable ages, as k8s.io/apimachinery/pkg/util/duration.HumanDuration and the
 * translateTimestampSince helpers in kubernetes/kubernetes pkg/printers/internalversion/printers.go.
 */

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;

/** Go's int(x) conversion truncates toward zero. */
const trunc = Math.trunc;

/**
 * About 2–3 significant figures of a duration given in milliseconds: "5s", "3m2s", "15m", "3h5m",
 * "30h", "2d3h", "90d", "3y20d", "10y". Up to one second in the future counts as "0s"; further
 * in the future is "<invalid>".
 */
export function humanDuration(ms: number): string {
  const seconds = trunc(ms / second);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = trunc(ms / minute);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = trunc(ms / hour);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${trunc(hours / 24)}d` : `${trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = trunc(hours / 24) % 365;
    const years = trunc(hours / 24 / 365);
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${trunc(hours / 24 / 365)}y`;
}

/** Milliseconds since the epoch of an RFC 3339 (micro)time, or undefined when absent or unparsable. */
export function parseTime(timestamp: unknown): number | undefined {
  if (typeof timestamp !== 'string' || timestamp === '') return undefined;
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Age of a metav1.Time (or MicroTime) relative to `now`: "<unknown>" when the timestamp is missing,
 * as the real printers show for a zero time.
 */
export function translateTimestampSince(timestamp: unknown, now: Date): string {
  const ms = parseTime(timestamp);
  return ms === undefined ? '<unknown>' : humanDuration(now.getTime() - ms);
}
