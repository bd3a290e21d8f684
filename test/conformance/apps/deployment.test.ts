/**
 * Conformance: kubernetes/kubernetes test/e2e/apps/deployment.go ("[sig-apps] Deployment"): the
 * deployment controller rolls out RollingUpdate and Recreate strategies, adopts ReplicaSets,
 * trims history to revisionHistoryLimit, rolls over a stalled rollout and scales proportionally;
 * the API serves /scale and /status. Pods are scheduled and run by the kube-scheduler and
 * fake-kubelet; the e2e helpers (test/e2e/framework/deployment, test/utils/deployment.go,
 * pkg/controller/deployment/util) are restated here as the test reads them.
 */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions, Watch,
  type V1Deployment, type V1Pod, type V1PodTemplateSpec, type V1ReplicaSet,
} from '@kubernetes/client-node';
import { newFramework, poll, randomString, retryOnConflict } from '../framework.ts';
import { images, podComponents, podStartTimeoutMs } from '../pod-helpers.ts';
import { newRS, verifyPodsRunning, WatchStream, webserverImage, webserverImageName } from './replica-helpers.ts';

const f = newFramework('deployment', { components: podComponents });

/** AgnhostImageName / AgnhostImage upstream. */
const agnhostImageName = 'agnhost';
const agnhostImage = images.agnhost;

/** dRetryTimeout, pollLongTimeout (5 minutes upstream; simulated pods need far less). */
const dRetryTimeoutMs = 60_000;
const pollLongTimeoutMs = 60_000;
/** framework.PollShortTimeout. */
const pollShortTimeoutMs = 60_000;

const strategicMerge = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

const revisionAnnotation = 'deployment.kubernetes.io/revision';
const podTemplateHashLabel = 'pod-template-hash';

type StrategyType = 'RollingUpdate' | 'Recreate';

/** e2edeployment.NewDeployment: labels, selector and template labels are the pod labels. */
function newDeployment(name: string, replicas: number, podLabels: Record<string, string>, containerName: string,
  image: string, strategyType: StrategyType): V1Deployment {
  return {
    metadata: { name, labels: { ...podLabels } },
    spec: {
      replicas,
      selector: { matchLabels: { ...podLabels } },
      strategy: { type: strategyType },
      template: {
        metadata: { labels: { ...podLabels } },
        spec: { terminationGracePeriodSeconds: 0, containers: [{ name: containerName, image, securityContext: {} }] },
      },
    },
  };
}

const selectorString = (labels: Record<string, string> | undefined): string =>
  Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');

/** JSON without undefined fields, empty maps or empty lists (Semantic.DeepEqual treats nil and empty alike). */
function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map(prune);
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const p = prune(v);
      if (p !== undefined) out[k] = p;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value;
}

/** deploymentutil.EqualIgnoreHash. */
function equalIgnoreHash(a: V1PodTemplateSpec | undefined, b: V1PodTemplateSpec | undefined): boolean {
  const strip = (t: V1PodTemplateSpec | undefined): unknown => {
    const labels = { ...(t?.metadata?.labels ?? {}) };
    delete labels[podTemplateHashLabel];
    return prune({ ...t, metadata: { ...t?.metadata, labels } });
  };
  return isDeepStrictEqual(strip(a), strip(b));
}

const createdAt = (rs: V1ReplicaSet): number => new Date(rs.metadata?.creationTimestamp ?? 0).getTime();

/** deploymentutil.ListReplicaSets: the RSs matching the selector that the deployment controls. */
async function listReplicaSets(d: V1Deployment): Promise<V1ReplicaSet[]> {
  const apps = f.kc.makeApiClient(AppsV1Api);
  const list = await apps.listNamespacedReplicaSet({ namespace: d.metadata!.namespace!, labelSelector: selectorString(d.spec?.selector?.matchLabels) });
  return list.items.filter((rs) => (rs.metadata?.ownerReferences ?? []).some((o) => o.controller === true && o.uid === d.metadata?.uid));
}

/** testutil.GetAllReplicaSets: [oldRSs with replicas, all old RSs, new RS]. */
async function getAllReplicaSets(d: V1Deployment): Promise<[V1ReplicaSet[], V1ReplicaSet[], V1ReplicaSet | undefined]> {
  const rss = (await listReplicaSets(d)).sort((a, b) => createdAt(a) - createdAt(b) || (a.metadata!.name! < b.metadata!.name! ? -1 : 1));
  const newRs = rss.find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
  const allOld = rss.filter((rs) => rs !== newRs);
  return [allOld.filter((rs) => (rs.spec?.replicas ?? 1) !== 0), allOld, newRs];
}

async function getNewReplicaSet(d: V1Deployment): Promise<V1ReplicaSet | undefined> {
  return (await getAllReplicaSets(d))[2];
}

