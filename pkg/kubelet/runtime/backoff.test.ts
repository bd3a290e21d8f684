import { describe, expect, it } from 'vitest';
import { Backoff, goDuration } from './backoff.ts';

describe('Backoff', () => {
  it('restarts the first crash at once, then waits 10s, 20s, 40s … up to 5m', () => {
    const b = new Backoff();
    let t = 0;
    expect(b.delay(t, t)).toBe(0);
    b.next(t);
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      t += 1000; // the container ran one second and crashed
      const wait = b.delay(t, t);
      waits.push(wait);
      t += wait;
      expect(b.delay(t - wait, t)).toBe(0);
      b.next(t - wait);
    }
    expect(waits).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  });

  it('starts over after running longer than twice the maximum', () => {
    const b = new Backoff();
    b.next(0);
    b.next(1000);
    expect(b.currentMs()).toBe(20_000);
    const later = 1000 + 600_001;
    expect(b.delay(later, later)).toBe(0);
    b.next(later);
    expect(b.currentMs()).toBe(10_000);
  });

  it.each([[10_000, '10s'], [80_000, '1m20s'], [300_000, '5m0s']])('formats %i ms as %s', (ms, want) => {
    expect(goDuration(ms)).toBe(want);
  });
});
