import { describe, expect, it } from 'vitest';
import { humanDuration, translateTimestampSince } from './duration.ts';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('humanDuration', () => {
  it.each([
    [-2 * s, '<invalid>'],
    [-1 * s, '0s'],
    [-500, '0s'],
    [0, '0s'],
    [999, '0s'],
    [5 * s, '5s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [3 * m + 2 * s, '3m2s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m + 30 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [2 * h + 5 * m, '125m'],
    [3 * h + 5 * m, '3h5m'],
    [7 * h + 59 * m, '7h59m'],
    [8 * h + 30 * m, '8h'],
    [47 * h, '47h'],
    [48 * h, '2d'],
    [2 * d + 3 * h, '2d3h'],
    [7 * d + 23 * h, '7d23h'],
    [8 * d + 2 * h, '8d'],
    [729 * d, '729d'],
    [730 * d, '2y'],
    [365 * 3 * d + 20 * d, '3y20d'],
    [365 * 8 * d + 5 * d, '8y'],
    [365 * 12 * d, '12y'],
  ])('%d ms → %s', (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });
});

describe('translateTimestampSince', () => {
  const now = new Date('2024-05-01T12:00:00Z');
  it.each([
    [undefined, '<unknown>'],
    ['', '<unknown>'],
    ['not a time', '<unknown>'],
    ['2024-05-01T11:59:55Z', '5s'],
    ['2024-05-01T11:59:59.500000Z', '0s'],
    ['2024-04-29T09:00:00Z', '2d3h'],
    ['2024-05-01T12:00:10Z', '<invalid>'],
  ])('%s → %s', (ts, want) => {
    expect(translateTimestampSince(ts, now)).toBe(want);
  });
});
