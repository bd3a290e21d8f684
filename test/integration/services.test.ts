/**
 * Service address allocation against real etcd: ClusterIPs from 10.96.0.0/12 and NodePorts from
 * 30000-32767, unique, honoured when requested, rejected with the real message when taken, and
 * released when the service goes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { collectionPath, createNamespace, entryFor, objectPath, type Obj } from './support/fixtures.ts';

let server: TestServer;
const ns = 'svc';
const services = entryFor('services');

beforeAll(async () => {
  server = await startTestServer();
  await createNamespace(server, ns);
});
afterAll(async () => { await server?.close(); });

function service(name: string, spec: Record<string, unknown> = {}): Obj {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 80, protocol: 'TCP' }], selector: { app: name }, ...spec } };
}

async function post(obj: Obj): Promise<{ status: number; body: Record<string, any> }> {
  const res = await server.request.post(collectionPath(services, ns)).send(obj);
  return { status: res.status, body: res.body };
}

function inServiceRange(ip: string): boolean {
  const [a, b, c, d] = ip.split('.').map(Number) as [number, number, number, number];
  const n = ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
  const base = ((10 << 24) >>> 0) + (96 << 16);
  return n > base + 1 && n < base + 2 ** 20 - 1;
}

describe('ClusterIP', () => {
  it('allocates distinct addresses from the service range, with the real defaults', async () => {
    const ips = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const res = await post(service(`auto-${i}`));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const spec = res.body.spec;
      expect(inServiceRange(spec.clusterIP), spec.clusterIP).toBe(true);
      expect(spec.clusterIPs).toEqual([spec.clusterIP]);
      expect(spec.type).toBe('ClusterIP');
      expect(spec.ipFamilies).toEqual(['IPv4']);
      expect(spec.ipFamilyPolicy).toBe('SingleStack');
      expect(spec.sessionAffinity).toBe('None');
      expect(spec.internalTrafficPolicy).toBe('Cluster');
      expect(spec.ports[0].targetPort).toBe(80);
      ips.add(spec.clusterIP);
    }
    expect(ips.size).toBe(5);
    expect(ips.has('10.96.0.1')).toBe(false);
  });

  it('honours a requested address and rejects it while taken', async () => {
    const first = await post(service('wants-ip', { clusterIP: '10.96.5.5' }));
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.spec.clusterIP).toBe('10.96.5.5');
    expect(first.body.spec.clusterIPs).toEqual(['10.96.5.5']);

    const second = await post(service('same-ip', { clusterIP: '10.96.5.5' }));
    expect(second.status).toBe(422);
    expect(second.body).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Invalid', code: 422,
      message: 'Service "same-ip" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.5.5"}: failed to allocate IP 10.96.5.5: provided IP is already allocated',
      details: {
        name: 'same-ip', kind: 'Service',
        causes: [{ reason: 'FieldValueInvalid', field: 'spec.clusterIPs',
          message: 'Invalid value: []string{"10.96.5.5"}: failed to allocate IP 10.96.5.5: provided IP is already allocated' }],
      },
    });
    expect((await server.request.get(objectPath(services, ns, 'same-ip'))).status).toBe(404);
  });

  it('releases the address on delete so it can be requested again', async () => {
    const del = await server.request.delete(objectPath(services, ns, 'wants-ip'));
    expect(del.status).toBe(200);
    expect(del.body.kind).toBe('Service');
    const again = await post(service('wants-ip-again', { clusterIP: '10.96.5.5' }));
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.body.spec.clusterIP).toBe('10.96.5.5');
  });

  it('a failed create does not leak the address it reserved', async () => {
    // Invalid for another reason (bad port) after asking for a free address: the address stays free.
    const bad = await post(service('bad-port', { clusterIP: '10.96.7.7', ports: [{ port: 0 }] }));
    expect(bad.status).toBe(422);
    const good = await post(service('takes-7-7', { clusterIP: '10.96.7.7' }));
    expect(good.status, JSON.stringify(good.body)).toBe(201);
  });

  it('rejects an address outside the range', async () => {
    const res = await post(service('outside', { clusterIP: '192.168.1.1' }));
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('Service "outside" is invalid: spec.clusterIPs: Invalid value: []string{"192.168.1.1"}: failed to allocate IP 192.168.1.1: provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12');
  });

  it('headless services get clusterIP None and no address', async () => {
    const res = await post(service('headless', { clusterIP: 'None' }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.spec.clusterIP).toBe('None');
    expect(res.body.spec.clusterIPs).toEqual(['None']);
  });

  it('clusterIP is immutable on update', async () => {
    const current = (await server.request.get(objectPath(services, ns, 'auto-0'))).body as Record<string, any>;
    current.spec.clusterIP = '10.96.9.9';
    current.spec.clusterIPs = ['10.96.9.9'];
    const res = await server.request.put(objectPath(services, ns, 'auto-0')).send(current);
    expect(res.status).toBe(422);
    expect(res.body.details.causes.map((c: { field: string }) => c.field)).toContain('spec.clusterIPs[0]');
  });
});

describe('NodePort', () => {
  it('allocates a port in 30000-32767 for each port of a NodePort service', async () => {
    const res = await post(service('np', { type: 'NodePort', ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }] }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const ports = (res.body.spec.ports as { nodePort: number }[]).map((p) => p.nodePort);
    expect(ports).toHaveLength(2);
    for (const p of ports) expect(p >= 30000 && p <= 32767, String(p)).toBe(true);
    expect(new Set(ports).size).toBe(2);
    expect(res.body.spec.externalTrafficPolicy).toBe('Cluster');
  });

  it('honours a requested nodePort, rejects it while taken, frees it on delete', async () => {
    const first = await post(service('np-fixed', { type: 'NodePort', ports: [{ port: 80, nodePort: 31000 }] }));
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.spec.ports[0].nodePort).toBe(31000);
    const clash = await post(service('np-clash', { type: 'NodePort', ports: [{ port: 80, nodePort: 31000 }] }));
    expect(clash.status).toBe(422);
    expect(clash.body.message).toBe('Service "np-clash" is invalid: spec.ports[0].nodePort: Invalid value: 31000: provided port is already allocated');
    expect((await server.request.delete(objectPath(services, ns, 'np-fixed'))).status).toBe(200);
    const after = await post(service('np-clash', { type: 'NodePort', ports: [{ port: 80, nodePort: 31000 }] }));
    expect(after.status, JSON.stringify(after.body)).toBe(201);
  });

  it('rejects a nodePort outside the range', async () => {
    const res = await post(service('np-out', { type: 'NodePort', ports: [{ port: 80, nodePort: 20000 }] }));
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('Service "np-out" is invalid: spec.ports[0].nodePort: Invalid value: 20000: provided port is not in the valid range. The range of valid ports is 30000-32767');
  });
});
