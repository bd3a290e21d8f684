/**
 * Conformance: kubernetes/kubernetes test/e2e/apimachinery/garbage_collector.go ("[sig-api-machinery]
 * Garbage collector"): deleting an owner with the Background, Orphan and Foreground propagation
 * policies deletes, orphans or waits for its dependents (Deployments → ReplicaSets → Pods,
 * ReplicationControllers → Pods); a dependent with another live owner survives a foreground
 * deletion, and a cycle of owner references does not block the collection. Pods are scheduled and
 * run by the kube-scheduler and fake-kubelet.
 */
import { describe, expect, it } from 'vitest';
import {
  AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions,
  type V1DeleteOptions, type V1Deployment, type V1Pod, type V1PodTemplateSpec, type V1ReplicationController,
} from '@kubernetes/client-node';
import { newFramework, poll } from '../framework.ts';
import { images, podComponents } from '../pod-helpers.ts';

const f = newFramework('gc', { components: podComponents });

const strategicMerge = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
const secondMs = 1_000;
const minuteMs = 60_000;
// Upstream adds gcInformerResyncRetryTimeout to its waits for GC resyncs caused by parallel tests
// adding and removing APIs; this cluster is the test file's own, so the waits use the base timeouts.
/** replicaSyncTimeout upstream. */
const replicaSyncTimeoutMs = 2 * minuteMs;

const getForegroundOptions = (): V1DeleteOptions => ({ propagationPolicy: 'Foreground' });
const getBackgroundOptions = (): V1DeleteOptions => ({ propagationPolicy: 'Background' });
const getOrphanOptions = (): V1DeleteOptions => ({ propagationPolicy: 'Orphan' });

let lablecount = 0;
/** getUniqLabel upstream. */
function getUniqLabel(labelkey: string, labelvalue: string): Record<string, string> {
  const count = String(++lablecount).padStart(5, '0');
  return { [`${labelkey}-${count}`]: `${labelvalue}-${count}` };
}

function getPodTemplateSpec(labels: Record<string, string>): V1PodTemplateSpec {
  return { metadata: { labels }, spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'nginx', image: images.nginx }] } };
}

/** newOwnerDeployment upstream (e2edeployment.NewDeployment with 2 replicas, RollingUpdate). */
function newOwnerDeployment(name: string, labels: Record<string, string>): V1Deployment {
  return {
    metadata: { name, labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      strategy: { type: 'RollingUpdate' },
      template: { metadata: { labels }, spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'nginx', image: images.nginx, securityContext: {} }] } },
    },
  };
}

function newOwnerRC(name: string, replicas: number, labels: Record<string, string>): V1ReplicationController {
  return { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name }, spec: { replicas, selector: labels, template: getPodTemplateSpec(labels) } };
}

function newGCPod(name: string): V1Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'nginx', image: images.nginx }] } };
}

