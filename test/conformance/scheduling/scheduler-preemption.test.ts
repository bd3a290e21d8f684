/**
 * Conformance: kubernetes/kubernetes test/e2e/scheduling/preemption.go ("[sig-scheduling]
 * SchedulerPreemption [Serial]"), the rows that need the scheduler to preempt: basic preemption,
 * preemption by a system-cluster-critical pod, the DisruptionTarget condition on the victim, and the
 * ReplicaSet execution path. Nodes advertise the extended resource scheduling.k8s.io/foo (patched
 * onto their status, as upstream does) so the pods fill them exactly. (The PriorityClass endpoints
 * row lives in preemption.test.ts.)
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppsV1Api, CoreV1Api, PatchStrategy, SchedulingV1Api, setHeaderOptions, Watch, type V1Node, type V1Pod } from '@kubernetes/client-node';
import { newFramework, poll } from '../framework.ts';
import {
  affinityToNode, createPausePod, getNodeThatCanRunPod, initPausePod, patchNodeExtendedResources, readySchedulableNodes, runPausePod,
  waitForNodesReady, type PausePodConfig,
} from '../node-helpers.ts';
import { podComponents, podDeleteTimeoutMs, podStartTimeoutMs, waitForPodCondition, waitForPodRunning } from '../pod-helpers.ts';

const f = newFramework('sched-preemption', { components: podComponents });

const testExtendedResource = 'scheduling.k8s.io/foo';
const testFinalizer = 'example.com/test-finalizer';

const lowPriorityClassName = `${f.baseName}-low-priority`;
const mediumPriorityClassName = `${f.baseName}-medium-priority`;
const highPriorityClassName = `${f.baseName}-high-priority`;
const priorityPairs = [
  { name: lowPriorityClassName, value: 1 },
  { name: mediumPriorityClassName, value: 100 },
  { name: highPriorityClassName, value: 1000 },
];

async function createPriorityClasses(pairs: readonly { name: string; value: number }[]): Promise<void> {
  const scheduling = f.kc.makeApiClient(SchedulingV1Api);
  for (const pair of pairs) {
    await scheduling.createPriorityClass({ body: { metadata: { name: pair.name }, value: pair.value } }).catch((err: unknown) => {
      if ((err as { code?: number }).code !== 409) throw new Error(`expected 'alreadyExists' as error, got instead: ${String(err)}`);
    });
  }
}

async function deletePriorityClasses(pairs: readonly { name: string }[]): Promise<void> {
  const scheduling = f.kc.makeApiClient(SchedulingV1Api);
  for (const pair of pairs) await scheduling.deletePriorityClass({ name: pair.name, gracePeriodSeconds: 0 }).catch(() => undefined);
}

/** Upstream's check after the preemptor runs: the victim is gone or terminating. */
async function expectPreempted(pod: V1Pod): Promise<void> {
  try {
    const preempted = await f.kc.makeApiClient(CoreV1Api).readNamespacedPod({ name: pod.metadata!.name!, namespace: pod.metadata!.namespace! });
    expect(preempted.metadata?.deletionTimestamp, `expected pod to be preempted, instead got pod ${JSON.stringify(preempted.metadata)}`).toBeDefined();
  } catch (err) {
    if ((err as { code?: number }).code !== 404) throw err;
  }
}

/** Upstream's check of the other pods: none of them is being deleted. */
async function expectNotPreempted(pods: V1Pod[]): Promise<void> {
  for (const pod of pods) {
    const live = await f.kc.makeApiClient(CoreV1Api).readNamespacedPod({ name: pod.metadata!.name!, namespace: pod.metadata!.namespace! });
    expect(live.metadata?.deletionTimestamp, `pod ${pod.metadata!.name} should not be preempted`).toBeUndefined();
  }
}

/** Two pods per node each asking 2 of the node's 5 foo; the first pod is low priority, the rest medium. */
async function fillNodesWithVictims(nodeList: V1Node[]): Promise<V1Pod[]> {
  // Create pods that use 4/5 of node resources.
  const pods: V1Pod[] = [];
  for (const [i, node] of nodeList.entries()) {
    // Update each node to advertise 5 available extended resources
    await patchNodeExtendedResources(f.kc, node.metadata!.name!, { [testExtendedResource]: '5' });
    for (let j = 0; j < 2; j++) {
      // Request 2 of the available resources for the victim pods
      const podRes = { [testExtendedResource]: '2' };
      // make the first pod low priority and the rest medium priority.
      const priorityName = pods.length === 0 ? lowPriorityClassName : mediumPriorityClassName;
      pods.push(await createPausePod(f.kc, f.namespace, {
        name: `pod${i}-${j}-${priorityName}`, priorityClassName: priorityName,
        resources: { requests: podRes, limits: podRes }, affinity: affinityToNode(node.metadata!.name!),
      }));
    }
  }
  expect(pods.length, 'We need at least two pods to be created but all nodes are already heavily utilized, so preemption tests cannot be run')
    .toBeGreaterThanOrEqual(2);
  // Wait for pods to be scheduled.
  for (const pod of pods) await waitForPodRunning(f.kc, f.namespace, pod.metadata!.name!);
  return pods;
}

