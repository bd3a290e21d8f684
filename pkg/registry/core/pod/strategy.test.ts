import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/index.ts';
import { podStrategy } from './strategy.ts';
import { computeQOS } from './qos.ts';
import { imageTag } from './defaults.ts';

const ctx = { now: new Date('2024-01-01T00:00:00Z') };

function pod(spec: Record<string, unknown>, meta: Record<string, unknown> = { name: 'p', namespace: 'default' }): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec };
}

function created(spec: Record<string, unknown>): KubeObject {
  const p = pod(spec);
  podStrategy.applyDefaults?.(p);
  podStrategy.prepareForCreate?.(p, ctx);
  return p;
}

function messages(errs: { field: string; detail: string }[]): string[] {
  return errs.map((e) => `${e.field}: ${e.detail}`);
}

describe('podStrategy defaults', () => {
  it('fills the API defaults (the admission plugins add service account, priority and tolerations)', () => {
    const p = created({ containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] });
    expect(p.spec).toEqual({
      containers: [{
        name: 'c', image: 'nginx', imagePullPolicy: 'Always', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: {},
        terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File',
      }],
      dnsPolicy: 'ClusterFirst', enableServiceLinks: true,
      restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {}, terminationGracePeriodSeconds: 30,
    });
    expect(p.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it.each([
    ['nginx', 'latest'], ['nginx:1.25', '1.25'], ['registry:5000/app', 'latest'], ['registry:5000/app:v1', 'v1'],
    ['nginx@sha256:abc', ''], ['Nginx', ''],
  ])('image %s has tag %j', (image, tag) => {
    expect(imageTag(image)).toBe(tag);
  });

  it('pull policy follows the tag', () => {
    const p = created({ containers: [{ name: 'c', image: 'nginx:1.25' }] });
    expect((p.spec as { containers: { imagePullPolicy: string }[] }).containers[0]?.imagePullPolicy).toBe('IfNotPresent');
  });

  it('requests default to limits and the QoS class follows', () => {
    const p = created({ containers: [{ name: 'c', image: 'i', resources: { limits: { cpu: '1', memory: '1Gi' } } }] });
    expect((p.spec as { containers: { resources: unknown }[] }).containers[0]?.resources)
      .toEqual({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } });
    expect((p.status as { qosClass: string }).qosClass).toBe('Guaranteed');
  });
});

describe('computeQOS', () => {
  it.each([
    [[{ resources: {} }], 'BestEffort'],
    [[{ resources: { requests: { cpu: '100m' } } }], 'Burstable'],
    [[{ resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '0.5', memory: '1024Mi' } } }], 'Guaranteed'],
    [[{ resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '1Gi' } } }], 'Burstable'],
  ])('%j → %s', (containers, want) => {
    expect(computeQOS({ containers: containers.map((c) => ({ name: 'c', ...c })) })).toBe(want);
  });
});

describe('podStrategy validation', () => {
  const valid = { name: 'c', image: 'nginx' };
  it.each([
    [{ containers: [] }, ['spec.containers: Required value']],
    [{ containers: [{ name: 'c' }] }, ['spec.containers[0].image: Required value']],
    [{ containers: [{ image: 'x' }] }, ['spec.containers[0].name: Required value']],
    [{ containers: [valid, valid] }, ['spec.containers[1].name: Duplicate value: "c"']],
    [{ containers: [{ ...valid, ports: [{ containerPort: 70000 }] }] },
      ['spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive']],
    [{ containers: [{ ...valid, ports: [{ containerPort: 80, protocol: 'HTTP' }] }] },
      ['spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"']],
    [{ containers: [valid], restartPolicy: 'Sometimes' },
      ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"']],
    [{ containers: [{ ...valid, resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }] },
      ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1']],
    [{ containers: [{ ...valid, volumeMounts: [{ name: 'data', mountPath: '/d' }] }] },
      ['spec.containers[0].volumeMounts[0].name: Not found: "data"']],
  ])('%j', (spec, want) => {
    const p = pod(spec);
    podStrategy.applyDefaults?.(p);
    podStrategy.prepareForCreate?.(p, ctx);
    expect(messages(podStrategy.validate?.(p) ?? [])).toEqual(want);
  });

  it('requires a name', () => {
    const p = pod({ containers: [valid] }, { namespace: 'default' });
    podStrategy.applyDefaults?.(p);
    expect(messages(podStrategy.validate?.(p) ?? [])).toEqual(['metadata.name: Required value: name or generateName is required']);
  });

  it('allows image updates and rejects other spec changes', () => {
    const old = created({ containers: [valid], nodeName: 'n1' });
    const next = structuredClone(old);
    (next.spec as { containers: { image: string }[] }).containers[0]!.image = 'nginx:2';
    expect(podStrategy.validateUpdate?.(next, old)).toEqual([]);
    (next.spec as { nodeName: string }).nodeName = 'n2';
    const errs = podStrategy.validateUpdate?.(next, old) ?? [];
    expect(errs).toHaveLength(1);
    expect(errs[0]?.field).toBe('spec');
    expect(errs[0]?.detail).toMatch(/^Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`,`spec.initContainers\[\*\].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` \(only additions to existing tolerations\),`spec.terminationGracePeriodSeconds` \(allow it to be set to 1 if it was previously negative\)\n  core.PodSpec\{/);
    expect(errs[0]?.detail).toContain('- \tNodeName: "n1",\n+ \tNodeName: "n2",');
  });

  it('rejects adding containers', () => {
    const old = created({ containers: [valid] });
    const next = structuredClone(old);
    (next.spec as { containers: unknown[] }).containers.push({ ...valid, name: 'd' });
    podStrategy.applyDefaults?.(next);
    expect(messages(podStrategy.validateUpdate?.(next, old) ?? [])).toEqual(['spec.containers: Forbidden: pod updates may not add or remove containers']);
  });
});

describe('podStrategy attrs and deletion', () => {
  it('exposes the field selector fields', () => {
    const p = created({ containers: [{ name: 'c', image: 'i' }], nodeName: 'n1', serviceAccountName: 'default' });
    p.status = { phase: 'Running', podIPs: [{ ip: '10.0.0.5' }], podIP: '10.0.0.5' };
    expect(podStrategy.getAttrs?.(p)).toEqual({
      'spec.nodeName': 'n1', 'spec.restartPolicy': 'Always', 'spec.schedulerName': 'default-scheduler',
      'spec.serviceAccountName': 'default', 'spec.hostNetwork': 'false', 'status.phase': 'Running',
      'status.podIP': '10.0.0.5', 'status.nominatedNodeName': '',
    });
  });

  it.each([
    [{ nodeName: 'n' }, undefined, 30],
    [{ nodeName: 'n' }, 5, 5],
    [{}, 5, 0],
    [{ nodeName: 'n' }, -3, 1],
  ])('grace period for %j requested %s is %d', (extra, requested, want) => {
    const p = created({ containers: [{ name: 'c', image: 'i' }], ...extra });
    expect(podStrategy.gracePeriod?.(p, requested)).toBe(want);
  });

  it('keeps the QoS class on status updates', () => {
    const old = created({ containers: [{ name: 'c', image: 'i' }] });
    const next = structuredClone(old);
    next.status = { phase: 'Running' };
    podStrategy.status?.prepareForUpdate?.(next, old, ctx);
    expect(next.status).toEqual({ phase: 'Running', qosClass: 'BestEffort' });
  });
});
