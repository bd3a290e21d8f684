import { describe, expect, it } from 'vitest';
import { benchObjectBytes, benchPod, percentile, runPool } from './bench-load.ts';

describe('bench-load', () => {
  it('builds pods of exactly the benchmark size', () => {
    for (const name of ['a', 'pod-a-4999']) {
      const pod = benchPod('bench', name);
      expect(pod.length).toBe(benchObjectBytes);
      expect(JSON.parse(pod)).toMatchObject({ kind: 'Pod', metadata: { name, namespace: 'bench' } });
    }
  });

  it.each([
    [50, 5],
    [99, 10],
    [100, 10],
    [0, 1],
  ])('takes the p%i percentile by nearest rank', (p, want) => {
    expect(percentile([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], p)).toBe(want);
  });

  it('runs every task once with bounded concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await runPool(20, 3, async (i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      seen.push(i);
      inFlight--;
    });
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(peak).toBe(3);
  });
});
