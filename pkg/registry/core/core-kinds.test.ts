import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/index.ts';
import type { Strategy } from '../generic/strategy.ts';
import { configMapStrategy } from './configmap/strategy.ts';
import { eventStrategy } from './event/strategy.ts';
import { namespaceStrategy, namespaceFinalizeStrategy } from './namespace/strategy.ts';
import { nodeStrategy } from './node/strategy.ts';
import { replicationControllerStrategy } from './replicationcontroller/strategy.ts';
import { secretStrategy } from './secret/strategy.ts';
import { endpointsStrategy } from './endpoints/strategy.ts';
import { bindingStrategy } from './binding/strategy.ts';
import { eventsV1Strategy } from '../events/event/strategy.ts';
import { leaseStrategy } from '../coordination/lease/strategy.ts';
import { endpointSliceStrategy } from '../discovery/endpointslice/strategy.ts';

const ctx = { now: new Date(0) };

function create(s: Strategy, obj: KubeObject): KubeObject {
  s.applyDefaults?.(obj);
  s.prepareForCreate?.(obj, ctx);
  return obj;
}

function messages(errs: { field: string; detail: string }[] | undefined): string[] {
  return (errs ?? []).map((e) => (e.field ? `${e.field}: ${e.detail}` : e.detail));
}

describe('namespaceStrategy', () => {
  it('creates Active namespaces with the kubernetes finalizer and the name label', () => {
    const ns = create(namespaceStrategy, { metadata: { name: 'team-a' } });
    namespaceStrategy.canonicalize?.(ns);
    expect(ns).toEqual({
      metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'team-a' } },
      spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' },
    });
    expect(namespaceStrategy.validate?.(ns)).toEqual([]);
  });

  it('rejects non-label names', () => {
    const ns = create(namespaceStrategy, { metadata: { name: 'team.a' } });
    expect(messages(namespaceStrategy.validate?.(ns))).toEqual([
      "metadata.name: Invalid value: \"team.a\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
  });

  it('keeps spec.finalizers on update; only /finalize changes them', () => {
    const old = create(namespaceStrategy, { metadata: { name: 'a' } });
    const next: KubeObject = { metadata: { name: 'a' }, spec: { finalizers: [] } };
    namespaceStrategy.prepareForUpdate?.(next, old, ctx);
    expect(next.spec).toEqual({ finalizers: ['kubernetes'] });
    const fin: KubeObject = { metadata: { name: 'a' }, spec: { finalizers: [] } };
    namespaceFinalizeStrategy.prepareForUpdate(fin, old);
    expect(fin.spec).toEqual({ finalizers: [] });
    expect(namespaceStrategy.getAttrs?.(old)).toEqual({ 'status.phase': 'Active' });
  });
});

