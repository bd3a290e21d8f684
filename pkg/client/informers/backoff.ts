/**
 * Jittered exponential back-off, after the reflector's default back-off manager in client-go
 * tools/cache/reflector.go (wait.NewExponentialBackoffManager(800ms, 30s, 2min, 2.0, 1.0)):
 * each wait doubles up to a cap, plus up to `jitter` times itself at random.
 */

export interface BackoffOptions {
  /** First wait (default 800 ms). */
  initialMs?: number;
  /** Largest wait before jitter (default 30 s). */
  maxMs?: number;
  /** Growth per failure (default 2). */
  factor?: number;
  /** Extra random fraction added to each wait (default 1.0: up to double). */
  jitter?: number;
}

export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;
  private nextMs: number;

  constructor(options: BackoffOptions = {}, private readonly random: () => number = Math.random) {
    this.initialMs = options.initialMs ?? 800;
    this.maxMs = options.maxMs ?? 30_000;
    this.factor = options.factor ?? 2;
    this.jitter = options.jitter ?? 1.0;
    this.nextMs = this.initialMs;
  }

  /** The next wait in milliseconds; grows the one after it. */
  next(): number {
    const base = this.nextMs;
    this.nextMs = Math.min(this.maxMs, base * this.factor);
    return base + this.random() * this.jitter * base;
  }

  /** Back to the first wait, after something worked. */
  reset(): void {
    this.nextMs = this.initialMs;
  }
}

/** Resolves after `ms`, or as soon as `signal` aborts (never rejects). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
