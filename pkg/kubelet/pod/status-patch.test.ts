import { describe, expect, it } from 'vitest';
import type { Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import { strategicMergePatch } from '../../api/strategic-merge-patch/index.ts';
import { patchMetaFor } from '../../openapi/index.ts';
import { computePodStatus, rejectedStatus, type PodRuntimeView } from './pod-status.ts';
import { podStatusPatch } from './status-patch.ts';

const t0 = '2026-01-01T00:00:00Z';
const cond = (type: string, status: string, extra: Partial<PodCondition> = {}): PodCondition => ({ type, status, lastTransitionTime: t0, ...extra });
const disruption = cond('DisruptionTarget', 'True', { reason: 'PreemptionByScheduler', message: 'default-scheduler: preempting to accommodate a higher priority pod' });

function livePod(conditions: PodCondition[]): Pod {
  return {
    metadata: { name: 'victim', namespace: 'ns', uid: 'u1' },
    spec: { containers: [{ name: 'c', image: 'pause' }], readinessGates: [{ conditionType: 'example.com/gate' }] },
    status: { phase: 'Running', conditions },
  };
}

const running: PodRuntimeView = {
  init: [], containers: [{ name: 'c', image: 'pause', restartCount: 0, state: { running: { startedAt: t0 } }, ready: true, started: true, containerID: 'containerd://1' }],
  hostIP: '127.0.0.1', podIP: '10.0.0.5', startTime: t0, sandboxReady: true,
};

/** What the apiserver stores after the kubelet's patch (the same merge code and schema it uses). */
function applyPatch(pod: Pod, status: PodStatus, previous: PodStatus | undefined): PodStatus {
  const patch = podStatusPatch('u1', status, previous);
  const merged = strategicMergePatch(pod, patch, patchMetaFor('', 'v1', 'Pod')) as Pod;
  return merged.status!;
}

describe('podStatusPatch', () => {
  it('keeps conditions other components own (DisruptionTarget, readiness gates) that the kubelet never saw', () => {
    const seenByKubelet = livePod([cond('PodScheduled', 'True')]);
    const status = computePodStatus(seenByKubelet, running, undefined, new Date(t0));
    // Meanwhile the scheduler and a controller wrote their conditions.
    const live = livePod([cond('PodScheduled', 'True'), disruption, cond('example.com/gate', 'True')]);
    const stored = applyPatch(live, status, seenByKubelet.status);
    expect(stored.conditions?.map((c) => c.type)).toEqual([
      'PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled', 'DisruptionTarget', 'example.com/gate',
    ]);
    expect(stored.conditions?.find((c) => c.type === 'DisruptionTarget')).toEqual(disruption);
    expect(stored.containerStatuses?.[0]?.state?.running).toBeDefined();
  });

  it('sends only the kubelet-owned conditions, first in its order', () => {
    const pod = livePod([cond('PodScheduled', 'True'), disruption]);
    const status = computePodStatus(pod, running, undefined, new Date(t0));
    // Even a status that carries someone else's condition does not write it back.
    const patch = podStatusPatch('u1', { ...status, conditions: [...status.conditions!, disruption] }, undefined);
    const conditions = patch.status.conditions as PodCondition[];
    expect(conditions.map((c) => c.type)).not.toContain('DisruptionTarget');
    expect(patch.status['$setElementOrder/conditions']).toEqual(conditions.map((c) => ({ type: c.type })));
    expect(patch.metadata).toEqual({ uid: 'u1' });
  });

  it('removes fields the new status lacks, but never the conditions list', () => {
    const previous: PodStatus = { phase: 'Running', podIP: '10.0.0.5', conditions: [cond('Ready', 'True')] };
    const patch = podStatusPatch('u1', { phase: 'Failed' }, previous);
    expect(patch.status).toEqual({ phase: 'Failed', podIP: null });
  });

  it('keeps a DisruptionTarget condition when the kubelet rejects the pod', () => {
    const live = livePod([cond('PodScheduled', 'True'), disruption]);
    const stored = applyPatch(live, rejectedStatus(live, 'OutOfpods', 'Node didn\'t have enough resource: pods', '127.0.0.1', new Date(t0)), live.status);
    expect(stored.phase).toBe('Failed');
    expect(stored.conditions?.map((c) => c.type)).toEqual(['PodScheduled', 'DisruptionTarget']);
  });
});
