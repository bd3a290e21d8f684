import { describe, expect, it } from 'vitest';
import type { ResourceQuota } from 'kubernetes-types/core/v1.js';
import { checkRequest, QuotaDenied } from './check.ts';
import { formatQuantity, parseQuantity, parseResourceList, toWire, add } from './quantity.ts';
import { evaluatorFor } from './registry.ts';
import { calculateUsage } from './usage.ts';
import type { QuotaObject } from './types.ts';

const now = new Date('2025-01-01T00:00:00Z');
const pods = evaluatorFor({ group: '', resource: 'pods' });
const services = evaluatorFor({ group: '', resource: 'services' });

function pod(requests: Record<string, string> = {}, limits: Record<string, string> = {}, extra: Record<string, unknown> = {}): QuotaObject {
  return { metadata: { name: 'p', namespace: 'ns' }, spec: { containers: [{ name: 'c', image: 'x', resources: { requests, limits } }], ...extra } };
}

function quota(name: string, hard: Record<string, string>, used?: Record<string, string>, spec: Partial<NonNullable<ResourceQuota['spec']>> = {}): ResourceQuota {
  return { metadata: { name, namespace: 'ns', resourceVersion: '1' }, spec: { hard, ...spec }, status: { hard, used } };
}

describe('quantities', () => {
  it.each([
    ['500m', '500m'], ['0.5', '500m'], ['1000m', '1'], ['2000', '2k'], ['252Mi', '252Mi'], ['1024Mi', '1Gi'], ['1536Mi', '1536Mi'], ['30Gi', '30Gi'],
  ])('%s prints as %s', (input, want) => {
    expect(formatQuantity(parseQuantity(input)!)).toBe(want);
  });

  it('keeps the format of the first non-zero operand', () => {
    expect(toWire(add(parseResourceList({ memory: '0' }), parseResourceList({ memory: '252Mi' })))).toEqual({ memory: '252Mi' });
    expect(toWire(add(parseResourceList({ cpu: '500m' }), parseResourceList({ cpu: '500m' })))).toEqual({ cpu: '1' });
  });
});

describe('pod evaluator', () => {
  it('charges requests, limits, extended resources and the pod count', () => {
    const used = pods.usage(pod({ cpu: '500m', memory: '252Mi', 'ephemeral-storage': '30Gi', 'example.com/dongle': '2' }, { 'example.com/dongle': '2' }), now);
    expect(toWire(used)).toEqual({
      'count/pods': '1', pods: '1', cpu: '500m', 'requests.cpu': '500m', memory: '252Mi', 'requests.memory': '252Mi',
      'ephemeral-storage': '30Gi', 'requests.ephemeral-storage': '30Gi', 'requests.example.com/dongle': '2',
    });
  });

  it('counts init containers as a maximum and restartable ones as a sum', () => {
    const p = pod({ cpu: '100m' }, {}, {
      initContainers: [
        { name: 'i1', image: 'x', resources: { requests: { cpu: '300m' } } },
        { name: 'side', image: 'x', restartPolicy: 'Always', resources: { requests: { cpu: '50m' } } },
      ],
    });
    expect(toWire(pods.usage(p, now))['requests.cpu']).toBe('300m');
    const q = pod({ cpu: '100m' }, {}, { initContainers: [
      { name: 'side', image: 'x', restartPolicy: 'Always', resources: { requests: { cpu: '50m' } } },
      { name: 'i1', image: 'x', resources: { requests: { cpu: '300m' } } },
    ] });
    expect(toWire(pods.usage(q, now))['requests.cpu']).toBe('350m');
  });

  it('does not charge compute for terminal pods, but still counts them', () => {
    const done = { ...pod({ cpu: '1' }), status: { phase: 'Succeeded' } };
    expect(toWire(pods.usage(done, now))).toEqual({ 'count/pods': '1' });
  });

  it('matches the Terminating, BestEffort and PriorityClass scopes', () => {
    const be = pod();
    const burst = pod({ cpu: '1' });
    const term = pod({}, {}, { activeDeadlineSeconds: 10, priorityClassName: 'gold' });
    expect(pods.matchesScope({ scopeName: 'BestEffort', operator: 'Exists' }, be)).toBe(true);
    expect(pods.matchesScope({ scopeName: 'NotBestEffort', operator: 'Exists' }, burst)).toBe(true);
    expect(pods.matchesScope({ scopeName: 'Terminating', operator: 'Exists' }, term)).toBe(true);
    expect(pods.matchesScope({ scopeName: 'NotTerminating', operator: 'Exists' }, term)).toBe(false);
    expect(pods.matchesScope({ scopeName: 'PriorityClass', operator: 'In', values: ['gold'] }, term)).toBe(true);
    expect(pods.matchesScope({ scopeName: 'PriorityClass', operator: 'NotIn', values: ['gold'] }, be)).toBe(true);
  });

  it('requires every container to state a limited cpu or memory', () => {
    expect(pods.constraints(['limits.cpu', 'pods'], pod({ cpu: '1' }))).toBe('must specify limits.cpu for: c');
  });
});

