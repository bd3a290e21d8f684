import { describe, expect, it } from 'vitest';
import { slowStartBatch } from './slow-start.ts';

/** Runs slowStartBatch recording how many calls were in flight together, failing calls whose number is in `failAt`. */
async function run(count: number, failAt: number[] = []) {
  const batches: number[] = [];
  let calls = 0;
  let inFlight = 0;
  const result = await slowStartBatch(count, 1, async () => {
    const n = ++calls;
    inFlight++;
    if (inFlight === 1) batches.push(0);
    batches[batches.length - 1]!++;
    await new Promise((r) => setTimeout(r, 1));
    inFlight--;
    if (failAt.includes(n)) throw new Error(`call ${n} failed`);
  });
  return { batches, calls, result };
}

describe('slowStartBatch', () => {
  it('runs 1, 2, 4, 8 at a time, then the remainder', async () => {
    const { batches, result } = await run(20);
    expect(batches).toEqual([1, 2, 4, 8, 5]);
    expect(result).toEqual({ successes: 20 });
  });
  it('stops after the batch with the first failure, counting that batch\'s successes', async () => {
    const { batches, calls, result } = await run(20, [5]);
    expect(batches).toEqual([1, 2, 4]);
    expect(calls).toBe(7);
    expect(result.successes).toBe(6);
    expect((result.error as Error).message).toBe('call 5 failed');
  });
  it('fails fast: one failed call when the first fails', async () => {
    const { calls, result } = await run(100, [1]);
    expect(calls).toBe(1);
    expect(result.successes).toBe(0);
  });
  it('does nothing for zero', async () => {
    expect((await run(0)).result).toEqual({ successes: 0 });
  });
});
