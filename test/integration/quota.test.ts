/**
 * ResourceQuota admission over the HTTP API and real etcd: a create that would exceed a quota gets
 * upstream's exact 403 and writes nothing; an admitted one is charged in status.used before it is
 * stored; dry runs are checked but not charged. No controller runs here: the tests set status.hard
 * and status.used through /status, as the quota controller would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { createNamespace } from './support/fixtures.ts';

let server: TestServer;
const ns = 'quota-it';
const base = `/api/v1/namespaces/${ns}`;

beforeAll(async () => {
  server = await startTestServer();
  await createNamespace(server, ns);
});
afterAll(async () => { await server?.close(); });

/** Creates a quota and records its status as the controller would (hard = spec.hard, used as given). */
async function quota(name: string, hard: Record<string, string>, used: Record<string, string>, spec: Record<string, unknown> = {}) {
  const created = await server.request.post(`${base}/resourcequotas`).send({ metadata: { name }, spec: { hard, ...spec } });
  expect(created.status).toBe(201);
  const res = await server.request.put(`${base}/resourcequotas/${name}/status`).send({ ...created.body, status: { hard, used } });
  expect(res.status).toBe(200);
  // Admission reads quotas from the watch cache, as upstream reads its informer: wait until it has this status.
  const seen = await server.registry.store({ group: '', plural: 'resourcequotas' }).cache.waitFor(Number(res.body.metadata.resourceVersion), 5000);
  expect(seen).toBe(true);
}

async function used(name: string): Promise<Record<string, string>> {
  const res = await server.request.get(`${base}/resourcequotas/${name}`);
  return res.body.status.used;
}

