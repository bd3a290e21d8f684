/**
 * Conformance: kubernetes/kubernetes test/e2e/scheduling/predicates.go ("[sig-scheduling]
 * SchedulerPredicates [Serial]"): resource requests over a node's allocatable CPU, nodeSelector
 * matching and not matching, and a hostPort conflict when one pod binds 0.0.0.0. The tests of this
 * file run one at a time against their own cluster, which is what [Serial] asks for.
 */
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { newFramework, poll } from '../framework.ts';
import {
  addOrUpdateLabelOnNode, createPausePod, getNodeThatCanRunPod, readySchedulableNodes, removeLabelOffNode, verifyResult,
  waitForNodesReady, waitForSchedulingFailureAfterAction,
} from '../node-helpers.ts';
import { images, podComponents, podStartTimeoutMs, waitForPodCondition, waitForPodNotPending, waitForPodRunning } from '../pod-helpers.ts';

const f = newFramework('sched-pred', { components: podComponents });

/** Parses a CPU quantity ("2", "1500m", "0.5") into millicores (resource.Quantity.MilliValue). */
function milliCPU(quantity: string | undefined): number {
  if (quantity === undefined || quantity === '') return 0;
  if (quantity.endsWith('m')) return Number(quantity.slice(0, -1));
  return Math.round(Number(quantity) * 1000);
}

/** Upstream getRequestedCPU: the app containers' CPU requests, in millicores. */
function requestedCPU(pod: V1Pod): number {
  return pod.spec!.containers.reduce((sum, c) => sum + milliCPU(c.resources?.requests?.cpu), 0);
}

/** Upstream WaitForStableCluster: waits until every pod of the cluster that is not being deleted has a node. */
async function waitForStableCluster(): Promise<void> {
  await poll('every pod of the cluster to be scheduled', async () => {
    const pods = (await f.kc.makeApiClient(CoreV1Api).listPodForAllNamespaces()).items;
    return pods.every((p) => p.metadata?.deletionTimestamp !== undefined || (p.spec?.nodeName ?? '') !== '') ? true : undefined;
  }, podStartTimeoutMs);
}

/** Upstream getNodeHostIP: the node's first IPv4 InternalIP. */
async function getNodeHostIP(nodeName: string): Promise<string> {
  const node = await f.kc.makeApiClient(CoreV1Api).readNode({ name: nodeName });
  const ips = (node.status?.addresses ?? []).filter((a) => a.type === 'InternalIP' && !a.address.includes(':')).map((a) => a.address);
  expect(ips).not.toHaveLength(0);
  return ips[0]!;
}

/** Upstream createHostPortPodOnNode: agnhost netexec with one hostPort and an HTTP readiness probe. */
async function createHostPortPodOnNode(podName: string, ns: string, hostIP: string, port: number, protocol: 'TCP' | 'UDP',
  nodeSelector: Record<string, string>): Promise<void> {
  await f.kc.makeApiClient(CoreV1Api).createNamespacedPod({
    namespace: ns,
    body: {
      metadata: { name: podName },
      spec: {
        containers: [{
          name: 'agnhost', image: images.agnhost, args: ['netexec', '--http-port=8080', '--udp-port=8080'],
          ports: [{ hostPort: port, containerPort: 8080, protocol, ...(hostIP ? { hostIP } : {}) }],
          readinessProbe: { httpGet: { path: '/hostname', port: 8080, scheme: 'HTTP' } },
        }],
        nodeSelector,
      },
    },
  });
}

