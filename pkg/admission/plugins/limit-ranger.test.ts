import { describe, expect, it } from 'vitest';
import type { LimitRange, Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import { mutatePod, validateClaim, validatePod } from './limit-ranger.ts';

const lr = (limits: NonNullable<LimitRange['spec']>['limits']): LimitRange => ({ metadata: { name: 'lr' }, spec: { limits } });
const container = (name: string, resources: Record<string, Record<string, string>> = {}) => ({ name, image: 'x', resources });
const spec = (...containers: ReturnType<typeof container>[]): PodSpec => ({ containers });

describe('LimitRanger defaults', () => {
  const ranges = lr([{ type: 'Container', default: { cpu: '500m', memory: '512Mi' }, defaultRequest: { cpu: '100m', memory: '256Mi' } }]);

  it('fills missing limits and requests and says so in an annotation', () => {
    const pod: Pod = { metadata: { name: 'p' }, spec: spec(container('a'), container('b', { limits: { cpu: '1' } })) };
    mutatePod(ranges, pod);
    expect(pod.spec!.containers[0]!.resources).toEqual({ limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '100m', memory: '256Mi' } });
    // The user's limit also stands for the request (SetDefaults_Pod runs before admission upstream).
    expect(pod.spec!.containers[1]!.resources).toEqual({ limits: { cpu: '1', memory: '512Mi' }, requests: { cpu: '1', memory: '256Mi' } });
    expect(pod.metadata!.annotations).toEqual({
      'kubernetes.io/limit-ranger': 'LimitRanger plugin set: cpu, memory request for container a; cpu, memory limit for container a; '
        + 'memory request for container b; memory limit for container b',
    });
  });

  it('adds no annotation when nothing was missing', () => {
    const full = { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } };
    const pod: Pod = { metadata: { name: 'p' }, spec: spec(container('a', full)) };
    mutatePod(ranges, pod);
    expect(pod.metadata!.annotations).toBeUndefined();
  });

  it('names init containers as such', () => {
    const pod: Pod = { metadata: { name: 'p' }, spec: { containers: [], initContainers: [container('i', { limits: { cpu: '1', memory: '1Gi' } })] } };
    mutatePod(lr([{ type: 'Container', default: { cpu: '2' }, defaultRequest: { cpu: '2' } }]), pod);
    expect(pod.metadata!.annotations).toBeUndefined();
    mutatePod(lr([{ type: 'Container', default: { 'ephemeral-storage': '1Gi' }, defaultRequest: { 'ephemeral-storage': '1Gi' } }]), pod);
    expect(pod.metadata!.annotations!['kubernetes.io/limit-ranger'])
      .toBe('LimitRanger plugin set: ephemeral-storage request for init container i; ephemeral-storage limit for init container i');
  });
});

describe('LimitRanger validation', () => {
  const minMax = lr([{ type: 'Container', min: { cpu: '100m', memory: '128Mi' }, max: { cpu: '500m', memory: '1Gi' } }]);

  it('accepts a container inside min and max', () => {
    expect(validatePod(minMax, spec(container('a', { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '0.5', memory: '1Gi' } })))).toEqual([]);
  });

  it('reports every violation of a container, min before max', () => {
    expect(validatePod(minMax, spec(container('a', { requests: { cpu: '50m' }, limits: { cpu: '1', memory: '2Gi' } })))).toEqual([
      'minimum cpu usage per Container is 100m, but request is 50m',
      'minimum memory usage per Container is 128Mi.  No request is specified',
      'maximum cpu usage per Container is 500m, but limit is 1',
      'maximum memory usage per Container is 1Gi, but limit is 2Gi',
    ]);
  });

  it('needs a limit under max', () => {
    expect(validatePod(lr([{ type: 'Container', max: { cpu: '1' } }]), spec(container('a', { requests: { cpu: '2' } })))).toEqual([
      'maximum cpu usage per Container is 1.  No limit is specified',
    ]);
  });

  it('checks maxLimitRequestRatio', () => {
    const ratio = lr([{ type: 'Container', maxLimitRequestRatio: { cpu: '2' } }]);
    expect(validatePod(ratio, spec(container('a', { requests: { cpu: '250m' }, limits: { cpu: '1' } })))).toEqual([
      'cpu max limit to request ratio per Container is 2, but provided ratio is 4.000000',
    ]);
    expect(validatePod(ratio, spec(container('a', { limits: { cpu: '1' } })))).toEqual([
      'cpu max limit to request ratio per Container is 2, but no request is specified or request is 0',
    ]);
    expect(validatePod(ratio, spec(container('a', { requests: { cpu: '500m' }, limits: { cpu: '1' } })))).toEqual([]);
  });

  it('sums containers for Pod limits and takes the largest init container', () => {
    const pod = lr([{ type: 'Pod', max: { cpu: '1' } }]);
    const two = spec(container('a', { requests: { cpu: '600m' }, limits: { cpu: '600m' } }), container('b', { requests: { cpu: '600m' }, limits: { cpu: '600m' } }));
    expect(validatePod(pod, two)).toEqual([
      'maximum cpu usage per Pod is 1, but limit is 1200m',
    ]);
    const withInit: PodSpec = { ...spec(container('a', { limits: { cpu: '500m' }, requests: { cpu: '500m' } })), initContainers: [container('i', { limits: { cpu: '2' }, requests: { cpu: '2' } })] };
    expect(validatePod(pod, withInit)).toEqual(['maximum cpu usage per Pod is 1, but limit is 2']);
  });

  it('bounds PersistentVolumeClaim storage requests', () => {
    const storage = lr([{ type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '2Gi' } }]);
    const claim = (size: string) => ({ spec: { resources: { requests: { storage: size } } } });
    expect(validateClaim(storage, claim('1Gi'))).toEqual([]);
    expect(validateClaim(storage, claim('500Mi'))).toEqual(['minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi']);
    expect(validateClaim(storage, claim('3Gi'))).toEqual(['maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 3Gi']);
  });
});
