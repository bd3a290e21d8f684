import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/index.ts';
import { serviceStrategy } from './strategy.ts';

const ctx = { now: new Date(0) };

function create(spec: Record<string, unknown>, name = 'web'): KubeObject {
  const s: KubeObject = { metadata: { name, namespace: 'default' }, spec };
  serviceStrategy.applyDefaults?.(s);
  serviceStrategy.prepareForCreate?.(s, ctx);
  return s;
}

function messages(errs: { field: string; detail: string }[] | undefined): string[] {
  return (errs ?? []).map((e) => `${e.field}: ${e.detail}`);
}

describe('serviceStrategy', () => {
  it('applies the defaults', () => {
    const s = create({ selector: { app: 'web' }, ports: [{ port: 80 }] });
    expect(s.spec).toEqual({
      selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], sessionAffinity: 'None', type: 'ClusterIP',
      internalTrafficPolicy: 'Cluster', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'],
    });
    expect(s.status).toEqual({ loadBalancer: {} });
    expect(serviceStrategy.validate?.(s)).toEqual([]);
  });

  it('defaults externally accessible services', () => {
    const s = create({ type: 'LoadBalancer', ports: [{ port: 80, targetPort: 'http' }] });
    expect(s.spec).toMatchObject({ externalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true, internalTrafficPolicy: 'Cluster' });
  });

  it('makes headless selectorless services dual-stack capable', () => {
    const s = create({ clusterIP: 'None' });
    expect(s.spec).toMatchObject({ clusterIP: 'None', clusterIPs: ['None'], ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'] });
    expect(serviceStrategy.validate?.(s)).toEqual([]);
  });

  it.each([
    [{ selector: { app: 'a' } }, 'web', ['spec.ports: Required value']],
    [{ ports: [{ port: 80, name: 'a' }, { port: 81 }] }, 'web', ['spec.ports[1].name: Required value']],
    [{ ports: [{ port: 0 }] }, 'web', ['spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive']],
    [{ ports: [{ port: 80, nodePort: 30080 }] }, 'web', ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]],
    [{ type: 'ExternalName' }, 'web', ['spec.externalName: Required value']],
    [{ type: 'Magic', ports: [{ port: 80 }] }, 'web',
      ['spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']],
    [{ ports: [{ port: 80 }] }, '1web', ["metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"]],
  ])('%j (%s) is invalid', (spec, name, want) => {
    expect(messages(serviceStrategy.validate?.(create(spec, name)))).toEqual(want);
  });

  it('keeps allocated values the update omits', () => {
    const old = create({ type: 'NodePort', ports: [{ name: 'http', port: 80 }] });
    Object.assign(old.spec as object, { clusterIP: '10.96.0.9', clusterIPs: ['10.96.0.9'] });
    (old.spec as { ports: { nodePort?: number }[] }).ports[0]!.nodePort = 30123;
    const next: KubeObject = { metadata: { name: 'web', namespace: 'default' }, spec: { type: 'NodePort', ports: [{ name: 'http', port: 80 }] } };
    serviceStrategy.applyDefaults?.(next);
    serviceStrategy.prepareForUpdate?.(next, old, ctx);
    expect(next.spec).toMatchObject({ clusterIP: '10.96.0.9', clusterIPs: ['10.96.0.9'], ipFamilyPolicy: 'SingleStack', ports: [{ nodePort: 30123 }] });
    expect(serviceStrategy.validateUpdate?.(next, old)).toEqual([]);
  });

  it('drops type-dependent fields when switching to ExternalName and forbids changing the cluster IP', () => {
    const old = create({ ports: [{ port: 80 }] });
    Object.assign(old.spec as object, { clusterIP: '10.96.0.9', clusterIPs: ['10.96.0.9'] });
    const ext = structuredClone(old);
    Object.assign(ext.spec as object, { type: 'ExternalName', externalName: 'example.com' });
    serviceStrategy.applyDefaults?.(ext);
    serviceStrategy.prepareForUpdate?.(ext, old, ctx);
    expect(ext.spec).not.toHaveProperty('clusterIP');
    expect(ext.spec).not.toHaveProperty('ipFamilies');
    expect(serviceStrategy.validateUpdate?.(ext, old)).toEqual([]);
    const moved = structuredClone(old);
    Object.assign(moved.spec as object, { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] });
    expect(messages(serviceStrategy.validateUpdate?.(moved, old))).toEqual(['spec.clusterIPs[0]: Invalid value: "10.96.0.10": may not change once set']);
  });

  it('exposes field selectors', () => {
    const s = create({ type: 'NodePort', ports: [{ port: 80 }] });
    expect(serviceStrategy.getAttrs?.(s)).toEqual({ 'spec.clusterIP': '', 'spec.type': 'NodePort' });
  });
});
