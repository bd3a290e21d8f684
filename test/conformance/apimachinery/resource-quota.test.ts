/**
 * Conformance: ResourceQuota (upstream test/e2e/apimachinery/resource_quota.go): update and
 * delete, and the object-count and scope rows, which need quota admission and the quota controller
 * of the controller-manager. Upstream's waits are kept, with shorter stabilisation periods.
 */
import { describe, expect, it } from 'vitest';
import {
  AppsV1Api, CoreV1Api, type V1Pod, type V1ResourceQuota, type V1Service,
} from '@kubernetes/client-node';
import { parseQuantityNano } from '../../../pkg/registry/validation/quantity.ts';
import { newFramework, poll, type Framework } from '../framework.ts';

/** resourceQuotaTimeout. */
const quotaTimeoutMs = 60_000;
const extendedResourceName = 'example.com/dongle';

/** newTestResourceQuota: a quota that enforces default constraints. */
function newTestResourceQuota(name: string): V1ResourceQuota {
  return {
    metadata: { name },
    spec: {
      hard: {
        pods: '5', services: '10', 'services.nodeports': '1', 'services.loadbalancers': '1', replicationcontrollers: '10',
        resourcequotas: '1', cpu: '1', memory: '500Mi', configmaps: '10', secrets: '10', persistentvolumeclaims: '10',
        'requests.storage': '10Gi', 'ephemeral-storage': '50Gi', 'gold.storageclass.storage.k8s.io/persistentvolumeclaims': '10',
        'gold.storageclass.storage.k8s.io/requests.storage': '10Gi', 'count/replicasets.apps': '5',
        [`requests.${extendedResourceName}`]: '3',
      },
    },
  };
}

/** newTestResourceQuotaWithScope. */
function newTestResourceQuotaWithScope(name: string, scope: string): V1ResourceQuota {
  const hard: Record<string, string> = { pods: '5' };
  if (scope === 'Terminating' || scope === 'NotTerminating') {
    Object.assign(hard, { 'requests.cpu': '1', 'requests.memory': '500Mi', 'limits.cpu': '2', 'limits.memory': '1Gi' });
  }
  return { metadata: { name }, spec: { hard, scopes: [scope] } };
}

/** newTestPodForQuota: never scheduled (an unsatisfiable node selector). */
function newTestPodForQuota(name: string, requests: Record<string, string>, limits: Record<string, string>): V1Pod {
  return {
    metadata: { name },
    spec: {
      nodeSelector: { 'x-test.k8s.io/unsatisfiable': 'not-schedulable' },
      containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', resources: { requests, limits } }],
    },
  };
}

function newTestServiceForQuota(name: string, type: string, allocateLoadBalancerNodePorts: boolean): V1Service {
  return {
    metadata: { name },
    spec: {
      type, ports: [{ port: 80, targetPort: 80 }],
      ...(type === 'LoadBalancer' ? { allocateLoadBalancerNodePorts } : {}),
    },
  };
}

