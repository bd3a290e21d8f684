/**
 * Conformance: kubernetes/kubernetes test/e2e/common/node/runtime.go ("[sig-node] Container Runtime"),
 * the termination-message row that needs a kubelet: a container that succeeds under
 * TerminationMessagePolicy FallbackToLogsOnError reports an empty termination message.
 * ConformanceContainer (test/e2e/common/node/container.go) is inlined: one container in a pod
 * named after it.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { CoreV1Api, type V1Container, type V1ContainerStatus } from '@kubernetes/client-node';
import { newFramework, poll } from '../framework.ts';
import { images, podComponents } from '../pod-helpers.ts';

const f = newFramework('container-runtime', { components: podComponents });

// ContainerStatusRetryTimeout upstream is 5 minutes; a simulated container finishes at once.
const containerStatusRetryTimeoutMs = 60_000;

const created: string[] = [];
afterEach(async () => {
  const core = f.kc.makeApiClient(CoreV1Api);
  for (const name of created.splice(0)) {
    // framework.IgnoreNotFound(c.Delete)
    await core.deleteNamespacedPod({ name, namespace: f.namespace, gracePeriodSeconds: 0 }).catch(() => undefined);
  }
});

/** ConformanceContainer.GetStatus: the pod's only container status, which must be this container's. */
async function containerStatus(podName: string, containerName: string): Promise<V1ContainerStatus> {
  const pod = await f.kc.makeApiClient(CoreV1Api).readNamespacedPod({ name: podName, namespace: f.namespace });
  const statuses = pod.status?.containerStatuses ?? [];
  if (statuses.length !== 1 || statuses[0]!.name !== containerName) {
    throw new Error(`unexpected container statuses ${JSON.stringify(statuses)}`);
  }
  return statuses[0]!;
}

/** Upstream matchTerminationMessage: create, wait for the phase, check the terminated state's message. */
async function matchTerminationMessage(container: V1Container, expectedPhase: string, expectedMsg: string): Promise<void> {
  container.name = 'termination-message-container';
  const podName = container.name + randomUUID();
  const core = f.kc.makeApiClient(CoreV1Api);

  // create the container
  await core.createNamespacedPod({
    namespace: f.namespace,
    body: { metadata: { name: podName }, spec: { restartPolicy: 'Never', containers: [container] } },
  });
  created.push(podName);

  // wait for the container to reach the expected phase
  await poll(`pod ${podName} in phase ${expectedPhase}`, async () => {
    const pod = await core.readNamespacedPod({ name: podName, namespace: f.namespace });
    return pod.status?.phase === expectedPhase ? true : undefined;
  }, containerStatusRetryTimeoutMs);

  // get the container status
  const status = await containerStatus(podName, container.name);

  // the container should be terminated
  expect(status.state?.terminated, `container state: ${JSON.stringify(status.state)}`).toBeDefined();

  // the termination message should be set
  expect(status.state!.terminated!.message ?? '').toBe(expectedMsg);

  // delete the container
  await core.deleteNamespacedPod({ name: podName, namespace: f.namespace, gracePeriodSeconds: 0 });
}

describe('[sig-node] Container Runtime', () => {
  describe('blackbox test', () => {
    describe('on terminated container', () => {
      it('Container Runtime, TerminationMessage, from log output of succeeding container', async () => {
        await matchTerminationMessage({
          name: '',
          image: images.busyBox,
          command: ['/bin/sh', '-c'],
          args: ['/bin/echo -n DONE; /bin/true'],
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'FallbackToLogsOnError',
        }, 'Succeeded', '');
      });
    });
  });
});
