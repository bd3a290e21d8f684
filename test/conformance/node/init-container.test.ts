/**
 * Conformance: kubernetes/kubernetes test/e2e/common/node/init_container.go ("[sig-node]
 * InitContainer [NodeConformance]"). Each test creates a pod with two init containers and watches it
 * from its creation's resourceVersion with watchtools.Until conditions, as upstream does.
 * Upstream also records the events for an invariant check, but its recorder appends to a copy of
 * the slice and the check's result is never looked at, so no invariant is asserted there or here.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CoreV1Api, type V1Pod, type V1PodCondition } from '@kubernetes/client-node';
import { newFramework } from '../framework.ts';
import { images, podCompletedCondition, podComponents, podRunningCondition, podStartTimeoutMs, PodWatch,
  type PodEventCondition } from '../pod-helpers.ts';

const f = newFramework('init-container', { components: podComponents });

/** strconv.Itoa(time.Now().Nanosecond()). */
const nanosecondValue = (): string => String(Number(process.hrtime.bigint() % 1_000_000_000n));

const cpuLimit = { limits: { cpu: '100m' } };

function podCondition(pod: V1Pod, type: string): V1PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

/** Creates the pod and waits, from its resourceVersion, until the conditions hold in turn (framework.PodStartTimeout). */
async function createAndWatchUntil(pod: V1Pod, timeoutMs: number, ...conditions: PodEventCondition[]): Promise<V1Pod> {
  // PodSpec: initContainers in spec.initContainers
  const startedPod = await f.kc.makeApiClient(CoreV1Api).createNamespacedPod({ namespace: f.namespace, body: pod });
  const w = await PodWatch.open(f.kc, f.namespace, { fieldSelector: `metadata.name=${startedPod.metadata!.name!}` },
    startedPod.metadata!.resourceVersion);
  try {
    return (await w.until(timeoutMs, ...conditions)).object;
  } finally {
    w.stop();
  }
}

function podWithInitContainers(restartPolicy: 'Never' | undefined, init1: string, init2: string): V1Pod {
  return {
    metadata: { name: `pod-init-${randomUUID()}`, labels: { name: 'foo', time: nanosecondValue() } },
    spec: {
      ...(restartPolicy ? { restartPolicy } : {}),
      initContainers: [
        { name: 'init1', image: images.busyBox, command: [init1] },
        { name: 'init2', image: images.busyBox, command: [init2] },
      ],
      containers: [],
    },
  };
}

function expectInitContainersDone(endPod: V1Pod): void {
  const init = podCondition(endPod, 'Initialized');
  expect(init).toBeDefined();
  expect(init!.status).toBe('True');
  expect(endPod.status?.initContainerStatuses).toHaveLength(2);
  for (const status of endPod.status!.initContainerStatuses!) {
    expect(status.ready, `init container ${status.name} should be in Ready status`).toBe(true);
    expect(status.state?.terminated).toBeDefined();
    expect(status.state!.terminated!.exitCode).toBe(0);
  }
}

