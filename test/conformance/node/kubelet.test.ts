/**
 * Conformance: kubernetes/kubernetes test/e2e/common/node/kubelet.go ("[sig-node] Kubelet"), the
 * API part of "when scheduling a busybox command that always fails in a pod": the pod is created
 * (upstream BeforeEach) and the test deletes it. No node runs it here, so it stays unscheduled.
 */
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, it } from 'vitest';
import { CoreV1Api } from '@kubernetes/client-node';
import { newFramework } from '../framework.ts';

const f = newFramework('kubelet-test');

// framework.BusyBoxImage upstream.
const busyBoxImage = 'registry.k8s.io/e2e-test-images/busybox:1.36.1-1';

describe('[sig-node] Kubelet', () => {
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
            containers: [{ image: busyBoxImage, name: podName, command: ['/bin/false'] }],
          },
        },
      });
    });

    it('Kubelet, failed pod, delete', async () => {
      // deleting Pod: MUST succeed
      await f.kc.makeApiClient(CoreV1Api).deleteNamespacedPod({ name: podName, namespace: f.namespace });
    });
  });
});
