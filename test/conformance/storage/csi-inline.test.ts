/**
 * Conformance: kubernetes/kubernetes test/e2e/storage/csi_inline.go ("[sig-storage]
 * CSIInlineVolumes"): a Pod with CSI inline volumes through create, get, list, patch and delete.
 */
import { describe, expect, it } from 'vitest';
import { CoreV1Api, PatchStrategy, setHeaderOptions, type V1Pod } from '@kubernetes/client-node';
import { newFramework } from '../framework.ts';

const f = newFramework('csiinlinevolumes');

// imageutils.GetE2EImage(imageutils.BusyBox) upstream.
const busyBoxImage = 'registry.k8s.io/e2e-test-images/busybox:1.36.1-1';

describe('[sig-storage] CSIInlineVolumes', () => {
  it('CSIInlineVolumes should support Pods with inline volumes', async () => {
    const client = f.kc.makeApiClient(CoreV1Api);
    const namespace = f.namespace;
    // Fake driver name for this API test
    const driverName = 'e2e.example.com';
    const podName = 'pod-csi-inline-volumes';
    const vol1name = 'csi-inline-vol1';
    const vol2name = 'csi-inline-vol2';

    // A simple pod with 2 CSI inline volumes
    const pod: V1Pod = {
      metadata: { name: podName },
      spec: {
        volumes: [
          { name: vol1name, csi: { driver: driverName } },
          { name: vol2name, csi: { driver: driverName, fsType: 'ext4', readOnly: true } },
        ],
        containers: [{
          name: podName,
          image: busyBoxImage,
          command: ['sh', '-c', 'ls /mnt/*'],
          volumeMounts: [
            { name: vol1name, mountPath: '/mnt/vol1' },
            { name: vol2name, mountPath: '/mnt/vol2' },
          ],
        }],
      },
    };

    // creating
    const createdPod = await client.createNamespacedPod({ namespace, body: pod });
    await expect(client.createNamespacedPod({ namespace, body: pod }), 'expected 409 AlreadyExists')
      .rejects.toMatchObject({ code: 409, body: expect.stringContaining('"reason":"AlreadyExists"') });

    // getting
    let retrievedPod = await client.readNamespacedPod({ name: podName, namespace });
    expect(retrievedPod.metadata?.uid).toBe(createdPod.metadata?.uid);

    // listing in namespace
    const podList = await client.listNamespacedPod({ namespace });
    expect(podList.items, `list should have 1 items, got: ${JSON.stringify(podList.items)}`).toHaveLength(1);

    // patching
    const patchedPod = await client.patchNamespacedPod(
      { name: createdPod.metadata!.name!, namespace, body: { metadata: { annotations: { patched: 'true' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patchedPod.metadata?.annotations, 'patched object should have the applied annotation').toHaveProperty('patched', 'true');

    // deleting
    await client.deleteNamespacedPod({ name: createdPod.metadata!.name!, namespace });
    try {
      retrievedPod = await client.readNamespacedPod({ name: createdPod.metadata!.name!, namespace });
    } catch (err) {
      // Okay, normal case: 404.
      expect((err as { code?: number }).code, `expected 404, got ${String(err)}`).toBe(404);
      return;
    }
    // Okay, normal case: still there with a DeletionTimestamp.
    expect(retrievedPod.metadata?.deletionTimestamp,
      `Pod should have been deleted or have DeletionTimestamp, but instead got: ${JSON.stringify(retrievedPod)}`).toBeDefined();
  });
});
