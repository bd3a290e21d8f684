/**
 * Conformance: kubernetes/kubernetes test/e2e/common/node/runtimeclass.go ("[sig-node] RuntimeClass"),
 * the admission rows (the scheduling rows live in runtimeclass-scheduling.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { CoreV1Api, NodeV1Api, type V1Pod } from '@kubernetes/client-node';
import { newFramework, poll } from '../framework.ts';

const f = newFramework('runtimeclass');

/** e2eruntimeclass.NewRuntimeClassPod */
function runtimeClassPod(runtimeClassName: string): V1Pod {
  return {
    metadata: { generateName: 'test-runtimeclass-' },
    spec: {
      runtimeClassName, restartPolicy: 'Never', automountServiceAccountToken: false,
      containers: [{ name: 'test', image: 'registry.k8s.io/e2e-test-images/busybox:1.36.1-1', command: ['true'] }],
    },
  };
}

async function createRuntimeClass(name: string, handler: string): Promise<string> {
  const rc = await f.kc.makeApiClient(NodeV1Api).createRuntimeClass({ body: { metadata: { name: `${f.namespace}-${name}` }, handler } });
  return rc.metadata!.name!;
}

async function expectPodRejection(pod: V1Pod): Promise<void> {
  const core = f.kc.makeApiClient(CoreV1Api);
  await expect(core.createNamespacedPod({ namespace: f.namespace, body: pod }), 'should be forbidden').rejects.toMatchObject({ code: 403 });
}

describe('[sig-node] RuntimeClass', () => {
  it('Pod with the non-existing RuntimeClass is rejected.', async () => {
    await expectPodRejection(runtimeClassPod(`${f.namespace}-nonexistent`));
  });

  it('Pod with the deleted RuntimeClass is rejected.', async () => {
    const rcName = await createRuntimeClass('delete-me', 'runc');
    const rcClient = f.kc.makeApiClient(NodeV1Api);

    // Deleting RuntimeClass, then waiting for it to disappear
    await rcClient.deleteRuntimeClass({ name: rcName });
    await poll(`RuntimeClass ${rcName} to disappear`, async () => {
      try {
        await rcClient.readRuntimeClass({ name: rcName });
        return undefined;
      } catch (err) {
        if ((err as { code?: number }).code === 404) return true;
        throw err;
      }
    }, 60_000);

    await expectPodRejection(runtimeClassPod(rcName));
  });
});
