import { describe, expect, it } from 'vitest';
import { maxSurge, maxUnavailable, resolveFenceposts, scaledValue } from './fenceposts.ts';
import type { Deployment } from './types.ts';

const rolling = (replicas: number, surge: number | string, unavailable: number | string): Deployment => ({
  spec: { replicas, selector: {}, template: {}, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } },
});

describe('fenceposts', () => {
  it.each([
    ['25%', 10, true, 3], ['25%', 10, false, 2], ['25%', 3, true, 1], ['25%', 3, false, 0],
    ['100%', 7, false, 7], ['0%', 5, true, 0], [4, 10, false, 4],
  ] as const)('scaledValue(%j of %d, roundUp %s) = %d', (value, total, up, want) => {
    expect(scaledValue(value, total, up)).toBe(want);
  });

  it('rejects a string that is not a percentage', () => {
    expect(() => scaledValue('5', 10, true)).toThrow('string is not a percentage');
  });

  it.each([
    // ResolveFenceposts' own examples: both rounding to 0 leaves one pod unavailable.
    [0, '1%', 2, [0, 1]], [0, '1%', 1, [0, 1]], ['1%', '25%', 2, [1, 0]], ['1%', 0, 1, [1, 0]], [0, 0, 5, [0, 1]],
    ['25%', '25%', 10, [3, 2]], ['25%', '25%', 3, [1, 0]],
  ] as const)('resolveFenceposts(surge %j, unavailable %j, %d)', (surge, unavailable, desired, want) => {
    expect(resolveFenceposts(surge, unavailable, desired)).toEqual(want);
  });

  it('MaxUnavailable is capped at spec.replicas and 0 for no replicas or Recreate', () => {
    expect(maxUnavailable(rolling(2, 0, 5))).toBe(2);
    expect(maxUnavailable(rolling(0, 1, 1))).toBe(0);
    expect(maxSurge(rolling(10, '25%', '25%'))).toBe(3);
    const recreate: Deployment = { spec: { replicas: 3, selector: {}, template: {}, strategy: { type: 'Recreate' } } };
    expect(maxSurge(recreate)).toBe(0);
    expect(maxUnavailable(recreate)).toBe(0);
  });
});
