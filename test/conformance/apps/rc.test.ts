/**
 * Conformance: kubernetes/kubernetes test/e2e/apps/rc.go ("[sig-apps] ReplicationController"): the
 * ReplicationController controller adopts and releases pods, reports ReplicaFailure under quota,
 * scales through /scale, and an RC's whole lifecycle produces the watch events upstream expects;
 * pods are scheduled and run by the kube-scheduler and fake-kubelet.
 */
import { describe, expect, it } from 'vitest';
import { CoreV1Api, PatchStrategy, setHeaderOptions, type V1ReplicationController } from '@kubernetes/client-node';
import { newFramework, poll, randomString, retryOnConflict } from '../framework.ts';
import { createSync, images, podComponents, podStartTimeoutMs } from '../pod-helpers.ts';
import { controlledBy, newRC, releaseOnePod, WatchStream, webserverImage, webserverImageName } from './replica-helpers.ts';

const f = newFramework('replication-controller', { components: podComponents });

const strategicMerge = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
const minuteMs = 60_000;

/** updateReplicationControllerWithRetries upstream. */
async function updateReplicationControllerWithRetries(ns: string, name: string,
  apply: (rc: V1ReplicationController) => void): Promise<V1ReplicationController> {
  const core = f.kc.makeApiClient(CoreV1Api);
  return retryOnConflict(async () => {
    const rc = await core.readNamespacedReplicationController({ name, namespace: ns });
    apply(rc);
    return core.replaceNamespacedReplicationController({ name, namespace: ns, body: rc });
  });
}

/** checkReplicationControllerStatusReplicaCount upstream, polled for a minute. */
async function waitForStatusReplicas(ns: string, name: string, quantity: number): Promise<void> {
  const core = f.kc.makeApiClient(CoreV1Api);
  await poll(`${quantity} replicas in the status of ${name}`, async () => {
    const rc = await core.readNamespacedReplicationController({ name, namespace: ns });
    return rc.status?.replicas === quantity ? true : undefined;
  }, minuteMs);
}

/** Polls the RC until its status observed the generation it had when `generation` was read, then checks `done`. */
async function waitForCondition(ns: string, name: string, generation: number, done: (rc: V1ReplicationController) => boolean, what: string): Promise<void> {
  const core = f.kc.makeApiClient(CoreV1Api);
  await poll(what, async () => {
    const rc = await core.readNamespacedReplicationController({ name, namespace: ns });
    if (generation > (rc.status?.observedGeneration ?? 0)) return undefined;
    return done(rc) ? true : undefined;
  }, minuteMs);
}

const replicaFailure = (rc: V1ReplicationController) => rc.status?.conditions?.find((c) => c.type === 'ReplicaFailure');