describe('secretStrategy and configMapStrategy', () => {
  it('defaults the type and folds stringData into data', () => {
    const s = create(secretStrategy, { metadata: { name: 's', namespace: 'd' }, data: { a: 'eA==' }, stringData: { a: 'y', b: 'z' } });
    expect(s).toEqual({ metadata: { name: 's', namespace: 'd' }, type: 'Opaque', data: { a: 'eQ==', b: 'eg==' } });
    expect(secretStrategy.getAttrs?.(s)).toEqual({ type: 'Opaque' });
  });

  it.each([
    [{ type: 'kubernetes.io/tls', data: {} }, ['data[tls.crt]: Required value', 'data[tls.key]: Required value']],
    [{ data: { 'bad key': 'eA==' } }, ["data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"]],
    [{ type: 'kubernetes.io/service-account-token' }, ['metadata.annotations[kubernetes.io/service-account.name]: Required value']],
  ])('secret %j', (body, want) => {
    const s = create(secretStrategy, { metadata: { name: 's', namespace: 'd' }, ...body });
    expect(messages(secretStrategy.validate?.(s))).toEqual(want);
  });

  it('secret type is immutable and immutable secrets stay frozen', () => {
    const old = create(secretStrategy, { metadata: { name: 's', namespace: 'd' }, immutable: true, data: { a: 'eA==' } });
    const next = { ...structuredClone(old), type: 'kubernetes.io/basic-auth', data: { username: 'eA==' } };
    expect(messages(secretStrategy.validateUpdate?.(next, old))).toEqual([
      'type: Invalid value: "kubernetes.io/basic-auth": field is immutable',
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
  });

  it('configmap size limit and binaryData duplicates', () => {
    const cm = create(configMapStrategy, { metadata: { name: 'c', namespace: 'd' }, data: { a: 'x'.repeat(1024 * 1024 + 1) }, binaryData: { a: 'eA==' } });
    expect(messages(configMapStrategy.validate?.(cm))).toEqual([
      'data[a]: Invalid value: "a": duplicate of key present in binaryData',
      'Too long: may not be more than 1048576 bytes',
    ]);
  });
});

describe('nodeStrategy', () => {
  it('defaults allocatable, fills zero status structs and exposes spec.unschedulable', () => {
    const n = create(nodeStrategy, { metadata: { name: 'n1' }, status: { capacity: { cpu: '4' } } });
    nodeStrategy.canonicalize?.(n);
    expect(n.status).toMatchObject({ allocatable: { cpu: '4' }, daemonEndpoints: { kubeletEndpoint: { Port: 0 } }, nodeInfo: { kubeletVersion: '' } });
    expect(nodeStrategy.getAttrs?.(n)).toEqual({ 'spec.unschedulable': 'false' });
  });

  it('validates taints under metadata.taints and forbids podCIDR changes', () => {
    const n = create(nodeStrategy, { metadata: { name: 'n1' }, spec: { taints: [{ key: 'k', effect: 'Sometimes' }], podCIDRs: ['10.0.0.0/24'] } });
    expect(messages(nodeStrategy.validate?.(n))).toEqual([
      'metadata.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ]);
    const next = structuredClone(n);
    (next.spec as { taints: unknown[]; podCIDRs: string[] }).taints = [];
    (next.spec as { podCIDRs: string[] }).podCIDRs = ['10.0.1.0/24'];
    expect(messages(nodeStrategy.validateUpdate?.(next, n))).toEqual(['spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid']);
  });
});

describe('events', () => {
  it('core events: namespace must match the involved object; null times are printed', () => {
    const e = create(eventStrategy, { metadata: { name: 'e.1', namespace: 'default' }, involvedObject: { kind: 'Pod', namespace: 'other', name: 'p' }, reason: 'Started' });
    expect(messages(eventStrategy.validate?.(e))).toEqual(['involvedObject.namespace: Invalid value: "other": does not match event.namespace']);
    eventStrategy.canonicalize?.(e);
    expect(e).toMatchObject({ eventTime: null, firstTimestamp: null, lastTimestamp: null, reportingComponent: '', reportingInstance: '', source: {} });
    expect(eventStrategy.getAttrs?.(e)).toMatchObject({ 'involvedObject.kind': 'Pod', reason: 'Started', source: '' });
  });

  it('events.k8s.io events need the new fields', () => {
    const e = create(eventsV1Strategy, { metadata: { name: 'e1', namespace: 'default' }, regarding: { kind: 'Pod', namespace: 'default', name: 'p' }, type: 'Normal' });
    expect(messages(eventsV1Strategy.validate?.(e))).toEqual(['eventTime: Required value']);
    const full = create(eventsV1Strategy, {
      metadata: { name: 'e1', namespace: 'default' }, regarding: { kind: 'Pod', namespace: 'default', name: 'p' }, type: 'Normal',
      eventTime: '2024-01-01T00:00:00.000000Z', reportingController: 'me', reportingInstance: 'me-1', action: 'Do', reason: 'Did',
    });
    expect(eventsV1Strategy.validate?.(full)).toEqual([]);
    expect(eventsV1Strategy.getAttrs?.(full)).toMatchObject({ 'regarding.name': 'p', reportingController: 'me', source: 'me' });
  });
});

describe('other core and small kinds', () => {
  it('replication controllers default selector and labels from the template', () => {
    const rc = create(replicationControllerStrategy, {
      metadata: { name: 'rc', namespace: 'd' },
      spec: { template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
    });
    expect(rc.spec).toMatchObject({ replicas: 1, selector: { app: 'a' } });
    expect(rc.metadata.labels).toEqual({ app: 'a' });
    expect(rc.status).toEqual({ replicas: 0 });
    expect(replicationControllerStrategy.validate?.(rc)).toEqual([]);
  });

  it('endpoints default port protocols and reject loopback addresses', () => {
    const ep = create(endpointsStrategy, { metadata: { name: 'e', namespace: 'd' }, subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ port: 80 }] }] });
    expect((ep.subsets as { ports: { protocol: string }[] }[])[0]?.ports[0]?.protocol).toBe('TCP');
    expect(messages(endpointsStrategy.validate?.(ep))).toEqual(['subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)']);
    expect(endpointsStrategy.allowCreateOnUpdate).toBe(true);
  });

  it('bindings need a target node', () => {
    expect(messages(bindingStrategy.validate?.({ metadata: { name: 'p' }, target: { kind: 'Pod' } }))).toEqual([
      'target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>"', 'target.name: Required value',
    ]);
  });

  it('leases and endpoint slices', () => {
    const lease = create(leaseStrategy, { metadata: { name: 'l', namespace: 'd' }, spec: { leaseDurationSeconds: 0 } });
    expect(messages(leaseStrategy.validate?.(lease))).toEqual(['spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0']);
    const eps = create(endpointSliceStrategy, { metadata: { name: 's', namespace: 'd' }, addressType: 'IPv4', endpoints: [{ addresses: [] }], ports: [{ port: 80 }] });
    expect((eps.ports as unknown[])[0]).toEqual({ port: 80, name: '', protocol: 'TCP' });
    expect(messages(endpointSliceStrategy.validate?.(eps))).toEqual(['endpoints[0].addresses: Required value: must contain at least 1 address']);
  });
});
