import { describe, expect, it } from 'vitest';
import { formatGoDuration, parseGoDuration } from './go-duration.ts';

describe('Go durations', () => {
  it.each([
    [0n, '0s'], [1n, '1ns'], [1_500n, '1.5µs'], [300_000_000n, '300ms'], [1_500_000_000n, '1.5s'],
    [90_000_000_000n, '1m30s'], [3_600_000_000_000n, '1h0m0s'], [-5_000_000_000n, '-5s'], [100_000_000_000_000n, '27h46m40s'],
  ])('%d ns prints as %s and parses back', (nanos, text) => {
    expect(formatGoDuration(nanos)).toBe(text);
    expect(parseGoDuration(text)).toBe(nanos);
  });

  it('parses what time.ParseDuration accepts and rejects the rest', () => {
    expect(parseGoDuration('1h30m')).toBe(5_400_000_000_000n);
    expect(parseGoDuration('.5s')).toBe(500_000_000n);
    expect(parseGoDuration('2us')).toBe(2_000n);
    expect(parseGoDuration('0')).toBe(0n);
    for (const bad of ['', '1', 'h', '1d', '1.s.', '--1s']) expect(parseGoDuration(bad)).toBeUndefined();
  });
});