/** checkRevisionAndImage (test/utils/deployment.go). */
function checkRevisionAndImage(d: V1Deployment, rs: V1ReplicaSet | undefined, revision: string, image: string): string | undefined {
  const name = d.metadata?.name;
  if (rs === undefined) return `new replicaset for deployment ${name} is yet to be created`;
  if (rs.spec?.selector?.matchLabels?.[podTemplateHashLabel] === undefined) return `new replica set ${rs.metadata?.name} doesn't have ${podTemplateHashLabel} label selector`;
  if (d.metadata?.annotations?.[revisionAnnotation] !== revision) return `deployment ${name} doesn't have the required revision set (got ${d.metadata?.annotations?.[revisionAnnotation]})`;
  if (rs.metadata?.annotations?.[revisionAnnotation] !== revision) return `new replicaset ${rs.metadata?.name} doesn't have the required revision set (got ${rs.metadata?.annotations?.[revisionAnnotation]})`;
  if (!(d.spec?.template?.spec?.containers ?? []).some((c) => c.image === image)) return `deployment ${name} doesn't have the required image ${image} set`;
  if (!(rs.spec?.template?.spec?.containers ?? []).some((c) => c.image === image)) return `new replica set ${rs.metadata?.name} doesn't have the required image ${image}`;
  return undefined;
}

async function checkDeploymentRevisionAndImage(ns: string, name: string, revision: string, image: string): Promise<string | undefined> {
  const d = await f.kc.makeApiClient(AppsV1Api).readNamespacedDeployment({ name, namespace: ns });
  return checkRevisionAndImage(d, await getNewReplicaSet(d), revision, image);
}

/** e2edeployment.WaitForDeploymentRevisionAndImage. */
async function waitForDeploymentRevisionAndImage(ns: string, name: string, revision: string, image: string): Promise<void> {
  let reason: string | undefined;
  await poll(`deployment ${name} revision ${revision} and image ${image}`, async () => {
    reason = await checkDeploymentRevisionAndImage(ns, name, revision, image);
    return reason === undefined ? true : undefined;
  }, pollLongTimeoutMs).catch((err: unknown) => { throw new Error(`${String(err)} (last: ${reason})`); });
}

/** intstr.GetScaledValueFromIntOrPercent. */
function scaledValue(value: number | string | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const pct = Number(value.replace(/%$/, ''));
  return roundUp ? Math.ceil((pct * total) / 100) : Math.floor((pct * total) / 100);
}

/** deploymentutil.ResolveFenceposts → [maxSurge, maxUnavailable] (defaults 25% / 25%). */
function fenceposts(d: V1Deployment): [number, number] {
  if (d.spec?.strategy?.type !== 'RollingUpdate') return [0, 0];
  const desired = d.spec.replicas ?? 1;
  const ru = d.spec.strategy.rollingUpdate;
  const surge = scaledValue(ru?.maxSurge ?? '25%', desired, true);
  let unavailable = scaledValue(ru?.maxUnavailable ?? '25%', desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, Math.min(unavailable, desired)];
}