/** estimateMaximumPods upstream: half the pods the ready schedulable nodes allow, bounded to [min, max]. */
async function estimateMaximumPods(min: number, max: number): Promise<number> {
  const core = f.kc.makeApiClient(CoreV1Api);
  const nodes = (await core.listNode()).items.filter((n) => !n.spec?.unschedulable
    && n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  let availablePods = 0;
  for (const node of nodes) {
    const q = Number(node.status?.allocatable?.pods);
    availablePods += Number.isInteger(q) ? q : 10;
  }
  availablePods = Math.trunc(availablePods * 0.5);
  return Math.max(min, Math.min(max, availablePods));
}

type Counted = 'Pods' | 'Deployments' | 'ReplicaSets' | 'ReplicationControllers';

/** verifyRemainingObjects upstream: true when every kind has exactly its number of objects; the differences are returned too. */
async function verifyRemainingObjects(objects: Partial<Record<Counted, number>>): Promise<{ ok: boolean; got: string[] }> {
  const ns = f.namespace;
  const core = f.kc.makeApiClient(CoreV1Api);
  const apps = f.kc.makeApiClient(AppsV1Api);
  const got: string[] = [];
  for (const [object, num] of Object.entries(objects) as [Counted, number][]) {
    let n: number;
    switch (object) {
      case 'Pods': n = (await core.listNamespacedPod({ namespace: ns })).items.length; break;
      case 'Deployments': n = (await apps.listNamespacedDeployment({ namespace: ns })).items.length; break;
      case 'ReplicaSets': n = (await apps.listNamespacedReplicaSet({ namespace: ns })).items.length; break;
      case 'ReplicationControllers': n = (await core.listNamespacedReplicationController({ namespace: ns })).items.length; break;
    }
    if (n !== num) got.push(`expected ${num} ${object}, got ${n}`);
  }
  return { ok: got.length === 0, got };
}

async function waitForRemainingObjects(objects: Partial<Record<Counted, number>>, timeoutMs: number, what: string): Promise<void> {
  let last: string[] = [];
  try {
    await poll(what, async () => {
      const { ok, got } = await verifyRemainingObjects(objects);
      last = got;
      return ok ? true : undefined;
    }, timeoutMs);
  } catch (err) {
    throw new Error(`${String(err)} (${last.join('; ')})`);
  }
}

/** waitForReplicas upstream: rc.status.replicas reaches rc.spec.replicas. */
async function waitForReplicas(rc: V1ReplicationController): Promise<void> {
  const core = f.kc.makeApiClient(CoreV1Api);
  let observed: V1ReplicationController | undefined;
  try {
    await poll(`rc ${rc.metadata!.name} to have ${rc.spec!.replicas} replicas`, async () => {
      observed = await core.readNamespacedReplicationController({ name: rc.metadata!.name!, namespace: f.namespace });
      return observed.status?.replicas === rc.spec!.replicas ? true : undefined;
    }, replicaSyncTimeoutMs);
  } catch (err) {
    throw new Error(`failed to wait for the rc.Status.Replicas (${observed?.status?.replicas}) to reach rc.Spec.Replicas (${rc.spec!.replicas}): ${String(err)}`);
  }
}

/** Polls until GET of the RC answers 404, reporting the pods left when it does not. */
async function waitForRCGone(name: string, timeoutMs: number): Promise<void> {
  const core = f.kc.makeApiClient(CoreV1Api);
  try {
    await poll(`the rc ${name} to be deleted`, async () => {
      try {
        await core.readNamespacedReplicationController({ name, namespace: f.namespace });
        return undefined;
      } catch (err) {
        if ((err as { code?: number }).code === 404) return true;
        throw err;
      }
    }, timeoutMs);
  } catch (err) {
    const pods = (await core.listNamespacedPod({ namespace: f.namespace })).items;
    const live = pods.filter((p) => !p.metadata?.deletionTimestamp).length;
    throw new Error(`failed to delete the rc ${name}: ${String(err)}; ${pods.length} pods remaining, ${live} with nil DeletionTimestamp`);
  }
}

describe('[sig-api-machinery] Garbage collector', () => {
  it('Garbage Collector, delete replication controller, propagation policy background', async () => {
    const ns = f.namespace;
    const core = f.kc.makeApiClient(CoreV1Api);
    const rcName = 'simpletest.rc';
    const uniqLabels = getUniqLabel('gctest', 'delete_pods');
    // create the rc
    const rc = await core.createNamespacedReplicationController({ namespace: ns, body: newOwnerRC(rcName, 2, uniqLabels) });
    // wait for rc to create some pods; intentionally not all of them, so the rc is deleted before it reaches stasis
    await poll('the rc to create some pods', async () =>
      (await core.listNamespacedPod({ namespace: ns })).items.length > 0 ? true : undefined, 30 * secondMs);

    // delete the rc
    await core.deleteNamespacedReplicationController({ name: rcName, namespace: ns,
      body: { ...getBackgroundOptions(), preconditions: { uid: rc.metadata!.uid } } });

    // wait for all pods to be garbage collected
    await waitForRemainingObjects({ ReplicationControllers: 0, Pods: 0 }, minuteMs, 'all pods to be deleted');
  });

  it('Garbage Collector, delete replication controller, propagation policy orphan', async () => {
    const ns = f.namespace;
    const core = f.kc.makeApiClient(CoreV1Api);
    const rcName = 'simpletest.rc';
    const uniqLabels = getUniqLabel('gctest', 'orphan_pods');
    const replicas = await estimateMaximumPods(10, 100);
    // create the rc
    const rc = await core.createNamespacedReplicationController({ namespace: ns, body: newOwnerRC(rcName, replicas, uniqLabels) });
    // wait for rc to create pods
    await waitForReplicas(rc);

    // delete the rc
    await core.deleteNamespacedReplicationController({ name: rcName, namespace: ns,
      body: { ...getOrphanOptions(), preconditions: { uid: rc.metadata!.uid } } });

    // wait for the rc to be deleted
    await poll('the rc to be deleted', async () =>
      (await core.listNamespacedReplicationController({ namespace: ns })).items.length === 0 ? true : undefined, 2 * minuteMs);

    // wait for 30 seconds to see if the garbage collector mistakenly deletes the pods
    await new Promise((resolve) => setTimeout(resolve, 30 * secondMs));
    const pods = await core.listNamespacedPod({ namespace: ns });
    expect(pods.items.length, `expect ${replicas} pods, got ${pods.items.length} pods`).toBe(replicas);
    // the orphaned pods no longer name the rc as their owner
    for (const pod of pods.items) {
      expect(pod.metadata?.ownerReferences?.some((r) => r.uid === rc.metadata!.uid) ?? false,
        `pod ${pod.metadata?.name} still references the deleted rc`).toBe(false);
    }
  }, 5 * minuteMs);

  it('Garbage Collector, delete deployment,  propagation policy background', async () => {
    const ns = f.namespace;
    const apps = f.kc.makeApiClient(AppsV1Api);
    const deploymentName = 'simpletest.deployment';
    const uniqLabels = getUniqLabel('gctest', 'delete_rs');
    // create the deployment
    const createdDeployment = await apps.createNamespacedDeployment({ namespace: ns, body: newOwnerDeployment(deploymentName, uniqLabels) });
    // Wait for the Deployment to create new ReplicaSet
    await poll('the Deployment to create some ReplicaSet', async () =>
      (await apps.listNamespacedReplicaSet({ namespace: ns })).items.length > 0 ? true : undefined, minuteMs);

    // delete the deployment
    await apps.deleteNamespacedDeployment({ name: deploymentName, namespace: ns,
      body: { ...getBackgroundOptions(), preconditions: { uid: createdDeployment.metadata!.uid } } });

    // wait for all rs to be garbage collected
    await waitForRemainingObjects({ Deployments: 0, ReplicaSets: 0, Pods: 0 }, minuteMs, 'all rs to be garbage collected');
  });

  it('Garbage Collector, delete deployment, propagation policy orphan', async () => {
    const ns = f.namespace;
    const apps = f.kc.makeApiClient(AppsV1Api);
    const deploymentName = 'simpletest.deployment';
    const uniqLabels = getUniqLabel('gctest', 'orphan_rs');
    // create the deployment
    const createdDeployment = await apps.createNamespacedDeployment({ namespace: ns, body: newOwnerDeployment(deploymentName, uniqLabels) });
    // Wait for the Deployment to create new ReplicaSet
    const replicaset = await poll('the Deployment to create some ReplicaSet', async () =>
      (await apps.listNamespacedReplicaSet({ namespace: ns })).items[0], minuteMs);

    const desiredGeneration = replicaset.metadata?.generation ?? 0;
    await poll(`.status.replicas to equal .spec.replicas for replicaset ${replicaset.metadata!.name}`, async () => {
      const newRS = await apps.readNamespacedReplicaSet({ name: replicaset.metadata!.name!, namespace: ns });
      return (newRS.status?.observedGeneration ?? 0) >= desiredGeneration && newRS.status?.replicas === replicaset.spec!.replicas ? true : undefined;
    }, minuteMs);

    // delete the deployment
    await apps.deleteNamespacedDeployment({ name: deploymentName, namespace: ns,
      body: { ...getOrphanOptions(), preconditions: { uid: createdDeployment.metadata!.uid } } });

    // wait for deployment deletion to see if the garbage collector mistakenly deletes the rs
    await poll('the Deployment to be deleted', async () =>
      (await apps.listNamespacedDeployment({ namespace: ns })).items.length === 0 ? true : undefined, minuteMs);

    // Once the deployment object is gone, we'll know the GC has finished performing any relevant actions.
    const { ok, got } = await verifyRemainingObjects({ Deployments: 0, ReplicaSets: 1, Pods: 2 });
    expect(ok, `Failed to verify remaining deployments, rs, and pods: ${got.join('; ')}`).toBe(true);
    const rs = await apps.listNamespacedReplicaSet({ namespace: ns });
    for (const replicaSet of rs.items) {
      const controller = replicaSet.metadata?.ownerReferences?.find((r) => r.controller === true);
      expect(controller, `Found ReplicaSet with non nil ownerRef ${JSON.stringify(replicaSet.metadata)}`).toBeUndefined();
    }
  });

  it('Garbage Collector, delete replication controller, after owned pods', async () => {
    const ns = f.namespace;
    const core = f.kc.makeApiClient(CoreV1Api);
    const rcName = 'simpletest.rc';
    const uniqLabels = getUniqLabel('gctest', 'delete_pods_foreground');
    const replicas = await estimateMaximumPods(10, 100);
    // create the rc
    const rc = await core.createNamespacedReplicationController({ namespace: ns, body: newOwnerRC(rcName, replicas, uniqLabels) });
    // wait for rc to create pods
    await waitForReplicas(rc);

    // delete the rc
    await core.deleteNamespacedReplicationController({ name: rcName, namespace: ns,
      body: { ...getForegroundOptions(), preconditions: { uid: rc.metadata!.uid } } });

    // wait for the rc to be deleted
    await waitForRCGone(rcName, 30 * secondMs);
    // There shouldn't be any pods
    const pods = await core.listNamespacedPod({ namespace: ns });
    expect(pods.items.map((p) => p.metadata?.name), 'expected no pods').toEqual([]);
  }, 4 * minuteMs);

  it('Garbage Collector, multiple owners', async () => {
    const ns = f.namespace;
    const core = f.kc.makeApiClient(CoreV1Api);
    const rc1Name = 'simpletest-rc-to-be-deleted';
    const replicas = await estimateMaximumPods(10, 100);
    const halfReplicas = Math.trunc(replicas / 2);
    const uniqLabelsDeleted = getUniqLabel('gctest_d', 'valid_and_pending_owners_d');
    // create the rc1
    const rc1 = await core.createNamespacedReplicationController({ namespace: ns, body: newOwnerRC(rc1Name, replicas, uniqLabelsDeleted) });
    const rc2Name = 'simpletest-rc-to-stay';
    const uniqLabelsStay = getUniqLabel('gctest_s', 'valid_and_pending_owners_s');
    // create the rc2
    const rc2 = await core.createNamespacedReplicationController({ namespace: ns, body: newOwnerRC(rc2Name, 0, uniqLabelsStay) });
    // wait for rc1 to be stable
    await waitForReplicas(rc1);

    // set half of pods created by rc simpletest-rc-to-be-deleted to have rc simpletest-rc-to-stay as owner as well
    const pods = await core.listNamespacedPod({ namespace: ns });
    const patch = { metadata: { ownerReferences: [{ apiVersion: 'v1', kind: 'ReplicationController', name: rc2.metadata!.name!, uid: rc2.metadata!.uid! }] } };
    for (let i = 0; i < halfReplicas; i++) {
      await core.patchNamespacedPod({ name: pods.items[i]!.metadata!.name!, namespace: ns, body: patch }, strategicMerge);
    }

    // delete the rc simpletest-rc-to-be-deleted
    await core.deleteNamespacedReplicationController({ name: rc1Name, namespace: ns,
      body: { ...getForegroundOptions(), preconditions: { uid: rc1.metadata!.uid } } });

    // wait for the rc to be deleted
    await waitForRCGone(rc1Name, 90 * secondMs);
    // half of the pods should still exist,
    const left = await core.listNamespacedPod({ namespace: ns });
    expect(left.items.length, `expected ${halfReplicas} pods, got ${left.items.length}`).toBe(halfReplicas);
    for (const pod of left.items) {
      expect(pod.metadata?.deletionTimestamp, `expected pod DeletionTimestamp to be nil, got ${JSON.stringify(pod.metadata)}`).toBeUndefined();
      // they should only have 1 ownerReference left
      expect(pod.metadata?.ownerReferences ?? [], `expected pod to only have 1 owner, got ${JSON.stringify(pod.metadata?.ownerReferences)}`).toHaveLength(1);
    }
  }, 5 * minuteMs);

  it('Garbage Collector, dependency cycle', async () => {
    const ns = f.namespace;
    const core = f.kc.makeApiClient(CoreV1Api);
    let pod1 = await core.createNamespacedPod({ namespace: ns, body: newGCPod('pod1') });
    let pod2 = await core.createNamespacedPod({ namespace: ns, body: newGCPod('pod2') });
    let pod3 = await core.createNamespacedPod({ namespace: ns, body: newGCPod('pod3') });
    // create circular dependency
    const addRefPatch = (name: string, uid: string) =>
      ({ metadata: { ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name, uid, controller: true, blockOwnerDeletion: true }] } });
    pod1 = await core.patchNamespacedPod({ name: pod1.metadata!.name!, namespace: ns, body: addRefPatch(pod3.metadata!.name!, pod3.metadata!.uid!) }, strategicMerge);
    pod2 = await core.patchNamespacedPod({ name: pod2.metadata!.name!, namespace: ns, body: addRefPatch(pod1.metadata!.name!, pod1.metadata!.uid!) }, strategicMerge);
    pod3 = await core.patchNamespacedPod({ name: pod3.metadata!.name!, namespace: ns, body: addRefPatch(pod2.metadata!.name!, pod2.metadata!.uid!) }, strategicMerge);
    expect(pod3.metadata?.ownerReferences?.map((r) => r.uid)).toEqual([pod2.metadata!.uid]);

    // delete one pod, should result in the deletion of all pods
    await core.deleteNamespacedPod({ name: pod1.metadata!.name!, namespace: ns,
      body: { ...getForegroundOptions(), preconditions: { uid: pod1.metadata!.uid } } });
    let last: V1Pod[] = [];
    try {
      await poll('all pods to be deleted', async () => {
        last = (await core.listNamespacedPod({ namespace: ns })).items;
        return last.length === 0 ? true : undefined;
      }, 90 * secondMs);
    } catch (err) {
      throw new Error(`${String(err)}; pods are ${JSON.stringify(last.map((p) => p.metadata))}`);
    }
  }, 2 * minuteMs);
});
