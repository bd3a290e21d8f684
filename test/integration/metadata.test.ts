/**
 * Object metadata the store owns: generateName, generation, the spec/status split, no-op updates,
 * resourceVersion on create, and the etcd key layout under the test prefix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMetaSources } from '../../pkg/registry/generic/object-meta.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { collectionPath, createNamespace, entryFor, minimalObject, objectPath, storageKey, type Obj } from './support/fixtures.ts';

let server: TestServer;
const ns = 'meta';
const deployments = entryFor('deployments', 'apps');
const statefulsets = entryFor('statefulsets', 'apps');
const configmaps = entryFor('configmaps');
const nodes = entryFor('nodes');
const services = entryFor('services');

/** Suffixes handed out in order, then random ones: the second "gen-" create collides once. */
const suffixes = ['aaaaa', 'aaaaa', 'bbbbb'];

beforeAll(async () => {
  server = await startTestServer({ nameSuffix: () => suffixes.shift() ?? defaultMetaSources.nameSuffix() });
  await createNamespace(server, ns);
});
afterAll(async () => { await server?.close(); });

async function create(e: typeof deployments, name: string, patch: (o: Obj) => void = () => {}): Promise<Obj> {
  const obj = minimalObject(e, name, ns);
  patch(obj);
  const res = await server.request.post(collectionPath(e, ns)).send(obj);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as Obj;
}

async function put(path: string, obj: Obj): Promise<Obj> {
  const res = await server.request.put(path).send(obj);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Obj;
}

const meta = (o: Obj) => o.metadata as Record<string, unknown> & { labels?: Record<string, string>; annotations?: Record<string, string> };
const spec = (o: Obj) => o.spec as Record<string, unknown>;
const status = (o: Obj) => (o.status ?? {}) as Record<string, unknown>;