describe('[sig-apps] ReplicationController', () => {
  it('Replication Controller, check for issues like exceeding allocated quota', async () => {
    const ns = f.namespace;
    const core = f.kc.makeApiClient(CoreV1Api);
    const name = 'condition-test';

    // Creating quota "condition-test" that allows only two pods to run in the current namespace
    await core.createNamespacedResourceQuota({ namespace: ns, body: { metadata: { name }, spec: { hard: { pods: '2' } } } });
    await poll(`resource quota ${name} to sync`, async () => {
      const quota = await core.readNamespacedResourceQuota({ name, namespace: ns });
      return quota.status?.hard?.pods === '2' ? true : undefined;
    }, minuteMs);

    // Creating rc "condition-test" that asks for more than the allowed pod quota
    let rc = await core.createNamespacedReplicationController({ namespace: ns, body: newRC(name, 3, { name }, webserverImageName, webserverImage) });

    // Checking rc "condition-test" has the desired failure condition set
    await waitForCondition(ns, name, rc.metadata?.generation ?? 0, (live) => replicaFailure(live) !== undefined,
      `the rc manager to add the failure condition for rc ${name}`);

    // Scaling down rc "condition-test" to satisfy pod quota
    rc = await updateReplicationControllerWithRetries(ns, name, (update) => { update.spec!.replicas = 2; });

    // Checking rc "condition-test" has no failure condition set
    await waitForCondition(ns, name, rc.metadata?.generation ?? 0, (live) => replicaFailure(live) === undefined,
      `the rc manager to remove the failure condition for rc ${name}`);
  });

  it('Replication Controller, adopt matching pods', async () => {
    const ns = f.namespace;
    const core = f.kc.makeApiClient(CoreV1Api);
    const name = 'pod-adoption';
    // Given a Pod with a 'name' label pod-adoption is created
    const p = await createSync(f.kc, ns, { metadata: { name, labels: { name } }, spec: { containers: [{ name, image: webserverImage }] } });

    // When a replication controller with a matching selector is created
    const rcSt = newRC(name, 1, { name }, name, webserverImage);
    rcSt.spec!.selector = { name };
    const rc = await core.createNamespacedReplicationController({ namespace: ns, body: rcSt });

    // Then the orphan pod is adopted (or deleted and replaced)
    await poll('the orphan pod to be adopted', async () => {
      try {
        const p2 = await core.readNamespacedPod({ name: p.metadata!.name!, namespace: ns });
        return controlledBy(p2.metadata?.ownerReferences, rc.metadata?.uid) ? true : undefined;
      } catch (err) {
        if ((err as { code?: number }).code === 404) return true;
        throw err;
      }
    }, minuteMs);
  });

  it('Replication Controller, release pods', async () => {
    const ns = f.namespace;
    const core = f.kc.makeApiClient(CoreV1Api);
    const name = 'pod-release';
    // Given a ReplicationController is created
    const rcSt = newRC(name, 1, { name }, name, webserverImage);
    rcSt.spec!.selector = { name };
    const rc = await core.createNamespacedReplicationController({ namespace: ns, body: rcSt });

    await releaseOnePod(f.kc, ns, { name: rc.metadata!.name!, uid: rc.metadata?.uid }, 1, minuteMs);
  });

  it('Replication Controller, lifecycle', async () => {
    const ns = f.namespace;
    const core = f.kc.makeApiClient(CoreV1Api);
    const testRcName = 'rc-test';
    const testRcInitialReplicaCount = 1;
    const testRcMaxReplicaCount = 2;
    const selector = 'test-rc-static=true';
    const expectedWatchEvents = ['ADDED', 'MODIFIED', 'MODIFIED', 'MODIFIED', 'MODIFIED', 'DELETED'];
    const rcTest: V1ReplicationController = {
      metadata: { name: testRcName, labels: { 'test-rc-static': 'true' } },
      spec: {
        replicas: testRcInitialReplicaCount,
        selector: { 'test-rc-static': 'true' },
        template: {
          metadata: { name: testRcName, labels: { 'test-rc-static': 'true' } },
          spec: { containers: [{ name: testRcName, image: images.nginx }] },
        },
      },
    };

    // WatchEventSequenceVerifier: a watch from a list of the RCs with the label, the recorded event types compared at the end.
    const initial = await core.listNamespacedReplicationController({ namespace: ns, labelSelector: selector });
    const w = await WatchStream.open<V1ReplicationController>(f.kc, `/api/v1/namespaces/${ns}/replicationcontrollers`,
      { labelSelector: selector, resourceVersion: initial.metadata?.resourceVersion });
    const actualWatchEvents: string[] = [];
    const record = async (type: string, timeoutMs: number) => {
      const event = await w.until((e) => e.type === type, timeoutMs);
      actualWatchEvents.push(event.type);
    };
    try {
      // creating a ReplicationController
      await core.createNamespacedReplicationController({ namespace: ns, body: rcTest });
      // waiting for RC to be added
      await record('ADDED', minuteMs);

      // waiting for available Replicas
      await w.until(({ object: rc }) => rc.status?.replicas === testRcInitialReplicaCount
        && rc.status?.readyReplicas === testRcInitialReplicaCount, podStartTimeoutMs);

      // patching ReplicationController
      const testRcPatched = await core.patchNamespacedReplicationController({ name: testRcName, namespace: ns,
        body: { metadata: { labels: { 'test-rc': 'patched' } } } }, strategicMerge);
      expect(testRcPatched.metadata?.labels?.['test-rc'], 'failed to patch RC').toBe('patched');
      // waiting for RC to be modified
      await record('MODIFIED', minuteMs);

      // patching ReplicationController status
      const rcStatus = await core.patchNamespacedReplicationControllerStatus({ name: testRcName, namespace: ns,
        body: { status: { readyReplicas: 0, availableReplicas: 0 } } }, strategicMerge);
      expect(rcStatus.status?.readyReplicas ?? 0, "ReplicationControllerStatus's readyReplicas does not equal 0").toBe(0);
      // waiting for RC to be modified
      await record('MODIFIED', minuteMs);

      // waiting for available Replicas
      await w.until(({ object: rc }) => rc.status?.replicas === testRcInitialReplicaCount, podStartTimeoutMs);
      // fetching ReplicationController status
      const fetched = await core.readNamespacedReplicationControllerStatus({ name: testRcName, namespace: ns });
      expect(fetched.status?.replicas, 'ReplicationController ReplicaSet cound does not match initial Replica count').toBe(testRcInitialReplicaCount);

      // patching ReplicationController scale
      await core.patchNamespacedReplicationControllerScale({ name: testRcName, namespace: ns,
        body: { spec: { replicas: testRcMaxReplicaCount } } }, strategicMerge);
      // waiting for RC to be modified
      await record('MODIFIED', podStartTimeoutMs);

      // waiting for ReplicationController's scale to be the max amount
      await w.until(({ object: rc }) => rc.metadata?.name === testRcName && rc.metadata?.namespace === ns
        && rc.status?.replicas === testRcMaxReplicaCount && rc.status?.readyReplicas === testRcMaxReplicaCount, podStartTimeoutMs);

      // fetching ReplicationController; ensuring that it's patched
      const rc = await core.readNamespacedReplicationController({ name: testRcName, namespace: ns });
      expect(rc.metadata?.labels?.['test-rc'], 'ReplicationController is missing a label from earlier patch').toBe('patched');

      // updating ReplicationController status
      rc.status!.availableReplicas = 1;
      rc.status!.readyReplicas = 1;
      await core.replaceNamespacedReplicationControllerStatus({ name: testRcName, namespace: ns, body: rc });
      // waiting for RC to be modified
      await record('MODIFIED', minuteMs);

      // listing all ReplicationControllers
      const rcs = await core.listReplicationControllerForAllNamespaces({ labelSelector: selector });
      expect(rcs.items, 'Expected to find a ReplicationController but none was found').not.toHaveLength(0);
      // checking that ReplicationController has expected values
      expect(rcs.items.some((item) => item.metadata?.name === testRcName && item.metadata?.namespace === ns
        && item.metadata?.labels?.['test-rc-static'] === 'true' && item.metadata?.labels?.['test-rc'] === 'patched'),
      "ReplicationController doesn't have expected values").toBe(true);

      // deleting ReplicationControllers by collection
      await core.deleteCollectionNamespacedReplicationController({ namespace: ns, labelSelector: selector });
      // waiting for ReplicationController to have a DELETED watchEvent
      await record('DELETED', minuteMs);
    } finally {
      w.stop();
    }
    expect(actualWatchEvents).toEqual(expectedWatchEvents);
  });

  it('Replication Controller, get and update ReplicationController scale', async () => {
    const ns = f.namespace;
    const core = f.kc.makeApiClient(CoreV1Api);
    const rcName = `e2e-rc-${randomString(5)}`;
    const initialRCReplicaCount = 1;
    const expectedRCReplicaCount = 2;

    // Creating ReplicationController
    await core.createNamespacedReplicationController({ namespace: ns,
      body: newRC(rcName, initialRCReplicaCount, { name: rcName }, webserverImageName, webserverImage) });
    await waitForStatusReplicas(ns, rcName, initialRCReplicaCount);

    // Getting scale subresource for ReplicationController
    const scale = await core.readNamespacedReplicationControllerScale({ name: rcName, namespace: ns });
    expect(scale.status?.replicas, 'Failed to get the current replica count').toBe(initialRCReplicaCount);

    // Updating a scale subresource
    scale.metadata!.resourceVersion = ''; // indicate the scale update should be unconditional
    scale.spec!.replicas = expectedRCReplicaCount;
    await core.replaceNamespacedReplicationControllerScale({ name: rcName, namespace: ns, body: scale });

    // Verifying replicas where modified for replication controller
    await waitForStatusReplicas(ns, rcName, expectedRCReplicaCount);
  });
});