describe('[sig-node] InitContainer [NodeConformance]', () => {
  it('init-container-starts-app-restartnever-pod', async () => {
    // creating the pod
    const pod = podWithInitContainers('Never', '/bin/true', '/bin/true');
    pod.spec!.containers = [{ name: 'run1', image: images.busyBox, command: ['/bin/true'] }];

    const endPod = await createAndWatchUntil(pod, podStartTimeoutMs, podCompletedCondition);

    expect(endPod.status?.phase).toBe('Succeeded');
    expectInitContainersDone(endPod);
  });

  it('init-container-starts-app-restartalways-pod', async () => {
    // creating the pod
    const pod = podWithInitContainers(undefined, '/bin/true', '/bin/true');
    pod.spec!.containers = [{ name: 'run1', image: images.pause, resources: cpuLimit }];

    const endPod = await createAndWatchUntil(pod, podStartTimeoutMs, podRunningCondition);

    expect(endPod.status?.phase).toBe('Running');
    expectInitContainersDone(endPod);
  });

  it('init-container-fails-stops-app-restartalways-pod', async () => {
    // creating the pod
    const pod = podWithInitContainers(undefined, '/bin/false', '/bin/true');
    pod.spec!.containers = [{ name: 'run1', image: images.pause, resources: cpuLimit }];

    // Three restarts of init1 under the kubelet's crash-loop back-off (10 s, 20 s, 40 s) take
    // over a minute; upstream allows framework.PodStartTimeout (5 minutes).
    const endPod = await createAndWatchUntil(pod, 300_000,
      // check for the first container to fail at least once
      ({ object: t }) => {
        for (const status of t.status?.containerStatuses ?? []) {
          if (status.state?.waiting === undefined) {
            throw new Error(`container "${status.name}" should not be out of waiting: ${JSON.stringify(status)}`);
          }
          if (status.state.waiting.reason !== 'PodInitializing') {
            throw new Error(`container "${status.name}" should have reason PodInitializing: ${JSON.stringify(status)}`);
          }
        }
        const inits = t.status?.initContainerStatuses ?? [];
        if (inits.length !== 2) return false;
        const second = inits[1]!;
        if (second.state?.waiting === undefined) {
          throw new Error(`second init container should not be out of waiting: ${JSON.stringify(second)}`);
        }
        if (second.state.waiting.reason !== 'PodInitializing') {
          throw new Error(`second init container should have reason PodInitializing: ${JSON.stringify(second)}`);
        }
        const first = inits[0]!;
        if (first.state?.terminated !== undefined && first.state.terminated.exitCode === 0) {
          throw new Error(`first init container should have exitCode != 0: ${JSON.stringify(first)}`);
        }
        // continue until we see an attempt to restart the pod
        return first.lastState?.terminated !== undefined;
      },
      // verify we get two restarts
      ({ object: t }) => (t.status?.initContainerStatuses?.[0]?.restartCount ?? 0) >= 3,
    );

    expect(endPod.status?.phase).toBe('Pending');
    const init = podCondition(endPod, 'Initialized');
    expect(init).toBeDefined();
    expect(init!.status).toBe('False');
    expect(init!.reason).toBe('ContainersNotInitialized');
    expect(init!.message).toBe('containers with incomplete status: [init1 init2]');
    expect(endPod.status?.initContainerStatuses).toHaveLength(2);
  }, 330_000);

  it('init-container-fails-stops-app-restartnever-pod', async () => {
    // creating the pod
    const pod = podWithInitContainers('Never', '/bin/true', '/bin/false');
    pod.spec!.containers = [{ name: 'run1', image: images.busyBox, command: ['/bin/true'], resources: cpuLimit }];

    const endPod = await createAndWatchUntil(pod, podStartTimeoutMs,
      // check for the second container to fail at least once
      ({ object: t }) => {
        for (const status of t.status?.containerStatuses ?? []) {
          if (status.state?.waiting === undefined) {
            throw new Error(`container "${status.name}" should not be out of waiting: ${JSON.stringify(status)}`);
          }
          if (status.state.waiting.reason !== 'PodInitializing') {
            throw new Error(`container "${status.name}" should have reason PodInitializing: ${JSON.stringify(status)}`);
          }
        }
        const inits = t.status?.initContainerStatuses ?? [];
        if (inits.length !== 2) return false;
        const first = inits[0]!;
        if (first.state?.terminated === undefined) {
          if (first.state?.waiting !== undefined && first.state.waiting.reason !== 'PodInitializing') {
            throw new Error(`second init container should have reason PodInitializing: ${JSON.stringify(first)}`);
          }
          return false;
        }
        if (first.state.terminated.exitCode !== 0) {
          throw new Error(`first init container should have exitCode != 0: ${JSON.stringify(first)}`);
        }
        const second = inits[1]!;
        if (second.state?.terminated === undefined) return false;
        if (second.state.terminated.exitCode === 0) {
          throw new Error(`second init container should have failed: ${JSON.stringify(second)}`);
        }
        return true;
      },
      podCompletedCondition,
    );

    expect(endPod.status?.phase).toBe('Failed');
    const init = podCondition(endPod, 'Initialized');
    expect(init).toBeDefined();
    expect(init!.status).toBe('False');
    expect(init!.reason).toBe('ContainersNotInitialized');
    expect(init!.message).toBe('containers with incomplete status: [init2]');
    expect(endPod.status?.initContainerStatuses).toHaveLength(2);
    expect(endPod.status?.containerStatuses?.[0]?.state?.waiting).toBeDefined();
  });
});
