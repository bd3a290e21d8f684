import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/index.ts';
import { StatusError } from '../../../apierrors/index.ts';
import {
  allocateServiceAddresses, releaseServiceAddresses, releaseServiceAddressesNotIn, serviceAddressKeys, type Reservations,
} from './ip-allocator.ts';

class MemoryReservations implements Reservations {
  readonly keys = new Set<string>();
  async reserve(key: string): Promise<boolean> {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    return true;
  }
  async release(key: string): Promise<void> {
    this.keys.delete(key);
  }
}

const cfg = { serviceCIDR: '10.96.0.0/12', nodePortRange: [30000, 32767] as [number, number] };
const small = { serviceCIDR: '10.0.0.0/29', nodePortRange: [30000, 30002] as [number, number] };

function svc(spec: Record<string, unknown>, name = 's'): KubeObject {
  return { metadata: { name, namespace: 'default' }, spec: { type: 'ClusterIP', ports: [{ port: 80, protocol: 'TCP' }], ...spec } };
}

async function invalidMessage(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(StatusError);
    expect((err as StatusError).code).toBe(422);
    return err instanceof Error ? err.message : String(err);
  }
  throw new Error('expected an error');
}

describe('allocateServiceAddresses', () => {
  it('assigns unique addresses inside the range, never network, .1 or broadcast', async () => {
    const r = new MemoryReservations();
    const seen = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const s = svc({}, `s${i}`);
      await allocateServiceAddresses(s, undefined, small, r);
      const ip = (s.spec as { clusterIP: string }).clusterIP;
      expect(['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']).toContain(ip);
      expect((s.spec as { clusterIPs: string[] }).clusterIPs).toEqual([ip]);
      seen.add(ip);
    }
    expect(seen.size).toBe(5);
    const full = svc({}, 'full');
    await expect(allocateServiceAddresses(full, undefined, small, r)).rejects.toThrow('Internal error occurred: failed to allocate a serviceIP: range is full');
  });

  it('honours a requested IP and rejects a taken or out-of-range one', async () => {
    const r = new MemoryReservations();
    const a = svc({ clusterIP: '10.96.0.5' });
    await allocateServiceAddresses(a, undefined, cfg, r);
    expect(r.keys.has('clusterip/10.96.0.5')).toBe(true);
    expect(await invalidMessage(allocateServiceAddresses(svc({ clusterIP: '10.96.0.5' }, 'b'), undefined, cfg, r)))
      .toBe('Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.5"}: failed to allocate IP 10.96.0.5: provided IP is already allocated');
    expect(await invalidMessage(allocateServiceAddresses(svc({ clusterIP: '192.168.0.1' }, 'c'), undefined, cfg, r)))
      .toBe('Service "c" is invalid: spec.clusterIPs: Invalid value: []string{"192.168.0.1"}: failed to allocate IP 192.168.0.1: provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12');
  });

  it('lets the kubernetes Service ask for the first address', async () => {
    const r = new MemoryReservations();
    const k = svc({ clusterIP: '10.96.0.1' }, 'kubernetes');
    await allocateServiceAddresses(k, undefined, cfg, r);
    expect((k.spec as { clusterIPs: string[] }).clusterIPs).toEqual(['10.96.0.1']);
  });

  it('skips headless and ExternalName services', async () => {
    const r = new MemoryReservations();
    const headless = svc({ clusterIP: 'None', selector: { app: 'a' } });
    await allocateServiceAddresses(headless, undefined, cfg, r);
    const ext = svc({ type: 'ExternalName', externalName: 'example.com', ports: [] }, 'e');
    await allocateServiceAddresses(ext, undefined, cfg, r);
    expect(r.keys.size).toBe(0);
    expect((headless.spec as { ipFamilies: string[] }).ipFamilies).toEqual(['IPv4']);
  });

  it('allocates node ports, shares one per port number, honours and rejects requests', async () => {
    const r = new MemoryReservations();
    const np = svc({ type: 'NodePort', ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }, { port: 80, protocol: 'TCP', nodePort: 30080 }] });
    await allocateServiceAddresses(np, undefined, cfg, r);
    const ports = (np.spec as { ports: { nodePort: number }[] }).ports;
    expect(ports[0]?.nodePort).toBe(ports[1]?.nodePort);
    expect(ports[0]?.nodePort).toBeGreaterThanOrEqual(30000);
    expect(ports[2]?.nodePort).toBe(30080);
    expect(await invalidMessage(allocateServiceAddresses(svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }, 'x'), undefined, cfg, r)))
      .toBe('Service "x" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated');
    expect(await invalidMessage(allocateServiceAddresses(svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] }, 'y'), undefined, cfg, r)))
      .toBe('Service "y" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767');
  });

  it('gives back what a failing call reserved', async () => {
    const r = new MemoryReservations();
    await r.reserve('nodeport/30001');
    const s = svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 30001 }] });
    await expect(allocateServiceAddresses(s, undefined, cfg, r)).rejects.toThrow(/already allocated/);
    expect([...r.keys]).toEqual(['nodeport/30001']);
  });

  it('keeps addresses across updates and releases the ones no longer used', async () => {
    const r = new MemoryReservations();
    const old = svc({ type: 'NodePort' });
    await allocateServiceAddresses(old, undefined, cfg, r);
    const before = new Set(r.keys);
    const same = structuredClone(old);
    await allocateServiceAddresses(same, old, cfg, r);
    expect(r.keys).toEqual(before);
    const toClusterIP = structuredClone(old);
    (toClusterIP.spec as { type: string }).type = 'ClusterIP';
    delete (toClusterIP.spec as { ports: { nodePort?: number }[] }).ports[0]!.nodePort;
    await allocateServiceAddresses(toClusterIP, old, cfg, r);
    expect([...r.keys]).toEqual(serviceAddressKeys(toClusterIP));
    await releaseServiceAddresses(toClusterIP, r);
    expect(r.keys.size).toBe(0);
  });

  it('releaseServiceAddressesNotIn releases only the difference', async () => {
    const r = new MemoryReservations();
    const a = svc({ clusterIP: '10.96.0.10', type: 'NodePort', ports: [{ port: 80, nodePort: 30010 }] });
    await allocateServiceAddresses(a, undefined, cfg, r);
    const b = svc({ clusterIP: '10.96.0.10' });
    await releaseServiceAddressesNotIn(a, b, r);
    expect([...r.keys]).toEqual(['clusterip/10.96.0.10']);
  });

  it('rejects dual-stack requests on this single-stack cluster', async () => {
    const r = new MemoryReservations();
    expect(await invalidMessage(allocateServiceAddresses(svc({ ipFamilyPolicy: 'RequireDualStack' }), undefined, cfg, r)))
      .toBe('Service "s" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services');
  });
});
