/**
 * The ReplicaSet and ReplicationController controllers of kube-controller-manager, one
 * implementation over a kind adapter (kubernetes pkg/controller/replicaset/replica_set.go; the
 * ReplicationManager in pkg/controller/replication is the same controller). Event handlers only turn
 * owners and pods into owner keys; `sync(key)` claims the owner's pods, creates or deletes pods
 * towards spec.replicas (slow-start batches, at most burstReplicas per sync, guarded by
 * expectations so it never acts twice on writes its informer has not seen), and writes status.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from '../../api/selectors/index.ts';
import {
  finalStateOf, splitMetaNamespaceKey, type DeletedFinalStateUnknown, type SharedIndexInformer,
} from '../../client/informers/index.ts';
import { isConflict, isNotFound, type RestClient } from '../../client/rest-client.ts';
import { WorkQueue } from '../../client/workqueue/workqueue.ts';
import { logger } from '../../util/log.ts';
import { RequeueAfter, runWorkers } from '../controller.ts';
import { newEventRecorder, type EventRecorder } from '../event-recorder.ts';
import { claimPods } from './claim-pods.ts';
import { Expectations } from './expectations.ts';
import { hasStatusCause, namespaceTerminatingCause, newPodControl } from './pod-control.ts';
import { podsToDelete } from './pod-ranking.ts';
import { controllerRefOf, isPodActive, isPodReady } from './pod-state.ts';
import type { ReplicaKind, ReplicaOwner, ReplicaStatus } from './replica-kind.ts';
import { calculateStatus, statusEqual } from './replica-status.ts';
import { slowStartBatch, slowStartInitialBatchSize } from './slow-start.ts';

const log = logger('kube-controller-manager');

/** BurstReplicas: the most pods one sync creates or deletes. */
export const burstReplicas = 500;
/** --concurrent-replicaset-syncs / --concurrent-rc-syncs default. */
export const defaultWorkers = 5;

/** Index of objects by their controller's uid (controllerUIDIndex); one function, so both controllers share the pods index. */
export const controllerUIDIndex = 'controllerUID';
export const byControllerUID = (obj: { metadata?: { ownerReferences?: readonly { controller?: boolean; uid: string; kind: string; name: string; apiVersion: string }[] } }): string[] => {
  const ref = controllerRefOf(obj);
  return ref ? [ref.uid] : [];
};

export interface ReplicaControllerDeps {
  kind: ReplicaKind;
  client: RestClient;
  owners: SharedIndexInformer<ReplicaOwner>;
  pods: SharedIndexInformer<Pod>;
  /** Default: events written through `client` under the kind's component name. */
  recorder?: EventRecorder;
  workers?: number;
  burstReplicas?: number;
  now?: () => Date;
}

const keyOf = (o: { metadata?: { namespace?: string; name?: string } }) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

