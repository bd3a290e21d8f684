/**
 * Conformance: kubernetes/kubernetes test/e2e/apps/replica_set.go ("[sig-apps] ReplicaSet"): the
 * ReplicaSet controller adopts and releases pods, scales through /scale, follows replace and patch,
 * and the API serves list, deletecollection and /status; pods are scheduled and run by the
 * kube-scheduler and fake-kubelet.
 */
import { describe, expect, it } from 'vitest';
import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions, type V1ReplicaSet } from '@kubernetes/client-node';
import { newFramework, poll, randomString, retryOnConflict } from '../framework.ts';
import { createSync, images, podComponents, podStartTimeoutMs } from '../pod-helpers.ts';
import { controlledBy, newRS, releaseOnePod, verifyPodsRunning, WatchStream, webserverImage, webserverImageName } from './replica-helpers.ts';

const f = newFramework('replicaset', { components: podComponents });

/** rsRetryTimeout upstream. */
const rsRetryTimeoutMs = 2 * 60_000;
const strategicMerge = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** e2ereplicaset.UpdateReplicaSetWithRetries. */
async function updateReplicaSetWithRetries(ns: string, name: string, apply: (rs: V1ReplicaSet) => void): Promise<V1ReplicaSet> {
  const apps = f.kc.makeApiClient(AppsV1Api);
  return retryOnConflict(async () => {
    const rs = await apps.readNamespacedReplicaSet({ name, namespace: ns });
    apply(rs);
    return apps.replaceNamespacedReplicaSet({ name, namespace: ns, body: rs });
  });
}