describe('generateName', () => {
  it('a generated name that is taken is generated again', async () => {
    const obj = () => ({ ...minimalObject(configmaps, '', ns), metadata: { generateName: 'collide-' } });
    const first = await server.request.post(collectionPath(configmaps, ns)).send(obj());
    expect(first.status).toBe(201);
    expect(first.body.metadata.name).toBe('collide-aaaaa');
    const second = await server.request.post(collectionPath(configmaps, ns)).send(obj());
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect(second.body.metadata.name).toBe('collide-bbbbb');
  });

  it('appends a five-character random suffix from the Kubernetes alphabet', async () => {
    const obj = minimalObject(configmaps, '', ns);
    obj.metadata = { generateName: 'gen-' };
    const res = await server.request.post(collectionPath(configmaps, ns)).send(obj);
    expect(res.status).toBe(201);
    expect(res.body.metadata.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(res.body.metadata.generateName).toBe('gen-');
    const got = await server.request.get(objectPath(configmaps, ns, res.body.metadata.name));
    expect(got.status).toBe(200);
  });

  it('a name given next to generateName wins', async () => {
    const obj = minimalObject(configmaps, 'explicit-name', ns);
    meta(obj).generateName = 'gen-';
    const res = await server.request.post(collectionPath(configmaps, ns)).send(obj);
    expect(res.status).toBe(201);
    expect(res.body.metadata.name).toBe('explicit-name');
  });

  it('neither name nor generateName: 422 with the real cause', async () => {
    const obj = minimalObject(configmaps, '', ns);
    obj.metadata = {};
    const res = await server.request.post(collectionPath(configmaps, ns)).send(obj);
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required');
    expect(res.body.details.causes).toEqual([
      { reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' },
    ]);
  });
});

describe('generation', () => {
  it('kinds without a spec generation have none', async () => {
    const cm = await create(configmaps, 'no-generation');
    expect(meta(cm).generation).toBeUndefined();
  });

  it('starts at 1, bumps on spec change only (deployment)', async () => {
    const path = objectPath(deployments, ns, 'gen');
    const d = await create(deployments, 'gen');
    expect(meta(d).generation).toBe(1);

    spec(d).replicas = 3;
    const afterSpec = await put(path, d);
    expect(meta(afterSpec).generation).toBe(2);

    meta(afterSpec).labels = { only: 'labels' };
    const afterLabels = await put(path, afterSpec);
    expect(meta(afterLabels).generation).toBe(2);
    expect(meta(afterLabels).labels).toEqual({ only: 'labels' });

    afterLabels.status = { replicas: 9, observedGeneration: 7 };
    const afterStatus = await put(path, afterLabels);
    expect(meta(afterStatus).generation).toBe(2);

    const statusWrite = await server.request.put(`${path}/status`).send({ ...afterStatus, status: { replicas: 2, observedGeneration: 2 } });
    expect(statusWrite.status, JSON.stringify(statusWrite.body)).toBe(200);
    expect(statusWrite.body.metadata.generation).toBe(2);
  });

  it('deployments also bump on annotation changes (they are copied to replica sets)', async () => {
    const path = objectPath(deployments, ns, 'gen-annotations');
    const d = await create(deployments, 'gen-annotations');
    meta(d).annotations = { note: 'x' };
    expect(meta(await put(path, d)).generation).toBe(2);
  });

  it('a statefulset does not bump on annotation changes', async () => {
    const path = objectPath(statefulsets, ns, 'gen');
    const s = await create(statefulsets, 'gen');
    meta(s).annotations = { note: 'x' };
    const after = await put(path, s);
    expect(meta(after).generation).toBe(1);
    spec(after).replicas = 4;
    expect(meta(await put(path, after)).generation).toBe(2);
  });

  it('a client cannot set generation on create or update', async () => {
    const d = await create(deployments, 'gen-client', (o) => { meta(o).generation = 42; });
    expect(meta(d).generation).toBe(1);
    meta(d).generation = 99;
    expect(meta(await put(objectPath(deployments, ns, 'gen-client'), d)).generation).toBe(1);
  });
});

describe('status and spec split', () => {
  it('status is reset on create and ignored on a main-resource update', async () => {
    const d = await create(deployments, 'split', (o) => { o.status = { replicas: 5, readyReplicas: 5 }; });
    expect(status(d).replicas).toBeUndefined();
    d.status = { replicas: 8 };
    const updated = await put(objectPath(deployments, ns, 'split'), d);
    expect(status(updated).replicas).toBeUndefined();
  });

  it('spec and metadata are ignored on /status', async () => {
    const path = objectPath(deployments, ns, 'split');
    const current = (await server.request.get(path)).body as Obj;
    const body = { ...current, spec: { ...spec(current), replicas: 7 }, status: { replicas: 3 } };
    meta(body).labels = { from: 'status' };
    const res = await server.request.put(`${path}/status`).send(body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.status.replicas).toBe(3);
    expect(res.body.spec.replicas).toBe(1);
    expect(res.body.metadata.labels).toBeUndefined();
    const stored = (await server.request.get(path)).body as Obj;
    expect(spec(stored).replicas).toBe(1);
    expect(status(stored).replicas).toBe(3);
  });

  it('a merge patch on /status changes only status', async () => {
    const path = objectPath(deployments, ns, 'split');
    const res = await server.request.patch(`${path}/status`).set('Content-Type', 'application/merge-patch+json')
      .send(JSON.stringify({ spec: { replicas: 9 }, status: { availableReplicas: 1 } }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.status.availableReplicas).toBe(1);
    expect(res.body.spec.replicas).toBe(1);
  });

  it('GET /status returns the whole object', async () => {
    const path = objectPath(deployments, ns, 'split');
    const res = await server.request.get(`${path}/status`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual((await server.request.get(path)).body);
  });

  it('the status subresource of a kind without one is a 404', async () => {
    await create(configmaps, 'no-status');
    const res = await server.request.get(`${objectPath(configmaps, ns, 'no-status')}/status`);
    expect(res.status).toBe(404);
  });
});

describe('resourceVersion', () => {
  it('a no-op update keeps the resourceVersion and writes nothing', async () => {
    const cm = await create(configmaps, 'noop');
    const before = await server.etcd.get(storageKey(configmaps, ns, 'noop'));
    const res = await put(objectPath(configmaps, ns, 'noop'), cm);
    expect(meta(res).resourceVersion).toBe(meta(cm).resourceVersion);
    const after = await server.etcd.get(storageKey(configmaps, ns, 'noop'));
    expect(after?.modRevision).toBe(before?.modRevision);
    const patched = await server.request.patch(objectPath(configmaps, ns, 'noop')).set('Content-Type', 'application/merge-patch+json')
      .send(JSON.stringify({ data: { key: 'value' } }));
    expect(patched.body.metadata.resourceVersion).toBe(meta(cm).resourceVersion);
  });

  it('PUT without a resourceVersion is an unconditional update', async () => {
    const cm = await create(configmaps, 'unconditional');
    delete meta(cm).resourceVersion;
    cm.data = { key: 'other' };
    const res = await put(objectPath(configmaps, ns, 'unconditional'), cm);
    expect((res.data as Record<string, string>).key).toBe('other');
  });

  it('create with a resourceVersion set is refused as the real server does (500, nothing written)', async () => {
    const obj = minimalObject(configmaps, 'with-rv', ns);
    meta(obj).resourceVersion = '12345';
    const res = await server.request.post(collectionPath(configmaps, ns)).send(obj);
    expect(res.status).toBe(500);
    expect(res.body).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'resourceVersion should not be set on objects to be created', code: 500,
    });
    expect(await server.etcd.get(storageKey(configmaps, ns, 'with-rv'))).toBeNull();
  });

  it('uid and creationTimestamp from the client are replaced on create and kept on update', async () => {
    const cm = await create(configmaps, 'sysmeta', (o) => { meta(o).uid = 'not-a-uid'; meta(o).creationTimestamp = '2000-01-01T00:00:00Z'; });
    expect(meta(cm).uid).not.toBe('not-a-uid');
    expect(meta(cm).creationTimestamp).not.toBe('2000-01-01T00:00:00Z');
    const changed = { ...cm, metadata: { ...meta(cm), creationTimestamp: '2000-01-01T00:00:00Z' }, data: { key: 'v2' } };
    const res = await put(objectPath(configmaps, ns, 'sysmeta'), changed);
    expect(meta(res).creationTimestamp).toBe(meta(cm).creationTimestamp);
    expect(meta(res).uid).toBe(meta(cm).uid);
  });
});

describe('storage layout', () => {
  it('keys are /<group>/<resource>/<namespace>/<name> under the prefix, JSON without resourceVersion', async () => {
    await create(deployments, 'layout');
    await create(configmaps, 'layout');
    const nodeRes = await server.request.post(collectionPath(nodes)).send(minimalObject(nodes, 'layout-node', ns));
    expect(nodeRes.status).toBe(201);
    const prefix = server.etcd.prefix;
    expect(prefix).toMatch(/\/registry$/);
    for (const key of [`/apps/deployments/${ns}/layout`, `/configmaps/${ns}/layout`, '/nodes/layout-node', `/namespaces/${ns}`]) {
      const raw = await server.etcd.client.get(`${prefix}${key}`).string();
      expect(raw, key).not.toBeNull();
      const stored = JSON.parse(raw!) as Obj;
      expect(meta(stored).resourceVersion).toBeUndefined();
      expect(meta(stored).uid).toBeTruthy();
    }
  });

  it('the system namespaces and the kubernetes service exist from start-up', async () => {
    for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      expect((await server.request.get(`/api/v1/namespaces/${name}`)).status, name).toBe(200);
    }
    const svc = await server.request.get(objectPath(services, 'default', 'kubernetes'));
    expect(svc.status).toBe(200);
    expect(svc.body.spec.clusterIP).toBe('10.96.0.1');
  });
});
