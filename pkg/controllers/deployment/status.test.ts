import { describe, expect, it } from 'vitest';
import { calculateStatus, rolloutStatus, setCondition, stuckRecheckDelayMs } from './status.ts';
import type { Deployment, ReplicaSet } from './types.ts';

const now = new Date('2024-05-01T12:00:00Z');

function deployment(replicas: number, status: Deployment['status'] = {}): Deployment {
  return {
    metadata: { name: 'web', generation: 2 },
    spec: {
      replicas, progressDeadlineSeconds: 600, selector: { matchLabels: { app: 'web' } }, template: {},
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    },
    status,
  };
}
const rs = (name: string, replicas: number, available: number, ready = available): ReplicaSet => ({
  metadata: { name }, spec: { replicas, selector: {} }, status: { replicas, readyReplicas: ready, availableReplicas: available },
});

describe('deployment status', () => {
  it('sums the ReplicaSets and leaves zero counts out', () => {
    const newRS = rs('web-b', 2, 1), oldRS = rs('web-a', 3, 3);
    const s = calculateStatus([oldRS, newRS], newRS, deployment(4), now);
    expect(s).toMatchObject({ observedGeneration: 2, replicas: 5, updatedReplicas: 2, readyReplicas: 4, availableReplicas: 4, unavailableReplicas: 1 });
    expect(calculateStatus([rs('web-a', 0, 0)], undefined, deployment(0), now)).not.toHaveProperty('replicas');
  });

  it.each([
    [4, 3, 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
    [4, 2, 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'],
  ])('Available with %d desired and %d available', (desired, available, status, reason, message) => {
    const s = calculateStatus([rs('web-a', desired, available)], undefined, deployment(desired), now);
    expect(s.conditions).toEqual([{ type: 'Available', status, reason, message, lastUpdateTime: '2024-05-01T12:00:00Z', lastTransitionTime: '2024-05-01T12:00:00Z' }]);
  });

  it('keeps lastTransitionTime when only the reason changes', () => {
    const status = { conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', lastTransitionTime: 'then', lastUpdateTime: 'then' }] };
    setCondition(status, { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', lastTransitionTime: 'now', lastUpdateTime: 'now' });
    expect(status.conditions).toEqual([{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', lastTransitionTime: 'then', lastUpdateTime: 'now' }]);
  });

  it('reports progress, completion and the deadline with upstream messages', () => {
    const newRS = rs('web-b', 2, 1);
    const d = deployment(3, { replicas: 4, updatedReplicas: 1, availableReplicas: 3, conditions: [
      { type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', lastUpdateTime: '2024-05-01T11:59:00Z', lastTransitionTime: '2024-05-01T11:59:00Z' }] });
    const progressing = rolloutStatus([rs('web-a', 2, 2), newRS], newRS, d, now);
    expect(progressing.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({
      reason: 'ReplicaSetUpdated', message: 'ReplicaSet "web-b" is progressing.', lastTransitionTime: '2024-05-01T11:59:00Z', lastUpdateTime: '2024-05-01T12:00:00Z',
    });
    expect(stuckRecheckDelayMs(d, progressing, now)).toBe(600_000);

    const done = rs('web-b', 3, 3);
    const complete = rolloutStatus([rs('web-a', 0, 0), done], done, { ...d, status: { ...d.status, observedGeneration: 2 } }, now);
    expect(complete.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "web-b" has successfully progressed.' });
    expect(stuckRecheckDelayMs(d, complete, now)).toBeUndefined();

    const stale = deployment(3, { replicas: 3, updatedReplicas: 2, availableReplicas: 2, readyReplicas: 3, conditions: [
      { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: '2024-05-01T11:49:00Z', lastTransitionTime: '2024-05-01T11:40:00Z' }] });
    const stuck = rs('web-b', 2, 1, 2);
    const timedOut = rolloutStatus([rs('web-a', 1, 1), stuck], stuck, stale, now);
    expect(timedOut.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-b" has timed out progressing.' });
  });
});
