/**
 * Small facts about owners and dependents the garbage collector decides on (upstream
 * pkg/controller/garbagecollector: garbagecollector.go classifyReferences, patch.go,
 * operations.go): which finalizers mean "orphan" or "delete dependents first", the index of
 * objects by their owners' uids, and the request bodies that delete or detach a dependent.
 */
import type { KubeObject, OwnerReference } from '../../api/index.ts';

/** metav1.FinalizerOrphanDependents */
export const orphanFinalizer = 'orphan';
/** metav1.FinalizerDeleteDependents */
export const foregroundFinalizer = 'foregroundDeletion';

/** Index of objects by the uid of every owner they name. */
export const ownerUIDIndex = 'garbageCollectorOwnerUID';
export const byOwnerUID = (obj: KubeObject): string[] => (obj.metadata?.ownerReferences ?? []).map((r) => r.uid);

export const hasFinalizer = (obj: KubeObject, finalizer: string): boolean => obj.metadata.finalizers?.includes(finalizer) ?? false;
export const isBeingDeleted = (obj: KubeObject): boolean => Boolean(obj.metadata.deletionTimestamp);

/** An owner in foreground deletion: it waits for its blocking dependents to go (isDeletingDependents). */
export const isDeletingDependents = (obj: KubeObject): boolean => isBeingDeleted(obj) && hasFinalizer(obj, foregroundFinalizer);

/** Whether the garbage collector has anything to decide about this object. */
export const needsAttention = (obj: KubeObject): boolean => (obj.metadata.ownerReferences?.length ?? 0) > 0
  || (isBeingDeleted(obj) && (hasFinalizer(obj, orphanFinalizer) || hasFinalizer(obj, foregroundFinalizer)));

/** What a dependent's owner reference points at: a live owner, nothing, or an owner waiting for its dependents. */
export type OwnerState = 'solid' | 'dangling' | 'waiting';

export type DeletionPropagation = 'Background' | 'Foreground' | 'Orphan';

/** DeleteOptions that delete exactly this object (uid precondition) with a propagation policy. */
export const deleteOptions = (obj: KubeObject, propagationPolicy: DeletionPropagation) => ({
  apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy, preconditions: { uid: obj.metadata.uid },
});

/** deleteOwnerRefStrategicMergePatch: drops the references to `ownerUIDs`, only from this same object. */
export const removeOwnerRefsPatch = (dependent: KubeObject, ownerUIDs: readonly string[]) => ({
  metadata: { ownerReferences: ownerUIDs.map((uid) => ({ $patch: 'delete', uid })), uid: dependent.metadata.uid },
});

/**
 * unblockOwnerReferencesStrategicMergePatch: every blocking reference becomes non-blocking, so an owner
 * waiting in the foreground no longer waits for this object (how a cycle of waiting owners ends).
 */
export const unblockOwnerRefsPatch = (dependent: KubeObject) => ({
  metadata: {
    ownerReferences: (dependent.metadata.ownerReferences ?? [])
      .filter((r) => r.blockOwnerDeletion === true)
      .map((r) => ({ uid: r.uid, blockOwnerDeletion: false })),
    uid: dependent.metadata.uid,
  },
});

/** The reference a dependent holds to `ownerUID`, if any. */
export const referenceTo = (dependent: KubeObject, ownerUID: string): OwnerReference | undefined =>
  dependent.metadata.ownerReferences?.find((r) => r.uid === ownerUID);