/** deploymentutil.DeploymentComplete. */
const deploymentComplete = (d: V1Deployment, current: V1Deployment): boolean => {
  const replicas = d.spec?.replicas ?? 1;
  const s = current.status ?? {};
  return (s.updatedReplicas ?? 0) === replicas && (s.replicas ?? 0) === replicas && (s.availableReplicas ?? 0) === replicas
    && (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
};

/** waitForDeploymentCompleteMaybeCheckRolling: rolling also fails at once when maxSurge or minAvailable is broken. */
async function waitForDeploymentComplete(d: V1Deployment, rolling = false): Promise<void> {
  const apps = f.kc.makeApiClient(AppsV1Api);
  let reason = '';
  let broken: Error | undefined;
  await poll(`deployment ${d.metadata?.name} to complete`, async () => {
    const current = await apps.readNamespacedDeployment({ name: d.metadata!.name!, namespace: d.metadata!.namespace! });
    if (rolling) {
      const [oldRSs, , newRs] = await getAllReplicaSets(current);
      if (newRs !== undefined && [...oldRSs, newRs].every((rs) => rs.spec?.selector?.matchLabels?.[podTemplateHashLabel] !== undefined)) {
        const [surge, unavailable] = fenceposts(current);
        const totalCreated = [...oldRSs, newRs].reduce((sum, rs) => sum + (rs.spec?.replicas ?? 0), 0);
        const maxCreated = (current.spec?.replicas ?? 1) + surge;
        const minAvailable = (current.spec?.replicas ?? 1) - unavailable;
        if (totalCreated > maxCreated) broken = new Error(`total pods created: ${totalCreated}, more than the max allowed: ${maxCreated}`);
        else if ((current.status?.availableReplicas ?? 0) < minAvailable) {
          broken = new Error(`total pods available: ${current.status?.availableReplicas ?? 0}, less than the min required: ${minAvailable}`);
        }
        if (broken) return true;
      }
    }
    if (deploymentComplete(d, current)) return true;
    reason = `deployment status: ${JSON.stringify(current.status)}`;
    return undefined;
  }, pollLongTimeoutMs).catch((err: unknown) => { throw new Error(`${String(err)}; ${reason}`); });
  if (broken) throw broken;
}

/** e2edeployment.UpdateDeploymentWithRetries. */
async function updateDeploymentWithRetries(ns: string, name: string, apply: (d: V1Deployment) => void): Promise<V1Deployment> {
  const apps = f.kc.makeApiClient(AppsV1Api);
  return retryOnConflict(async () => {
    const d = await apps.readNamespacedDeployment({ name, namespace: ns });
    apply(d);
    return apps.replaceNamespacedDeployment({ name, namespace: ns, body: d });
  });
}

/** testutil.WaitForObservedDeployment. */
async function waitForObservedDeployment(ns: string, name: string, generation: number): Promise<void> {
  const apps = f.kc.makeApiClient(AppsV1Api);
  await poll(`deployment ${name} to observe generation ${generation}`, async () => {
    const d = await apps.readNamespacedDeployment({ name, namespace: ns });
    return (d.status?.observedGeneration ?? 0) >= generation ? true : undefined;
  }, 60_000);
}

/** waitForReplicaSetTargetSpecReplicas. */
async function waitForReplicaSetTargetSpecReplicas(rs: V1ReplicaSet, target: number): Promise<void> {
  const apps = f.kc.makeApiClient(AppsV1Api);
  let last: V1ReplicaSet | undefined;
  await poll(`replicaset ${rs.metadata?.name} .spec.replicas = ${target}`, async () => {
    last = await apps.readNamespacedReplicaSet({ name: rs.metadata!.name!, namespace: rs.metadata!.namespace! });
    return (last.status?.observedGeneration ?? 0) >= (rs.metadata?.generation ?? 0) && last.spec?.replicas === target ? true : undefined;
  }, pollShortTimeoutMs).catch((err: unknown) => { throw new Error(`${String(err)} (last .spec.replicas ${last?.spec?.replicas})`); });
}

/** waitForReplicaSetDesiredReplicas. */
async function waitForReplicaSetDesiredReplicas(rs: V1ReplicaSet): Promise<void> {
  const apps = f.kc.makeApiClient(AppsV1Api);
  await poll(`replicaset ${rs.metadata?.name} to have its desired replicas`, async () => {
    const cur = await apps.readNamespacedReplicaSet({ name: rs.metadata!.name!, namespace: rs.metadata!.namespace! });
    return (cur.status?.observedGeneration ?? 0) >= (rs.metadata?.generation ?? 0)
      && (cur.status?.replicas ?? 0) === rs.spec?.replicas && (cur.status?.replicas ?? 0) === cur.spec?.replicas ? true : undefined;
  }, pollShortTimeoutMs);
}

/** e2ereplicaset.WaitForReplicaSetTargetAvailableReplicas. */
async function waitForReplicaSetTargetAvailableReplicas(rs: V1ReplicaSet, target: number): Promise<void> {
  const apps = f.kc.makeApiClient(AppsV1Api);
  await poll(`replicaset ${rs.metadata?.name} .status.availableReplicas = ${target}`, async () => {
    const cur = await apps.readNamespacedReplicaSet({ name: rs.metadata!.name!, namespace: rs.metadata!.namespace! });
    return (cur.status?.observedGeneration ?? 0) >= (rs.metadata?.generation ?? 0) && (cur.status?.availableReplicas ?? 0) === target ? true : undefined;
  }, podStartTimeoutMs);
}

/** ensureReplicas. */
function ensureReplicas(rs: V1ReplicaSet | undefined, replicas: number): void {
  expect(rs?.spec?.replicas, `${rs?.metadata?.name} .spec.replicas`).toBe(replicas);
  expect(rs?.status?.replicas ?? 0, `${rs?.metadata?.name} .status.replicas`).toBe(replicas);
}

describe('[sig-apps] Deployment', () => {
  it('Deployment RollingUpdate', async () => {
    const ns = f.namespace;
    const apps = f.kc.makeApiClient(AppsV1Api);
    // Create webserver pods.
    const deploymentPodLabels = { name: 'sample-pod' };
    const rsPodLabels = { name: 'sample-pod', pod: webserverImageName };
    const rsName = 'test-rolling-update-controller';
    const replicas = 1;
    const rsRevision = '3546343826724305832';
    const rs = newRS(rsName, replicas, rsPodLabels, webserverImageName, webserverImage);
    rs.metadata!.annotations = { [revisionAnnotation]: rsRevision };
    // Creating replica set (going to be adopted)
    await apps.createNamespacedReplicaSet({ namespace: ns, body: rs });
    // Verify that the required pods have come up.
    await verifyPodsRunning(f.kc, ns, 'sample-pod', replicas);

    // Create a deployment to delete webserver pods and instead bring up agnhost pods.
    const deploymentName = 'test-rolling-update-deployment';
    const deploy = await apps.createNamespacedDeployment({ namespace: ns,
      body: newDeployment(deploymentName, replicas, deploymentPodLabels, agnhostImageName, agnhostImage, 'RollingUpdate') });

    // Ensuring deployment gets the next revision from the one the adopted replica set has
    const expectedRevision = '3546343826724305833';
    await waitForDeploymentRevisionAndImage(ns, deploymentName, expectedRevision, agnhostImage);

    // Ensuring status for deployment is the expected
    await waitForDeploymentComplete(deploy);

    // There should be 1 old RS (webserver-controller, which is adopted)
    const deployment = await apps.readNamespacedDeployment({ name: deploymentName, namespace: ns });
    const [, allOldRSs] = await getAllReplicaSets(deployment);
    expect(allOldRSs).toHaveLength(1);
  });

  it('Deployment Recreate', async () => {
    const ns = f.namespace;
    const apps = f.kc.makeApiClient(AppsV1Api);
    // Create a deployment that brings up agnhost pods.
    const deploymentName = 'test-recreate-deployment';
    let deployment = await apps.createNamespacedDeployment({ namespace: ns,
      body: newDeployment(deploymentName, 1, { name: 'sample-pod-3' }, agnhostImageName, agnhostImage, 'Recreate') });

    // Wait for it to be updated to revision 1
    await waitForDeploymentRevisionAndImage(ns, deploymentName, '1', agnhostImage);
    // Waiting deployment to complete
    await waitForDeploymentComplete(deployment);

    // Update deployment to delete agnhost pods and bring up webserver pods.
    deployment = await updateDeploymentWithRetries(ns, deploymentName, (update) => {
      update.spec!.template!.spec!.containers[0]!.name = webserverImageName;
      update.spec!.template!.spec!.containers[0]!.image = webserverImage;
    });

    // Watching deployment to verify that new pods will not run with olds pods (watchRecreateDeployment)
    expect(deployment.spec?.strategy?.type).toBe('Recreate');
    const w = await WatchStream.open<V1Deployment>(f.kc, `/apis/apps/v1/namespaces/${ns}/deployments`,
      { fieldSelector: `metadata.name=${deploymentName}`, resourceVersion: deployment.metadata?.resourceVersion });
    try {
      await w.until(({ object: d }) => {
        const s = d.status ?? {};
        if ((s.updatedReplicas ?? 0) > 0 && (s.replicas ?? 0) !== (s.updatedReplicas ?? 0)) {
          throw new Error(`deployment ${deploymentName} is running new pods alongside old pods: ${JSON.stringify(s)}`);
        }
        return d.spec?.replicas === (s.replicas ?? 0) && d.spec?.replicas === (s.updatedReplicas ?? 0)
          && (d.metadata?.generation ?? 0) <= (s.observedGeneration ?? 0);
      }, 2 * 60_000);
    } finally {
      w.stop();
    }
  });

  it('Deployment RevisionHistoryLimit', async () => {
    const ns = f.namespace;
    const apps = f.kc.makeApiClient(AppsV1Api);
    const core = f.kc.makeApiClient(CoreV1Api);
    // Create webserver pods.
    const deploymentPodLabels = { name: 'cleanup-pod' };
    const rsPodLabels = { name: 'cleanup-pod', pod: webserverImageName };
    const rsName = 'test-cleanup-controller';
    const replicas = 1;
    const revisionHistoryLimit = 0;
    await apps.createNamespacedReplicaSet({ namespace: ns, body: newRS(rsName, replicas, rsPodLabels, webserverImageName, webserverImage) });
    // Verify that the required pods have come up.
    await verifyPodsRunning(f.kc, ns, 'cleanup-pod', replicas);

    // Create a deployment to delete webserver pods and instead bring up agnhost pods.
    const deploymentName = 'test-cleanup-deployment';
    const pods = await core.listNamespacedPod({ namespace: ns });
    // There should be only one pod being created, which is the pod with the agnhost image. The old RS
    // shouldn't create a new pod when the deployment controller adds the pod template hash label to its selector.
    let numPodCreation = 1;
    const failures: string[] = [];
    const podWatch = await new Watch(f.kc).watch(`/api/v1/namespaces/${ns}/pods`, { resourceVersion: pods.metadata?.resourceVersion },
      (type: string, pod: V1Pod) => {
        if (type !== 'ADDED') return;
        numPodCreation--;
        if (numPodCreation < 0) failures.push(`Expect only one pod creation, the second creation event: ${pod.metadata?.name} (${pod.spec?.containers[0]?.name})`);
        if (pod.spec?.containers[0]?.name !== agnhostImageName) {
          failures.push(`Expect the created pod to have container name ${agnhostImageName}, got pod ${pod.metadata?.name} with ${pod.spec?.containers[0]?.name}`);
        }
      }, () => undefined);
    try {
      const d = newDeployment(deploymentName, replicas, deploymentPodLabels, agnhostImageName, agnhostImage, 'RollingUpdate');
      d.spec!.revisionHistoryLimit = revisionHistoryLimit;
      await apps.createNamespacedDeployment({ namespace: ns, body: d });

      // Waiting for deployment history to be cleaned up (waitForDeploymentOldRSsNum)
      let oldCount = -1;
      await poll(`deployment ${deploymentName} to keep ${revisionHistoryLimit} old replica sets`, async () => {
        const deployment = await apps.readNamespacedDeployment({ name: deploymentName, namespace: ns });
        const [, oldRSs] = await getAllReplicaSets(deployment);
        oldCount = oldRSs.length;
        return oldCount === revisionHistoryLimit ? true : undefined;
      }, 60_000).catch((err: unknown) => {
        throw new Error(`${oldCount - revisionHistoryLimit} old replica sets were not cleaned up for deployment ${deploymentName}: ${String(err)}`);
      });
      expect(failures).toEqual([]);
    } finally {
      podWatch.abort();
    }
  });

  it('Deployment Rollover', async () => {
    const ns = f.namespace;
    const apps = f.kc.makeApiClient(AppsV1Api);
    const podName = 'rollover-pod';
    const deploymentPodLabels = { name: podName };
    const rsPodLabels = { name: podName, pod: webserverImageName };
    const rsName = 'test-rollover-controller';
    const rsReplicas = 1;
    await apps.createNamespacedReplicaSet({ namespace: ns, body: newRS(rsName, rsReplicas, rsPodLabels, webserverImageName, webserverImage) });
    // Verify that the required pods have come up.
    await verifyPodsRunning(f.kc, ns, podName, rsReplicas);

    // Wait for replica set to become ready before adopting it (e2ereplicaset.WaitForReadyReplicaSet).
    await poll(`replica set ${rsName} to be ready`, async () => {
      const rs = await apps.readNamespacedReplicaSet({ name: rsName, namespace: ns });
      return (rs.status?.readyReplicas ?? 0) === rs.spec?.replicas ? true : undefined;
    }, podStartTimeoutMs);

    // Create a deployment to delete webserver pods and instead bring up redis-slave pods.
    // We use a nonexistent image here, so that we make sure it won't finish
    const deploymentName = 'test-rollover-deployment';
    const deploymentImageName = 'redis-slave';
    const deploymentReplicas = 1;
    const deploymentImage = 'gcr.io/google_samples/gb-redisslave:nonexistent';
    const newDeploymentObj = newDeployment(deploymentName, deploymentReplicas, deploymentPodLabels, deploymentImageName, deploymentImage, 'RollingUpdate');
    newDeploymentObj.spec!.strategy!.rollingUpdate = { maxUnavailable: 0, maxSurge: 1 };
    newDeploymentObj.spec!.minReadySeconds = 10;
    await apps.createNamespacedDeployment({ namespace: ns, body: newDeploymentObj });

    // Verify that the pods were scaled up and down as expected.
    let deployment = await apps.readNamespacedDeployment({ name: deploymentName, namespace: ns });
    // Make sure the deployment starts to scale up and down replica sets by checking if its updated replicas >= 1
    const generation = deployment.metadata?.generation ?? 0;
    await poll(`deployment ${deploymentName} to have at least ${deploymentReplicas} updatedReplicas`, async () => {
      const d = await apps.readNamespacedDeployment({ name: deploymentName, namespace: ns });
      return (d.status?.observedGeneration ?? 0) >= generation && (d.status?.updatedReplicas ?? 0) >= deploymentReplicas ? true : undefined;
    }, pollLongTimeoutMs);
    // Check if it's updated to revision 1 correctly
    expect(await checkDeploymentRevisionAndImage(ns, deploymentName, '1', deploymentImage)).toBeUndefined();

    // Ensure that both replica sets have 1 created replica
    let oldRS = await apps.readNamespacedReplicaSet({ name: rsName, namespace: ns });
    ensureReplicas(oldRS, 1);
    let newRs = await getNewReplicaSet(deployment);
    ensureReplicas(newRs, 1);

    // The deployment is stuck, update it to rollover the above 2 ReplicaSets and bring up agnhost pods.
    deployment = await updateDeploymentWithRetries(ns, deploymentName, (update) => {
      update.spec!.template!.spec!.containers[0]!.name = agnhostImageName;
      update.spec!.template!.spec!.containers[0]!.image = agnhostImage;
    });

    // Use observedGeneration to determine if the controller noticed the pod template update.
    await waitForObservedDeployment(ns, deploymentName, deployment.metadata?.generation ?? 0);

    // Wait for it to be updated to revision 2
    await waitForDeploymentRevisionAndImage(ns, deploymentName, '2', agnhostImage);

    // Make sure deployment is complete
    await waitForDeploymentComplete(deployment, true);

    // Ensure that both old replica sets have no replicas
    oldRS = await apps.readNamespacedReplicaSet({ name: rsName, namespace: ns });
    ensureReplicas(oldRS, 0);
    // Not really the new replica set anymore but we GET by name so that's fine.
    newRs = await apps.readNamespacedReplicaSet({ name: newRs!.metadata!.name!, namespace: ns });
    ensureReplicas(newRs, 0);
  });

  it('Deployment, completes the scaling of a Deployment subresource', async () => {
    const ns = f.namespace;
    const apps = f.kc.makeApiClient(AppsV1Api);
    const deploymentName = 'test-new-deployment';
    const deploy = await apps.createNamespacedDeployment({ namespace: ns,
      body: newDeployment(deploymentName, 1, { name: webserverImageName }, webserverImageName, webserverImage, 'RollingUpdate') });

    // Wait for it to be updated to revision 1
    await waitForDeploymentRevisionAndImage(ns, deploymentName, '1', webserverImage);
    await waitForDeploymentComplete(deploy);
    await apps.readNamespacedDeployment({ name: deploymentName, namespace: ns });

    // getting scale subresource
    const scale = await apps.readNamespacedDeploymentScale({ name: deploymentName, namespace: ns });
    expect(scale.spec?.replicas).toBe(1);
    expect(scale.status?.replicas).toBe(1);

    // updating a scale subresource
    scale.metadata!.resourceVersion = ''; // indicate the scale update should be unconditional
    scale.spec!.replicas = 2;
    const scaleResult = await apps.replaceNamespacedDeploymentScale({ name: deploymentName, namespace: ns, body: scale });
    expect(scaleResult.spec?.replicas).toBe(2);

    // verifying the deployment Spec.Replicas was modified
    let deployment = await apps.readNamespacedDeployment({ name: deploymentName, namespace: ns });
    expect(deployment.spec?.replicas).toBe(2);

    // Patch a scale subresource: json.Marshal(autoscalingv1.Scale{Spec: {Replicas: 4}})
    await apps.patchNamespacedDeploymentScale({ name: deploymentName, namespace: ns,
      body: { metadata: { creationTimestamp: null }, spec: { replicas: 4 }, status: { replicas: 0 } } }, strategicMerge);
    deployment = await apps.readNamespacedDeployment({ name: deploymentName, namespace: ns });
    expect(deployment.spec?.replicas, 'deployment should have 4 replicas').toBe(4);
  });

  it('Deployment Proportional Scaling', async () => {
    const ns = f.namespace;
    const apps = f.kc.makeApiClient(AppsV1Api);
    const podLabels = { name: webserverImageName };
    const replicas = 10;

    // Create a webserver deployment.
    const deploymentName = 'webserver-deployment';
    const d = newDeployment(deploymentName, replicas, podLabels, webserverImageName, webserverImage, 'RollingUpdate');
    d.spec!.strategy!.rollingUpdate = { maxSurge: 3, maxUnavailable: 2 };
    let deployment = await apps.createNamespacedDeployment({ namespace: ns, body: d });

    await waitForObservedDeployment(ns, deploymentName, deployment.metadata?.generation ?? 0);

    // Verify that the required pods have come up.
    await verifyPodsRunning(f.kc, ns, webserverImageName, deployment.spec!.replicas!);

    // Waiting for deployment to complete
    await waitForDeploymentComplete(deployment);

    let firstRS = await getNewReplicaSet(deployment);
    expect(firstRS, 'first rollout replica set').toBeDefined();

    // Update the deployment with a non-existent image so that the new replica set will be blocked to simulate a partial rollout.
    deployment = await updateDeploymentWithRetries(ns, deploymentName, (update) => {
      update.spec!.template!.spec!.containers[0]!.image = 'webserver:404';
    });

    await waitForObservedDeployment(ns, deploymentName, deployment.metadata?.generation ?? 0);

    // The rollout must stall on the image that cannot be pulled.
    const stalled = <T>(step: Promise<T>): Promise<T> => step;

    // Checking state of first rollout's replicaset.
    const maxUnavailable = scaledValue(deployment.spec?.strategy?.rollingUpdate?.maxUnavailable, deployment.spec!.replicas!, false);

    // First rollout's replicaset should have Deployment's (replicas - maxUnavailable) = 10 - 2 = 8 available replicas.
    const minAvailableReplicas = replicas - maxUnavailable;
    await stalled(waitForReplicaSetTargetAvailableReplicas(firstRS!, minAvailableReplicas));

    // First rollout's replicaset should have .spec.replicas = 8 too.
    await stalled(waitForReplicaSetTargetSpecReplicas(firstRS!, minAvailableReplicas));

    // The desired replicas wait makes sure that the RS controller has created expected number of pods.
    firstRS = await apps.readNamespacedReplicaSet({ name: firstRS!.metadata!.name!, namespace: ns });
    await stalled(waitForReplicaSetDesiredReplicas(firstRS));

    // Checking state of second rollout's replicaset.
    let secondRS = await getNewReplicaSet(deployment);
    expect(secondRS, 'second rollout replica set').toBeDefined();

    const maxSurge = scaledValue(deployment.spec?.strategy?.rollingUpdate?.maxSurge, deployment.spec!.replicas!, false);

    // Second rollout's replicaset should have 0 available replicas.
    await stalled(Promise.resolve().then(() => expect(secondRS!.status?.availableReplicas ?? 0).toBe(0)));

    // Second rollout's replicaset should have Deployment's (replicas + maxSurge - first RS's replicas) = 10 + 3 - 8 = 5 for .spec.replicas.
    const newReplicas = replicas + maxSurge - minAvailableReplicas;
    await stalled(waitForReplicaSetTargetSpecReplicas(secondRS!, newReplicas));

    // The desired replicas wait makes sure that the RS controller has created expected number of pods.
    secondRS = await apps.readNamespacedReplicaSet({ name: secondRS!.metadata!.name!, namespace: ns });
    await stalled(waitForReplicaSetDesiredReplicas(secondRS));

    // Check the deployment's minimum availability.
    expect(deployment.status?.availableReplicas ?? 0, 'available replicas less than min required').toBeGreaterThanOrEqual(minAvailableReplicas);

    // Scale the deployment to 30 replicas.
    const scaledReplicas = 30;
    await updateDeploymentWithRetries(ns, deploymentName, (update) => { update.spec!.replicas = scaledReplicas; });

    // Waiting for the replicasets of deployment to have desired number of replicas
    firstRS = await apps.readNamespacedReplicaSet({ name: firstRS.metadata!.name!, namespace: ns });
    secondRS = await apps.readNamespacedReplicaSet({ name: secondRS.metadata!.name!, namespace: ns });

    // First rollout's replicaset should have .spec.replicas = 8 + (30-10)*(8/13) = 8 + 12 = 20 replicas.
    await stalled(waitForReplicaSetTargetSpecReplicas(firstRS, 20));

    // Second rollout's replicaset should have .spec.replicas = 5 + (30-10)*(5/13) = 5 + 8 = 13 replicas.
    await stalled(waitForReplicaSetTargetSpecReplicas(secondRS, 13));
  });

  it('Deployment, completes the lifecycle of a Deployment', async () => {
    const apps = f.kc.makeApiClient(AppsV1Api);
    const testNamespaceName = f.namespace;
    const testDeploymentName = 'test-deployment';
    const testDeploymentInitialImage = images.agnhost;
    const testDeploymentPatchImage = images.pause;
    const testDeploymentUpdateImage = images.httpd;
    const testDeploymentDefaultReplicas = 2;
    const testDeploymentMinimumReplicas = 1;
    const testDeploymentNoReplicas = 0;
    const testDeploymentAvailableReplicas = 0;
    const testDeploymentLabels = { 'test-deployment-static': 'true' };
    const testDeploymentLabelsFlat = 'test-deployment-static=true';

    const deploymentsList = await apps.listDeploymentForAllNamespaces({ labelSelector: testDeploymentLabelsFlat });
    /** watchtools.Until(ctx, deploymentsList.ResourceVersion, w, condition): a fresh watch from the list's resourceVersion. */
    const until = async (condition: (type: string, d: V1Deployment) => boolean, timeoutMs: number): Promise<void> => {
      const w = await WatchStream.open<V1Deployment>(f.kc, `/apis/apps/v1/namespaces/${testNamespaceName}/deployments`,
        { labelSelector: testDeploymentLabelsFlat, resourceVersion: deploymentsList.metadata?.resourceVersion });
      try {
        await w.until(({ type, object }) => condition(type, object), timeoutMs);
      } finally {
        w.stop();
      }
    };
    const isTestDeployment = (d: V1Deployment) => d.metadata?.name === testDeploymentName && d.metadata?.labels?.['test-deployment-static'] === 'true';

    // creating a Deployment
    const testDeployment = newDeployment(testDeploymentName, testDeploymentDefaultReplicas, testDeploymentLabels,
      testDeploymentName, testDeploymentInitialImage, 'RollingUpdate');
    testDeployment.metadata!.labels = { 'test-deployment-static': 'true' };
    testDeployment.spec!.template!.spec!.terminationGracePeriodSeconds = 1;
    await apps.createNamespacedDeployment({ namespace: testNamespaceName, body: testDeployment });

    // waiting for Deployment to be created
    await until((type, d) => type === 'ADDED' && isTestDeployment(d), 30_000);

    // waiting for all Replicas to be Ready
    await until((_type, d) => isTestDeployment(d) && (d.status?.readyReplicas ?? 0) === testDeploymentDefaultReplicas, podStartTimeoutMs);

    // patching the Deployment
    const deploymentPatch = {
      metadata: { labels: { 'test-deployment': 'patched' } },
      spec: {
        replicas: testDeploymentMinimumReplicas,
        template: { spec: { terminationGracePeriodSeconds: 2, containers: [{ name: testDeploymentName, image: testDeploymentPatchImage }] } },
      },
    };
    await apps.patchNamespacedDeployment({ name: testDeploymentName, namespace: testNamespaceName, body: deploymentPatch }, strategicMerge);
    await until((type, d) => type === 'MODIFIED' && isTestDeployment(d), 30_000);

    // waiting for Replicas to scale
    await until((_type, d) => isTestDeployment(d)
      && (d.status?.readyReplicas ?? 0) === testDeploymentMinimumReplicas
      && (d.status?.updatedReplicas ?? 0) === testDeploymentMinimumReplicas
      && (d.status?.unavailableReplicas ?? 0) === 0
      && d.spec?.template?.spec?.containers[0]?.image === testDeploymentPatchImage
      && d.spec?.template?.spec?.terminationGracePeriodSeconds === 2, podStartTimeoutMs);

    // listing Deployments
    const list = await apps.listDeploymentForAllNamespaces({ labelSelector: testDeploymentLabelsFlat });
    const found = list.items.some((item) => item.metadata?.name === testDeploymentName && item.metadata?.namespace === testNamespaceName
      && item.metadata?.labels?.['test-deployment-static'] === 'true');
    expect(found, 'unable to find the Deployment in the list').toBe(true);

    // updating the Deployment (the object as first created, without a resourceVersion: an unconditional update)
    const testDeploymentUpdate = testDeployment;
    testDeploymentUpdate.metadata!.labels!['test-deployment'] = 'updated';
    testDeploymentUpdate.spec!.template!.spec!.containers[0]!.image = testDeploymentUpdateImage;
    testDeploymentUpdate.spec!.replicas = testDeploymentDefaultReplicas;
    await apps.replaceNamespacedDeployment({ name: testDeploymentName, namespace: testNamespaceName, body: testDeploymentUpdate });
    await until((type, d) => type === 'MODIFIED' && isTestDeployment(d), 30_000);

    // fetching the DeploymentStatus
    let deploymentGet = await apps.readNamespacedDeploymentStatus({ name: testDeploymentName, namespace: testNamespaceName });
    expect(deploymentGet.spec?.template?.spec?.containers[0]?.image, 'failed to update image').toBe(testDeploymentUpdateImage);
    expect(deploymentGet.metadata?.labels?.['test-deployment'], 'failed to update labels').toBe('updated');

    await until((_type, d) => isTestDeployment(d)
      && (d.status?.readyReplicas ?? 0) === testDeploymentDefaultReplicas
      && (d.status?.updatedReplicas ?? 0) === testDeploymentDefaultReplicas
      && (d.status?.unavailableReplicas ?? 0) === 0, podStartTimeoutMs);

    // patching the DeploymentStatus
    const deploymentStatusPatch = {
      metadata: { labels: { 'test-deployment': 'patched-status' } },
      status: { readyReplicas: testDeploymentNoReplicas, availableReplicas: testDeploymentAvailableReplicas },
    };
    await apps.patchNamespacedDeploymentStatus({ name: testDeploymentName, namespace: testNamespaceName, body: deploymentStatusPatch }, strategicMerge);
    await until((type, d) => type === 'MODIFIED' && isTestDeployment(d), 30_000);

    // fetching the DeploymentStatus
    deploymentGet = await apps.readNamespacedDeploymentStatus({ name: testDeploymentName, namespace: testNamespaceName });
    expect(deploymentGet.spec?.template?.spec?.containers[0]?.image, 'failed to update image').toBe(testDeploymentUpdateImage);
    expect(deploymentGet.metadata?.labels?.['test-deployment'], 'failed to update labels').toBe('updated');

    await until((_type, d) => isTestDeployment(d)
      && (d.status?.readyReplicas ?? 0) === testDeploymentDefaultReplicas
      && (d.status?.updatedReplicas ?? 0) === testDeploymentDefaultReplicas
      && (d.status?.unavailableReplicas ?? 0) === 0
      && d.spec?.template?.spec?.containers[0]?.image === testDeploymentUpdateImage, podStartTimeoutMs);

    // deleting the Deployment
    await apps.deleteCollectionNamespacedDeployment({ namespace: testNamespaceName, gracePeriodSeconds: 1, labelSelector: testDeploymentLabelsFlat });
    await until((type, d) => type === 'DELETED' && isTestDeployment(d), 60_000);
  });

  it('Deployment, status sub-resource', async () => {
    const ns = f.namespace;
    const apps = f.kc.makeApiClient(AppsV1Api);
    const dName = `test-deployment-${randomString(5)}`;
    const labelSelector = 'e2e=testing';

    const dList = await apps.listDeploymentForAllNamespaces({ labelSelector });

    // creating a Deployment
    const podLabels = { name: webserverImageName, e2e: 'testing' };
    const replicas = 1;
    const deploy = await apps.createNamespacedDeployment({ namespace: ns,
      body: newDeployment(dName, replicas, podLabels, webserverImageName, webserverImage, 'RollingUpdate') });

    // Wait for it to be updated to revision 1
    await waitForDeploymentRevisionAndImage(ns, dName, '1', webserverImage);
    await waitForDeploymentComplete(deploy);

    const testDeployment = await apps.readNamespacedDeployment({ name: dName, namespace: ns });

    // Getting /status
    const dStatus = await apps.readNamespacedDeploymentStatus({ name: dName, namespace: ns });
    expect(dStatus.metadata?.uid).toBe(testDeployment.metadata?.uid);

    // updating Deployment Status
    const updatedStatus = await retryOnConflict(async () => {
      const statusToUpdate = await apps.readNamespacedDeployment({ name: dName, namespace: ns });
      statusToUpdate.status!.conditions = [...(statusToUpdate.status?.conditions ?? []),
        { type: 'StatusUpdate', status: 'True', reason: 'E2E', message: 'Set from e2e test' }];
      return apps.replaceNamespacedDeploymentStatus({ name: dName, namespace: ns, body: statusToUpdate });
    });
    expect(updatedStatus.status?.conditions?.some((c) => c.type === 'StatusUpdate')).toBe(true);

    const matches = (d: V1Deployment) => d.metadata?.name === testDeployment.metadata?.name
      && d.metadata?.namespace === testDeployment.metadata?.namespace
      && d.metadata?.labels?.e2e === testDeployment.metadata?.labels?.e2e;

    // watching for the Deployment status to be updated
    let w = await WatchStream.open<V1Deployment>(f.kc, `/apis/apps/v1/namespaces/${ns}/deployments`,
      { labelSelector, resourceVersion: dList.metadata?.resourceVersion });
    try {
      await w.until(({ object: d }) => matches(d)
        && (d.status?.conditions ?? []).some((c) => c.type === 'StatusUpdate' && c.reason === 'E2E' && c.message === 'Set from e2e test'), dRetryTimeoutMs);
    } finally {
      w.stop();
    }

    // patching the Statefulset Status
    const patched = await apps.patchNamespacedDeploymentStatus({ name: dName, namespace: ns,
      body: { status: { conditions: [{ type: 'StatusPatched', status: 'True' }] } } }, mergePatch);
    expect(patched.status?.conditions?.map((c) => c.type)).toContain('StatusPatched');

    // watching for the Deployment status to be patched
    w = await WatchStream.open<V1Deployment>(f.kc, `/apis/apps/v1/namespaces/${ns}/deployments`,
      { labelSelector, resourceVersion: dList.metadata?.resourceVersion });
    try {
      await w.until(({ object: d }) => matches(d) && (d.status?.conditions ?? []).some((c) => c.type === 'StatusPatched'), dRetryTimeoutMs);
    } finally {
      w.stop();
    }
  });
});
