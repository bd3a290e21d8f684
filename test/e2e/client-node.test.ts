/**
 * The official JavaScript client (@kubernetes/client-node) against the whole local cluster, as an
 * operator's test suite would use it: typed CRUD, the generic object API with patches, watches
 * and informers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AppsV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, Watch, makeInformer,
  type V1ConfigMap, type V1Deployment,
} from '@kubernetes/client-node';
import { startTestCluster, type TestCluster } from '../../pkg/testenv/index.ts';

let cluster: TestCluster;
let kc: KubeConfig;
let core: CoreV1Api;
let apps: AppsV1Api;

beforeAll(async () => {
  cluster = await startTestCluster({ name: 'e2e-client-node' });
  kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfig);
  core = kc.makeApiClient(CoreV1Api);
  apps = kc.makeApiClient(AppsV1Api);
  await core.createNamespace({ body: { metadata: { name: 'sdk' } } });
});

afterAll(async () => {
  await cluster?.stop();
});

describe('@kubernetes/client-node', () => {
  it('lists the system namespaces', async () => {
    const list = await core.listNamespace();
    const names = list.items.map((n) => n.metadata?.name);
    expect(names).toEqual(expect.arrayContaining(['default', 'kube-system', 'kube-public', 'kube-node-lease', 'sdk']));
    expect(list.metadata?.resourceVersion).toMatch(/^\d+$/);
  });

  it('creates, reads, replaces and deletes a ConfigMap', async () => {
    const created = await core.createNamespacedConfigMap({ namespace: 'sdk', body: { metadata: { name: 'cm1' }, data: { a: '1' } } });
    expect(created.metadata?.uid).toBeTruthy();
    const read = await core.readNamespacedConfigMap({ name: 'cm1', namespace: 'sdk' });
    expect(read.data).toEqual({ a: '1' });
    const replaced = await core.replaceNamespacedConfigMap({ name: 'cm1', namespace: 'sdk', body: { ...read, data: { a: '2' } } });
    expect(Number(replaced.metadata?.resourceVersion)).toBeGreaterThan(Number(read.metadata?.resourceVersion));
    await expect(core.replaceNamespacedConfigMap({ name: 'cm1', namespace: 'sdk', body: { ...read, data: { a: '3' } } }))
      .rejects.toMatchObject({ code: 409 });
    await core.deleteNamespacedConfigMap({ name: 'cm1', namespace: 'sdk' });
    await expect(core.readNamespacedConfigMap({ name: 'cm1', namespace: 'sdk' })).rejects.toMatchObject({ code: 404 });
  });

  it('creates a Deployment and scales it through the scale subresource', async () => {
    const body: V1Deployment = {
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
      },
    };
    const created = await apps.createNamespacedDeployment({ namespace: 'sdk', body });
    expect(created.spec?.replicas).toBe(1);
    expect(created.spec?.strategy?.type).toBe('RollingUpdate');
    const scale = await apps.readNamespacedDeploymentScale({ name: 'web', namespace: 'sdk' });
    expect(scale.spec?.replicas).toBe(1);
    await apps.replaceNamespacedDeploymentScale({ name: 'web', namespace: 'sdk', body: { ...scale, spec: { replicas: 4 } } });
    expect((await apps.readNamespacedDeployment({ name: 'web', namespace: 'sdk' })).spec?.replicas).toBe(4);
  });

  it('patches with merge and strategic merge patches through the generic object API', async () => {
    const objects = KubernetesObjectApi.makeApiClient(kc);
    await objects.create<V1ConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm2', namespace: 'sdk' }, data: { a: '1' } });
    const merged = await objects.patch<V1ConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm2', namespace: 'sdk' }, data: { b: '2' } },
      undefined, undefined, undefined, undefined, PatchStrategy.MergePatch);
    expect(merged.data).toEqual({ a: '1', b: '2' });
    const patched = await objects.patch<V1Deployment>({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'sdk' },
      spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
    } as V1Deployment, undefined, undefined, undefined, undefined, PatchStrategy.StrategicMergePatch);
    expect(patched.spec?.template.spec?.containers.map((c) => [c.name, c.image])).toEqual([['web', 'nginx:1.27']]);
  });

  it('watches from a resourceVersion and sees ADDED, MODIFIED and DELETED in order', async () => {
    const start = await core.listNamespacedConfigMap({ namespace: 'sdk' });
    const seen: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      void new Watch(kc).watch('/api/v1/namespaces/sdk/configmaps', { resourceVersion: start.metadata?.resourceVersion },
        (type, obj: V1ConfigMap) => {
          if (obj.metadata?.name !== 'watched') return;
          seen.push(type);
          if (type === 'DELETED') resolve();
        }, (err) => { if (err) reject(err); });
    });
    await core.createNamespacedConfigMap({ namespace: 'sdk', body: { metadata: { name: 'watched' } } });
    await core.patchNamespacedConfigMap({ name: 'watched', namespace: 'sdk', body: [{ op: 'add', path: '/data', value: { k: 'v' } }] });
    await core.deleteNamespacedConfigMap({ name: 'watched', namespace: 'sdk' });
    await done;
    expect(seen).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
  });

  it('keeps an informer cache in step with the server', async () => {
    const informer = makeInformer<V1ConfigMap>(kc, '/api/v1/namespaces/sdk/configmaps', () => core.listNamespacedConfigMap({ namespace: 'sdk' }));
    await informer.start();
    try {
      await core.createNamespacedConfigMap({ namespace: 'sdk', body: { metadata: { name: 'cached' }, data: { x: 'y' } } });
      const deadline = Date.now() + 10_000;
      while (!informer.get('cached', 'sdk') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(informer.get('cached', 'sdk')?.data).toEqual({ x: 'y' });
    } finally {
      await informer.stop();
    }
  });
});
