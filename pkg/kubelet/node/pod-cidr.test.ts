import { describe, expect, it } from 'vitest';
import { formatCidr, nodeCidr, parseCidr, PodIpAllocator } from './pod-cidr.ts';

describe('pod CIDRs', () => {
  it.each([
    ['10.244.0.0/16', 24, 0, '10.244.0.0/24'],
    ['10.244.0.0/16', 24, 2, '10.244.2.0/24'],
    ['10.244.7.9/16', 26, 5, '10.244.1.64/26'],
  ])('%s /%i block %i is %s', (cluster, mask, index, want) => {
    expect(formatCidr(nodeCidr(parseCidr(cluster)!, mask, index))).toBe(want);
  });

  it('refuses what is not an IPv4 CIDR', () => {
    expect(parseCidr('10.244.0.0')).toBeUndefined();
    expect(parseCidr('fd00::/8')).toBeUndefined();
  });

  it('hands out unique addresses from .2, reuses released ones, and stops when full', () => {
    const alloc = new PodIpAllocator(parseCidr('10.0.0.0/29')!);
    expect(alloc.claim('10.0.0.3')).toBe(true);
    const got = [alloc.allocate(), alloc.allocate(), alloc.allocate(), alloc.allocate()];
    expect(got).toEqual(['10.0.0.2', '10.0.0.4', '10.0.0.5', '10.0.0.6']);
    expect(alloc.allocate()).toBeUndefined();
    alloc.release('10.0.0.4');
    expect(alloc.allocate()).toBe('10.0.0.4');
    expect(alloc.claim('10.0.1.3')).toBe(false);
  });
});