/** Polls `count` until it returns the same value `stableReads` times in a row (upstream: 5 reads 1 s apart). */
async function stableCount(count: () => Promise<number>, stableReads = 4, intervalMs = 500): Promise<number> {
  let found = -1;
  let unchanged = 0;
  for (;;) {
    const n = await count();
    if (n === found) {
      if (++unchanged >= stableReads) return n;
    } else {
      found = n;
      unchanged = 0;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

function haveUsed(q: V1ResourceQuota, used: Record<string, string>): boolean {
  const actual = q.status?.used;
  if (!actual) return false;
  return Object.entries(used).every(([k, v]) => k in actual && parseQuantityNano(actual[k]) === parseQuantityNano(v));
}

function quotaHelpers(f: Framework) {
  const core = () => f.kc.makeApiClient(CoreV1Api);
  return {
    countResourceQuota: () => stableCount(async () => (await core().listNamespacedResourceQuota({ namespace: f.namespace })).items.length),
    /** waitForResourceQuota: status.used shows `used` (other resources ignored). */
    async waitForResourceQuota(name: string, used: Record<string, string>): Promise<void> {
      let last: V1ResourceQuota | undefined;
      await poll(`quota ${name} to use ${JSON.stringify(used)}`, async () => {
        last = await core().readNamespacedResourceQuota({ namespace: f.namespace, name });
        return haveUsed(last, used) ? true : undefined;
      }, quotaTimeoutMs).catch((err: unknown) => {
        throw new Error(`${String(err)}; last status: ${JSON.stringify(last?.status)}`);
      });
    },
    /** ensureResourceQuota: status.used keeps showing `used` for a while (upstream 10 s). */
    async ensureResourceQuota(name: string, used: Record<string, string>, forMs = 3000): Promise<void> {
      const until = Date.now() + forMs;
      while (Date.now() < until) {
        const q = await core().readNamespacedResourceQuota({ namespace: f.namespace, name });
        expect(haveUsed(q, used), `quota ${name} status ${JSON.stringify(q.status)} should show ${JSON.stringify(used)}`).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
  };
}

describe('ResourceQuota', () => {
  const f = newFramework('resourcequota');
  const h = quotaHelpers(f);

  it('ResourceQuota, update and delete', async () => {
    const client = f.kc.makeApiClient(CoreV1Api);
    const ns = f.namespace;

    // Creating a ResourceQuota
    const quotaName = 'test-quota';
    const resourceQuota: V1ResourceQuota = { metadata: { name: quotaName }, spec: { hard: { cpu: '1', memory: '500Mi' } } };
    await client.createNamespacedResourceQuota({ namespace: ns, body: resourceQuota });

    // Getting a ResourceQuota
    let resourceQuotaResult = await client.readNamespacedResourceQuota({ name: quotaName, namespace: ns });
    expect(resourceQuotaResult.spec?.hard).toHaveProperty(['cpu'], '1');
    expect(resourceQuotaResult.spec?.hard).toHaveProperty(['memory'], '500Mi');

    // Updating a ResourceQuota: the object as first sent, without a resourceVersion (an unconditional update)
    resourceQuota.spec!.hard = { ...resourceQuota.spec!.hard, cpu: '2', memory: '1Gi' };
    resourceQuotaResult = await client.replaceNamespacedResourceQuota({ name: quotaName, namespace: ns, body: resourceQuota });
    expect(resourceQuotaResult.spec?.hard).toHaveProperty(['cpu'], '2');
    expect(resourceQuotaResult.spec?.hard).toHaveProperty(['memory'], '1Gi');

    // Verifying a ResourceQuota was modified
    resourceQuotaResult = await client.readNamespacedResourceQuota({ name: quotaName, namespace: ns });
    expect(resourceQuotaResult.spec?.hard).toHaveProperty(['cpu'], '2');
    expect(resourceQuotaResult.spec?.hard).toHaveProperty(['memory'], '1Gi');

    // Deleting a ResourceQuota
    await client.deleteNamespacedResourceQuota({ name: quotaName, namespace: ns });

    // Verifying the deleted ResourceQuota
    await expect(client.readNamespacedResourceQuota({ name: quotaName, namespace: ns }), 'Expected `not found` error')
      .rejects.toMatchObject({ code: 404 });
  });
  it('ResourceQuota, object count quota, resourcequotas', async () => {
    // Counting existing ResourceQuota
    const c = await h.countResourceQuota();
    // Creating a ResourceQuota
    const core = f.kc.makeApiClient(CoreV1Api);
    await core.createNamespacedResourceQuota({ namespace: f.namespace, body: newTestResourceQuota('test-quota') });
    // Ensuring resource quota status is calculated
    await h.waitForResourceQuota('test-quota', { resourcequotas: String(c + 1) });
  });

  it('ResourceQuota, object count quota, service', async () => {
    const core = f.kc.makeApiClient(CoreV1Api);
    const namespace = f.namespace;
    const c = await h.countResourceQuota();
    await core.createNamespacedResourceQuota({ namespace, body: newTestResourceQuota('test-quota') });
    await h.waitForResourceQuota('test-quota', { resourcequotas: String(c + 1) });

    // Creating a Service, and a NodePort Service
    const service = await core.createNamespacedService({ namespace, body: newTestServiceForQuota('test-service', 'ClusterIP', false) });
    const nodeport = await core.createNamespacedService({ namespace, body: newTestServiceForQuota('test-service-np', 'NodePort', false) });

    // Not allowing a LoadBalancer Service with NodePort to be created that exceeds remaining quota
    await expect(core.createNamespacedService({ namespace, body: newTestServiceForQuota('test-service-lb', 'LoadBalancer', true) }))
      .rejects.toMatchObject({ code: 403 });

    // Ensuring resource quota status captures service creation
    await h.waitForResourceQuota('test-quota', { resourcequotas: String(c + 1), services: '2', 'services.nodeports': '1' });

    // Deleting Services
    await core.deleteNamespacedService({ namespace, name: service.metadata!.name! });
    await core.deleteNamespacedService({ namespace, name: nodeport.metadata!.name! });

    // Ensuring resource quota status released usage
    await h.waitForResourceQuota('test-quota', { resourcequotas: String(c + 1), services: '0', 'services.nodeports': '0' });
  });

  it('ResourceQuota, object count quota, secret', async () => {
    const core = f.kc.makeApiClient(CoreV1Api);
    const namespace = f.namespace;
    // Discovering how many secrets are in namespace by default
    const found = await stableCount(async () => (await core.listNamespacedSecret({ namespace })).items.length);
    const defaultSecrets = String(found);
    const hardSecrets = String(found + 1);

    const c = await h.countResourceQuota();
    const quota = newTestResourceQuota('test-quota');
    quota.spec!.hard!.secrets = hardSecrets;
    await core.createNamespacedResourceQuota({ namespace, body: quota });
    await h.waitForResourceQuota('test-quota', { resourcequotas: String(c + 1), secrets: defaultSecrets });

    // Creating a Secret
    const secret = await core.createNamespacedSecret({ namespace, body: {
      metadata: { name: 'test-secret' },
      data: { 'data-1': Buffer.from('value-1\n').toString('base64'), 'data-2': Buffer.from('value-2\n').toString('base64'),
        'data-3': Buffer.from('value-3\n').toString('base64') },
    } });
    // Ensuring resource quota status captures secret creation
    await h.waitForResourceQuota('test-quota', { secrets: hardSecrets });

    // Deleting a secret
    await core.deleteNamespacedSecret({ namespace, name: secret.metadata!.name! });
    // Ensuring resource quota status released usage
    await h.waitForResourceQuota('test-quota', { secrets: defaultSecrets });
  });

  it('ResourceQuota, object count quota, pod', async () => {
    const core = f.kc.makeApiClient(CoreV1Api);
    const namespace = f.namespace;
    const c = await h.countResourceQuota();
    await core.createNamespacedResourceQuota({ namespace, body: newTestResourceQuota('test-quota') });
    const used: Record<string, string> = { resourcequotas: String(c + 1) };
    await h.waitForResourceQuota('test-quota', used);

    // Creating a Pod that fits quota
    const requests = { cpu: '500m', memory: '252Mi', 'ephemeral-storage': '30Gi', [extendedResourceName]: '2' };
    const limits = { [extendedResourceName]: '2' };
    const podToUpdate = await core.createNamespacedPod({ namespace, body: newTestPodForQuota('test-pod', requests, limits) });

    // Ensuring ResourceQuota status captures the pod usage
    Object.assign(used, {
      pods: '1', cpu: requests.cpu, memory: requests.memory, 'ephemeral-storage': requests['ephemeral-storage'],
      [`requests.${extendedResourceName}`]: requests[extendedResourceName],
    });
    await h.waitForResourceQuota('test-quota', used);

    // Not allowing a pod to be created that exceeds remaining quota
    await expect(core.createNamespacedPod({ namespace, body: newTestPodForQuota('fail-pod', { cpu: '600m', memory: '100Mi' }, {}) }))
      .rejects.toMatchObject({ code: 403 });

    // Not allowing a pod to be created that exceeds remaining quota(validation on extended resources)
    await expect(core.createNamespacedPod({ namespace, body: newTestPodForQuota('fail-pod-for-extended-resource',
      { cpu: '500m', memory: '100Mi', 'ephemeral-storage': '30Gi', [extendedResourceName]: '2' }, { [extendedResourceName]: '2' }) }))
      .rejects.toMatchObject({ code: 403 });

    // Ensuring a pod cannot update its resource requirements
    podToUpdate.spec!.containers[0]!.resources!.requests = { cpu: '100m', memory: '100Mi', 'ephemeral-storage': '10Gi' };
    await expect(core.replaceNamespacedPod({ namespace, name: 'test-pod', body: podToUpdate })).rejects.toMatchObject({ code: 422 });

    // Ensuring attempts to update pod resource requirements did not change quota usage
    await h.waitForResourceQuota('test-quota', used);

    // Deleting the pod
    await core.deleteNamespacedPod({ namespace, name: 'test-pod', gracePeriodSeconds: 0 });

    // Ensuring resource quota status released the pod usage
    await h.waitForResourceQuota('test-quota', {
      resourcequotas: String(c + 1), pods: '0', cpu: '0', memory: '0', 'ephemeral-storage': '0', [`requests.${extendedResourceName}`]: '0',
    });
  });

  it('ResourceQuota, object count quota, configmap', async () => {
    const core = f.kc.makeApiClient(CoreV1Api);
    const namespace = f.namespace;
    const found = await stableCount(async () => (await core.listNamespacedConfigMap({ namespace })).items.length);
    const defaultConfigMaps = String(found);
    const hardConfigMaps = String(found + 1);

    const c = await h.countResourceQuota();
    const quota = newTestResourceQuota('test-quota');
    quota.spec!.hard!.configmaps = hardConfigMaps;
    await core.createNamespacedResourceQuota({ namespace, body: quota });
    await h.waitForResourceQuota('test-quota', { resourcequotas: String(c + 1), configmaps: defaultConfigMaps });

    // Creating a ConfigMap
    const configMap = await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'test-configmap' }, data: { a: 'b' } } });
    // Ensuring resource quota status captures configMap creation
    await h.waitForResourceQuota('test-quota', { resourcequotas: String(c + 1), configmaps: hardConfigMaps });

    // Deleting a ConfigMap
    await core.deleteNamespacedConfigMap({ namespace, name: configMap.metadata!.name! });
    // Ensuring resource quota status released usage
    await h.waitForResourceQuota('test-quota', { resourcequotas: String(c + 1), configmaps: defaultConfigMaps });
  });

  it('ResourceQuota, object count quota, replicationController', async () => {
    const core = f.kc.makeApiClient(CoreV1Api);
    const namespace = f.namespace;
    const c = await h.countResourceQuota();
    await core.createNamespacedResourceQuota({ namespace, body: newTestResourceQuota('test-quota') });
    await h.waitForResourceQuota('test-quota', { resourcequotas: String(c + 1), replicationcontrollers: '0' });

    // Creating a ReplicationController
    const rc = await core.createNamespacedReplicationController({ namespace, body: {
      metadata: { name: 'test-rc' },
      spec: { replicas: 0, selector: { name: 'test-rc' }, template: {
        metadata: { labels: { name: 'test-rc' } }, spec: { containers: [{ name: 'test-rc', image: 'nginx' }] },
      } },
    } });
    // Ensuring resource quota status captures replication controller creation
    await h.waitForResourceQuota('test-quota', { replicationcontrollers: '1' });

    // Deleting a ReplicationController, in the background (RCs orphan by default)
    await core.deleteNamespacedReplicationController({ namespace, name: rc.metadata!.name!, propagationPolicy: 'Background' });
    // Ensuring resource quota status released usage
    await h.waitForResourceQuota('test-quota', { replicationcontrollers: '0' });
  });

  it('ResourceQuota, object count quota, replicaSet', async () => {
    const core = f.kc.makeApiClient(CoreV1Api);
    const apps = f.kc.makeApiClient(AppsV1Api);
    const namespace = f.namespace;
    const c = await h.countResourceQuota();
    await core.createNamespacedResourceQuota({ namespace, body: newTestResourceQuota('test-quota') });
    await h.waitForResourceQuota('test-quota', { resourcequotas: String(c + 1), 'count/replicasets.apps': '0' });

    // Creating a ReplicaSet
    const rs = await apps.createNamespacedReplicaSet({ namespace, body: {
      metadata: { name: 'test-rs' },
      spec: { replicas: 0, selector: { matchLabels: { name: 'test-rs' } }, template: {
        metadata: { labels: { name: 'test-rs' } },
        spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'test-rs', image: 'nginx' }] },
      } },
    } });
    // Ensuring resource quota status captures replicaset creation
    await h.waitForResourceQuota('test-quota', { 'count/replicasets.apps': '1' });

    // Deleting a ReplicaSet
    await apps.deleteNamespacedReplicaSet({ namespace, name: rs.metadata!.name! });
    // Ensuring resource quota status released usage
    await h.waitForResourceQuota('test-quota', { 'count/replicasets.apps': '0' });
  });

  it('ResourceQuota, quota scope, Terminating and NotTerminating scope', async () => {
    const core = f.kc.makeApiClient(CoreV1Api);
    const namespace = f.namespace;
    // Creating a ResourceQuota with terminating scope
    await core.createNamespacedResourceQuota({ namespace, body: newTestResourceQuotaWithScope('quota-terminating', 'Terminating') });
    const zero = { pods: '0', 'requests.cpu': '0', 'requests.memory': '0', 'limits.cpu': '0', 'limits.memory': '0' };
    await h.waitForResourceQuota('quota-terminating', { pods: '0' });
    // Creating a ResourceQuota with not terminating scope
    await core.createNamespacedResourceQuota({ namespace, body: newTestResourceQuotaWithScope('quota-not-terminating', 'NotTerminating') });
    await h.waitForResourceQuota('quota-not-terminating', { pods: '0' });

    // Creating a long running pod
    const requests = { cpu: '500m', memory: '200Mi' };
    const limits = { cpu: '1', memory: '400Mi' };
    await core.createNamespacedPod({ namespace, body: newTestPodForQuota('test-pod', requests, limits) });
    const charged = { pods: '1', 'requests.cpu': requests.cpu, 'requests.memory': requests.memory, 'limits.cpu': limits.cpu, 'limits.memory': limits.memory };
    // Ensuring resource quota with not terminating scope captures the pod usage
    await h.waitForResourceQuota('quota-not-terminating', charged);
    // Ensuring resource quota with terminating scope ignored the pod usage
    await h.ensureResourceQuota('quota-terminating', zero);
    // Deleting the pod; ensuring resource quota status released the pod usage
    await core.deleteNamespacedPod({ namespace, name: 'test-pod', gracePeriodSeconds: 0 });
    await h.waitForResourceQuota('quota-not-terminating', zero);

    // Creating a terminating pod
    const terminating = newTestPodForQuota('terminating-pod', requests, limits);
    terminating.spec!.activeDeadlineSeconds = 3600;
    await core.createNamespacedPod({ namespace, body: terminating });
    // Ensuring resource quota with terminating scope captures the pod usage
    await h.waitForResourceQuota('quota-terminating', charged);
    // Ensuring resource quota with not terminating scope ignored the pod usage
    await h.waitForResourceQuota('quota-not-terminating', zero);
    await h.ensureResourceQuota('quota-not-terminating', zero);
    // Deleting the pod; ensuring resource quota status released the pod usage
    await core.deleteNamespacedPod({ namespace, name: 'terminating-pod', gracePeriodSeconds: 0 });
    await h.waitForResourceQuota('quota-terminating', zero);
  });

  it('ResourceQuota, quota scope, BestEffort and NotBestEffort scope', async () => {
    const core = f.kc.makeApiClient(CoreV1Api);
    const namespace = f.namespace;
    // Creating a ResourceQuota with best effort scope
    await core.createNamespacedResourceQuota({ namespace, body: newTestResourceQuotaWithScope('quota-besteffort', 'BestEffort') });
    await h.waitForResourceQuota('quota-besteffort', { pods: '0' });
    // Creating a ResourceQuota with not best effort scope
    await core.createNamespacedResourceQuota({ namespace, body: newTestResourceQuotaWithScope('quota-not-besteffort', 'NotBestEffort') });
    await h.waitForResourceQuota('quota-not-besteffort', { pods: '0' });

    // Creating a best-effort pod
    const pod = await core.createNamespacedPod({ namespace, body: newTestPodForQuota('pfpod', {}, {}) });
    // Ensuring resource quota with best effort scope captures the pod usage
    await h.waitForResourceQuota('quota-besteffort', { pods: '1' });
    // Ensuring resource quota with not best effort ignored the pod usage
    await h.waitForResourceQuota('quota-not-besteffort', { pods: '0' });
    // Deleting the pod; ensuring resource quota status released the pod usage
    await core.deleteNamespacedPod({ namespace, name: pod.metadata!.name!, gracePeriodSeconds: 0 });
    await h.waitForResourceQuota('quota-besteffort', { pods: '0' });

    // Creating a not best-effort pod
    const burstable = await core.createNamespacedPod({ namespace,
      body: newTestPodForQuota('burstable-pod', { cpu: '500m', memory: '200Mi' }, { cpu: '1', memory: '400Mi' }) });
    // Ensuring resource quota with not best effort scope captures the pod usage
    await h.waitForResourceQuota('quota-not-besteffort', { pods: '1' });
    // Ensuring resource quota with best effort scope ignored the pod usage
    await h.waitForResourceQuota('quota-besteffort', { pods: '0' });
    // Deleting the pod; ensuring resource quota status released the pod usage
    await core.deleteNamespacedPod({ namespace, name: burstable.metadata!.name!, gracePeriodSeconds: 0 });
    await h.waitForResourceQuota('quota-not-besteffort', { pods: '0' });
  });
});
