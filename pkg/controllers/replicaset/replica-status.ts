/**
 * The status a replica controller writes (kubernetes pkg/controller/replicaset/replica_set_utils.go
 * calculateStatus): counts over the active pods it owns, and the ReplicaFailure condition, set when
 * creating or deleting pods failed and cleared by the next sync that did not fail. Pure.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { labelSelectorFromSet } from '../../api/selectors/index.ts';
import { isPodAvailable, isPodReady } from './pod-state.ts';
import type { ReplicaCondition, ReplicaOwner, ReplicaStatus } from './replica-kind.ts';

/** apps.ReplicaSetReplicaFailure and v1.ReplicationControllerReplicaFailure. */
export const replicaFailure = 'ReplicaFailure';

const wireTime = (d: Date): string => d.toISOString().replace(/\.\d+Z$/, 'Z');

export function calculateStatus(owner: ReplicaOwner, activePods: readonly Pod[], manageError: unknown, now: Date): ReplicaStatus {
  const previous = owner.status ?? { replicas: 0 };
  const templateLabels = labelSelectorFromSet(owner.spec?.template?.metadata?.labels);
  const minReadySeconds = owner.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of activePods) {
    if (templateLabels.matches(pod.metadata?.labels ?? {})) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReadySeconds, now)) available++;
    }
  }
  let conditions = previous.conditions ?? [];
  const failure = conditions.find((c) => c.type === replicaFailure);
  if (manageError !== undefined && !failure) {
    const diff = activePods.length - (owner.spec?.replicas ?? 1);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    const message = manageError instanceof Error ? manageError.message : String(manageError);
    conditions = [...conditions, { type: replicaFailure, status: 'True', lastTransitionTime: wireTime(now), reason, message }];
  } else if (manageError === undefined && failure) {
    conditions = conditions.filter((c) => c.type !== replicaFailure);
  }
  const status: ReplicaStatus = {
    replicas: activePods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: previous.observedGeneration,
  };
  if (conditions.length > 0) status.conditions = conditions;
  return status;
}

const conditionKey = (c: ReplicaCondition) => JSON.stringify([c.type, c.status, c.reason ?? '', c.message ?? '', c.lastTransitionTime ?? '']);

/** Whether writing `next` would change nothing (zero counts equal absent ones, as in Go). */
export function statusEqual(a: ReplicaStatus | undefined, b: ReplicaStatus): boolean {
  const n = (v: number | undefined) => v ?? 0;
  return n(a?.replicas) === n(b.replicas)
    && n(a?.fullyLabeledReplicas) === n(b.fullyLabeledReplicas)
    && n(a?.readyReplicas) === n(b.readyReplicas)
    && n(a?.availableReplicas) === n(b.availableReplicas)
    && n(a?.observedGeneration) === n(b.observedGeneration)
    && (a?.conditions ?? []).map(conditionKey).join() === (b.conditions ?? []).map(conditionKey).join();
}