function pod(name: string, resources: Record<string, unknown> = {}, spec: Record<string, unknown> = {}) {
  return { metadata: { name }, spec: { containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', resources }], ...spec } };
}

describe('ResourceQuota admission', () => {
  it('charges an admitted pod and refuses the next one with the exact Status, writing nothing', async () => {
    await quota('pods-quota', { pods: '1', 'requests.cpu': '1' }, { pods: '0', 'requests.cpu': '0' });
    const ok = await server.request.post(`${base}/pods`).send(pod('p1', { requests: { cpu: '500m' } }));
    expect(ok.status).toBe(201);
    expect(await used('pods-quota')).toEqual({ pods: '1', 'requests.cpu': '500m' });

    const refused = await server.request.post(`${base}/pods`).send(pod('p2', { requests: { cpu: '100m' } }));
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      kind: 'Status', status: 'Failure', reason: 'Forbidden', code: 403,
      message: 'pods "p2" is forbidden: exceeded quota: pods-quota, requested: pods=1, used: pods=1, limited: pods=1',
      details: { name: 'p2', kind: 'pods' },
    });
    expect((await server.request.get(`${base}/pods/p2`)).status).toBe(404);
    expect(await used('pods-quota')).toEqual({ pods: '1', 'requests.cpu': '500m' });
    await server.request.delete(`${base}/pods/p1`).send({ gracePeriodSeconds: 0 });
    await server.request.delete(`${base}/resourcequotas/pods-quota`);
  });

  it('refuses a pod that does not state a limited resource (failed quota)', async () => {
    await quota('limits', { 'limits.memory': '1Gi' }, { 'limits.memory': '0' });
    const res = await server.request.post(`${base}/pods`).send(pod('nolimit'));
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('pods "nolimit" is forbidden: failed quota: limits: must specify limits.memory for: pause');
    const fits = await server.request.post(`${base}/pods`).send(pod('limited', { limits: { memory: '256Mi' } }));
    expect(fits.status).toBe(201);
    expect(await used('limits')).toEqual({ 'limits.memory': '256Mi' });
    await server.request.delete(`${base}/pods/limited`).send({ gracePeriodSeconds: 0 });
    await server.request.delete(`${base}/resourcequotas/limits`);
  });

  it('refuses while status.used lacks a tracked resource', async () => {
    await quota('unknown', { configmaps: '5' }, {});
    const res = await server.request.post(`${base}/configmaps`).send({ metadata: { name: 'cm-unknown' } });
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('configmaps "cm-unknown" is forbidden: status unknown for quota: unknown, resources: configmaps');
    await server.request.delete(`${base}/resourcequotas/unknown`);
  });

  it('checks a dry run without charging it', async () => {
    await quota('cm', { configmaps: '1', 'count/configmaps': '1' }, { configmaps: '0', 'count/configmaps': '0' });
    const dry = await server.request.post(`${base}/configmaps?dryRun=All`).send({ metadata: { name: 'dry' } });
    expect(dry.status).toBe(201);
    expect(await used('cm')).toEqual({ configmaps: '0', 'count/configmaps': '0' });
    expect((await server.request.post(`${base}/configmaps`).send({ metadata: { name: 'real' } })).status).toBe(201);
    expect(await used('cm')).toEqual({ configmaps: '1', 'count/configmaps': '1' });
    const over = await server.request.post(`${base}/configmaps?dryRun=All`).send({ metadata: { name: 'dry2' } });
    expect(over.status).toBe(403);
    expect(over.body.message).toBe('configmaps "dry2" is forbidden: exceeded quota: cm, requested: configmaps=1,count/configmaps=1, '
      + 'used: configmaps=1,count/configmaps=1, limited: configmaps=1,count/configmaps=1');
    await server.request.delete(`${base}/configmaps/real`);
    await server.request.delete(`${base}/resourcequotas/cm`);
  });

  it('counts any resource as count/<resource>.<group> and ignores scoped quotas for it', async () => {
    await quota('rs', { 'count/replicasets.apps': '0' }, { 'count/replicasets.apps': '0' });
    await quota('scoped', { pods: '0' }, { pods: '0' }, { scopes: ['BestEffort'] });
    const rs = { metadata: { name: 'rs' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } };
    const res = await server.request.post(`/apis/apps/v1/namespaces/${ns}/replicasets`).send(rs);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ details: { name: 'rs', group: 'apps', kind: 'replicasets' } });
    expect(res.body.message).toBe('replicasets.apps "rs" is forbidden: exceeded quota: rs, requested: count/replicasets.apps=1, '
      + 'used: count/replicasets.apps=0, limited: count/replicasets.apps=0');
    // A pod that is not BestEffort is outside the scoped quota.
    expect((await server.request.post(`${base}/pods`).send(pod('burstable', { requests: { cpu: '10m' } }))).status).toBe(201);
    const be = await server.request.post(`${base}/pods`).send(pod('besteffort'));
    expect(be.status).toBe(403);
    expect(be.body.message).toBe('pods "besteffort" is forbidden: exceeded quota: scoped, requested: pods=1, used: pods=0, limited: pods=0');
    await server.request.delete(`${base}/pods/burstable`).send({ gracePeriodSeconds: 0 });
    await server.request.delete(`${base}/resourcequotas/rs`);
    await server.request.delete(`${base}/resourcequotas/scoped`);
  });

  it('charges a service that becomes a LoadBalancer on update', async () => {
    await quota('lb', { 'services.loadbalancers': '0' }, { 'services.loadbalancers': '0' });
    const created = await server.request.post(`${base}/services`).send({ metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } });
    expect(created.status).toBe(201);
    const res = await server.request.put(`${base}/services/web`).send({ ...created.body, spec: { ...created.body.spec, type: 'LoadBalancer' } });
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('services "web" is forbidden: exceeded quota: lb, requested: services.loadbalancers=1, '
      + 'used: services.loadbalancers=0, limited: services.loadbalancers=0');
    expect((await server.request.get(`${base}/services/web`)).body.spec.type).toBe('ClusterIP');
    await server.request.delete(`${base}/services/web`);
    await server.request.delete(`${base}/resourcequotas/lb`);
  });

  it('charges concurrent creates exactly once each', async () => {
    await quota('many', { configmaps: '5' }, { configmaps: '0' });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) =>
      server.request.post(`${base}/configmaps`).send({ metadata: { name: `c${i}` } })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    expect(results.filter((r) => r.status === 403)).toHaveLength(3);
    expect(await used('many')).toEqual({ configmaps: '5' });
    for (let i = 0; i < 8; i++) await server.request.delete(`${base}/configmaps/c${i}`);
    await server.request.delete(`${base}/resourcequotas/many`);
  });
});
