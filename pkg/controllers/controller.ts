/**
 * The worker loop every controller shares (client-go's processNextWorkItem): take a key, run
 * sync, forget it on success, requeue on failure (rate-limited, or after a fixed delay when the
 * error asks for one), and mark it done so a re-added key runs again.
 */
import type { WorkQueue } from '../client/workqueue/workqueue.ts';
import type { Logger } from '../util/log.ts';

/** Thrown by a sync that is not failing but must look again after `delayMs`. */
export class RequeueAfter extends Error {
  constructor(readonly delayMs: number, message: string) {
    super(message);
  }
}

export async function runWorker(name: string, queue: WorkQueue, sync: (key: string) => Promise<void>, log: Logger): Promise<void> {
  for (;;) {
    const key = await queue.get();
    if (key === undefined) return;
    try {
      await sync(key);
      queue.forget(key);
    } catch (err) {
      if (err instanceof RequeueAfter) queue.addAfter(key, err.delayMs);
      else {
        log.warn('sync failed', { controller: name, key, error: String(err) });
        queue.addRateLimited(key);
      }
    } finally {
      queue.done(key);
    }
  }
}

/**
 * Runs `workers` copies of runWorker until `signal` aborts, then shuts the queue down and
 * resolves once every worker has returned (client-go's `for i := 0; i < workers; i++ { go
 * wait.UntilWithContext(ctx, worker, time.Second) }; <-ctx.Done()`).
 */
export async function runWorkers(name: string, queue: WorkQueue, sync: (key: string) => Promise<void>, log: Logger,
  workers: number, signal: AbortSignal): Promise<void> {
  const running = Array.from({ length: workers }, () => runWorker(name, queue, sync, log));
  if (!signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  queue.shutDown();
  await Promise.all(running);
}
