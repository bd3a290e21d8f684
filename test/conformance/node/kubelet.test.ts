/**
 * Conformance: kubernetes/kubernetes test/e2e/common/node/kubelet.go ("[sig-node] Kubelet"): a busybox
 * command's output in the pod's log, and a container running /bin/false: deleted, and terminated.
 */
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, it } from 'vitest';
import { CoreV1Api } from '@kubernetes/client-node';
import { newFramework, poll } from '../framework.ts';
import { createSync, images, podComponents, podLogs, podStartTimeoutMs } from '../pod-helpers.ts';

const f = newFramework('kubelet-test', { components: podComponents });

describe('[sig-node] Kubelet', () => {
  describe('when scheduling a busybox command in a pod', () => {
    const podName = `busybox-scheduling-${randomUUID()}`;

    it('Kubelet, log output, default', async () => {
      await createSync(f.kc, f.namespace, {
        metadata: { name: podName },
        spec: {
          // Don't restart the Pod since it is expected to exit
          restartPolicy: 'Never',
          containers: [{ image: images.busyBox, name: podName, command: ['sh', '-c', "echo 'Hello World' ; sleep 240"] }],
        },
      });
      // gomega.Eventually(…).Should(Equal("Hello World\n")), polled for a minute
      let last = '';
      await poll('the pod log to be "Hello World\\n"', async () => {
        const sinceTime = new Date(Date.now() - 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
        const res = await podLogs(f.kc, f.namespace, podName, { sinceTime });
        last = res.status === 200 ? res.body : '';
        return last === 'Hello World\n' ? true : undefined;
      }, 60_000).catch((err: unknown) => {
        throw new Error(`${String(err)}; last log: ${JSON.stringify(last)}`);
      });
    });
  });

  describe('when scheduling a busybox command that always fails in a pod', () => {
    let podName = '';

    beforeEach(async () => {
      podName = `bin-false${randomUUID()}`;
      await f.kc.makeApiClient(CoreV1Api).createNamespacedPod({
        namespace: f.namespace,
        body: {
          metadata: { name: podName },
          spec: {
            // Don't restart the Pod since it is expected to exit
            restartPolicy: 'Never',
            containers: [{ image: images.busyBox, name: podName, command: ['/bin/false'] }],
          },
        },
      });
    });

    it('Kubelet, failed pod, delete', async () => {
      // deleting Pod: MUST succeed
      await f.kc.makeApiClient(CoreV1Api).deleteNamespacedPod({ name: podName, namespace: f.namespace });
    });

    it('Kubelet, failed pod, terminated reason', async () => {
      let lastProblem = '';
      await poll('a terminated container with a non-zero exit code and a reason', async () => {
        const podData = await f.kc.makeApiClient(CoreV1Api).readNamespacedPod({ name: podName, namespace: f.namespace });
        const statuses = podData.status?.containerStatuses ?? [];
        if (statuses.length !== 1) {
          lastProblem = `expected only one container in the pod "${podName}"`;
          return undefined;
        }
        const terminated = statuses[0]!.state?.terminated;
        if (terminated === undefined) {
          lastProblem = `expected state to be terminated. Got pod status: ${JSON.stringify(podData.status)}`;
          return undefined;
        }
        if (terminated.exitCode === 0 || !terminated.reason) {
          lastProblem = `expected non-zero exitCode and non-empty terminated state reason. Got exitCode: ${terminated.exitCode} and terminated state reason: ${terminated.reason ?? ''}`;
          return undefined;
        }
        return true;
      }, podStartTimeoutMs).catch((err: unknown) => {
        throw new Error(`${String(err)}; ${lastProblem}`);
      });
    });
  });
});
