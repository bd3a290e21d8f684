/**
 * Which pods a replica controller owns (kubernetes pkg/controller/controller_ref_manager.go
 * PodControllerRefManager.ClaimPods): its own pods that still match its selector; orphans that
 * match are adopted, and its pods that no longer match are released. Adoption happens only while
 * the owner is not being deleted, checked once per sync against a live read of the owner
 * (RecheckDeletionTimestamp), since the informer's copy may be stale. Pods owned by another
 * controller are never touched. Errors are collected; the pods claimed so far are still returned.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from '../../api/selectors/index.ts';
import { ApiError } from '../../client/rest-client.ts';
import type { PodControl } from './pod-control.ts';
import { controllerRefOf } from './pod-state.ts';
import type { ReplicaOwner } from './replica-kind.ts';

export interface ClaimDeps {
  podControl: PodControl;
  /** Throws unless adopting is allowed now (owner still there, same uid, not being deleted). */
  canAdopt: () => Promise<void>;
}

export interface ClaimResult {
  claimed: Pod[];
  errors: Error[];
}

/** NotFound: the pod is gone. Invalid: no such owner reference, or the pod was recreated (uid differs). */
const ignorableReleaseError = (err: unknown) => err instanceof ApiError && (err.code === 404 || err.code === 422);

export async function claimPods(owner: ReplicaOwner, selector: LabelSelector, pods: readonly Pod[], deps: ClaimDeps): Promise<ClaimResult> {
  const claimed: Pod[] = [];
  const errors: Error[] = [];
  const ownerDeleting = Boolean(owner.metadata.deletionTimestamp);
  const matches = (pod: Pod) => selector.matches(pod.metadata?.labels ?? {});
  // One live check per sync, and only when there is an orphan to adopt (upstream's sync.Once).
  let canAdopt: Promise<void> | undefined;
  for (const pod of pods) {
    const ref = controllerRefOf(pod);
    if (ref) {
      if (ref.uid !== owner.metadata.uid) continue;
      if (matches(pod)) { claimed.push(pod); continue; }
      if (ownerDeleting) continue;
      try {
        await deps.podControl.releasePod(owner, pod);
      } catch (err) {
        if (!ignorableReleaseError(err)) errors.push(err as Error);
      }
      continue;
    }
    if (ownerDeleting || !matches(pod) || pod.metadata?.deletionTimestamp) continue;
    if (owner.metadata.namespace && owner.metadata.namespace !== pod.metadata?.namespace) continue;
    try {
      canAdopt ??= deps.canAdopt();
      try {
        await canAdopt;
      } catch (err) {
        throw new Error(`can't adopt Pod ${pod.metadata?.namespace}/${pod.metadata?.name} (${pod.metadata?.uid}): ${(err as Error).message}`);
      }
      await deps.podControl.adoptPod(owner, pod);
      claimed.push(pod);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 404)) errors.push(err as Error);
    }
  }
  return { claimed, errors };
}
