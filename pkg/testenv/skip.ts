/**
 * Visible skips. vitest's JSON report drops the note given to `ctx.skip(note)`, so the reason is
 * also put in the test's meta, where hack/test-summary.ts reads it: every skip in our summary says
 * why, and a skip that does not counts as a failure.
 */
import type { TestContext } from 'vitest';

declare module 'vitest' {
  interface TaskMeta {
    /** Why the test was skipped; printed by the test summary. */
    skipReason?: string;
  }
}

/** Skips the running test, recording `reason` for the summary. Never returns. */
export function skipBecause(ctx: TestContext, reason: string): never {
  ctx.task.meta.skipReason = reason;
  ctx.skip(reason);
  throw new Error('unreachable: ctx.skip throws');
}