export function newReplicaController(deps: ReplicaControllerDeps) {
  const { kind, client, owners, pods } = deps;
  const now = deps.now ?? (() => new Date());
  const burst = deps.burstReplicas ?? burstReplicas;
  const queue = new WorkQueue(5, 1_000_000);
  const expectations = new Expectations(() => now().getTime());
  const recorder = deps.recorder ?? newEventRecorder(client, kind.component, log);
  const podControl = newPodControl(kind, client, recorder);
  pods.addIndexers({ [controllerUIDIndex]: byControllerUID });
  owners.addIndexers({ [controllerUIDIndex]: byControllerUID });

  const selectorOf = (owner: ReplicaOwner): LabelSelector | undefined => {
    try {
      return kind.selectorOf(owner);
    } catch {
      return undefined;
    }
  };

  /** resolveControllerRef: the owner a controller reference names, if it is of our kind and the same object. */
  const resolve = (namespace: string, ref: ReturnType<typeof controllerRefOf>): ReplicaOwner | undefined => {
    if (!ref || ref.kind !== kind.kind) return undefined;
    const owner = owners.lister.get(namespace, ref.name);
    return owner?.metadata.uid === ref.uid ? owner : undefined;
  };

  /** getPodReplicaSets: owners in the pod's namespace whose (non-empty) selector matches it. */
  const ownersSelecting = (pod: Pod): ReplicaOwner[] => owners.lister.list(pod.metadata?.namespace ?? '').filter((o) => {
    const selector = selectorOf(o);
    return selector !== undefined && !selector.empty && selector.matches(pod.metadata?.labels ?? {});
  });

  const onPodDelete = (obj: Pod | DeletedFinalStateUnknown<Pod>) => {
    const pod = finalStateOf(obj);
    const owner = resolve(pod.metadata?.namespace ?? '', controllerRefOf(pod));
    if (!owner) return;
    const key = keyOf(owner);
    expectations.deletionObserved(key, keyOf(pod));
    queue.add(key);
  };

  pods.addEventHandler({
    onAdd(pod) {
      // A pod that shows up already being deleted (a restart, say) must not count as a creation.
      if (pod.metadata?.deletionTimestamp) { onPodDelete(pod); return; }
      const ref = controllerRefOf(pod);
      if (ref) {
        const owner = resolve(pod.metadata?.namespace ?? '', ref);
        if (!owner) return;
        expectations.creationObserved(keyOf(owner));
        queue.add(keyOf(owner));
        return;
      }
      // An orphan: wake every owner that might adopt it.
      for (const owner of ownersSelecting(pod)) queue.add(keyOf(owner));
    },
    onUpdate(oldPod, pod) {
      if (oldPod.metadata?.resourceVersion === pod.metadata?.resourceVersion) return;
      const labelsChanged = JSON.stringify(oldPod.metadata?.labels ?? {}) !== JSON.stringify(pod.metadata?.labels ?? {});
      if (pod.metadata?.deletionTimestamp) {
        // Graceful deletion: the pod stops counting now, not when the kubelet is done with it.
        onPodDelete(pod);
        if (labelsChanged) onPodDelete(oldPod);
        return;
      }
      const [oldRef, ref] = [controllerRefOf(oldPod), controllerRefOf(pod)];
      const refChanged = oldRef?.uid !== ref?.uid;
      if (refChanged && oldRef) {
        const previous = resolve(oldPod.metadata?.namespace ?? '', oldRef);
        if (previous) queue.add(keyOf(previous));
      }
      if (ref) {
        const owner = resolve(pod.metadata?.namespace ?? '', ref);
        if (!owner) return;
        queue.add(keyOf(owner));
        // Available only minReadySeconds after Ready: look again then.
        const minReady = owner.spec?.minReadySeconds ?? 0;
        if (!isPodReady(oldPod) && isPodReady(pod) && minReady > 0) queue.addAfter(keyOf(owner), minReady * 1000 + 1000);
        return;
      }
      if (labelsChanged || refChanged) for (const owner of ownersSelecting(pod)) queue.add(keyOf(owner));
    },
    onDelete: onPodDelete,
  });

  owners.addEventHandler({
    onAdd: (o) => queue.add(keyOf(o)),
    onUpdate(oldO, o) {
      if (oldO.metadata.uid !== o.metadata.uid) expectations.delete(keyOf(oldO));
      queue.add(keyOf(o));
    },
    onDelete(obj) {
      const o = finalStateOf(obj);
      expectations.delete(keyOf(o));
      queue.add(keyOf(o));
    },
  });

  /** RecheckDeletionTimestamp: adopt only while a live read shows the same owner, not being deleted. */
  const canAdopt = (owner: ReplicaOwner) => async (): Promise<void> => {
    const { namespace = '', name = '', uid } = owner.metadata;
    const fresh = await client.get<ReplicaOwner>(kind.path(namespace, name));
    if (fresh.metadata.uid !== uid) throw new Error(`original ${kind.kind} ${namespace}/${name} is gone: got uid ${fresh.metadata.uid}, wanted ${uid}`);
    if (fresh.metadata.deletionTimestamp) throw new Error(`${namespace}/${name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
  };

  /** Pods of owners that share this owner's controller (a Deployment's ReplicaSets), for the doubled-up rank. */
  const relatedPods = (owner: ReplicaOwner): Pod[] => {
    const ref = controllerRefOf(owner);
    if (!ref) return [];
    const seen = new Map<string, Pod>();
    for (const sibling of owners.lister.byIndex(controllerUIDIndex, ref.uid)) {
      for (const pod of pods.lister.byIndex(controllerUIDIndex, sibling.metadata.uid ?? '')) seen.set(pod.metadata?.uid ?? '', pod);
    }
    return [...seen.values()];
  };

  /** manageReplicas: one step towards spec.replicas; resolves to the error to report, if any. */
  async function manageReplicas(key: string, owner: ReplicaOwner, active: Pod[]): Promise<unknown> {
    const diff = active.length - (owner.spec?.replicas ?? 1);
    if (diff < 0) {
      const count = Math.min(-diff, burst);
      // Expect every create first: a pod can show up in the informer before its create returns.
      expectations.expectCreations(key, count);
      const { successes, error } = await slowStartBatch(count, slowStartInitialBatchSize, async () => {
        try {
          await podControl.createPod(owner);
        } catch (err) {
          // Every create in a namespace being deleted fails; there is nothing to do.
          if (hasStatusCause(err, namespaceTerminatingCause)) return;
          throw err;
        }
      });
      // Creates that failed or never ran will not be observed.
      for (let i = successes; i < count; i++) expectations.creationObserved(key);
      return error;
    }
    if (diff > 0) {
      const victims = podsToDelete(active, relatedPods(owner), Math.min(diff, burst), now().getTime());
      expectations.expectDeletions(key, victims.map(keyOf));
      const results = await Promise.allSettled(victims.map(async (pod) => {
        try {
          await podControl.deletePod(owner, pod);
        } catch (err) {
          // Its deletion will not be observed as ours.
          expectations.deletionObserved(key, keyOf(pod));
          if (!isNotFound(err)) throw err;
        }
      }));
      return results.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason;
    }
    return undefined;
  }

  /** updateReplicaSetStatus: write when anything changed, once more on a conflict with a fresh read. */
  async function updateStatus(owner: ReplicaOwner, status: ReplicaStatus): Promise<ReplicaOwner> {
    const generation = owner.metadata.generation ?? 0;
    if (statusEqual(owner.status, { ...status, observedGeneration: owner.status?.observedGeneration }) && owner.status?.observedGeneration === generation) return owner;
    const path = `${kind.path(owner.metadata.namespace ?? '', owner.metadata.name ?? '')}/status`;
    let current = owner;
    for (let attempt = 0; ; attempt++) {
      const body = { ...structuredClone(current), apiVersion: kind.apiVersion, kind: kind.kind, status: { ...status, observedGeneration: current.metadata.generation ?? generation } };
      try {
        return await client.update<ReplicaOwner>(path, body);
      } catch (err) {
        if (isNotFound(err)) return owner;
        if (!isConflict(err) || attempt >= 1) throw err;
        current = await client.get<ReplicaOwner>(kind.path(owner.metadata.namespace ?? '', owner.metadata.name ?? ''));
        if (current.metadata.uid !== owner.metadata.uid) return owner;
      }
    }
  }

  async function sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const owner = owners.lister.get(namespace, name);
    if (!owner) {
      expectations.delete(key);
      return;
    }
    const needsSync = expectations.satisfied(key);
    const selector = selectorOf(owner);
    if (!selector) {
      // Validation keeps bad selectors out; retrying would not help.
      log.warn('invalid selector', { controller: kind.component, key });
      return;
    }
    const active = pods.lister.list(namespace).filter(isPodActive);
    const { claimed, errors } = await claimPods(owner, selector, active, { podControl, canAdopt: canAdopt(owner) });
    if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('; '));

    let manageError: unknown;
    if (needsSync && !owner.metadata.deletionTimestamp) manageError = await manageReplicas(key, owner, claimed);
    const updated = await updateStatus(owner, calculateStatus(owner, claimed, manageError, now()));
    if (manageError !== undefined) throw manageError;
    const replicas = updated.spec?.replicas ?? 1;
    const minReady = updated.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && updated.status?.readyReplicas === replicas && updated.status?.availableReplicas !== replicas) {
      throw new RequeueAfter(minReady * 1000, `${key}: waiting minReadySeconds for availability`);
    }
  }

  return {
    sync,
    expectations,
    async run(signal: AbortSignal): Promise<void> {
      const synced = await Promise.all([owners.whenSynced(signal), pods.whenSynced(signal)]);
      if (!synced.every(Boolean)) return;
      await runWorkers(kind.component, queue, sync, log, deps.workers ?? defaultWorkers, signal);
    },
  };
}

export type ReplicaController = ReturnType<typeof newReplicaController>;
