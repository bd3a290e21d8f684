/**
 * Write semantics beyond plain CRUD: dryRun, finalizers, graceful pod deletion, propagation
 * policies, delete preconditions, create-on-update, strategic merge patch and patch failures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { collectionPath, createNamespace, entryFor, minimalObject, objectPath, storageKey, type Obj } from './support/fixtures.ts';

let server: TestServer;
const ns = 'writes';
const configmaps = entryFor('configmaps');
const pods = entryFor('pods');
const deployments = entryFor('deployments', 'apps');
const endpoints = entryFor('endpoints');

beforeAll(async () => {
  server = await startTestServer();
  await createNamespace(server, ns);
});
afterAll(async () => { await server?.close(); });

async function create(e: typeof configmaps, obj: Obj): Promise<Record<string, any>> {
  const res = await server.request.post(collectionPath(e, ns)).send(obj);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const stored = async (e: typeof configmaps, name: string) => server.etcd.get(storageKey(e, ns, name));

describe('dryRun=All', () => {
  it('create answers 201 with the object and stores nothing', async () => {
    const res = await server.request.post(collectionPath(configmaps, ns)).query({ dryRun: 'All' }).send(minimalObject(configmaps, 'dry', ns));
    expect(res.status).toBe(201);
    expect(res.body.metadata.name).toBe('dry');
    expect(res.body.metadata.uid).toBeTruthy();
    expect(await stored(configmaps, 'dry')).toBeNull();
  });

  it('update and delete change nothing', async () => {
    const cm = await create(configmaps, minimalObject(configmaps, 'dry-existing', ns));
    const before = await stored(configmaps, 'dry-existing');
    cm.data = { key: 'dry' };
    const put = await server.request.put(objectPath(configmaps, ns, 'dry-existing')).query({ dryRun: 'All' }).send(cm);
    expect(put.status).toBe(200);
    expect(put.body.data.key).toBe('dry');
    const del = await server.request.delete(objectPath(configmaps, ns, 'dry-existing')).query({ dryRun: 'All' });
    expect(del.status).toBe(200);
    expect((await stored(configmaps, 'dry-existing'))?.modRevision).toBe(before?.modRevision);
  });

  it('an unknown dryRun value: 422 on the verb\'s options', async () => {
    const res = await server.request.post(collectionPath(configmaps, ns)).query({ dryRun: 'Maybe' }).send(minimalObject(configmaps, 'dry2', ns));
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Maybe"}: supported values: "All"');
    expect(await stored(configmaps, 'dry2')).toBeNull();
  });
});

describe('finalizers', () => {
  it('delete marks the object, answers with it, and the last finalizer removal deletes it', async () => {
    const cm = minimalObject(configmaps, 'held', ns);
    (cm.metadata as Record<string, unknown>).finalizers = ['example.com/hold'];
    await create(configmaps, cm);
    const del = await server.request.delete(objectPath(configmaps, ns, 'held'));
    expect(del.status).toBe(200);
    expect(del.body.kind).toBe('ConfigMap');
    expect(del.body.metadata.deletionTimestamp).toBeTruthy();
    expect(del.body.metadata.deletionGracePeriodSeconds).toBe(0);
    expect(del.body.metadata.finalizers).toEqual(['example.com/hold']);
    const again = await server.request.delete(objectPath(configmaps, ns, 'held'));
    expect(again.status).toBe(200);
    expect(again.body.metadata.deletionTimestamp).toBe(del.body.metadata.deletionTimestamp);
    expect(again.body.metadata.resourceVersion).toBe(del.body.metadata.resourceVersion);

    const patch = await server.request.patch(objectPath(configmaps, ns, 'held')).set('Content-Type', 'application/merge-patch+json')
      .send('{"metadata":{"finalizers":null}}');
    expect(patch.status, JSON.stringify(patch.body)).toBe(200);
    expect((await server.request.get(objectPath(configmaps, ns, 'held'))).status).toBe(404);
    expect(await stored(configmaps, 'held')).toBeNull();
  });

  it('a deleting object cannot gain new finalizers', async () => {
    const cm = minimalObject(configmaps, 'held-2', ns);
    (cm.metadata as Record<string, unknown>).finalizers = ['example.com/hold'];
    await create(configmaps, cm);
    await server.request.delete(objectPath(configmaps, ns, 'held-2'));
    const res = await server.request.patch(objectPath(configmaps, ns, 'held-2')).set('Content-Type', 'application/merge-patch+json')
      .send('{"metadata":{"finalizers":["example.com/hold","example.com/more"]}}');
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('ConfigMap "held-2" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/more"}');
  });

  it('propagationPolicy=Orphan and Foreground add the garbage collector finalizers', async () => {
    await create(configmaps, minimalObject(configmaps, 'orphaned', ns));
    const orphan = await server.request.delete(objectPath(configmaps, ns, 'orphaned')).send({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Orphan' });
    expect(orphan.status).toBe(200);
    expect(orphan.body.metadata.finalizers).toEqual(['orphan']);
    await create(configmaps, minimalObject(configmaps, 'foreground', ns));
    const fg = await server.request.delete(objectPath(configmaps, ns, 'foreground')).query({ propagationPolicy: 'Foreground' });
    expect(fg.body.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect((await server.request.get(objectPath(configmaps, ns, 'foreground'))).status).toBe(200);
  });

  it('marking a generation-tracking object for deletion bumps its generation', async () => {
    const d = minimalObject(deployments, 'held-deploy', ns);
    (d.metadata as Record<string, unknown>).finalizers = ['example.com/hold'];
    await create(deployments, d);
    const del = await server.request.delete(objectPath(deployments, ns, 'held-deploy'));
    expect(del.status).toBe(200);
    expect(del.body.metadata.generation).toBe(2);
  });

  it('an unknown propagationPolicy: 422', async () => {
    await create(configmaps, minimalObject(configmaps, 'policy', ns));
    const res = await server.request.delete(objectPath(configmaps, ns, 'policy')).query({ propagationPolicy: 'Sometimes' });
    expect(res.status).toBe(422);
    expect(res.body.reason).toBe('Invalid');
    expect((await server.request.get(objectPath(configmaps, ns, 'policy'))).status).toBe(200);
  });
});

describe('graceful pod deletion', () => {
  it('a pod bound to a node is marked with its grace period, then removed with gracePeriodSeconds=0', async () => {
    const pod = minimalObject(pods, 'graceful', ns);
    (pod.spec as Record<string, unknown>).nodeName = 'node-1';
    await create(pods, pod);
    const del = await server.request.delete(objectPath(pods, ns, 'graceful'));
    expect(del.status).toBe(200);
    expect(del.body.kind).toBe('Pod');
    expect(del.body.metadata.deletionGracePeriodSeconds).toBe(30);
    const ts = Date.parse(del.body.metadata.deletionTimestamp as string);
    expect(ts - Date.now()).toBeGreaterThan(25_000);
    expect((await server.request.get(objectPath(pods, ns, 'graceful'))).status).toBe(200);

    const shorter = await server.request.delete(objectPath(pods, ns, 'graceful')).query({ gracePeriodSeconds: 5 });
    expect(shorter.body.metadata.deletionGracePeriodSeconds).toBe(5);
    // The shorter deadline counts from the first request, not from now.
    expect(Date.parse(shorter.body.metadata.deletionTimestamp as string)).toBe(ts - 25_000);
    const longer = await server.request.delete(objectPath(pods, ns, 'graceful')).query({ gracePeriodSeconds: 20 });
    expect(longer.body.metadata.deletionGracePeriodSeconds).toBe(5);

    const force = await server.request.delete(objectPath(pods, ns, 'graceful')).send({ kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0 });
    expect(force.status).toBe(200);
    expect((await server.request.get(objectPath(pods, ns, 'graceful'))).status).toBe(404);
  });

  it('an unscheduled pod goes at once', async () => {
    await create(pods, minimalObject(pods, 'unscheduled', ns));
    expect((await server.request.delete(objectPath(pods, ns, 'unscheduled'))).status).toBe(200);
    expect((await server.request.get(objectPath(pods, ns, 'unscheduled'))).status).toBe(404);
  });
});

describe('preconditions and conditional writes', () => {
  it('delete with a matching resourceVersion precondition succeeds, a stale one conflicts', async () => {
    const cm = await create(configmaps, minimalObject(configmaps, 'pre', ns));
    const stale = await server.request.delete(objectPath(configmaps, ns, 'pre'))
      .send({ kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { resourceVersion: '1' } });
    expect(stale.status).toBe(409);
    expect(stale.body.message).toBe(`Operation cannot be fulfilled on configmaps "pre": Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: ${cm.metadata.resourceVersion}`);
    const ok = await server.request.delete(objectPath(configmaps, ns, 'pre'))
      .send({ kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { resourceVersion: cm.metadata.resourceVersion, uid: cm.metadata.uid } });
    expect(ok.status).toBe(200);
  });

  it('PUT with another uid in the body: 409 precondition failure', async () => {
    const cm = await create(configmaps, minimalObject(configmaps, 'uid-pre', ns));
    const res = await server.request.put(objectPath(configmaps, ns, 'uid-pre')).send({ ...cm, metadata: { ...cm.metadata, uid: 'not-the-uid' } });
    expect(res.status).toBe(409);
    expect(res.body.message).toBe(`Operation cannot be fulfilled on configmaps "uid-pre": Precondition failed: UID in precondition: not-the-uid, UID in object meta: ${cm.metadata.uid}`);
  });

  it('PUT without a name in the body: 400', async () => {
    await create(configmaps, minimalObject(configmaps, 'unnamed', ns));
    const body = minimalObject(configmaps, '', ns);
    delete (body.metadata as Record<string, unknown>).name;
    const res = await server.request.put(objectPath(configmaps, ns, 'unnamed')).send(body);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('the name of the object (unnamed based on URL) was undeterminable: name must be provided');
  });

  it('PUT creates a missing object for kinds that allow it (endpoints), not for others', async () => {
    const res = await server.request.put(objectPath(endpoints, ns, 'put-created')).send(minimalObject(endpoints, 'put-created', ns));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.metadata.uid).toBeTruthy();
    const cm = await server.request.put(objectPath(configmaps, ns, 'put-missing')).send(minimalObject(configmaps, 'put-missing', ns));
    expect(cm.status).toBe(404);
  });
});

describe('concurrency (CAS on etcd mod revisions)', () => {
  it('concurrent creates of one name: exactly one 201, the rest 409 AlreadyExists', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () =>
      server.request.post(collectionPath(configmaps, ns)).send(minimalObject(configmaps, 'race', ns))));
    const codes = results.map((r) => r.status).sort();
    expect(codes).toEqual([201, ...Array<number>(9).fill(409)]);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.reason === 'AlreadyExists')).toBe(true);
  });

  it('concurrent merge patches without a resourceVersion all apply (the store retries conflicts)', async () => {
    await create(configmaps, minimalObject(configmaps, 'counter', ns));
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      server.request.patch(objectPath(configmaps, ns, 'counter')).set('Content-Type', 'application/merge-patch+json')
        .send(JSON.stringify({ data: { [`k${i}`]: String(i) } }))));
    expect(results.map((r) => r.status)).toEqual(Array<number>(20).fill(200));
    const final = (await server.request.get(objectPath(configmaps, ns, 'counter'))).body;
    expect(Object.keys(final.data as object).sort()).toEqual(['key', ...Array.from({ length: 20 }, (_, i) => `k${i}`)].sort());
  });

  it('concurrent PUTs carrying the same resourceVersion: one wins, the rest 409 Conflict', async () => {
    const cm = await create(configmaps, minimalObject(configmaps, 'pinned', ns));
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) =>
      server.request.put(objectPath(configmaps, ns, 'pinned')).send({ ...cm, data: { key: `v${i}` } })));
    const codes = results.map((r) => r.status).sort();
    expect(codes).toEqual([200, 409, 409, 409, 409]);
  });
});

describe('patches', () => {
  it('strategic merge patch merges containers by name', async () => {
    const d = minimalObject(deployments, 'smp', ns);
    const containers = [{ name: 'c', image: 'nginx:1.27', env: [{ name: 'A', value: '1' }] }, { name: 'side', image: 'busybox' }];
    ((d.spec as Record<string, any>).template.spec as Record<string, unknown>).containers = containers;
    await create(deployments, d);
    const res = await server.request.patch(objectPath(deployments, ns, 'smp')).set('Content-Type', 'application/strategic-merge-patch+json')
      .send(JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1.28' }] } } } }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const got = res.body.spec.template.spec.containers as { name: string; image: string; env?: unknown[] }[];
    expect(got.map((c) => `${c.name}=${c.image}`)).toEqual(['c=nginx:1.28', 'side=busybox']);
    expect(got[0]!.env).toEqual([{ name: 'A', value: '1' }]);
    expect(res.body.metadata.generation).toBe(2);
  });

  it('a JSON patch that cannot apply: 422 with the generic message', async () => {
    await create(configmaps, minimalObject(configmaps, 'jp', ns));
    const before = await stored(configmaps, 'jp');
    const res = await server.request.patch(objectPath(configmaps, ns, 'jp')).set('Content-Type', 'application/json-patch+json')
      .send(JSON.stringify([{ op: 'replace', path: '/data/missing/deeper', value: 'x' }]));
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'the server rejected our request due to an error in our request', reason: 'Invalid', details: {}, code: 422,
    });
    const test = await server.request.patch(objectPath(configmaps, ns, 'jp')).set('Content-Type', 'application/json-patch+json')
      .send(JSON.stringify([{ op: 'test', path: '/data/key', value: 'other' }, { op: 'replace', path: '/data/key', value: 'x' }]));
    expect(test.status).toBe(422);
    expect((await stored(configmaps, 'jp'))?.modRevision).toBe(before?.modRevision);
  });
});