describe('[sig-scheduling] SchedulerPredicates [Serial]', () => {
  let workerNodes = new Set<string>();
  let nodeNames: string[] = [];

  beforeEach(async () => {
    await waitForNodesReady(f.kc);
    const nodeList = await readySchedulableNodes(f.kc);
    workerNodes = new Set(nodeList.map((n) => n.metadata!.name!));
    nodeNames = [...workerNodes];
  });

  it('Scheduler, resource limits', async () => {
    const core = f.kc.makeApiClient(CoreV1Api);
    const ns = f.namespace;
    await waitForStableCluster();
    let nodeMaxAllocatable = 0;
    const nodeToAllocatable = new Map<string, number>();
    for (const node of (await core.listNode()).items.filter((n) => nodeNames.includes(n.metadata!.name!))) {
      const ready = node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
      if (!ready) continue;
      // Apply node label to each node
      await addOrUpdateLabelOnNode(f.kc, node.metadata!.name!, 'node', node.metadata!.name!);
      // Find allocatable amount of CPU.
      const allocatable = node.status?.allocatable?.cpu;
      expect(allocatable, `node.Status.Allocatable ${JSON.stringify(node.status?.allocatable)} does not contain entry cpu`).toBeDefined();
      nodeToAllocatable.set(node.metadata!.name!, milliCPU(allocatable));
      nodeMaxAllocatable = Math.max(nodeMaxAllocatable, milliCPU(allocatable));
    }
    try {
      for (const pod of (await core.listPodForAllNamespaces()).items) {
        const nodeName = pod.spec?.nodeName ?? '';
        if (nodeToAllocatable.has(nodeName) && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed') {
          nodeToAllocatable.set(nodeName, nodeToAllocatable.get(nodeName)! - requestedCPU(pod));
        }
      }

      // Starting Pods to consume most of the cluster CPU: one pod per node that requires 70% of the node remaining CPU.
      const fillerPods: V1Pod[] = [];
      for (const [nodeName, cpu] of nodeToAllocatable) {
        const requested = `${Math.floor(cpu * 7 / 10)}m`;
        fillerPods.push(await createPausePod(f.kc, ns, {
          name: `filler-pod-${randomUUID()}`,
          resources: { limits: { cpu: requested }, requests: { cpu: requested } },
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: 'node', operator: 'In', values: [nodeName] }] }],
              },
            },
          },
        }));
      }
      // Wait for filler pods to schedule.
      for (const pod of fillerPods) await waitForPodRunning(f.kc, ns, pod.metadata!.name!);

      // Creating another pod that requires unavailable amount of CPU: 50% of the largest node's CPU.
      const podName = 'additional-pod';
      const half = `${Math.floor(nodeMaxAllocatable * 5 / 10)}m`;
      await waitForSchedulingFailureAfterAction(f.kc, ns, podName, () => createPausePod(f.kc, ns, {
        name: podName, labels: { name: 'additional' },
        resources: { limits: { cpu: half }, requests: { cpu: half } },
      }));
      await verifyResult(f.kc, ns, workerNodes, fillerPods.length, 1);
    } finally {
      // Clean up added labels after this test.
      for (const nodeName of nodeToAllocatable.keys()) await removeLabelOffNode(f.kc, nodeName, 'node');
    }
  });

  it('Scheduler, node selector not matching', async () => {
    const ns = f.namespace;
    // Trying to schedule Pod with nonempty NodeSelector.
    const podName = 'restricted-pod';
    await waitForStableCluster();
    await waitForSchedulingFailureAfterAction(f.kc, ns, podName, () => createPausePod(f.kc, ns, {
      name: podName, labels: { name: 'restricted' }, nodeSelector: { label: 'nonempty' },
    }));
    await verifyResult(f.kc, ns, workerNodes, 0, 1);
  });

  it('Scheduler, node selector matching', async () => {
    const ns = f.namespace;
    const nodeName = await getNodeThatCanRunPod(f.kc, ns);

    // Trying to apply a random label on the found node.
    const k = `kubernetes.io/e2e-${randomUUID()}`;
    const v = '42';
    await addOrUpdateLabelOnNode(f.kc, nodeName, k, v);
    try {
      // Trying to relaunch the pod, now with labels.
      const labelPodName = 'with-labels';
      await createPausePod(f.kc, ns, { name: labelPodName, nodeSelector: { [k]: v } });

      // check that pod got scheduled. We intentionally DO NOT check that the pod is running
      // (upstream: the kubelet may not know the node's new label yet).
      await waitForPodNotPending(f.kc, ns, labelPodName);
      const labelPod = await f.kc.makeApiClient(CoreV1Api).readNamespacedPod({ name: labelPodName, namespace: ns });
      expect(labelPod.spec?.nodeName).toBe(nodeName);
    } finally {
      await removeLabelOffNode(f.kc, nodeName, k);
    }
  });

  it('Scheduling, HostPort and Protocol match, HostIPs different but one is default HostIP (0.0.0.0)', async () => {
    const ns = f.namespace;
    const nodeName = await getNodeThatCanRunPod(f.kc, ns);
    const hostIP = await getNodeHostIP(nodeName);

    // use nodeSelector to make sure the testing pods get assigned on the same node to explicitly verify there exists conflict or not
    const k = `kubernetes.io/e2e-${randomUUID()}`;
    const v = '95';
    const nodeSelector = { [k]: v };
    await addOrUpdateLabelOnNode(f.kc, nodeName, k, v);
    try {
      const port = 54322;
      // Trying to create a pod(pod4) with hostport 54322 and hostIP 0.0.0.0(empty string here) and expect scheduled
      await createHostPortPodOnNode('pod4', ns, '', port, 'TCP', nodeSelector);
      await waitForPodNotPending(f.kc, ns, 'pod4');

      // Trying to create another pod(pod5) with hostport 54322 but hostIP <node IP> on the node which pod4 resides and expect not scheduled
      await createHostPortPodOnNode('pod5', ns, hostIP, port, 'TCP', nodeSelector);
      // Upstream waits out PodStartTimeout for pod5 to leave Pending and ignores the result. The
      // scheduler's verdict is checked instead: PodScheduled=False (Unschedulable), and no node.
      const pod5 = await waitForPodCondition(f.kc, ns, 'pod5', 'unschedulable', podStartTimeoutMs, (p) => {
        if ((p.spec?.nodeName ?? '') !== '') throw new Error(`pod5 was scheduled onto ${p.spec!.nodeName} despite the hostPort conflict`);
        return p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable') ?? false;
      });
      expect(pod5.spec?.nodeName ?? '').toBe('');
      expect(pod5.status?.phase).toBe('Pending');
    } finally {
      await removeLabelOffNode(f.kc, nodeName, k);
    }
  });
});
