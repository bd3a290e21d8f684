/**
 * Pod addresses: each simulated node gets its own /24 (by default) of the cluster CIDR, as the
 * node-ipam controller would hand out (pkg/controller/nodeipam, the range allocator), and each
 * pod on it an address from that block, unique while the pod lives (the CNI's host-local IPAM:
 * the network and the gateway address .1 are never handed out).
 */
import ipaddr from 'ipaddr.js';

export interface Cidr { base: number; prefix: number }

/** An IPv4 CIDR, normalised to its network address; undefined when it is not one. */
export function parseCidr(text: string): Cidr | undefined {
  try {
    const [addr, prefix] = ipaddr.IPv4.parseCIDR(text);
    const base = toInt(addr.toString()) & mask(prefix);
    return { base: base >>> 0, prefix };
  } catch {
    return undefined;
  }
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
}

function toInt(ip: string): number {
  return ip.split('.').reduce((n, octet) => (n * 256) + Number(octet), 0);
}

export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => (n >>> shift) & 0xff).join('.');
}

export function formatCidr(c: Cidr): string {
  return `${intToIp(c.base)}/${c.prefix}`;
}

/** The `index`-th block of `maskSize` bits inside `cluster` (index 0 is the first). */
export function nodeCidr(cluster: Cidr, maskSize: number, index: number): Cidr {
  const size = 2 ** (32 - maskSize);
  return { base: (cluster.base + index * size) >>> 0, prefix: maskSize };
}

/** Hands out the addresses of one node's pod CIDR: .2 upwards, skipping those in use. */
export class PodIpAllocator {
  private readonly used = new Set<number>();
  private next = 2;
  private readonly size: number;

  constructor(private readonly cidr: Cidr) {
    this.size = 2 ** (32 - cidr.prefix);
  }

  /** A free address, or undefined when the block is full. */
  allocate(): string | undefined {
    const usable = this.size - 3; // network, gateway, broadcast
    for (let tried = 0; tried < usable; tried++) {
      const offset = this.next;
      this.next = this.next + 1 >= this.size - 1 ? 2 : this.next + 1;
      if (!this.used.has(offset)) {
        this.used.add(offset);
        return intToIp(this.cidr.base + offset);
      }
    }
    return undefined;
  }

  /** Marks an address as taken (a pod that already had it before a restart); false when outside the block. */
  claim(ip: string): boolean {
    const offset = toInt(ip) - this.cidr.base;
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip) || offset < 0 || offset >= this.size) return false;
    this.used.add(offset);
    return true;
  }

  release(ip: string): void {
    this.used.delete(toInt(ip) - this.cidr.base);
  }
}
