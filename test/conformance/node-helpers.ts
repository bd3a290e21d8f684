/**
 * Node and scheduling helpers for the conformance rows that need the scheduler, shaped like upstream's
 * test/e2e/framework/node (GetReadySchedulableNodes, AddOrUpdateLabelOnNode, RemoveLabelOffNode) and
 * test/e2e/scheduling (pausePodConfig, initPausePod, runPodAndGetNodeName, WaitForSchedulerAfterAction,
 * verifyResult, patchNode).
 */
import { CoreV1Api, PatchStrategy, setHeaderOptions, type KubeConfig, type V1Affinity, type V1ContainerPort,
  type V1Node, type V1Pod, type V1ResourceRequirements, type V1Toleration } from '@kubernetes/client-node';
import { poll, retryOnConflict } from './framework.ts';
import { images, podStartTimeoutMs, waitForPodRunning } from './pod-helpers.ts';

/** e2enode.IsNodeSchedulable and isNodeUntainted: Ready, not cordoned, no NoSchedule/NoExecute taint. */
export function isReadySchedulableUntainted(node: V1Node): boolean {
  const ready = node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  const networkUnavailable = node.status?.conditions?.some((c) => c.type === 'NetworkUnavailable' && c.status === 'True') ?? false;
  const tainted = node.spec?.taints?.some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute') ?? false;
  return ready && !networkUnavailable && node.spec?.unschedulable !== true && !tainted;
}

/** e2enode.GetReadySchedulableNodes; like upstream it fails when there is none. */
export async function readySchedulableNodes(kc: KubeConfig): Promise<V1Node[]> {
  const nodes = (await kc.makeApiClient(CoreV1Api).listNode()).items.filter(isReadySchedulableUntainted);
  if (nodes.length === 0) throw new Error('there are currently no ready, schedulable nodes in the cluster');
  return nodes;
}

/** e2enode.WaitForTotalHealthy / AllNodesReady, loosely: waits until at least one node exists and every node is Ready. */
export async function waitForNodesReady(kc: KubeConfig, timeoutMs = 60_000): Promise<void> {
  await poll('all nodes Ready', async () => {
    const nodes = (await kc.makeApiClient(CoreV1Api).listNode()).items;
    const ready = (n: V1Node) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    return nodes.length > 0 && nodes.every(ready) ? true : undefined;
  }, timeoutMs);
}

/** e2enode.AddOrUpdateLabelOnNode, then ExpectNodeHasLabel. */
export async function addOrUpdateLabelOnNode(kc: KubeConfig, nodeName: string, key: string, value: string): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  await retryOnConflict(() => core.patchNode({ name: nodeName, body: { metadata: { labels: { [key]: value } } } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch)));
  const node = await core.readNode({ name: nodeName });
  if (node.metadata?.labels?.[key] !== value) throw new Error(`node ${nodeName} does not have label ${key}=${value}`);
}

/** e2enode.RemoveLabelOffNode (a missing node is fine: cleanup). */
export async function removeLabelOffNode(kc: KubeConfig, nodeName: string, key: string): Promise<void> {
  await kc.makeApiClient(CoreV1Api).patchNode({ name: nodeName, body: { metadata: { labels: { [key]: null } } } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch)).catch((err: unknown) => {
    if ((err as { code?: number }).code !== 404) throw err;
  });
}

/**
 * Upstream patchNode: a strategic merge patch of node status. `resources` maps an extended resource
 * to its quantity in both capacity and allocatable, or to null to remove it (what CreateTwoWayMergePatch
 * makes of adding or deleting a map key).
 */
export async function patchNodeExtendedResources(kc: KubeConfig, nodeName: string, resources: Record<string, string | null>): Promise<void> {
  await kc.makeApiClient(CoreV1Api).patchNodeStatus({ name: nodeName, body: { status: { capacity: resources, allocatable: resources } } },
    setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch));
}

/** Upstream's pausePodConfig (test/e2e/scheduling/predicates.go). */
export interface PausePodConfig {
  name: string;
  namespace?: string;
  affinity?: V1Affinity;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  nodeSelector?: Record<string, string>;
  resources?: V1ResourceRequirements;
  tolerations?: V1Toleration[];
  ports?: V1ContainerPort[];
  priorityClassName?: string;
  finalizers?: string[];
}

