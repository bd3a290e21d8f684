/**
 * Which surplus pods a replica controller deletes first (kubernetes pkg/controller/controller_utils.go
 * ActivePodsWithRanks.Less, and replica_set.go getPodsToDelete / getPodsRankedByRelatedPodsOnSameNode):
 * the cheapest to lose go first, so scaling down removes pods that are not serving yet before ones
 * that are. Pure; the order is the one v1.32 uses with PodDeletionCost and LogarithmicScaleDown on.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isPodActive, isPodReady, podReadyTime } from './pod-state.ts';

/** core.PodDeletionCost. */
export const podDeletionCostAnnotation = 'controller.kubernetes.io/pod-deletion-cost';

const phaseOrdinal: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

export interface RankedPod {
  pod: Pod;
  /** Active pods of related controllers on the same node: more means doubled up, deleted sooner. */
  rank: number;
}

/** helper.GetDeletionCostFromPodAnnotations; an invalid value counts as 0, as the ranking ignores the error. */
export function deletionCost(pod: Pod): number {
  const value = pod.metadata?.annotations?.[podDeletionCostAnnotation];
  if (value === undefined || !/^(-?[1-9][0-9]*|0|-0)$/.test(value)) return 0;
  const n = Number(value);
  return n >= -(2 ** 31) && n < 2 ** 31 ? n : 0;
}

/** Highest restart count of regular containers, and of restartable (sidecar) init containers. */
function maxRestarts(pod: Pod): [number, number] {
  const sidecars = new Set((pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  const regular = Math.max(0, ...(pod.status?.containerStatuses ?? []).map((s) => s.restartCount ?? 0));
  const sidecar = Math.max(0, ...(pod.status?.initContainerStatuses ?? []).filter((s) => sidecars.has(s.name)).map((s) => s.restartCount ?? 0));
  return [regular, sidecar];
}

/** int(log2(now - t)) in nanoseconds, -1 when t is not in the past (logarithmicRankDiff). */
function logRank(t: number, now: number): number {
  const d = (now - t) * 1e6;
  return d > 0 ? Math.floor(Math.log2(d)) : -1;
}

/** afterOrZero: the zero time sorts first, then the later time. */
function afterOrZero(t1: number, t2: number): boolean {
  if (t1 === 0 || t2 === 0) return t1 === 0;
  return t1 > t2;
}

/** Orders two times newest first, in log2 buckets of age, ties broken by uid. */
function newerFirst(t1: number, t2: number, a: Pod, b: Pod, now: number): boolean {
  if (t1 === 0 || t2 === 0) return afterOrZero(t1, t2);
  const diff = logRank(t1, now) - logRank(t2, now);
  if (diff === 0) return (a.metadata?.uid ?? '') < (b.metadata?.uid ?? '');
  return diff < 0;
}

const time = (s: string | undefined): number => (s ? Date.parse(s) || 0 : 0);

/** ActivePodsWithRanks.Less: true when `a` should be deleted before `b`. */
export function deleteBefore(a: RankedPod, b: RankedPod, now: number): boolean {
  const [pa, pb] = [a.pod, b.pod];
  // 1. Unassigned < assigned
  const [na, nb] = [pa.spec?.nodeName ?? '', pb.spec?.nodeName ?? ''];
  if (na !== nb && (na === '' || nb === '')) return na === '';
  // 2. Pending < Unknown < Running
  const [oa, ob] = [phaseOrdinal[pa.status?.phase ?? ''] ?? 0, phaseOrdinal[pb.status?.phase ?? ''] ?? 0];
  if (oa !== ob) return oa < ob;
  // 3. Not ready < ready
  const [ra, rb] = [isPodReady(pa), isPodReady(pb)];
  if (ra !== rb) return !ra;
  // 4. Lower pod-deletion-cost < higher
  const [ca, cb] = [deletionCost(pa), deletionCost(pb)];
  if (ca !== cb) return ca < cb;
  // 5. Doubled up < not doubled up
  if (a.rank !== b.rank) return a.rank > b.rank;
  // 6. Ready for a shorter time < longer
  if (ra && rb) {
    const [ta, tb] = [podReadyTime(pa), podReadyTime(pb)];
    if (ta !== tb) return newerFirst(ta, tb, pa, pb, now);
  }
  // 7. More container restarts < fewer (regular containers, then sidecars)
  const [[rga, sca], [rgb, scb]] = [maxRestarts(pa), maxRestarts(pb)];
  if (rga !== rgb) return rga > rgb;
  if (sca !== scb) return sca > scb;
  // 8. Empty creation time < newer < older
  const [cta, ctb] = [time(pa.metadata?.creationTimestamp), time(pb.metadata?.creationTimestamp)];
  if (cta !== ctb) return newerFirst(cta, ctb, pa, pb, now);
  return false;
}

/** Ranks each pod by how many active related pods share its node (getPodsRankedByRelatedPodsOnSameNode). */
export function rankByRelatedPodsOnSameNode(pods: readonly Pod[], related: readonly Pod[]): RankedPod[] {
  const onNode = new Map<string, number>();
  for (const p of related) {
    if (!isPodActive(p)) continue;
    const node = p.spec?.nodeName ?? '';
    onNode.set(node, (onNode.get(node) ?? 0) + 1);
  }
  return pods.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
}

/** The `diff` pods to delete: all when diff covers them, else the first `diff` in ranking order. */
export function podsToDelete(pods: readonly Pod[], related: readonly Pod[], diff: number, now: number = Date.now()): Pod[] {
  if (diff >= pods.length) return pods.slice(0, diff);
  const ranked = rankByRelatedPodsOnSameNode(pods, related);
  ranked.sort((a, b) => (deleteBefore(a, b, now) ? -1 : deleteBefore(b, a, now) ? 1 : 0));
  return ranked.slice(0, diff).map((r) => r.pod);
}
