/**
 * Which ReplicaSets a Deployment owns (kubernetes pkg/controller/controller_ref_manager.go
 * ReplicaSetControllerRefManager.ClaimReplicaSets, and deployment_controller.go
 * getReplicaSetsForDeployment): its own that still match its selector; matching orphans are
 * adopted (owner reference added by a strategic merge patch carrying the ReplicaSet's uid) once a
 * live read confirms the Deployment is still there and not being deleted; its own that no longer
 * match are released. ReplicaSets controlled by something else are never touched.
 */
import type { LabelSelector } from '../../api/selectors/index.ts';
import { ApiError, type RestClient } from '../../client/rest-client.ts';
import { controllerRefOf } from './replica-sets.ts';
import type { Deployment, ReplicaSet } from './types.ts';

export const deploymentPath = (namespace: string, name: string): string =>
  `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments/${encodeURIComponent(name)}`;
export const replicaSetPath = (namespace: string, name: string): string =>
  `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/replicasets/${encodeURIComponent(name)}`;

/** metav1.NewControllerRef for a Deployment. */
export function controllerRefFor(d: Deployment) {
  return { apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata?.name ?? '', uid: d.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
}

const isNotFound = (err: unknown): boolean => err instanceof ApiError && err.code === 404;

/** The ReplicaSets of `candidates` that `d` controls after adopting and releasing; adopted ones come back as patched. */
export async function claimReplicaSets(client: RestClient, d: Deployment, selector: LabelSelector,
  candidates: readonly ReplicaSet[]): Promise<ReplicaSet[]> {
  const namespace = d.metadata?.namespace ?? '';
  let adoptable: Promise<void> | undefined;
  // RecheckDeletionTimestamp: one live read per sync, and only when there is something to adopt.
  const canAdopt = () => (adoptable ??= (async () => {
    const fresh = await client.get<Deployment>(deploymentPath(namespace, d.metadata?.name ?? ''));
    if (fresh.metadata?.uid !== d.metadata?.uid) {
      throw new Error(`original Deployment ${namespace}/${d.metadata?.name} is gone: got uid ${fresh.metadata?.uid}, wanted ${d.metadata?.uid}`);
    }
    if (fresh.metadata?.deletionTimestamp) throw new Error(`${namespace}/${d.metadata?.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
  })());
  const claimed: ReplicaSet[] = [];
  for (const rs of candidates) {
    const ref = controllerRefOf(rs);
    const matches = selector.matches(rs.metadata?.labels);
    const path = replicaSetPath(namespace, rs.metadata?.name ?? '');
    if (ref) {
      if (ref.uid !== d.metadata?.uid) continue;
      if (matches) { claimed.push(rs); continue; }
      if (d.metadata?.deletionTimestamp) continue;
      await client.strategicMergePatch(path, { metadata: { ownerReferences: [{ $patch: 'delete', uid: d.metadata?.uid }], uid: rs.metadata?.uid } })
        .catch((err: unknown) => { if (!isNotFound(err) && !(err instanceof ApiError && err.code === 422)) throw err; });
      continue;
    }
    if (!matches || d.metadata?.deletionTimestamp || rs.metadata?.deletionTimestamp) continue;
    await canAdopt();
    try {
      claimed.push(await client.strategicMergePatch<ReplicaSet>(path, { metadata: { ownerReferences: [controllerRefFor(d)], uid: rs.metadata?.uid } }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  return claimed;
}
