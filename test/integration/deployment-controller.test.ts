/**
 * The deployment controller, run in this process over a shared informer factory against a real
 * kube-apiserver (real etcd) with the scheduler and fake-kubelet running: a Deployment gets its
 * ReplicaSet (name, labels, selector, annotations, owner), a resize reaches it, and an image change
 * rolls over to a second revision. No ReplicaSet controller runs here, so the test plays it: it
 * writes replicasets/status as if every pod became available, and the rollout advances on that.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Event } from 'kubernetes-types/core/v1.js';
import { startTestCluster, type TestCluster } from '../../pkg/testenv/index.ts';
import { newSharedInformerFactory } from '../../pkg/client/informers/index.ts';
import { RestClient } from '../../pkg/client/rest-client.ts';
import { computeHash, newDeploymentController } from '../../pkg/controllers/deployment/index.ts';

const ns = 'rollout';
const apps = `/apis/apps/v1/namespaces/${ns}`;
let cluster: TestCluster;
let api: RestClient;
const stop = new AbortController();
let running: Promise<void> | undefined;

beforeAll(async () => {
  cluster = await startTestCluster({ name: 'deployment-controller', components: ['kube-scheduler', 'fake-kubelet'] });
  api = new RestClient(cluster.kubeConfig);
  const factory = newSharedInformerFactory(cluster.kubeConfig, { userAgent: 'deployment-controller-test/v0.0.0' });
  const controller = newDeploymentController({ client: new RestClient(cluster.kubeConfig), factory, workers: 2 });
  factory.start(stop.signal);
  running = controller.run(stop.signal);
  await api.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
}, 120_000);

afterAll(async () => {
  stop.abort();
  await running;
  await cluster?.stop();
});

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const replicaSets = async () => (await api.get<{ items: ReplicaSet[] }>(`${apps}/replicasets`)).items;
const getDeployment = (name = 'web') => api.get<Deployment>(`${apps}/deployments/${name}`);
const condition = (d: Deployment, type: string) => d.status?.conditions?.find((c) => c.type === type);

/** Plays the ReplicaSet controller: every ReplicaSet reports all of spec.replicas as available. */
async function makeReplicaSetsAvailable(): Promise<void> {
  for (const rs of await replicaSets()) {
    const n = rs.spec?.replicas ?? 0;
    const s = rs.status;
    if ((s?.replicas ?? 0) === n && (s?.availableReplicas ?? 0) === n && (s?.observedGeneration ?? 0) === rs.metadata?.generation) continue;
    await api.mergePatch(`${apps}/replicasets/${rs.metadata?.name}/status`, {
      status: { replicas: n, fullyLabeledReplicas: n, readyReplicas: n, availableReplicas: n, observedGeneration: rs.metadata?.generation },
    }).catch(() => undefined);
  }
}

/** Keeps playing the ReplicaSet controller until the Deployment reports a finished rollout. */
async function rollToCompletion(name: string, deployment = 'web', timeoutMs = 30_000): Promise<Deployment> {
  return until(`rollout of ${name} to complete`, async () => {
    await makeReplicaSetsAvailable();
    const d = await getDeployment(deployment);
    const progressing = condition(d, 'Progressing');
    return progressing?.reason === 'NewReplicaSetAvailable' && progressing.message?.includes(name)
      && d.status?.observedGeneration === d.metadata?.generation && d.status?.updatedReplicas === d.spec?.replicas
      && d.status?.replicas === d.spec?.replicas ? d : undefined;
  }, timeoutMs);
}

