/**
 * Restart back-off per container, after client-go util/flowcontrol Backoff as the kubelet uses it
 * (pkg/kubelet/kuberuntime doBackOff): 10 s doubling to 5 min; an entry untouched for twice the
 * maximum starts over. The first crash restarts at once; later ones wait the current back-off
 * counted from when the container finished.
 */
export const initialBackoffMs = 10_000;
export const maxBackoffMs = 300_000;

export class Backoff {
  private durationMs = 0;
  private lastUpdate = 0;

  constructor(private readonly initialMs = initialBackoffMs, private readonly maxMs = maxBackoffMs) {}

  private expired(now: number): boolean {
    return this.durationMs === 0 || now - this.lastUpdate > 2 * this.maxMs;
  }

  /** Milliseconds to wait after a container that finished at `finishedAt`; 0 when it may restart now. */
  delay(finishedAt: number, now: number): number {
    if (this.expired(now)) return 0;
    return Math.max(0, finishedAt + this.durationMs - now);
  }

  /** The back-off in force (for "back-off 20s restarting failed …"). */
  currentMs(): number {
    return this.durationMs;
  }

  /** Records a restart for a container that finished at `finishedAt` (flowcontrol Next). */
  next(finishedAt: number): void {
    this.durationMs = this.expired(finishedAt) ? this.initialMs : Math.min(this.durationMs * 2, this.maxMs);
    this.lastUpdate = finishedAt;
  }
}

/** Go's time.Duration String for whole seconds and minutes: 10s, 1m20s, 5m0s. */
export function goDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h > 0 ? `${h}h` : ''}${m}m${s % 60}s`;
}
