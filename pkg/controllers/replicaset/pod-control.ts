/**
 * How a replica controller changes pods (kubernetes pkg/controller/controller_utils.go RealPodControl
 * and GetPodFromTemplate, controller_ref_manager.go's owner-reference patches): create from the
 * template under generateName `<owner>-` with the owner as controller, delete by name, and adopt or
 * release with strategic merge patches that carry the pod's uid, so a pod deleted and recreated under
 * the same name is never touched by mistake. Creates and deletes are recorded as events on the owner.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from '../../api/index.ts';
import { ApiError, type RestClient } from '../../client/rest-client.ts';
import type { EventRecorder } from '../event-recorder.ts';
import type { ReplicaKind, ReplicaOwner } from './replica-kind.ts';

/** v1.NamespaceTerminatingCause: creating in a namespace being deleted fails with this cause. */
export const namespaceTerminatingCause = 'NamespaceTerminating';

export function hasStatusCause(err: unknown, type: string): boolean {
  return err instanceof ApiError && (err.status.details?.causes ?? []).some((c) => c.reason === type);
}

/** metav1.NewControllerRef. */
export function controllerRefFor(kind: ReplicaKind, owner: ReplicaOwner): OwnerReference {
  return { apiVersion: kind.apiVersion, kind: kind.kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** GetPodFromTemplate: labels, annotations and finalizers of the template, its spec, and the owner as controller. */
export function podFromTemplate(kind: ReplicaKind, owner: ReplicaOwner): Pod {
  const template = owner.spec?.template ?? {};
  const name = owner.metadata.name ?? '';
  // getPodsPrefix: `<name>-` unless that is too long to be a valid name prefix.
  const generateName = name.length < 253 ? `${name}-` : name;
  const meta = template.metadata ?? {};
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      generateName,
      namespace: owner.metadata.namespace,
      ...(meta.labels ? { labels: { ...meta.labels } } : {}),
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [controllerRefFor(kind, owner)],
    },
    spec: structuredClone(template.spec ?? { containers: [] }),
  };
}

const podsPath = (namespace: string) => `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;

export interface PodControl {
  /** Creates one pod for `owner`; records SuccessfulCreate or FailedCreate. */
  createPod(owner: ReplicaOwner): Promise<Pod>;
  /** Deletes one pod of `owner`; records SuccessfulDelete or FailedDelete (not for a pod already gone). */
  deletePod(owner: ReplicaOwner, pod: Pod): Promise<void>;
  /** Makes `owner` the pod's controller. */
  adoptPod(owner: ReplicaOwner, pod: Pod): Promise<void>;
  /** Removes `owner` from the pod's owner references. */
  releasePod(owner: ReplicaOwner, pod: Pod): Promise<void>;
}

export function newPodControl(kind: ReplicaKind, client: RestClient, recorder: EventRecorder): PodControl {
  const subject = (owner: ReplicaOwner) => ({ apiVersion: kind.apiVersion, kind: kind.kind, metadata: owner.metadata });
  const podPath = (pod: Pod) => `${podsPath(pod.metadata?.namespace ?? '')}/${encodeURIComponent(pod.metadata?.name ?? '')}`;
  return {
    async createPod(owner) {
      const pod = podFromTemplate(kind, owner);
      if (Object.keys(pod.metadata?.labels ?? {}).length === 0) throw new Error('unable to create pods, no labels');
      try {
        const created = await client.create<Pod>(podsPath(owner.metadata.namespace ?? ''), pod);
        recorder.event(subject(owner), 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name}`);
        return created;
      } catch (err) {
        // Only when the namespace is not going away (upstream createPods).
        if (!hasStatusCause(err, namespaceTerminatingCause)) recorder.event(subject(owner), 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`);
        throw err;
      }
    },
    async deletePod(owner, pod) {
      try {
        await client.delete(podPath(pod));
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 404)) {
          recorder.event(subject(owner), 'Warning', 'FailedDelete', `Error deleting: ${(err as Error).message}`);
        }
        throw err;
      }
      recorder.event(subject(owner), 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata?.name}`);
    },
    async adoptPod(owner, pod) {
      await client.strategicMergePatch(podPath(pod), {
        metadata: { ownerReferences: [controllerRefFor(kind, owner)], uid: pod.metadata?.uid },
      });
    },
    async releasePod(owner, pod) {
      await client.strategicMergePatch(podPath(pod), {
        metadata: { ownerReferences: [{ $patch: 'delete', uid: owner.metadata.uid }], uid: pod.metadata?.uid },
      });
    },
  };
}
