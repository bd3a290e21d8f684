/**
 * The ReplicaSet and ReplicationController controllers in the real kube-controller-manager, with
 * the real kube-scheduler and fake-kubelet, against a real apiserver and etcd: pods are created from
 * the template, scheduled and run; scaling deletes the cheapest pods; orphans are adopted and
 * relabelled pods released; status, conditions and events are upstream's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event, Pod, ReplicationController } from 'kubernetes-types/core/v1.js';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { startTestCluster, type TestCluster } from '../../pkg/testenv/index.ts';
import { RestClient } from '../../pkg/client/rest-client.ts';
import { eventually } from '../helpers/eventually.ts';

let cluster: TestCluster;
let api: RestClient;
const ns = 'rs';
const rsPath = `/apis/apps/v1/namespaces/${ns}/replicasets`;
const rcPath = `/api/v1/namespaces/${ns}/replicationcontrollers`;
const podsPath = `/api/v1/namespaces/${ns}/pods`;

beforeAll(async () => {
  cluster = await startTestCluster({ name: 'replicaset-controller', components: ['kube-controller-manager', 'kube-scheduler', 'fake-kubelet'] });
  api = new RestClient(cluster.kubeConfig);
  await api.create('/api/v1/namespaces', { metadata: { name: ns } });
  await eventually(async () => { await api.get(`/api/v1/namespaces/${ns}/serviceaccounts/default`); }, 30_000);
}, 120_000);

afterAll(async () => {
  api?.close();
  await cluster?.stop();
});

const podSpec = { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }], terminationGracePeriodSeconds: 0 };

function replicaSet(name: string, replicas: number, labels: Record<string, string>): ReplicaSet {
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } },
  };
}

const activePods = async (selector: string): Promise<Pod[]> =>
  (await api.get<{ items: Pod[] }>(`${podsPath}?labelSelector=${encodeURIComponent(selector)}`)).items.filter((p) => !p.metadata?.deletionTimestamp);

const ownedBy = (pod: Pod, uid: string | undefined) => pod.metadata?.ownerReferences?.some((r) => r.uid === uid && r.controller) ?? false;

async function eventsOf(kind: string, name: string): Promise<Event[]> {
  const list = await api.get<{ items: Event[] }>(`/api/v1/namespaces/${ns}/events?fieldSelector=${encodeURIComponent(`involvedObject.name=${name}`)}`);
  return list.items.filter((e) => e.involvedObject.kind === kind);
}

async function scale(path: string, name: string, replicas: number): Promise<void> {
  await api.mergePatch(`${path}/${name}`, { spec: { replicas } });
}

describe('replicaset controller', () => {
  it('creates 3 running pods owned by the ReplicaSet, reports them ready and available, and records SuccessfulCreate', async () => {
    const rs = await api.create<ReplicaSet>(rsPath, replicaSet('web', 3, { app: 'web' }));
    let pods: Pod[] = [];
    await eventually(async () => {
      pods = await activePods('app=web');
      expect(pods).toHaveLength(3);
      for (const p of pods) expect(p.status?.phase).toBe('Running');
      const live = await api.get<ReplicaSet>(`${rsPath}/web`);
      expect(live.status).toMatchObject({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
    }, 30_000);
    for (const p of pods) {
      expect(p.metadata?.name).toMatch(/^web-[a-z0-9]{5}$/);
      expect(p.metadata?.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
      expect(p.spec?.nodeName).toBeTruthy();
    }
    await eventually(async () => {
      const messages = (await eventsOf('ReplicaSet', 'web')).filter((e) => e.reason === 'SuccessfulCreate').map((e) => e.message).sort();
      expect(messages).toEqual(pods.map((p) => `Created pod: ${p.metadata?.name}`).sort());
      const e = (await eventsOf('ReplicaSet', 'web'))[0]!;
      expect(e).toMatchObject({ type: 'Normal', source: { component: 'replicaset-controller' }, involvedObject: { apiVersion: 'apps/v1', uid: rs.metadata?.uid } });
    });
  });

  it('scales up to 5 and down to 1, recording SuccessfulDelete', async () => {
    await scale(rsPath, 'web', 5);
    await eventually(async () => {
      expect((await activePods('app=web')).filter((p) => p.status?.phase === 'Running')).toHaveLength(5);
      expect((await api.get<ReplicaSet>(`${rsPath}/web`)).status).toMatchObject({ replicas: 5, readyReplicas: 5, availableReplicas: 5, observedGeneration: 2 });
    }, 30_000);
    await scale(rsPath, 'web', 1);
    await eventually(async () => {
      expect(await activePods('app=web')).toHaveLength(1);
      expect((await api.get<ReplicaSet>(`${rsPath}/web`)).status).toMatchObject({ replicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 3 });
    }, 30_000);
    await eventually(async () => {
      const deletes = (await eventsOf('ReplicaSet', 'web')).filter((e) => e.reason === 'SuccessfulDelete');
      expect(deletes).toHaveLength(4);
      for (const e of deletes) expect(e.message).toMatch(/^Deleted pod: web-[a-z0-9]{5}$/);
    });
  });

  it('adopts a matching orphan instead of creating a pod', async () => {
    await api.create(podsPath, { metadata: { name: 'orphan', labels: { app: 'adopt' } }, spec: podSpec });
    const rs = await api.create<ReplicaSet>(rsPath, replicaSet('adopter', 1, { app: 'adopt' }));
    await eventually(async () => {
      const orphan = await api.get<Pod>(`${podsPath}/orphan`);
      expect(orphan.metadata?.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'adopter', uid: rs.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
      expect((await api.get<ReplicaSet>(`${rsPath}/adopter`)).status).toMatchObject({ replicas: 1, readyReplicas: 1 });
    }, 30_000);
    // It never created a second pod.
    expect((await activePods('app=adopt')).map((p) => p.metadata?.name)).toEqual(['orphan']);
  });

  it('releases a pod whose labels no longer match and replaces it', async () => {
    const rs = await api.create<ReplicaSet>(rsPath, replicaSet('releaser', 2, { app: 'release' }));
    let pods: Pod[] = [];
    await eventually(async () => {
      pods = await activePods('app=release');
      expect(pods).toHaveLength(2);
    }, 30_000);
    const victim = pods[0]!.metadata!.name!;
    await api.mergePatch(`${podsPath}/${victim}`, { metadata: { labels: { app: 'released' } } });
    await eventually(async () => {
      const released = await api.get<Pod>(`${podsPath}/${victim}`);
      expect(released.metadata?.ownerReferences ?? []).toEqual([]);
      const owned = await activePods('app=release');
      expect(owned).toHaveLength(2);
      for (const p of owned) expect(ownedBy(p, rs.metadata?.uid)).toBe(true);
    }, 30_000);
  });

  it('reports ReplicaFailure and FailedCreate when quota forbids pods, and clears it once scaled within quota', async () => {
    await api.create(`/api/v1/namespaces/${ns}/resourcequotas`, { metadata: { name: 'two-pods' }, spec: { hard: { pods: '12' } } });
    // The namespace holds several pods already; leave room for just two more.
    await eventually(async () => {
      const q = await api.get<{ status?: { used?: Record<string, string> } }>(`/api/v1/namespaces/${ns}/resourcequotas/two-pods`);
      expect(q.status?.used?.pods).toBeDefined();
    });
    const used = Number((await api.get<{ status: { used: Record<string, string> } }>(`/api/v1/namespaces/${ns}/resourcequotas/two-pods`)).status.used.pods);
    await api.mergePatch(`/api/v1/namespaces/${ns}/resourcequotas/two-pods`, { spec: { hard: { pods: String(used + 2) } } });
    await eventually(async () => {
      const q = await api.get<{ status?: { hard?: Record<string, string> } }>(`/api/v1/namespaces/${ns}/resourcequotas/two-pods`);
      expect(q.status?.hard?.pods).toBe(String(used + 2));
    });
    await api.create(rsPath, replicaSet('quota', 3, { app: 'quota' }));
    await eventually(async () => {
      const cond = (await api.get<ReplicaSet>(`${rsPath}/quota`)).status?.conditions?.find((c) => c.type === 'ReplicaFailure');
      expect(cond).toMatchObject({ status: 'True', reason: 'FailedCreate' });
      expect(cond?.message).toMatch(/exceeded quota: two-pods/);
      const failed = (await eventsOf('ReplicaSet', 'quota')).find((e) => e.reason === 'FailedCreate');
      expect(failed?.type).toBe('Warning');
      expect(failed?.message).toMatch(/^Error creating: pods "quota-[a-z0-9]{5}" is forbidden: exceeded quota: two-pods/);
    }, 30_000);
    await scale(rsPath, 'quota', 2);
    await eventually(async () => {
      const status = (await api.get<ReplicaSet>(`${rsPath}/quota`)).status;
      expect(status?.conditions ?? []).toEqual([]);
      expect(status?.replicas).toBe(2);
    }, 30_000);
    await api.delete(`/api/v1/namespaces/${ns}/resourcequotas/two-pods`);
  });
});

describe('replication controller', () => {
  it('runs, scales and adopts through the same controller, reporting as replication-controller', async () => {
    await api.create(podsPath, { metadata: { name: 'rc-orphan', labels: { app: 'rc' } }, spec: podSpec });
    const rc = await api.create<ReplicationController>(rcPath, {
      apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'legacy' },
      spec: { replicas: 3, selector: { app: 'rc' }, template: { metadata: { labels: { app: 'rc' } }, spec: podSpec } },
    });
    await eventually(async () => {
      const pods = await activePods('app=rc');
      expect(pods).toHaveLength(3);
      for (const p of pods) {
        expect(p.status?.phase).toBe('Running');
        expect(p.metadata?.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'ReplicationController', name: 'legacy', uid: rc.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
      }
      expect(pods.map((p) => p.metadata?.name)).toContain('rc-orphan');
      expect((await api.get<ReplicationController>(`${rcPath}/legacy`)).status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
    }, 30_000);
    await eventually(async () => {
      const creates = (await eventsOf('ReplicationController', 'legacy')).filter((e) => e.reason === 'SuccessfulCreate');
      expect(creates).toHaveLength(2);
      expect(creates[0]).toMatchObject({ source: { component: 'replication-controller' }, message: expect.stringMatching(/^Created pod: legacy-[a-z0-9]{5}$/) });
    });
    const victim = (await activePods('app=rc')).find((p) => p.metadata?.name !== 'rc-orphan')!.metadata!.name!;
    await api.mergePatch(`${podsPath}/${victim}`, { metadata: { labels: { app: 'gone' } } });
    await eventually(async () => {
      expect((await api.get<Pod>(`${podsPath}/${victim}`)).metadata?.ownerReferences ?? []).toEqual([]);
      expect(await activePods('app=rc')).toHaveLength(3);
    }, 30_000);
    await scale(rcPath, 'legacy', 0);
    await eventually(async () => {
      expect(await activePods('app=rc')).toHaveLength(0);
      expect((await api.get<ReplicationController>(`${rcPath}/legacy`)).status).toMatchObject({ replicas: 0, observedGeneration: 2 });
    }, 30_000);
  });
});