/** Upstream initPausePod: a pause container with the restricted security context and a 1 s grace period. */
export function initPausePod(conf: PausePodConfig): V1Pod {
  return {
    metadata: {
      name: conf.name, labels: { ...(conf.labels ?? {}) }, annotations: { ...(conf.annotations ?? {}) },
      ...(conf.namespace ? { namespace: conf.namespace } : {}), ...(conf.finalizers ? { finalizers: conf.finalizers } : {}),
    },
    spec: {
      securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
      ...(conf.nodeSelector ? { nodeSelector: conf.nodeSelector } : {}),
      ...(conf.affinity ? { affinity: conf.affinity } : {}),
      containers: [{
        name: conf.name, image: images.pause,
        ...(conf.ports ? { ports: conf.ports } : {}),
        ...(conf.resources ? { resources: conf.resources } : {}),
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      }],
      ...(conf.tolerations ? { tolerations: conf.tolerations } : {}),
      ...(conf.priorityClassName ? { priorityClassName: conf.priorityClassName } : {}),
      terminationGracePeriodSeconds: 1,
    },
  };
}

/** Upstream createPausePod. */
export function createPausePod(kc: KubeConfig, namespace: string, conf: PausePodConfig): Promise<V1Pod> {
  return kc.makeApiClient(CoreV1Api).createNamespacedPod({ namespace: conf.namespace ?? namespace, body: initPausePod(conf) });
}

/** Upstream runPausePod: creates it and waits until it runs (f.Timeouts.PodStartShort). */
export async function runPausePod(kc: KubeConfig, namespace: string, conf: PausePodConfig): Promise<V1Pod> {
  const pod = await createPausePod(kc, namespace, conf);
  return waitForPodRunning(kc, pod.metadata!.namespace!, pod.metadata!.name!, podStartTimeoutMs);
}

/** Upstream GetNodeThatCanRunPod: runs a pod "without-label", deletes it, returns the node it ran on. */
export async function getNodeThatCanRunPod(kc: KubeConfig, namespace: string): Promise<string> {
  const pod = await runPausePod(kc, namespace, { name: 'without-label' });
  // Explicitly delete pod here to free the resource it takes.
  await kc.makeApiClient(CoreV1Api).deleteNamespacedPod({ name: pod.metadata!.name!, namespace, gracePeriodSeconds: 0 });
  return pod.spec!.nodeName!;
}

/**
 * Upstream WaitForSchedulerAfterAction with expectSuccess=false: runs `action`, then waits (a minute)
 * for a Warning event with reason FailedScheduling whose name starts with the pod's name.
 */
export async function waitForSchedulingFailureAfterAction(kc: KubeConfig, namespace: string, podName: string,
  action: () => Promise<unknown>, timeoutMs = 60_000): Promise<void> {
  await action();
  await poll(`a FailedScheduling event for pod ${podName}`, async () => {
    const events = (await kc.makeApiClient(CoreV1Api).listNamespacedEvent({ namespace })).items;
    return events.some((e) => (e.metadata?.name ?? '').startsWith(podName) && e.type === 'Warning' && e.reason === 'FailedScheduling')
      ? true : undefined;
  }, timeoutMs);
}

/**
 * Upstream verifyResult: counts the namespace's pods scheduled onto `workerNodes` (each must carry
 * PodScheduled=True) and those without a node.
 */
export async function verifyResult(kc: KubeConfig, namespace: string, workerNodes: ReadonlySet<string>,
  expectedScheduled: number, expectedNotScheduled: number): Promise<void> {
  const pods = (await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace })).items;
  const scheduled: string[] = [];
  const notScheduled: string[] = [];
  for (const pod of pods) {
    const nodeName = pod.spec?.nodeName ?? '';
    if (nodeName !== '' && workerNodes.has(nodeName)) {
      const cond = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
      if (cond === undefined) throw new Error(`Did not find 'scheduled' condition for pod ${pod.metadata?.name}`);
      if (cond.status !== 'True') throw new Error(`PodStatus isn't 'true' for pod ${pod.metadata?.name}`);
      scheduled.push(pod.metadata!.name!);
    } else if (nodeName === '') {
      notScheduled.push(pod.metadata!.name!);
    }
  }
  if (notScheduled.length !== expectedNotScheduled) {
    throw new Error(`expected ${expectedNotScheduled} not scheduled pods, got ${notScheduled.length}: ${notScheduled.join(', ')}`);
  }
  if (scheduled.length !== expectedScheduled) {
    throw new Error(`expected ${expectedScheduled} scheduled pods, got ${scheduled.length}: ${scheduled.join(', ')}`);
  }
}

/** Node affinity pinning a pod to one node by name (MatchFields metadata.name In [name]), as the preemption tests use. */
export function affinityToNode(nodeName: string): V1Affinity {
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }],
      },
    },
  };
}
