/**
 * Conformance: kubernetes/kubernetes test/e2e/common/node/pods.go ("[sig-node] Pods"), the rows
 * whose pods must be scheduled and run: the scheduler binds them and the fake-kubelet runs them.
 * Pod specs are upstream's, images included (the simulated runtime runs a pause or agnhost
 * container it has no command for until it is stopped).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CoreV1Api, PatchStrategy, setHeaderOptions, type V1Pod } from '@kubernetes/client-node';
import { newFramework, poll, randomString, retryOnConflict } from '../framework.ts';
import { rawRequest } from '../raw-request.ts';
import {
  createSync, images, mixinRestrictedPodSecurity, podComponents, podDeleteTimeoutMs, podStartTimeoutMs, PodWatch,
  waitForPodRunning, waitForPodTerminated,
} from '../pod-helpers.ts';

const f = newFramework('pods', { components: podComponents });

/** strconv.Itoa(time.Now().Nanosecond()): a label value unique to this run. */
const nanosecondValue = (): string => String(Number(process.hrtime.bigint() % 1_000_000_000n));

function pausePod(name: string, labels: Record<string, string>): V1Pod {
  return mixinRestrictedPodSecurity({
    metadata: { name, labels },
    spec: { containers: [{ name: 'pause', image: images.pause }] },
  });
}

/** PodClient.Update: read, mutate, write; retried on conflict. */
async function updatePod(name: string, mutate: (pod: V1Pod) => void): Promise<V1Pod> {
  const core = f.kc.makeApiClient(CoreV1Api);
  return retryOnConflict(async () => {
    const pod = await core.readNamespacedPod({ name, namespace: f.namespace });
    mutate(pod);
    return core.replaceNamespacedPod({ name, namespace: f.namespace, body: pod });
  });
}

