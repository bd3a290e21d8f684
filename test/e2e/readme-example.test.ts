import { afterAll, beforeAll, expect, it } from 'vitest';
import { CoreV1Api } from '@kubernetes/client-node';
import { startTestCluster, type TestCluster } from 'kube-ts/testenv';

let cluster: TestCluster;
beforeAll(async () => { cluster = await startTestCluster({ components: ['kube-controller-manager'] }); });
afterAll(() => cluster.stop());

it('stores a ConfigMap', async () => {
  const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
  await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'app' }, data: { mode: 'fast' } } });
  expect((await core.readNamespacedConfigMap({ namespace: 'default', name: 'app' })).data).toEqual({ mode: 'fast' });
});