describe('service evaluator', () => {
  it('counts node ports and load balancers', () => {
    const lb = { metadata: { name: 's' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } };
    expect(toWire(services.usage(lb, now))).toEqual({ 'count/services': '1', services: '1', 'services.loadbalancers': '1', 'services.nodeports': '1' });
  });
});

describe('checkRequest', () => {
  it('refuses with the exceeded quota message', () => {
    const q = quota('test-quota', { pods: '1' }, { pods: '1' });
    expect(() => checkRequest([q], { operation: 'CREATE', object: pod() }, pods, now))
      .toThrow(new QuotaDenied('exceeded quota: test-quota, requested: pods=1, used: pods=1, limited: pods=1'));
  });

  it('refuses a pod without a required limit', () => {
    const q = quota('q', { 'limits.cpu': '2' }, { 'limits.cpu': '0' });
    expect(() => checkRequest([q], { operation: 'CREATE', object: pod() }, pods, now))
      .toThrow(new QuotaDenied('failed quota: q: must specify limits.cpu for: c'));
  });

  it('refuses while usage is unknown and ignores quotas without status.hard', () => {
    const unknown = quota('q', { pods: '3' });
    expect(() => checkRequest([unknown], { operation: 'CREATE', object: pod() }, pods, now))
      .toThrow(new QuotaDenied('status unknown for quota: q, resources: pods'));
    const fresh: ResourceQuota = { metadata: { name: 'q' }, spec: { hard: { pods: '0' } }, status: {} };
    expect(checkRequest([fresh], { operation: 'CREATE', object: pod() }, pods, now).size).toBe(0);
  });

  it('charges the matching quotas only', () => {
    const all = quota('all', { pods: '5', cpu: '2' }, { pods: '1', cpu: '500m' });
    const be = quota('be', { pods: '5' }, { pods: '0' }, { scopes: ['BestEffort'] });
    const charged = checkRequest([all, be], { operation: 'CREATE', object: pod({ cpu: '1', memory: '1Mi' }) }, pods, now);
    expect([...charged.keys()]).toEqual([0]);
    expect(toWire(charged.get(0)!)).toEqual({ pods: '2', cpu: '1500m' });
  });

  it('charges a service update only for what it adds', () => {
    const q = quota('q', { 'services.loadbalancers': '1', services: '5' }, { 'services.loadbalancers': '0', services: '1' });
    const old = { metadata: { name: 's', resourceVersion: '3' }, spec: { type: 'ClusterIP', ports: [{ port: 80 }] } };
    const lb = { metadata: { name: 's' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } };
    const charged = checkRequest([q], { operation: 'UPDATE', object: lb, oldObject: old }, services, now);
    expect(toWire(charged.get(0)!)).toEqual({ 'services.loadbalancers': '1', services: '1' });
  });
});

describe('calculateUsage', () => {
  it('sums the objects the scopes select and zeroes tracked resources', () => {
    const q = quota('q', { pods: '5', 'requests.cpu': '4', configmaps: '3' }, undefined, { scopes: ['NotBestEffort'] });
    const sources = [
      { evaluator: pods, list: () => [pod({ cpu: '1' }), pod(), pod({ cpu: '250m' })] },
      { evaluator: evaluatorFor({ group: '', resource: 'configmaps' }), list: () => [{ metadata: { name: 'c' } }] },
    ];
    const { used } = calculateUsage(q, parseResourceList(q.spec!.hard), sources, now);
    // Scoped quotas never count object kinds without scopes.
    expect(toWire(used)).toEqual({ configmaps: '0', pods: '2', 'requests.cpu': '1250m' });
  });
});
