/**
 * The garbage collector in the real kube-controller-manager (with the deployment and ReplicaSet
 * controllers, the scheduler and the fake-kubelet) against a real apiserver and etcd, judged by
 * real kubectl's three cascades: the default (Background) takes the ReplicaSet and pods with the
 * Deployment; --cascade=orphan leaves them, detached from it; --cascade=foreground keeps the
 * Deployment, marked for deletion, until its ReplicaSet and pods are gone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { startTestCluster, type TestCluster } from '../../pkg/testenv/index.ts';
import { isNotFound, RestClient } from '../../pkg/client/rest-client.ts';
import { eventually } from '../helpers/eventually.ts';
import { Kubectl, kubectlBinaries } from '../helpers/kubectl.ts';

let cluster: TestCluster;
let api: RestClient;
let kubectl: Kubectl;
const ns = 'gc';
const apps = `/apis/apps/v1/namespaces/${ns}`;
const core = `/api/v1/namespaces/${ns}`;
const hold = 'example.com/hold';

beforeAll(async () => {
  cluster = await startTestCluster({ name: 'garbage-collector', components: ['kube-controller-manager', 'kube-scheduler', 'fake-kubelet'] });
  api = new RestClient(cluster.kubeConfig);
  kubectl = new Kubectl(cluster, kubectlBinaries([])[0]!);
  await api.create('/api/v1/namespaces', { metadata: { name: ns } });
  await eventually(async () => { await api.get(`${core}/serviceaccounts/default`); }, 30_000);
}, 120_000);

afterAll(async () => {
  api?.close();
  await cluster?.stop();
});

const selector = (app: string) => `labelSelector=${encodeURIComponent(`app=${app}`)}`;
const replicaSetsOf = async (app: string) => (await api.get<{ items: ReplicaSet[] }>(`${apps}/replicasets?${selector(app)}`)).items;
const podsOf = async (app: string) => (await api.get<{ items: Pod[] }>(`${core}/pods?${selector(app)}`)).items;
const exists = async (path: string) => api.get(path).then(() => true, (err: unknown) => { if (isNotFound(err)) return false; throw err; });

/** A Deployment of `replicas` running pods; resolves with its ReplicaSet and pods once all run. */
async function runningDeployment(app: string, replicas: number): Promise<{ d: Deployment; rs: ReplicaSet; pods: Pod[] }> {
  const d = await api.create<Deployment>(`${apps}/deployments`, {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: app },
    spec: {
      replicas, selector: { matchLabels: { app } },
      template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }], terminationGracePeriodSeconds: 0 } },
    },
  });
  let rs: ReplicaSet | undefined;
  let pods: Pod[] = [];
  await eventually(async () => {
    const sets = await replicaSetsOf(app);
    expect(sets).toHaveLength(1);
    rs = sets[0]!;
    expect(rs.metadata?.ownerReferences?.[0]?.uid).toBe(d.metadata?.uid);
    pods = await podsOf(app);
    expect(pods.filter((p) => p.status?.phase === 'Running' && p.metadata?.ownerReferences?.[0]?.uid === rs!.metadata?.uid)).toHaveLength(replicas);
  }, 45_000);
  return { d, rs: rs!, pods };
}

describe('garbage collector', () => {
  it('kubectl delete (Background) removes the Deployment at once, then its ReplicaSet and pods', async () => {
    const { rs } = await runningDeployment('bg', 2);
    await kubectl.ok(['delete', 'deployment', 'bg', '-n', ns, '--wait=false']);
    expect(await exists(`${apps}/deployments/bg`)).toBe(false);
    await eventually(async () => {
      expect(await exists(`${apps}/replicasets/${rs.metadata?.name}`)).toBe(false);
      expect(await podsOf('bg')).toHaveLength(0);
    }, 45_000);
  }, 120_000);

  it('kubectl delete --cascade=orphan removes only the Deployment: its ReplicaSet and pods stay, detached from it', async () => {
    const { rs, pods } = await runningDeployment('orphan', 2);
    // kubectl waits until the Deployment is gone, which needs the collector to drop the orphan finalizer.
    await kubectl.ok(['delete', 'deployment', 'orphan', '-n', ns, '--cascade=orphan', '--timeout=60s'], { timeoutMs: 90_000 });
    expect(await exists(`${apps}/deployments/orphan`)).toBe(false);
    const after = await api.get<ReplicaSet>(`${apps}/replicasets/${rs.metadata?.name}`);
    expect(after.metadata?.uid).toBe(rs.metadata?.uid);
    expect(after.metadata?.ownerReferences ?? []).toEqual([]);
    // Nothing collects them later either.
    await new Promise((r) => setTimeout(r, 3000));
    expect(await exists(`${apps}/replicasets/${rs.metadata?.name}`)).toBe(true);
    const left = await podsOf('orphan');
    expect(left.map((p) => p.metadata?.uid).sort()).toEqual(pods.map((p) => p.metadata?.uid).sort());
    for (const p of left) {
      expect(p.metadata?.deletionTimestamp).toBeUndefined();
      expect(p.metadata?.ownerReferences?.map((r) => r.uid)).toEqual([rs.metadata?.uid]);
    }
  }, 120_000);

  it('kubectl delete --cascade=foreground keeps the Deployment, being deleted, until its ReplicaSet and pods are gone', async () => {
    const { d, rs, pods } = await runningDeployment('fg', 2);
    // One pod cannot go until the test says so; the Deployment must wait for it.
    const held = pods[0]!.metadata!.name!;
    await api.mergePatch(`${core}/pods/${held}`, { metadata: { finalizers: [hold] } });
    await kubectl.ok(['delete', 'deployment', 'fg', '-n', ns, '--cascade=foreground', '--wait=false']);

    await eventually(async () => {
      // The other pod is collected; the held one is being deleted.
      expect((await podsOf('fg')).map((p) => p.metadata?.name)).toEqual([held]);
      const pod = await api.get<Pod>(`${core}/pods/${held}`);
      expect(pod.metadata?.deletionTimestamp).toBeDefined();
    }, 45_000);
    const waiting = await api.get<Deployment>(`${apps}/deployments/fg`);
    expect(waiting.metadata?.uid).toBe(d.metadata?.uid);
    expect(waiting.metadata?.deletionTimestamp).toBeDefined();
    expect(waiting.metadata?.finalizers).toContain('foregroundDeletion');
    const set = await api.get<ReplicaSet>(`${apps}/replicasets/${rs.metadata?.name}`);
    expect(set.metadata?.deletionTimestamp).toBeDefined();
    expect(set.metadata?.finalizers).toContain('foregroundDeletion');

    await api.mergePatch(`${core}/pods/${held}`, { metadata: { finalizers: null } });
    await eventually(async () => {
      expect(await podsOf('fg')).toHaveLength(0);
      expect(await exists(`${apps}/replicasets/${rs.metadata?.name}`)).toBe(false);
      expect(await exists(`${apps}/deployments/fg`)).toBe(false);
    }, 45_000);
  }, 120_000);
});
