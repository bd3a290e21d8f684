/**
 * What a replica controller reads off a pod (kubernetes pkg/controller/controller_utils.go
 * IsPodActive, pkg/api/v1/pod/util.go IsPodReady/IsPodAvailable): which pods count as replicas,
 * which are ready, and since when. Pure; times are the wire's RFC 3339 strings.
 */
import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';

/** A pod that still counts as a replica: not Succeeded, not Failed, not being deleted. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata?.deletionTimestamp;
}

export function readyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

export function isPodReady(pod: Pod): boolean {
  return readyCondition(pod)?.status === 'True';
}

/** Milliseconds since the epoch of the Ready condition's last transition; 0 (Go's zero time) when not ready. */
export function podReadyTime(pod: Pod): number {
  if (!isPodReady(pod)) return 0;
  return Date.parse(readyCondition(pod)?.lastTransitionTime ?? '') || 0;
}

/** Ready for at least minReadySeconds (strictly before `now`, as upstream's Before). */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: Date): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds === 0) return true;
  const since = Date.parse(readyCondition(pod)?.lastTransitionTime ?? '');
  return Number.isFinite(since) && since + minReadySeconds * 1000 < now.getTime();
}

/** The pod's controller owner reference (metav1.GetControllerOf). */
export function controllerRefOf(obj: { metadata?: { ownerReferences?: readonly { controller?: boolean; uid: string; kind: string; name: string; apiVersion: string }[] } }) {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}