describe('[sig-apps] ReplicaSet', () => {
  it('Replica Set, adopt matching pods and release non matching pods', async () => {
    const ns = f.namespace;
    const core = f.kc.makeApiClient(CoreV1Api);
    const apps = f.kc.makeApiClient(AppsV1Api);
    const name = 'pod-adoption-release';
    // Given a Pod with a 'name' label pod-adoption-release is created
    const p = await createSync(f.kc, ns, {
      metadata: { name, labels: { name } },
      spec: { containers: [{ name, image: webserverImage }] },
    });

    // When a replicaset with a matching selector is created
    const replicas = 1;
    const rsSt = newRS(name, replicas, { name }, name, webserverImage);
    rsSt.spec!.selector = { matchLabels: { name } };
    const rs = await apps.createNamespacedReplicaSet({ namespace: ns, body: rsSt });

    // Then the orphan pod is adopted (or deleted and replaced)
    await poll('the orphan pod to be adopted', async () => {
      try {
        const p2 = await core.readNamespacedPod({ name: p.metadata!.name!, namespace: ns });
        return controlledBy(p2.metadata?.ownerReferences, rs.metadata?.uid) ? true : undefined;
      } catch (err) {
        if ((err as { code?: number }).code === 404) return true;
        throw err;
      }
    }, 60_000);

    await releaseOnePod(f.kc, ns, { name: rs.metadata!.name!, uid: rs.metadata?.uid }, replicas, 60_000);
  });

  it('ReplicaSet, completes the scaling of a ReplicaSet subresource', async () => {
    const ns = f.namespace;
    const apps = f.kc.makeApiClient(AppsV1Api);
    const rsPodLabels = { name: 'sample-pod', pod: webserverImageName };
    const rsName = 'test-rs';
    const replicas = 1;
    // Creating replica set "test-rs" that asks for more than the allowed pod quota
    await apps.createNamespacedReplicaSet({ namespace: ns, body: newRS(rsName, replicas, rsPodLabels, webserverImageName, webserverImage) });
    // Verify that the required pods have come up.
    await verifyPodsRunning(f.kc, ns, 'sample-pod', replicas);

    // getting scale subresource
    const scale = await apps.readNamespacedReplicaSetScale({ name: rsName, namespace: ns });
    expect(scale.spec?.replicas).toBe(1);
    expect(scale.status?.replicas).toBe(1);

    // updating a scale subresource
    scale.metadata!.resourceVersion = ''; // indicate the scale update should be unconditional
    scale.spec!.replicas = 2;
    const scaleResult = await apps.replaceNamespacedReplicaSetScale({ name: rsName, namespace: ns, body: scale });
    expect(scaleResult.spec?.replicas).toBe(2);

    // verifying the replicaset Spec.Replicas was modified
    let rs = await apps.readNamespacedReplicaSet({ name: rsName, namespace: ns });
    expect(rs.spec?.replicas).toBe(2);

    // Patch a scale subresource
    await apps.patchNamespacedReplicaSetScale({ name: rsName, namespace: ns, body: { spec: { replicas: 4 } } }, strategicMerge);
    rs = await apps.readNamespacedReplicaSet({ name: rsName, namespace: ns });
    expect(rs.spec?.replicas, 'replicaset should have 4 replicas').toBe(4);
  });

  it('ReplicaSet, is created, Replaced and Patched', async () => {
    const ns = f.namespace;
    const apps = f.kc.makeApiClient(AppsV1Api);
    const rsPodLabels = { name: 'sample-pod', pod: webserverImageName };
    const rsName = 'test-rs';
    const label = 'test-rs=patched';
    const replicas = 1;
    const rsPatchReplicas = 3;
    const rsPatchImage = images.pause;

    const rsList = await apps.listReplicaSetForAllNamespaces({ labelSelector: label });
    // Create a ReplicaSet
    await apps.createNamespacedReplicaSet({ namespace: ns, body: newRS(rsName, replicas, rsPodLabels, webserverImageName, webserverImage) });
    // Verify that the required pods have come up.
    await verifyPodsRunning(f.kc, ns, 'sample-pod', replicas);

    // Scaling up "test-rs" replicaset
    await updateReplicaSetWithRetries(ns, rsName, (update) => { update.spec!.replicas = 2; });

    // patching the ReplicaSet
    const rsPatch = {
      metadata: { labels: { 'test-rs': 'patched' } },
      spec: {
        replicas: rsPatchReplicas,
        template: { spec: { terminationGracePeriodSeconds: 0, containers: [{ name: rsName, image: rsPatchImage }] } },
      },
    };
    const patched = await apps.patchNamespacedReplicaSet({ name: rsName, namespace: ns, body: rsPatch }, strategicMerge);

    const w = await WatchStream.open<V1ReplicaSet>(f.kc, `/apis/apps/v1/namespaces/${ns}/replicasets`,
      { labelSelector: label, resourceVersion: rsList.metadata?.resourceVersion });
    try {
      expect(patched.spec?.template?.spec?.containers[0]?.name).toBe(rsName);
      await w.until(({ object: rset }) => rset.metadata?.name === rsName
        && rset.metadata?.labels?.['test-rs'] === 'patched'
        && rset.status?.readyReplicas === rsPatchReplicas
        && rset.status?.availableReplicas === rsPatchReplicas
        && rset.spec?.template?.spec?.containers[0]?.image === rsPatchImage
        && rset.spec?.template?.spec?.terminationGracePeriodSeconds === 0, podStartTimeoutMs);
    } finally {
      w.stop();
    }
  });

  it('ReplicaSet, list and delete a collection of ReplicaSets', async () => {
    const ns = f.namespace;
    const apps = f.kc.makeApiClient(AppsV1Api);
    const rsName = 'test-rs';
    const replicas = 3;
    const e2eValue = randomString(5);
    const rsPodLabels = { name: 'sample-pod', pod: webserverImageName, e2e: e2eValue };

    // Create a ReplicaSet
    await apps.createNamespacedReplicaSet({ namespace: ns, body: newRS(rsName, replicas, rsPodLabels, webserverImageName, webserverImage) });
    // Verify that the required pods have come up
    await verifyPodsRunning(f.kc, ns, 'sample-pod', replicas);
    await apps.readNamespacedReplicaSet({ name: rsName, namespace: ns });

    // Listing all ReplicaSets
    let rsList = await apps.listReplicaSetForAllNamespaces({ labelSelector: `e2e=${e2eValue}` });
    expect(rsList.items, "filtered list wasn't found").toHaveLength(1);

    // DeleteCollection of the ReplicaSets
    await apps.deleteCollectionNamespacedReplicaSet({ namespace: ns, gracePeriodSeconds: 1, labelSelector: `e2e=${e2eValue}` });

    // After DeleteCollection verify that ReplicaSets have been deleted
    rsList = await apps.listReplicaSetForAllNamespaces({ labelSelector: `e2e=${e2eValue}` });
    expect(rsList.items, 'filtered list should have no replicas').toHaveLength(0);
  });

  it('ReplicaSet, status sub-resource', async () => {
    const ns = f.namespace;
    const apps = f.kc.makeApiClient(AppsV1Api);
    const rsPodLabels = { name: 'sample-pod', pod: webserverImageName };
    const labelSelector = 'name=sample-pod,pod=httpd';
    const rsName = 'test-rs';
    const replicas = 1;

    const rsList = await apps.listReplicaSetForAllNamespaces({ labelSelector });
    // Create a Replicaset
    const testReplicaSet = await apps.createNamespacedReplicaSet({ namespace: ns, body: newRS(rsName, replicas, rsPodLabels, webserverImageName, webserverImage) });
    // Verify that the required pods have come up.
    await verifyPodsRunning(f.kc, ns, 'sample-pod', replicas);

    // Getting /status
    const rsStatus = await apps.readNamespacedReplicaSetStatus({ name: rsName, namespace: ns });
    expect(rsStatus.metadata?.uid).toBe(testReplicaSet.metadata?.uid);

    // updating the Replicaset Status
    const updatedStatus = await retryOnConflict(async () => {
      const statusToUpdate = await apps.readNamespacedReplicaSet({ name: rsName, namespace: ns });
      statusToUpdate.status!.conditions = [...(statusToUpdate.status?.conditions ?? []),
        { type: 'StatusUpdate', status: 'True', reason: 'E2E', message: 'Set from e2e test' }];
      return apps.replaceNamespacedReplicaSetStatus({ name: rsName, namespace: ns, body: statusToUpdate });
    });
    expect(updatedStatus.status?.conditions?.some((c) => c.type === 'StatusUpdate')).toBe(true);

    const matches = (rs: V1ReplicaSet) => rs.metadata?.name === testReplicaSet.metadata?.name
      && rs.metadata?.namespace === testReplicaSet.metadata?.namespace
      && rs.metadata?.labels?.name === testReplicaSet.metadata?.labels?.name
      && rs.metadata?.labels?.pod === testReplicaSet.metadata?.labels?.pod;

    // watching for the ReplicaSet status to be updated
    let w = await WatchStream.open<V1ReplicaSet>(f.kc, `/apis/apps/v1/namespaces/${ns}/replicasets`,
      { labelSelector, resourceVersion: rsList.metadata?.resourceVersion });
    try {
      await w.until(({ object: rs }) => matches(rs)
        && (rs.status?.conditions ?? []).some((c) => c.type === 'StatusUpdate' && c.reason === 'E2E' && c.message === 'Set from e2e test'), rsRetryTimeoutMs);
    } finally {
      w.stop();
    }

    // patching the Replicaset Status
    const patched = await apps.patchNamespacedReplicaSetStatus({ name: rsName, namespace: ns,
      body: { status: { conditions: [{ type: 'StatusPatched', status: 'True' }] } } }, mergePatch);
    expect(patched.status?.conditions?.map((c) => c.type)).toContain('StatusPatched');

    // watching for the Replicaset status to be patched
    w = await WatchStream.open<V1ReplicaSet>(f.kc, `/apis/apps/v1/namespaces/${ns}/replicasets`,
      { labelSelector, resourceVersion: rsList.metadata?.resourceVersion });
    try {
      await w.until(({ object: rs }) => matches(rs) && (rs.status?.conditions ?? []).some((c) => c.type === 'StatusPatched'), rsRetryTimeoutMs);
    } finally {
      w.stop();
    }
  });
});
