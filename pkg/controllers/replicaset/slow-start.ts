/**
 * Slow-start batching (kubernetes pkg/controller/replicaset/replica_set.go slowStartBatch): run
 * `fn` `count` times in batches of 1, 2, 4, … at once, and stop at the first batch with a failure.
 * A namespace whose quota or admission rejects every pod then costs one failed call, not hundreds.
 */

/** controller.SlowStartInitialBatchSize. */
export const slowStartInitialBatchSize = 1;

export interface SlowStartResult {
  /** Calls that succeeded. */
  successes: number;
  /** The first failure of the batch that stopped it, if any. */
  error?: unknown;
}

export async function slowStartBatch(count: number, initialBatchSize: number, fn: () => Promise<void>): Promise<SlowStartResult> {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += batch - failures.length;
    if (failures.length > 0) return { successes, error: failures[0]!.reason };
    remaining -= batch;
  }
  return { successes };
}
