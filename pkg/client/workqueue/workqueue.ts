/**
 * A de-duplicating work queue (client-go util/workqueue): a key waiting in the queue is queued
 * once, and a key being processed is never handed to a second worker; re-adding it while it is
 * processed queues it again for after `done`. `addAfter` delays, `addRateLimited` backs off
 * exponentially per key until `forget`.
 */
export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly failures = new Map<string, number>();
  private waiters: ((key: string | undefined) => void)[] = [];
  private shuttingDown = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly baseDelayMs = 5, private readonly maxDelayMs = 30_000) {}

  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    const waiter = this.waiters.shift();
    if (waiter) { this.dirty.delete(key); this.processing.add(key); waiter(key); return; }
    this.queue.push(key);
  }

  addAfter(key: string, delayMs: number): void {
    if (delayMs <= 0) { this.add(key); return; }
    const t = setTimeout(() => { this.timers.delete(t); this.add(key); }, delayMs);
    this.timers.add(t);
  }

  addRateLimited(key: string): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    this.addAfter(key, Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** n));
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  /** Next key to process; undefined once the queue is shut down. */
  get(): Promise<string | undefined> {
    if (this.shuttingDown) return Promise.resolve(undefined);
    const key = this.queue.shift();
    if (key !== undefined) {
      this.dirty.delete(key);
      this.processing.add(key);
      return Promise.resolve(key);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) { this.dirty.delete(key); this.add(key); }
  }

  get length(): number {
    return this.queue.length;
  }

  shutDown(): void {
    this.shuttingDown = true;
    for (const t of this.timers) clearTimeout(t);
    for (const w of this.waiters) w(undefined);
    this.waiters = [];
  }
}
