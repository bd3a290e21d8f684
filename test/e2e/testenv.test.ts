/**
 * The test harness users take home (pkg/testenv): clusters started in parallel on one shared etcd
 * are isolated from each other, and a stopped cluster leaves nothing behind in etcd.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { CoreV1Api } from '@kubernetes/client-node';
import { startTestCluster, type ClusterComponent, type TestCluster } from '../../pkg/testenv/index.ts';
import { EtcdStore } from '../../pkg/storage/etcd/index.ts';
import { isProcessAlive } from '../../hack/managed-process.ts';

const clusters: TestCluster[] = [];
afterAll(async () => {
  await Promise.all(clusters.map((c) => c.stop()));
});

async function keysUnder(endpoints: readonly string[], prefix: string): Promise<number> {
  const store = new EtcdStore({ endpoints: [...endpoints], prefix });
  try {
    return await store.client.getAll().prefix(`${store.prefix}/`).count();
  } finally {
    await store.close();
  }
}

describe('pkg/testenv', () => {
  it('starts 8 clusters in parallel, each seeing only its own objects', async () => {
    const started = await Promise.all(Array.from({ length: 8 }, (_, i) => startTestCluster({ name: `parallel-${i}` })));
    clusters.push(...started);
    expect(new Set(started.map((c) => c.apiserverUrl)).size).toBe(8);
    expect(new Set(started.map((c) => c.etcdPrefix)).size).toBe(8);
    expect(new Set(started.map((c) => c.etcdEndpoints.join())).size).toBe(1); // one shared etcd

    await Promise.all(started.map((c, i) => c.kubeConfig.makeApiClient(CoreV1Api).createNamespacedConfigMap({
      namespace: 'default', body: { metadata: { name: 'same-name' }, data: { cluster: String(i) } },
    })));
    for (const [i, c] of started.entries()) {
      const list = await c.kubeConfig.makeApiClient(CoreV1Api).listNamespacedConfigMap({ namespace: 'default' });
      const mine = list.items.filter((cm) => cm.metadata?.name === 'same-name');
      expect(mine.map((cm) => cm.data)).toEqual([{ cluster: String(i) }]);
    }
  });

  it('removes a stopped cluster\'s keys from the shared etcd and leaves the others alone', async () => {
    const [gone, kept] = clusters;
    expect(await keysUnder(gone!.etcdEndpoints, gone!.etcdPrefix)).toBeGreaterThan(0);
    await gone!.stop();
    expect(await keysUnder(gone!.etcdEndpoints, gone!.etcdPrefix)).toBe(0);
    const cm = await kept!.kubeConfig.makeApiClient(CoreV1Api).readNamespacedConfigMap({ namespace: 'default', name: 'same-name' });
    expect(cm.data).toEqual({ cluster: '1' });
  });

  it('refuses a component it does not know, naming it', async () => {
    await expect(startTestCluster({ components: ['kube-proxy' as ClusterComponent] })).rejects.toThrow('unknown component kube-proxy');
  });

  it('leaves no process behind when the test process is SIGKILLed', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/start-cluster-and-hang.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`fixture exited with ${code} before printing its pids`)));
    });
    const { pids } = JSON.parse(line) as { pids: number[] };
    expect(pids.length).toBe(3); // etcd, kube-apiserver, kube-controller-manager
    expect(pids.every(isProcessAlive)).toBe(true);
    child.kill('SIGKILL');
    const deadline = Date.now() + 10_000;
    while (pids.some(isProcessAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(pids.filter(isProcessAlive)).toEqual([]);
  });
});