describe('[sig-scheduling] SchedulerPreemption [Serial]', () => {
  let nodeList: V1Node[] = [];

  beforeEach(async () => {
    await createPriorityClasses(priorityPairs);
    await waitForNodesReady(f.kc);
    nodeList = await readySchedulableNodes(f.kc);
  });

  afterEach(async () => {
    await deletePriorityClasses(priorityPairs);
    for (const node of nodeList) await patchNodeExtendedResources(f.kc, node.metadata!.name!, { [testExtendedResource]: null });
  });

  it('Scheduler, Basic Preemption', async () => {
    const pods = await fillNodesWithVictims(nodeList);

    // Run a high priority pod that has same requirements as that of lower priority pod
    const podRes = pods[0]!.spec!.containers[0]!.resources!.requests!;
    await runPausePod(f.kc, f.namespace, {
      name: 'preemptor-pod', priorityClassName: highPriorityClassName, resources: { requests: podRes, limits: podRes },
    });

    await expectPreempted(pods[0]!);
    await expectNotPreempted(pods.slice(1));
  }, 180_000);

  it('Scheduler, Preemption for critical pod', async () => {
    const pods = await fillNodesWithVictims(nodeList);
    const core = f.kc.makeApiClient(CoreV1Api);

    // We want this pod to be preempted
    const podRes = pods[0]!.spec!.containers[0]!.resources!.requests!;
    // Run a critical pod that use same resources as that of a lower priority pod
    try {
      await runPausePod(f.kc, f.namespace, {
        name: 'critical-pod', namespace: 'kube-system', priorityClassName: 'system-cluster-critical',
        resources: { requests: podRes, limits: podRes },
      });
      // Make sure that the lowest priority pod is deleted.
      await expectNotPreempted(pods.slice(1));
      await expectPreempted(pods[0]!);
    } finally {
      // Clean-up the critical pod. Always run cleanup to make sure the pod is properly cleaned up.
      await core.deleteNamespacedPod({ name: 'critical-pod', namespace: 'kube-system', gracePeriodSeconds: 0 }).catch((err: unknown) => {
        if ((err as { code?: number }).code !== 404) throw err;
      });
    }
  }, 180_000);

  it('Verify the DisruptionTarget condition is added to the preempted pod', async () => {
    const core = f.kc.makeApiClient(CoreV1Api);
    const podRes = { [testExtendedResource]: '1' };

    // Select a node to run the lower and higher priority pods
    expect(nodeList, 'We need at least one node for the test to run').not.toHaveLength(0);
    const node = nodeList[0]!;
    await patchNodeExtendedResources(f.kc, node.metadata!.name!, { [testExtendedResource]: '1' });

    // prepare node affinity to make sure both the lower and higher priority pods are scheduled on the same node
    const testNodeAffinity = affinityToNode(node.metadata!.name!);

    // Create a low priority pod that consumes 1/1 of node resources
    const victimPod = await createPausePod(f.kc, f.namespace, {
      name: 'victim-pod', priorityClassName: lowPriorityClassName, resources: { requests: podRes, limits: podRes },
      finalizers: [testFinalizer], affinity: testNodeAffinity,
    });

    try {
      // Wait for the victim pod to be scheduled
      await waitForPodRunning(f.kc, f.namespace, victimPod.metadata!.name!);

      // Create a high priority pod to trigger preemption of the lower priority pod
      await createPausePod(f.kc, f.namespace, {
        name: 'preemptor-pod', priorityClassName: highPriorityClassName, resources: { requests: podRes, limits: podRes },
        affinity: testNodeAffinity,
      });

      // Waiting for the victim pod to be terminating
      await waitForPodCondition(f.kc, f.namespace, 'victim-pod', 'terminating', podDeleteTimeoutMs,
        (p) => p.metadata?.deletionTimestamp !== undefined);

      // Verifying the pod has the pod disruption condition
      const pod = await core.readNamespacedPod({ name: 'victim-pod', namespace: f.namespace });
      expect(pod.status?.conditions?.find((c) => c.type === 'DisruptionTarget'),
        `pod ${f.namespace}/victim-pod has no DisruptionTarget condition: ${JSON.stringify(pod.status?.conditions)}`).toBeDefined();
    } finally {
      // Remove the finalizer so that the victim pod can be GCed (PodClient.RemoveFinalizer)
      await core.patchNamespacedPod({ name: 'victim-pod', namespace: f.namespace, body: [{ op: 'remove', path: '/metadata/finalizers' }] },
        setHeaderOptions('Content-Type', PatchStrategy.JsonPatch)).catch(() => undefined);
    }
  }, 180_000);

  describe('PreemptionExecutionPath', () => {
    const fakecpu = 'example.com/fakecpu';
    const executionPriorityPairs = [1, 2, 3, 4].map((i) => ({ name: `p${i}`, value: i }));
    let node: V1Node | undefined;
    let nodeHostNameLabel = '';

    beforeEach(async () => {
      // find an available node
      const nodeName = await getNodeThatCanRunPod(f.kc, f.namespace);
      node = await f.kc.makeApiClient(CoreV1Api).readNode({ name: nodeName });
      nodeHostNameLabel = node.metadata?.labels?.['kubernetes.io/hostname'] ?? '';
      expect(nodeHostNameLabel, `error getting kubernetes.io/hostname label on node ${nodeName}`).not.toBe('');

      // update Node API object with a fake resource
      await patchNodeExtendedResources(f.kc, nodeName, { [fakecpu]: '1000' });

      // create four PriorityClass: p1, p2, p3, p4
      await createPriorityClasses(executionPriorityPairs);
    });

    afterEach(async () => {
      if (node !== undefined) await patchNodeExtendedResources(f.kc, node.metadata!.name!, { [fakecpu]: null });
      await deletePriorityClasses(executionPriorityPairs);
    });

    it('Pod preemption verification', async () => {
      const ns = f.namespace;
      const podNamesSeen = [0, 0, 0];

      // create a pod controller to list/watch pod events from the test framework namespace
      const controller = await new Watch(f.kc).watch(`/api/v1/namespaces/${ns}/pods`, {}, (type: string, pod: V1Pod) => {
        if (type !== 'ADDED') return;
        const name = pod.metadata?.name ?? '';
        for (let i = 0; i < 3; i++) if (name.startsWith(`rs-pod${i + 1}`)) podNamesSeen[i]!++;
      }, () => undefined);

      try {
        // prepare three ReplicaSet, so as to occupy 950/1000 fake resource
        const rsConfs = [200, 300, 450].map((amount, i) => ({
          replicas: 1,
          podConfig: {
            name: `pod${i + 1}`, namespace: ns, labels: { name: `pod${i + 1}` }, priorityClassName: `p${i + 1}`,
            nodeSelector: { 'kubernetes.io/hostname': nodeHostNameLabel },
            resources: { requests: { [fakecpu]: String(amount) }, limits: { [fakecpu]: String(amount) } },
          } satisfies PausePodConfig,
        }));
        // runPauseRS waits for each ReplicaSet's replicas to be available: only its controller creates them.
        await runPreemptionExecutionPath(rsConfs, podNamesSeen, nodeHostNameLabel);
      } finally {
        controller.abort();
      }
    });
  });
});

