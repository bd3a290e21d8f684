/**
 * The body of the kubelet's pods/status write. The kubelet owns only some condition types
 * (pkg/kubelet/types/pod_status.go PodConditionsByKubelet, plus PodReadyToStartContainers); every
 * other condition on the live pod — DisruptionTarget set by the scheduler or the eviction API,
 * readiness-gate conditions set by controllers — must survive its writes
 * (pkg/kubelet/status/status_manager.go mergePodStatus). Upstream sends a strategic merge patch
 * (statusutil.PatchPodStatus); so do we: conditions merge by `type` on the server, against the pod
 * as it is at that moment, so a condition added a millisecond before our write is not lost even
 * when our informer has not seen it yet. Pure: no I/O.
 */
import type { PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';

/** Condition types the kubelet writes; all others belong to someone else. */
export const kubeletConditionTypes: ReadonlySet<string> = new Set([
  'PodScheduled', 'Ready', 'Initialized', 'ContainersReady', 'PodReadyToStartContainers', 'PodResizePending', 'PodResizeInProgress',
]);

export function isKubeletCondition(type: string): boolean {
  return kubeletConditionTypes.has(type);
}

/** A strategic merge patch of pods/status (application/strategic-merge-patch+json). */
export interface PodStatusPatch {
  metadata: { uid: string };
  status: Record<string, unknown>;
}

/**
 * The patch that makes the live status `status`, for a pod whose status was `previous` (what we
 * last wrote or found). Conditions list only the kubelet's own types, and `$setElementOrder`
 * puts them first in the kubelet's order; conditions of other types stay where they are on the
 * server. Other fields `previous` had and `status` lacks are removed (null). The UID makes the
 * patch fail for a same-named new pod.
 */
export function podStatusPatch(uid: string, status: PodStatus, previous: PodStatus | undefined): PodStatusPatch {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(status)) if (key !== 'conditions') body[key] = value;
  for (const key of Object.keys(previous ?? {})) if (!(key in status) && key !== 'conditions') body[key] = null;
  const own = (status.conditions ?? []).filter((c) => isKubeletCondition(c.type));
  if (own.length > 0) {
    body['$setElementOrder/conditions'] = own.map((c) => ({ type: c.type }));
    body.conditions = own;
  }
  return { metadata: { uid }, status: body };
}