describe('[sig-node] Pods', () => {
  it('Pods, assigned hostip', async () => {
    const name = `pod-hostip-${randomUUID()}`;
    // creating pod
    await createSync(f.kc, f.namespace, mixinRestrictedPodSecurity({
      metadata: { name },
      spec: { containers: [{ name: 'test', image: images.pause }] },
    }));
    // Try to make sure we get a hostIP for each pod.
    const hostIP = await poll(`hostIP of pod ${name}`, async () => {
      const p = await f.kc.makeApiClient(CoreV1Api).readNamespacedPod({ name, namespace: f.namespace });
      return p.status?.hostIP ? p.status.hostIP : undefined;
    }, 120_000);
    // The description's "valid IP address".
    expect(hostIP).toMatch(/^(\d{1,3}\.){3}\d{1,3}$|:/);
  });

  it('Pods, lifecycle', async () => {
    const core = f.kc.makeApiClient(CoreV1Api);
    // creating the pod
    const name = `pod-submit-remove-${randomUUID()}`;
    const value = nanosecondValue();
    const pod = pausePod(name, { name: 'foo', time: value });

    // setting up watch
    const selector = `time=${value}`;
    let pods = await core.listNamespacedPod({ namespace: f.namespace, labelSelector: selector });
    expect(pods.items).toHaveLength(0);
    const w = await PodWatch.open(f.kc, f.namespace, { labelSelector: selector }, pods.metadata?.resourceVersion);
    try {
      // submitting the pod to kubernetes
      await core.createNamespacedPod({ namespace: f.namespace, body: pod });

      // verifying the pod is in kubernetes
      pods = await core.listNamespacedPod({ namespace: f.namespace, labelSelector: selector });
      expect(pods.items).toHaveLength(1);

      // verifying pod creation was observed
      const added = await w.next(podStartTimeoutMs);
      expect(added?.type, `Failed to observe pod creation: ${JSON.stringify(added)}`).toBe('ADDED');

      // We need to wait for the pod to be running, otherwise the deletion
      // may be carried out immediately rather than gracefully.
      await waitForPodRunning(f.kc, f.namespace, name);

      // deleting the pod gracefully
      await core.deleteNamespacedPod({ name, namespace: f.namespace, gracePeriodSeconds: 30 });

      // verifying pod deletion was observed
      const deleted = await w.until(podDeleteTimeoutMs, (e) => e.type === 'DELETED');
      const lastPod = deleted.object;
      expect(lastPod.metadata?.deletionTimestamp).toBeTruthy();
      expect(lastPod.spec?.terminationGracePeriodSeconds).not.toBe(0);
      expect(lastPod.spec?.terminationGracePeriodSeconds).toBeDefined();

      pods = await core.listNamespacedPod({ namespace: f.namespace, labelSelector: selector });
      expect(pods.items).toHaveLength(0);
    } finally {
      w.stop();
    }
  });

  it('Pods, update', async () => {
    const core = f.kc.makeApiClient(CoreV1Api);
    // creating the pod
    const name = `pod-update-${randomUUID()}`;
    let value = nanosecondValue();
    // submitting the pod to kubernetes
    const pod = await createSync(f.kc, f.namespace, pausePod(name, { name: 'foo', time: value }));

    // verifying the pod is in kubernetes
    let pods = await core.listNamespacedPod({ namespace: f.namespace, labelSelector: `time=${value}` });
    expect(pods.items).toHaveLength(1);

    // updating the pod
    await updatePod(name, (p) => {
      value = nanosecondValue();
      p.metadata!.labels!.time = value;
    });

    await waitForPodRunning(f.kc, f.namespace, pod.metadata!.name!);

    // verifying the updated pod is in kubernetes
    pods = await core.listNamespacedPod({ namespace: f.namespace, labelSelector: `time=${value}` });
    expect(pods.items).toHaveLength(1);
  });

  it('Pods, ActiveDeadlineSeconds', async () => {
    const core = f.kc.makeApiClient(CoreV1Api);
    // creating the pod
    const name = `pod-update-activedeadlineseconds-${randomUUID()}`;
    const value = nanosecondValue();
    // submitting the pod to kubernetes
    await createSync(f.kc, f.namespace, pausePod(name, { name: 'foo', time: value }));

    // verifying the pod is in kubernetes
    const pods = await core.listNamespacedPod({ namespace: f.namespace, labelSelector: `time=${value}` });
    expect(pods.items).toHaveLength(1);

    // updating the pod
    await updatePod(name, (p) => {
      p.spec!.activeDeadlineSeconds = 5;
    });

    await waitForPodTerminated(f.kc, f.namespace, name, 'DeadlineExceeded');
  });

  it('Pods, delete a collection', async () => {
    const core = f.kc.makeApiClient(CoreV1Api);
    const podTestNames = ['test-pod-1', 'test-pod-2', 'test-pod-3'];

    // Create set of pods
    for (const podTestName of podTestNames) {
      await core.createNamespacedPod({
        namespace: f.namespace,
        body: mixinRestrictedPodSecurity({
          metadata: { name: podTestName, labels: { type: 'Testing' } },
          spec: {
            terminationGracePeriodSeconds: 1,
            containers: [{ image: images.agnhost, name: 'token-test' }],
            restartPolicy: 'Never',
          },
        }),
      });
    }

    // waiting for all 3 pods to be running (e2epod.WaitForPodsRunningReady)
    await poll('3 pods running and ready', async () => {
      const list = await core.listNamespacedPod({ namespace: f.namespace });
      const ready = list.items.filter((p) => p.status?.phase === 'Running' &&
        p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      return ready.length >= 3 ? true : undefined;
    }, podStartTimeoutMs);

    // delete Collection of pods with a label in the current namespace
    await core.deleteCollectionNamespacedPod({ namespace: f.namespace, gracePeriodSeconds: 1, labelSelector: 'type=Testing' });

    // waiting for all pods to be deleted
    await poll('no pods labelled type=Testing', async () => {
      const list = await core.listNamespacedPod({ namespace: f.namespace, labelSelector: 'type=Testing' });
      return list.items.length === 0 ? true : undefined;
    }, podDeleteTimeoutMs);
  });

  it('Pods, completes the lifecycle of a Pod and the PodStatus', async () => {
    const core = f.kc.makeApiClient(CoreV1Api);
    const ns = f.namespace;
    const testPodName = 'pod-test';
    const testPodLabelsFlat = 'test-pod-static=true';

    const podsList = await core.listPodForAllNamespaces({ labelSelector: testPodLabelsFlat });

    const testPod = mixinRestrictedPodSecurity({
      metadata: { name: testPodName, labels: { 'test-pod-static': 'true' } },
      spec: { terminationGracePeriodSeconds: 1, containers: [{ name: testPodName, image: images.agnhost }] },
    });
    // creating a Pod with a static label
    await core.createNamespacedPod({ namespace: ns, body: testPod });

    // watching for Pod to be ready
    let w = await PodWatch.open(f.kc, ns, { labelSelector: testPodLabelsFlat }, podsList.metadata?.resourceVersion);
    try {
      await w.until(podStartTimeoutMs, (e) => e.object.metadata?.name === testPodName &&
        e.object.metadata.namespace === ns && e.object.metadata.labels?.['test-pod-static'] === 'true' &&
        e.object.status?.phase === 'Running');
    } catch {
      // upstream only logs this ("failed to see event that pod is created") and checks the phase below
    } finally {
      w.stop();
    }
    const p = await core.readNamespacedPod({ name: testPodName, namespace: ns });
    expect(p.status?.phase, `failed to see Pod ${testPodName} in namespace ${ns} running`).toBe('Running');

    // patching the Pod with a new Label and updated data
    const prePatchResourceVersion = p.metadata!.resourceVersion!;
    await core.patchNamespacedPod({
      name: testPodName, namespace: ns,
      body: {
        metadata: { labels: { 'test-pod': 'patched' } },
        spec: { terminationGracePeriodSeconds: 1, containers: [{ name: testPodName, image: images.httpd }] },
      },
    }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch));
    w = await PodWatch.open(f.kc, ns, { labelSelector: testPodLabelsFlat }, prePatchResourceVersion);
    try {
      await w.until(30_000, (e) => e.type === 'MODIFIED' && e.object.metadata?.labels?.['test-pod-static'] === 'true');
    } catch {
      // upstream only logs "failed to see MODIFIED event"
    } finally {
      w.stop();
    }

    // getting the Pod and ensuring that it's patched
    const pod = await core.readNamespacedPod({ name: testPodName, namespace: ns });
    expect(pod.metadata?.labels?.['test-pod'], 'failed to patch Pod - missing label').toBe('patched');
    expect(pod.spec?.containers[0]?.image, 'failed to patch Pod - wrong image').toBe(images.httpd);

    // replacing the Pod's status Ready condition to False
    const podStatusUpdate = await retryOnConflict(async () => {
      const res = await rawRequest(f.kc, 'GET', `/api/v1/namespaces/${ns}/pods/${testPodName}/status`);
      expect(res.status, res.body).toBe(200);
      const podStatus = JSON.parse(res.body) as V1Pod;
      let podStatusFieldPatchCount = 0;
      for (const cond of podStatus.status?.conditions ?? []) {
        if ((cond.type === 'Ready' || cond.type === 'ContainersReady') && cond.status === 'True') {
          cond.status = 'False';
          podStatusFieldPatchCount++;
        }
      }
      expect(podStatusFieldPatchCount, 'failed to patch all relevant Pod conditions').toBe(2);
      return core.replaceNamespacedPodStatus({ name: testPodName, namespace: ns, body: podStatus });
    });

    // check the Pod again to ensure its Ready conditions are False
    const falseCount = (podStatusUpdate.status?.conditions ?? [])
      .filter((c) => (c.type === 'Ready' || c.type === 'ContainersReady') && c.status === 'False').length;
    expect(falseCount, "failed to update PodStatus - field patch count doesn't match the total").toBe(2);

    // deleting the Pod via a Collection with a LabelSelector
    const preDeleteResourceVersion = podStatusUpdate.metadata!.resourceVersion!;
    await core.deleteCollectionNamespacedPod({ namespace: ns, gracePeriodSeconds: 1, labelSelector: testPodLabelsFlat });

    // watching for the Pod to be deleted
    w = await PodWatch.open(f.kc, ns, { labelSelector: testPodLabelsFlat }, preDeleteResourceVersion);
    try {
      await w.until(podDeleteTimeoutMs, (e) => e.type === 'DELETED' && e.object.metadata?.labels?.['test-pod-static'] === 'true');
    } catch {
      // upstream only logs "failed to see DELETED event"; the GET below decides
    } finally {
      w.stop();
    }
    const postDelete = core.readNamespacedPod({ name: testPodName, namespace: ns });
    await expect(postDelete, `pod ${testPodName} found in namespace ${ns}, but it should be deleted`).rejects.toMatchObject({ code: 404 });
  });

  it('Pods, patching status', async () => {
    const core = f.kc.makeApiClient(CoreV1Api);
    const ns = f.namespace;
    const podName = `pod-${randomString(5)}`;

    // Create a pod
    const testPod = mixinRestrictedPodSecurity({
      metadata: { name: podName, labels: { e2e: podName } },
      spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'agnhost', image: images.agnhost }] },
    });
    await core.createNamespacedPod({ namespace: ns, body: testPod });
    await waitForPodRunning(f.kc, ns, podName);

    // patching /status
    const pStatus = await core.patchNamespacedPodStatus({
      name: podName, namespace: ns,
      body: { metadata: { annotations: { patchedstatus: 'true' } }, status: { message: 'Patched by e2e test', reason: 'E2E' } },
    }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    expect(pStatus.status?.message).toBe('Patched by e2e test');
    expect(pStatus.status?.reason).toBe('E2E');
  });
});