/** The rest of "Pod preemption verification" once ReplicaSets run: the preemptor preempts exactly once. */
async function runPreemptionExecutionPath(rsConfs: { replicas: number; podConfig: PausePodConfig }[], podNamesSeen: number[],
  nodeHostNameLabel: string): Promise<void> {
  const ns = f.namespace;
  for (const conf of rsConfs) {
    // runPauseRS: an RS "rs-<pod name>" of the pause pod, then WaitForReplicaSetTargetAvailableReplicas
    const rsName = `rs-${conf.podConfig.name}`;
    const apps = f.kc.makeApiClient(AppsV1Api);
    const pod = initPausePod(conf.podConfig);
    await apps.createNamespacedReplicaSet({
      namespace: ns,
      body: {
        metadata: { name: rsName, namespace: ns },
        spec: { replicas: conf.replicas, selector: { matchLabels: pod.metadata!.labels! }, template: { metadata: { labels: pod.metadata!.labels! }, spec: pod.spec! } },
      },
    });
    await poll(`ReplicaSet ${rsName} to have ${conf.replicas} available replicas`, async () => {
      const rs = await apps.readNamespacedReplicaSet({ name: rsName, namespace: ns });
      return (rs.status?.availableReplicas ?? 0) === conf.replicas ? true : undefined;
    }, podStartTimeoutMs);
  }

  // create a Preemptor Pod
  const preemptor = await createPausePod(f.kc, ns, {
    name: 'pod4', namespace: ns, labels: { name: 'pod4' }, priorityClassName: 'p4',
    nodeSelector: { 'kubernetes.io/hostname': nodeHostNameLabel },
    resources: { requests: { 'example.com/fakecpu': '500' }, limits: { 'example.com/fakecpu': '500' } },
  });
  // waitForPreemptingWithTimeout: the preemptor gets a node
  await waitForPodCondition(f.kc, ns, preemptor.metadata!.name!, 'bound to a node', podStartTimeoutMs, (p) => (p.spec?.nodeName ?? '') !== '');

  // "*2" means pods of ReplicaSet{1,2} are expected to be only preempted once.
  const expectedRSPods = [2, 2, 1];
  await poll('each ReplicaSet to observe its expected pod creations', async () => {
    for (let i = 0; i < podNamesSeen.length; i++) {
      if (podNamesSeen[i]! > expectedRSPods[i]!) throw new Error(`rs${i + 1} had more than ${expectedRSPods[i]} pods created: ${podNamesSeen[i]}`);
      if (podNamesSeen[i]! < expectedRSPods[i]!) return undefined;
    }
    return true;
  }, 60_000);
  // a final check to ensure within a time period, the state is stable; otherwise, pods may be over-preempted.
  await new Promise((resolve) => setTimeout(resolve, 5000));
  expect(podNamesSeen).toEqual(expectedRSPods);
}
