/**
 * The scaling decisions of a Deployment sync as pure functions over its ReplicaSets (kubernetes
 * pkg/controller/deployment/rolling.go reconcileNewReplicaSet / reconcileOldReplicaSets /
 * cleanupUnhealthyReplicas / scaleDownOldReplicaSetsForRollingUpdate, recreate.go, sync.go scale,
 * util NewRSNewReplicas). Each returns the steps to take, in order; the controller applies them
 * (one ReplicaSet update and one ScalingReplicaSet event per size change).
 */
import { isRollingUpdate, maxSurge, maxUnavailable, scaledValue } from './fenceposts.ts';
import {
  availableReplicaCount, byCreationTimestamp, bySizeNewer, bySizeOlder, filterActive, findActiveOrLatest, isSaturated,
  proportion, replicaCount,
} from './replica-sets.ts';
import { desiredReplicas, specReplicas, type Deployment, type ReplicaSet } from './types.ts';

/** Set `rs` to `to` replicas; `operation` is the event's word ("up"/"down", "" when only annotations change). */
export interface ScaleStep {
  rs: ReplicaSet;
  to: number;
  operation: 'up' | 'down' | '';
}

const step = (rs: ReplicaSet, to: number): ScaleStep => ({ rs, to, operation: to > specReplicas(rs) ? 'up' : 'down' });
const withReplicas = (rs: ReplicaSet, replicas: number): ReplicaSet => ({ ...rs, spec: { ...rs.spec!, replicas } });

/** NewRSNewReplicas: the new ReplicaSet's size this step (surge-bounded for RollingUpdate, all for Recreate). */
export function newRSNewReplicas(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet): number {
  const desired = desiredReplicas(d);
  if (!isRollingUpdate(d)) return desired;
  const surge = scaledValue(d.spec?.strategy?.rollingUpdate?.maxSurge, desired, true);
  const current = replicaCount(allRSs);
  const maxTotal = desired + surge;
  if (current >= maxTotal) return specReplicas(newRS);
  return specReplicas(newRS) + Math.min(maxTotal - current, desired - specReplicas(newRS));
}

/** reconcileNewReplicaSet: scale the new ReplicaSet up within maxSurge, or down to spec.replicas. */
export function planNewReplicaSet(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet): ScaleStep[] {
  const desired = desiredReplicas(d);
  const current = specReplicas(newRS);
  if (current === desired) return [];
  const to = current > desired ? desired : newRSNewReplicas(d, allRSs, newRS);
  return to === current ? [] : [step(newRS, to)];
}

/**
 * reconcileOldReplicaSets: first remove old pods that are not available (they cost no
 * availability), then scale old ReplicaSets down, oldest first, while more than
 * spec.replicas - maxUnavailable pods stay available, counting the new ReplicaSet's unavailable pods.
 */
export function planOldReplicaSets(d: Deployment, allRSs: readonly ReplicaSet[], activeOldRSs: readonly ReplicaSet[],
  newRS: ReplicaSet): ScaleStep[] {
  if (replicaCount(activeOldRSs) === 0) return [];
  const minAvailable = desiredReplicas(d) - maxUnavailable(d);
  const newUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = replicaCount(allRSs) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return [];
  const steps: ScaleStep[] = [];
  // cleanupUnhealthyReplicas
  const olds = [...activeOldRSs].sort(byCreationTimestamp);
  let cleaned = 0;
  for (let i = 0; i < olds.length && cleaned < maxScaledDown; i++) {
    const rs = olds[i]!;
    const unhealthy = specReplicas(rs) - (rs.status?.availableReplicas ?? 0);
    if (specReplicas(rs) === 0 || unhealthy <= 0) continue;
    const count = Math.min(maxScaledDown - cleaned, unhealthy);
    steps.push(step(rs, specReplicas(rs) - count));
    olds[i] = withReplicas(rs, specReplicas(rs) - count);
    cleaned += count;
  }
  // scaleDownOldReplicaSetsForRollingUpdate
  const available = availableReplicaCount([...olds, newRS]);
  if (available <= minAvailable) return steps;
  const toScaleDown = available - minAvailable;
  let scaled = 0;
  for (const rs of olds) {
    if (scaled >= toScaleDown) break;
    if (specReplicas(rs) === 0) continue;
    const count = Math.min(specReplicas(rs), toScaleDown - scaled);
    steps.push(step(rs, specReplicas(rs) - count));
    scaled += count;
  }
  return steps;
}

/**
 * scale (a resize outside a rollout, or of a paused Deployment): one active ReplicaSet takes
 * spec.replicas; a saturated new one means old ones go to 0; otherwise, for RollingUpdate, the
 * difference to spec.replicas + maxSurge is spread over the active ReplicaSets in proportion to
 * their size, leftovers to the largest.
 */
export function planScale(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ScaleStep[] {
  const desired = desiredReplicas(d);
  const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
  if (activeOrLatest) return specReplicas(activeOrLatest) === desired ? [] : [step(activeOrLatest, desired)];
  if (isSaturated(d, newRS)) return filterActive(oldRSs).map((rs) => step(rs, 0));
  if (!isRollingUpdate(d)) return [];
  const active = filterActive([...oldRSs, newRS]);
  const allowed = desired > 0 ? desired + maxSurge(d) : 0;
  const toAdd = allowed - replicaCount(active);
  const operation: ScaleStep['operation'] = toAdd > 0 ? 'up' : toAdd < 0 ? 'down' : '';
  if (toAdd > 0) active.sort(bySizeNewer); else if (toAdd < 0) active.sort(bySizeOlder);
  let added = 0;
  const sizes = active.map((rs) => {
    if (toAdd === 0) return specReplicas(rs);
    const p = proportion(rs, d, toAdd, added);
    added += p;
    return specReplicas(rs) + p;
  });
  if (toAdd !== 0 && sizes.length > 0) sizes[0] = Math.max(0, sizes[0]! + toAdd - added);
  return active.map((rs, i) => ({ rs, to: sizes[i]!, operation }));
}

/** scaleDownOldReplicaSetsForRecreate: every active old ReplicaSet to 0. */
export function planRecreateScaleDown(activeOldRSs: readonly ReplicaSet[]): ScaleStep[] {
  return activeOldRSs.filter((rs) => specReplicas(rs) !== 0).map((rs) => step(rs, 0));
}