describe('deployment controller', () => {
  let firstName = '';

  it('creates one ReplicaSet named after the template hash, owned by the Deployment', async () => {
    await api.create(`${apps}/deployments`, {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'web', annotations: { team: 'blue' } },
      spec: {
        replicas: 3, selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } },
      },
    });
    const stored = await getDeployment();
    const rs = await until('a ReplicaSet', async () => (await replicaSets())[0]);
    const hash = computeHash(stored.spec?.template, stored.status?.collisionCount);
    firstName = `web-${hash}`;
    expect(rs.metadata?.name).toBe(firstName);
    expect(rs.metadata?.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.spec?.selector).toEqual({ matchLabels: { app: 'web', 'pod-template-hash': hash } });
    expect(rs.spec?.template?.metadata?.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.spec?.replicas).toBe(3);
    expect(rs.metadata?.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4', team: 'blue',
    });
    expect(rs.metadata?.ownerReferences).toEqual([
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: stored.metadata?.uid, controller: true, blockOwnerDeletion: true },
    ]);
    const d = await until('the revision on the Deployment', async () => {
      const x = await getDeployment();
      return x.metadata?.annotations?.['deployment.kubernetes.io/revision'] === '1' ? x : undefined;
    });
    expect(condition(d, 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "${firstName}"` });
    const event = await until('the ScalingReplicaSet event', async () => {
      const events = (await api.get<{ items: Event[] }>(`/api/v1/namespaces/${ns}/events`)).items;
      return events.find((e) => e.reason === 'ScalingReplicaSet' && e.involvedObject.name === 'web');
    });
    expect(event).toMatchObject({ type: 'Normal', message: `Scaled up replica set ${firstName} from 0 to 3`, source: { component: 'deployment-controller' } });
  });

  it('reports availability once the ReplicaSet has its pods available', async () => {
    const before = await getDeployment();
    expect(condition(before, 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' });
    const d = await rollToCompletion(firstName);
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: d.metadata?.generation });
    expect(d.status?.unavailableReplicas ?? 0).toBe(0);
    expect(condition(d, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
    expect(condition(d, 'Progressing')).toMatchObject({ status: 'True', message: `ReplicaSet "${firstName}" has successfully progressed.` });
  });

  it('scales the ReplicaSet with the Deployment', async () => {
    await api.mergePatch(`${apps}/deployments/web`, { spec: { replicas: 5 } });
    const rs = await until('the ReplicaSet at 5', async () => (await replicaSets()).find((r) => r.spec?.replicas === 5));
    expect(rs.metadata?.name).toBe(firstName);
    expect(rs.metadata?.annotations).toMatchObject({ 'deployment.kubernetes.io/desired-replicas': '5', 'deployment.kubernetes.io/max-replicas': '7' });
    await until('the scale-up event', async () => {
      const events = (await api.get<{ items: Event[] }>(`/api/v1/namespaces/${ns}/events`)).items;
      return events.find((e) => e.message === `Scaled up replica set ${firstName} from 3 to 5`);
    });
    const d = await rollToCompletion(firstName);
    expect(d.status?.availableReplicas).toBe(5);
  });

  it('rolls an image change over to a second revision', async () => {
    await api.strategicMergePatch(`${apps}/deployments/web`, { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } } } });
    const second = await until('a second ReplicaSet', async () => (await replicaSets()).find((r) => r.metadata?.name !== firstName));
    const stored = await getDeployment();
    expect(second.metadata?.name).toBe(`web-${computeHash(stored.spec?.template, stored.status?.collisionCount)}`);
    expect(second.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    // 5 replicas, 25% surge (2) and 25% unavailable (1): the new ReplicaSet starts with the 2 surge
    // pods (checked by the events below) and the total never passes 5 + 2.
    const total = (await replicaSets()).filter((r) => r.metadata?.labels?.app === 'web').reduce((n, r) => n + (r.spec?.replicas ?? 0), 0);
    expect(total).toBeLessThanOrEqual(7);
    const d = await rollToCompletion(second.metadata!.name!);
    expect(d.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(d.status).toMatchObject({ replicas: 5, updatedReplicas: 5, availableReplicas: 5 });
    expect(condition(d, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    expect(condition(d, 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${second.metadata?.name}" has successfully progressed.` });
    const all = await replicaSets();
    expect(all.find((r) => r.metadata?.name === firstName)?.spec?.replicas).toBe(0);
    expect(all.find((r) => r.metadata?.name === second.metadata?.name)?.spec?.replicas).toBe(5);
    const events = (await api.get<{ items: Event[] }>(`/api/v1/namespaces/${ns}/events`)).items.map((e) => e.message);
    expect(events).toContain(`Scaled up replica set ${second.metadata?.name} from 0 to 2`);
    expect(events).toContain(`Scaled down replica set ${firstName} from 5 to 4`);
  });

  it('adopts a matching orphan ReplicaSet with its template instead of creating one', async () => {
    const template = { metadata: { labels: { app: 'api', 'pod-template-hash': 'orphan' } }, spec: { containers: [{ name: 'api', image: 'api:1' }] } };
    await api.create(`${apps}/replicasets`, {
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'api-orphan', labels: { app: 'api', 'pod-template-hash': 'orphan' } },
      spec: { replicas: 2, selector: { matchLabels: { app: 'api', 'pod-template-hash': 'orphan' } }, template },
    });
    const created = await api.create<Deployment>(`${apps}/deployments`, {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'api' } }, template: { ...template, metadata: { labels: { app: 'api' } } } },
    });
    const adopted = await until('the orphan adopted', async () => {
      const rs = (await replicaSets()).find((r) => r.metadata?.name === 'api-orphan');
      return rs?.metadata?.ownerReferences?.[0]?.uid === created.metadata?.uid && rs?.metadata?.annotations?.['deployment.kubernetes.io/revision'] ? rs : undefined;
    });
    expect(adopted.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'api', controller: true });
    expect(adopted.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    const d = await rollToCompletion('api-orphan', 'api');
    expect(d.status?.availableReplicas).toBe(2);
    expect((await replicaSets()).filter((r) => r.metadata?.labels?.app === 'api').map((r) => r.metadata?.name)).toEqual(['api-orphan']);
  });

  it('Recreate scales the old ReplicaSet to 0 before the new one comes up', async () => {
    await api.create(`${apps}/deployments`, {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'db' },
      spec: {
        replicas: 2, strategy: { type: 'Recreate' }, selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'db:1' }] } },
      },
    });
    const first = await until('the first db ReplicaSet', async () => (await replicaSets()).find((r) => r.metadata?.labels?.app === 'db'));
    await rollToCompletion(first.metadata!.name!, 'db');
    await api.strategicMergePatch(`${apps}/deployments/db`, { spec: { template: { spec: { containers: [{ name: 'db', image: 'db:2' }] } } } });
    // The old ReplicaSet goes to 0 and no new one exists while it still reports pods.
    await until('the old db ReplicaSet at 0', async () => {
      const rs = (await replicaSets()).find((r) => r.metadata?.name === first.metadata?.name);
      return rs?.spec?.replicas === 0 ? rs : undefined;
    });
    expect((await replicaSets()).filter((r) => r.metadata?.labels?.app === 'db')).toHaveLength(1);
    await makeReplicaSetsAvailable();
    const second = await until('the new db ReplicaSet', async () =>
      (await replicaSets()).find((r) => r.metadata?.labels?.app === 'db' && r.metadata?.name !== first.metadata?.name));
    expect(second.spec?.replicas).toBe(2);
    const d = await rollToCompletion(second.metadata!.name!, 'db');
    expect(d.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
  });
});
