import { describe, expect, it } from 'vitest';
import { resourceTable } from '../resources/index.ts';
import { strategyFor, supportedFieldSelectors } from './strategies.ts';

describe('strategyFor', () => {
  it('has a strategy for every table entry', () => {
    for (const e of resourceTable.filter((r) => r.stored)) expect(strategyFor(e.group, e.plural)).toBeDefined();
  });

  it('throws for an unknown resource', () => {
    expect(() => strategyFor('', 'widgets')).toThrow(/no strategy for widgets/);
  });

  it.each([
    ['', 'pods', ['metadata.name', 'metadata.namespace', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName',
      'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName']],
    ['', 'nodes', ['metadata.name', 'spec.unschedulable']],
    ['', 'namespaces', ['metadata.name', 'status.phase']],
    ['', 'secrets', ['metadata.name', 'metadata.namespace', 'type']],
    ['', 'services', ['metadata.name', 'metadata.namespace', 'spec.clusterIP', 'spec.type']],
    ['', 'replicationcontrollers', ['metadata.name', 'metadata.namespace', 'status.replicas']],
    ['apps', 'replicasets', ['metadata.name', 'metadata.namespace', 'status.replicas']],
    ['batch', 'jobs', ['metadata.name', 'metadata.namespace', 'status.successful']],
    ['apps', 'deployments', ['metadata.name', 'metadata.namespace']],
    ['', 'events', ['metadata.name', 'metadata.namespace', 'involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name',
      'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason',
      'reportingComponent', 'source', 'type']],
    ['events.k8s.io', 'events', ['metadata.name', 'metadata.namespace', 'regarding.kind', 'regarding.namespace', 'regarding.name',
      'regarding.uid', 'regarding.apiVersion', 'regarding.resourceVersion', 'regarding.fieldPath', 'reason', 'reportingController',
      'source', 'type']],
  ])('%s/%s supports %j', (group, plural, want) => {
    expect(supportedFieldSelectors(group, plural)).toEqual(want);
  });

  it('getAttrs returns strings for every resource', () => {
    for (const e of resourceTable.filter((r) => r.stored)) {
      const attrs = strategyFor(e.group, e.plural).getAttrs?.({ metadata: {} }) ?? {};
      for (const v of Object.values(attrs)) expect(typeof v).toBe('string');
    }
  });
});

describe('strategies from strategyFor', () => {
  it('report a repeated metadata error once on update', () => {
    const s = strategyFor('', 'configmaps');
    const bad = { metadata: { name: 'c', namespace: 'd', labels: { 'bad key': 'v' } } };
    const errs = s.validateUpdate?.(bad, { metadata: { name: 'c', namespace: 'd' } }) ?? [];
    expect(errs.map((e) => e.field)).toEqual(['metadata.labels']);
  });
});
