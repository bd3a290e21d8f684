/**
 * Conformance: kubernetes/kubernetes test/e2e/common/node/expansion.go ("[sig-node] Variable
 * Expansion"), the two subPathExpr rows a kubelet must refuse: an expansion to an absolute path, and
 * one to "..", each leaves the container waiting with CreateContainerConfigError.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, it } from 'vitest';
import { CoreV1Api, type V1EnvVar, type V1Pod, type V1Volume, type V1VolumeMount } from '@kubernetes/client-node';
import { newFramework } from '../framework.ts';
import { deletePodWithWait, images, podComponents, waitForPodCondition } from '../pod-helpers.ts';

const f = newFramework('var-expansion', { components: podComponents });

// framework.PodStartShortTimeout upstream.
const podStartShortTimeoutMs = 120_000;

const created: string[] = [];
afterEach(async () => {
  // testPodFailSubpath's deferred e2epod.DeletePodWithWait
  for (const name of created.splice(0)) await deletePodWithWait(f.kc, f.namespace, name);
});

/** Upstream newPod: one busybox container "dapi-container" with the env and mounts, RestartPolicy Never. */
function newPod(command: string[] | undefined, env: V1EnvVar[], volumeMounts: V1VolumeMount[], volumes: V1Volume[]): V1Pod {
  const podName = `var-expansion-${randomUUID()}`;
  return {
    metadata: { name: podName, labels: { name: podName } },
    spec: {
      containers: [{ name: 'dapi-container', image: images.busyBox, ...(command ? { command } : {}), env, volumeMounts }],
      restartPolicy: 'Never',
      volumes,
    },
  };
}

/**
 * Upstream testPodFailSubpath: e2epod.WaitForPodContainerToFail(…, 0, "CreateContainerConfigError"):
 * the pod stays Pending with its first container waiting for that reason; any other phase fails.
 */
async function testPodFailSubpath(pod: V1Pod): Promise<void> {
  const createdPod = await f.kc.makeApiClient(CoreV1Api).createNamespacedPod({ namespace: f.namespace, body: pod });
  const name = createdPod.metadata!.name!;
  created.push(name);
  await waitForPodCondition(f.kc, f.namespace, name, 'container 0 failed with reason CreateContainerConfigError',
    podStartShortTimeoutMs, (p) => {
      switch (p.status?.phase) {
        case 'Pending': {
          const statuses = p.status.containerStatuses ?? [];
          if (statuses.length === 0) return false;
          return statuses[0]!.state?.waiting?.reason === 'CreateContainerConfigError';
        }
        case 'Failed': case 'Running': case 'Succeeded':
          throw new Error(`pod was expected to be pending, but it is in the state: ${p.status.phase}`);
        default:
          return false;
      }
    });
}

const workdirVolume: V1Volume[] = [{ name: 'workdir1', emptyDir: {} }];
const subPathMount: V1VolumeMount[] = [{ name: 'workdir1', mountPath: '/logscontainer', subPathExpr: '$(POD_NAME)' }];

describe('[sig-node] Variable Expansion', () => {
  it('VolumeSubpathEnvExpansion, subpath with backticks', async () => {
    const pod = newPod(undefined, [{ name: 'POD_NAME', value: '..' }], subPathMount, workdirVolume);
    // Pod should fail
    await testPodFailSubpath(pod);
  }, 180_000);

  it('VolumeSubpathEnvExpansion, subpath with absolute path', async () => {
    const absolutePath = '/tmp';
    const pod = newPod(undefined, [{ name: 'POD_NAME', value: absolutePath }], subPathMount, workdirVolume);
    // Pod should fail
    await testPodFailSubpath(pod);
  }, 180_000);
});
