import { describe, expect, it } from 'vitest';
import { addQuantity, formatQuantity as quantityString, parseQuantity, quantityMilliValue, quantityValue } from './quantity.ts';

const str = (s: string) => quantityString(parseQuantity(s)!);

describe('Quantity.String()', () => {
  it.each([
    ['0.5', '500m'], ['1000m', '1'], ['1500m', '1500m'], ['1000', '1k'], ['1500', '1500'], ['100Mi', '100Mi'],
    ['1.5Gi', '1536Mi'], ['0.5Ki', '512'], ['1024', '1024'], ['1024Ki', '1Mi'], ['0', '0'], ['1e3', '1e3'], ['2e-3', '2e-3'], ['1M', '1M'],
    ['0.1', '100m'], ['100u', '100u'],
  ])('%s prints as %s', (input, want) => {
    expect(str(input)).toBe(want);
  });

  it('rounds up Value and MilliValue', () => {
    expect(quantityValue(parseQuantity('100m')!)).toBe(1n);
    expect(quantityMilliValue(parseQuantity('1n')!)).toBe(1n);
    expect(quantityMilliValue(parseQuantity('2')!)).toBe(2000n);
  });

  it('keeps the first operand format when adding (a zero one takes the other\'s)', () => {
    expect(quantityString(addQuantity(parseQuantity('0')!, parseQuantity('1Gi')!))).toBe('1Gi');
    expect(quantityString(addQuantity(parseQuantity('512Mi')!, parseQuantity('512Mi')!))).toBe('1Gi');
    expect(quantityString(addQuantity(parseQuantity('100m')!, parseQuantity('1Gi')!))).toBe('1073741824100m');
  });
});
