import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/index.ts';
import { statefulSetStrategy } from './strategy.ts';
import { daemonSetStrategy } from '../daemonset/strategy.ts';

const ctx = { now: new Date(0) };
const template = { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'postgres' }] } };

function create(strategy: typeof statefulSetStrategy, spec: Record<string, unknown>, name = 'db'): KubeObject {
  const o: KubeObject = { metadata: { name, namespace: 'default' }, spec };
  strategy.applyDefaults?.(o);
  strategy.prepareForCreate?.(o, ctx);
  return o;
}

describe('statefulSetStrategy', () => {
  it('applies defaults', () => {
    const s = create(statefulSetStrategy, { selector: { matchLabels: { app: 'db' } }, serviceName: 'db', template: structuredClone(template) });
    expect(s.spec).toMatchObject({
      replicas: 1, podManagementPolicy: 'OrderedReady', revisionHistoryLimit: 10,
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
    expect(s.status).toEqual({ replicas: 0, availableReplicas: 0 });
    expect(statefulSetStrategy.validate?.(s)).toEqual([]);
  });

  it('names must be DNS labels', () => {
    const s = create(statefulSetStrategy, { selector: { matchLabels: { app: 'db' } }, template: structuredClone(template) }, 'db.v1');
    expect(statefulSetStrategy.validate?.(s)?.[0]?.field).toBe('metadata.name');
  });

  it('forbids changing other spec fields', () => {
    const old = create(statefulSetStrategy, { selector: { matchLabels: { app: 'db' } }, serviceName: 'db', template: structuredClone(template) });
    const next = structuredClone(old);
    (next.spec as { replicas: number }).replicas = 3;
    expect(statefulSetStrategy.validateUpdate?.(next, old)).toEqual([]);
    (next.spec as { serviceName: string }).serviceName = 'other';
    expect(statefulSetStrategy.validateUpdate?.(next, old)?.map((e) => `${e.field}: ${e.detail}`)).toEqual([
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ]);
  });
});

describe('daemonSetStrategy', () => {
  it('applies defaults and tracks the template generation annotation', () => {
    const ds = create(daemonSetStrategy, { selector: { matchLabels: { app: 'db' } }, template: structuredClone(template) }, 'agent');
    expect(ds.spec).toMatchObject({ revisionHistoryLimit: 10, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } } });
    expect(ds.metadata.annotations).toEqual({ 'deprecated.daemonset.template.generation': '1' });
    expect(ds.status).toEqual({ currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 });
    expect(daemonSetStrategy.validate?.(ds)).toEqual([]);
    const next = structuredClone(ds);
    (next.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image = 'postgres:16';
    daemonSetStrategy.prepareForUpdate?.(next, ds, ctx);
    expect(next.metadata.annotations?.['deprecated.daemonset.template.generation']).toBe('2');
  });

  it('rejects both maxSurge and maxUnavailable', () => {
    const ds = create(daemonSetStrategy, {
      selector: { matchLabels: { app: 'db' } }, template: structuredClone(template),
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } },
    }, 'agent');
    expect(daemonSetStrategy.validate?.(ds)?.map((e) => `${e.field}: ${e.detail}`)).toEqual([
      'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:""}: may not be set when maxUnavailable is non-zero',
    ]);
  });
});
