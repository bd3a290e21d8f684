import { describe, expect, it } from 'vitest';
import { newRSNewReplicas, planNewReplicaSet, planOldReplicaSets, planRecreateScaleDown, planScale, type ScaleStep } from './rollout-plan.ts';
import { findNewReplicaSet, findOldReplicaSets } from './replica-sets.ts';
import type { Deployment, ReplicaSet } from './types.ts';

const template = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } });

function deployment(replicas: number, surge: number | string = '25%', unavailable: number | string = '25%', type = 'RollingUpdate'): Deployment {
  return {
    metadata: { name: 'web', namespace: 'ns', uid: 'd-uid', generation: 1 },
    spec: {
      replicas, selector: { matchLabels: { app: 'web' } }, template: template('v2'),
      strategy: type === 'RollingUpdate' ? { type, rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } : { type },
    },
  };
}

let seq = 0;
function rs(name: string, replicas: number, available: number, image = 'v1', annotations: Record<string, string> = {}): ReplicaSet {
  seq++;
  return {
    metadata: { name, uid: `${name}-uid`, creationTimestamp: new Date(Date.UTC(2024, 0, 1, 0, 0, seq)).toISOString(), annotations },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { ...template(image), metadata: { labels: { app: 'web', 'pod-template-hash': name } } } },
    status: { replicas, availableReplicas: available },
  };
}

const summary = (steps: ScaleStep[]) => steps.map((s) => `${s.rs.metadata?.name} ${s.operation} ${s.to}`);

describe('rollout plan', () => {
  it('finds the new ReplicaSet by template, ignoring the hash label', () => {
    const d = deployment(3);
    const old = rs('web-a', 3, 3, 'v1'), current = rs('web-b', 0, 0, 'v2');
    expect(findNewReplicaSet(d, [old, current])?.metadata?.name).toBe('web-b');
    expect(findOldReplicaSets(d, [old, current])[1].map((r) => r.metadata?.name)).toEqual(['web-a']);
  });

  it.each([
    // replicas, surge, existing old replicas, new replicas → new size
    [10, '25%', 10, 0, 3], [10, '25%', 8, 3, 5], [10, 0, 10, 0, 0], [3, 1, 3, 0, 1], [3, 1, 2, 1, 2], [3, '25%', 0, 2, 3],
  ] as const)('NewRSNewReplicas: %d replicas, surge %j, old %d, new %d → %d', (replicas, surge, oldCount, newCount, want) => {
    const d = deployment(replicas, surge, 1);
    const oldRS = rs('web-a', oldCount, oldCount), newRS = rs('web-b', newCount, 0, 'v2');
    expect(newRSNewReplicas(d, [oldRS, newRS], newRS)).toBe(want);
  });

  it('scales the new ReplicaSet down to spec.replicas when it has more', () => {
    const d = deployment(2);
    const newRS = rs('web-b', 5, 5, 'v2');
    expect(summary(planNewReplicaSet(d, [newRS], newRS))).toEqual(['web-b down 2']);
  });

  it('walks a rollout of 3 replicas with maxSurge 1, maxUnavailable 0 step by step', () => {
    const d = deployment(3, 1, 0);
    // 1. new RS gets the one surge pod.
    let oldRS = rs('web-a', 3, 3), newRS = rs('web-b', 0, 0, 'v2');
    expect(summary(planNewReplicaSet(d, [oldRS, newRS], newRS))).toEqual(['web-b up 1']);
    // 2. the surge pod is not available yet: nothing to scale down.
    newRS = { ...newRS, spec: { ...newRS.spec!, replicas: 1 }, status: { replicas: 1, availableReplicas: 0 } };
    expect(planNewReplicaSet(d, [oldRS, newRS], newRS)).toEqual([]);
    expect(planOldReplicaSets(d, [oldRS, newRS], [oldRS], newRS)).toEqual([]);
    // 3. it became available: one old pod goes.
    newRS = { ...newRS, status: { replicas: 1, availableReplicas: 1 } };
    expect(summary(planOldReplicaSets(d, [oldRS, newRS], [oldRS], newRS))).toEqual(['web-a down 2']);
    // 4. room again under the surge: new RS to 2.
    oldRS = { ...oldRS, spec: { ...oldRS.spec!, replicas: 2 }, status: { replicas: 2, availableReplicas: 2 } };
    expect(summary(planNewReplicaSet(d, [oldRS, newRS], newRS))).toEqual(['web-b up 2']);
  });

  it('removes unavailable old pods first, then scales down within maxUnavailable', () => {
    const d = deployment(10, 3, 2);
    const oldRS = rs('web-a', 10, 7), newRS = rs('web-b', 3, 3, 'v2');
    // 13 pods, minAvailable 8, new RS fully available: up to 5 may go; 3 unhealthy go first,
    // then available 10 - 8 = 2 more.
    expect(summary(planOldReplicaSets(d, [oldRS, newRS], [oldRS], newRS))).toEqual(['web-a down 7', 'web-a down 5']);
  });

  it('never scales old pods down while the new ones are unavailable and would breach maxUnavailable', () => {
    const d = deployment(10, 3, 2);
    const oldRS = rs('web-a', 8, 8), newRS = rs('web-b', 5, 0, 'v2');
    expect(planOldReplicaSets(d, [oldRS, newRS], [oldRS], newRS)).toEqual([]);
  });

  it('gives a single active ReplicaSet the whole size on a resize', () => {
    const d = deployment(5);
    const only = rs('web-b', 3, 3, 'v2', { 'deployment.kubernetes.io/desired-replicas': '3' });
    expect(summary(planScale(d, only, [rs('web-a', 0, 0)]))).toEqual(['web-b up 5']);
  });

  it('spreads a resize during a rollout over the active ReplicaSets in proportion', () => {
    // 10 replicas, surge 3: old 8 + new 5 = 13 = 10 + 3, annotated max-replicas 13. Scale to 20 (max 20 + 5 = 25).
    const max = { 'deployment.kubernetes.io/max-replicas': '13', 'deployment.kubernetes.io/desired-replicas': '10' };
    const d = deployment(20, 5, 2);
    const oldRS = rs('web-a', 8, 8, 'v1', max), newRS = rs('web-b', 5, 0, 'v2', max);
    const steps = planScale(d, newRS, [oldRS]);
    expect(summary(steps)).toEqual(['web-a up 15', 'web-b up 10']);
    expect(steps.reduce((n, s) => n + s.to, 0)).toBe(25);
  });

  it('scales down proportionally with leftovers from the largest', () => {
    const max = { 'deployment.kubernetes.io/max-replicas': '13' };
    const d = deployment(5, 1, 1);
    const oldRS = rs('web-a', 8, 8, 'v1', max), newRS = rs('web-b', 5, 0, 'v2', max);
    const steps = planScale(d, newRS, [oldRS]);
    expect(steps.reduce((n, s) => n + s.to, 0)).toBe(6);
    expect(summary(steps)).toEqual(['web-a down 4', 'web-b down 2']);
  });

  it('Recreate takes every active old ReplicaSet to 0', () => {
    expect(summary(planRecreateScaleDown([rs('web-a', 2, 2), rs('web-c', 1, 0)]))).toEqual(['web-a down 0', 'web-c down 0']);
  });
});
