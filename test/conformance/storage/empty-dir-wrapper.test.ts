/**
 * Conformance: kubernetes/kubernetes test/e2e/storage/empty_dir_wrapper.go ("[sig-storage] EmptyDir
 * wrapper volumes"): a pod mounting a Secret and a ConfigMap volume starts; and pods of a
 * ReplicationController mounting 50 ConfigMap volumes all start, three times over.
 */
import { randomUUID } from 'node:crypto';
import { describe, it } from 'vitest';
import { CoreV1Api, type V1Volume, type V1VolumeMount } from '@kubernetes/client-node';
import { newFramework, poll } from '../framework.ts';
import { readySchedulableNodes } from '../node-helpers.ts';
import { createSync, images, podComponents, podStartTimeoutMs, waitForPodRunning } from '../pod-helpers.ts';

const f = newFramework('emptydir-wrapper', { components: podComponents });

// These numbers are obtained empirically upstream.
const wrappedVolumeRaceConfigMapVolumeCount = 50;
const wrappedVolumeRaceConfigMapPodCount = 5;
const wrappedVolumeRaceConfigMapIterationCount = 3;
const wrappedVolumeRaceRCNamePrefix = 'wrapped-volume-race-';

describe('[sig-storage] EmptyDir wrapper volumes', () => {
  it('EmptyDir Wrapper Volume, Secret and ConfigMap volumes, no conflict', async () => {
    const core = f.kc.makeApiClient(CoreV1Api);
    const ns = f.namespace;
    const name = `emptydir-wrapper-test-${randomUUID()}`;
    const volumeName = 'secret-volume';
    const volumeMountPath = '/etc/secret-volume';

    const secret = await core.createNamespacedSecret({
      namespace: ns,
      body: { metadata: { namespace: ns, name }, data: { 'data-1': Buffer.from('value-1\n').toString('base64') } },
    });

    const configMapVolumeName = 'configmap-volume';
    const configMapVolumeMountPath = '/etc/configmap-volume';
    const configMap = await core.createNamespacedConfigMap({
      namespace: ns,
      body: { metadata: { namespace: ns, name }, binaryData: { 'data-1': Buffer.from('value-1\n').toString('base64') } },
    });

    const pod = await createSync(f.kc, ns, {
      metadata: { name: `pod-secrets-${randomUUID()}` },
      spec: {
        volumes: [
          { name: volumeName, secret: { secretName: name } },
          { name: configMapVolumeName, configMap: { name } },
        ],
        containers: [{
          name: 'secret-test', image: images.agnhost, args: ['test-webserver'],
          volumeMounts: [
            { name: volumeName, mountPath: volumeMountPath, readOnly: true },
            { name: configMapVolumeName, mountPath: configMapVolumeMountPath },
          ],
        }],
      },
    });

    // Cleaning up the secret, the configmap and the pod
    await core.deleteNamespacedSecret({ name: secret.metadata!.name!, namespace: ns });
    await core.deleteNamespacedConfigMap({ name: configMap.metadata!.name!, namespace: ns });
    await core.deleteNamespacedPod({ name: pod.metadata!.name!, namespace: ns, gracePeriodSeconds: 0 });
  });

  it('EmptyDir Wrapper Volume, ConfigMap volumes, no race', async () => {
    const core = f.kc.makeApiClient(CoreV1Api);
    const ns = f.namespace;
    // createConfigmapsForRace
    const configMapNames: string[] = [];
    for (let i = 0; i < wrappedVolumeRaceConfigMapVolumeCount; i++) {
      const configMapName = `racey-configmap-${i}`;
      configMapNames.push(configMapName);
      await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { namespace: ns, name: configMapName }, data: { 'data-1': 'value-1' } } });
    }
    // makeConfigMapVolumes
    const volumes: V1Volume[] = configMapNames.map((configMapName, i) => ({
      name: `racey-configmap-${i}`,
      configMap: { name: configMapName, items: [{ key: 'data-1', path: 'data-1' }] },
    }));
    const volumeMounts: V1VolumeMount[] = configMapNames.map((_, i) => ({ name: `racey-configmap-${i}`, mountPath: `/etc/config-${i}` }));

    try {
      // Each iteration's pods are made by a ReplicationController, and DeleteRCAndWaitForGC then waits
      // for the garbage collector to remove them (foreground deletion of the RC).
      for (let i = 0; i < wrappedVolumeRaceConfigMapIterationCount; i++) {
        await testNoWrappedVolumeRace(volumes, volumeMounts, wrappedVolumeRaceConfigMapPodCount);
      }
    } finally {
      // defer deleteConfigMaps
      for (const configMapName of configMapNames) await core.deleteNamespacedConfigMap({ name: configMapName, namespace: ns });
    }
  });
});

/**
 * Upstream testNoWrappedVolumeRace: a ReplicationController of `podCount` pause pods mounting the
 * volumes, pinned to one node by kubernetes.io/hostname affinity; every pod it creates must run.
 */
async function testNoWrappedVolumeRace(volumes: V1Volume[], volumeMounts: V1VolumeMount[], podCount: number): Promise<void> {
  const core = f.kc.makeApiClient(CoreV1Api);
  const ns = f.namespace;
  const nodeHostnameLabelKey = 'kubernetes.io/hostname';
  const rcName = `${wrappedVolumeRaceRCNamePrefix}${randomUUID()}`;
  const nodes = await readySchedulableNodes(f.kc);
  const targetNode = nodes[Math.floor(Math.random() * nodes.length)]!;

  // Creating RC which spawns configmap-volume pods
  await core.createNamespacedReplicationController({
    namespace: ns,
    body: {
      metadata: { name: rcName },
      spec: {
        replicas: podCount,
        selector: { name: rcName },
        template: {
          metadata: { labels: { name: rcName } },
          spec: {
            containers: [{ name: 'test-container', image: images.pause, volumeMounts }],
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [{ matchExpressions: [{ key: nodeHostnameLabelKey, operator: 'In',
                    values: [targetNode.metadata?.labels?.[nodeHostnameLabelKey] ?? ''] }] }],
                },
              },
            },
            dnsPolicy: 'Default',
            volumes,
          },
        },
      },
    },
  });
  try {
    // e2epod.PodsCreated: the RC's pods exist
    const pods = await poll(`${podCount} pods of ${rcName}`, async () => {
      const list = await core.listNamespacedPod({ namespace: ns, labelSelector: `name=${rcName}` });
      const live = list.items.filter((p) => p.metadata?.deletionTimestamp === undefined);
      return live.length === podCount ? live : undefined;
    }, podStartTimeoutMs);
    // Ensuring each pod is running
    for (const pod of pods) await waitForPodRunning(f.kc, ns, pod.metadata!.name!);
  } finally {
    // e2erc.DeleteRCAndWaitForGC
    await core.deleteNamespacedReplicationController({ name: rcName, namespace: ns, propagationPolicy: 'Foreground' });
    await poll(`pods of ${rcName} to be gone`, async () => {
      const list = await core.listNamespacedPod({ namespace: ns, labelSelector: `name=${rcName}` });
      return list.items.length === 0 ? true : undefined;
    }, podStartTimeoutMs);
  }
}
