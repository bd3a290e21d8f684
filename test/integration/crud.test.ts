/**
 * CRUD for every resource in the resource table, table-driven, against a real etcd: create,
 * get, list, update, JSON patch, merge patch, delete and deletecollection, with the status
 * codes and bodies the real kube-apiserver answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceKey, type ResourceEntry } from '../../pkg/resources/index.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import {
  collectionPath, createNamespace, crudEntries, entryFor, minimalObject, objectPath, storageKey, type Obj,
} from './support/fixtures.ts';

let server: TestServer;
const ns = 'crud';

beforeAll(async () => {
  server = await startTestServer();
  await createNamespace(server, ns);
});
afterAll(async () => { await server?.close(); });

/** Kinds whose finished delete answers with the object (ReturnDeletedObject in the real stores). */
const returnsObject = new Set(['pods', 'services', 'serviceaccounts']);

const uidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const timePattern = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

async function modRevision(e: ResourceEntry, name: string): Promise<number | undefined> {
  return (await server.etcd.get(storageKey(e, ns, name)))?.modRevision;
}

describe.each(crudEntries.map((e) => [resourceKey(e), e] as const))('%s', (_key, e) => {
  const name = `crud-${e.singular}`;
  const path = objectPath(e, ns, name);
  let created: Obj;

  it('creates (201) with uid, creationTimestamp and resourceVersion = etcd mod revision', async () => {
    const res = await server.request.post(collectionPath(e, ns)).send(minimalObject(e, name, ns));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    created = res.body as Obj;
    const meta = created.metadata as Record<string, unknown>;
    expect(created.kind).toBe(e.kind);
    expect(created.apiVersion).toBe(e.group ? `${e.group}/${e.version}` : e.version);
    expect(meta.name).toBe(name);
    if (e.namespaced) expect(meta.namespace).toBe(ns); else expect(meta.namespace).toBeUndefined();
    expect(meta.uid).toMatch(uidPattern);
    expect(meta.creationTimestamp).toMatch(timePattern);
    expect(meta.resourceVersion).toBe(String(await modRevision(e, name)));
  });

  it('gets the stored object', async () => {
    const res = await server.request.get(path);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(created);
  });

  it('lists it (items without kind, list resourceVersion set)', async () => {
    const res = await server.request.get(collectionPath(e, ns));
    expect(res.status).toBe(200);
    expect(res.body.kind).toBe(`${e.kind}List`);
    expect(res.body.apiVersion).toBe(created.apiVersion);
    expect(Number(res.body.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number((created.metadata as Obj).resourceVersion));
    const item = (res.body.items as Obj[]).find((i) => (i.metadata as Obj).name === name);
    expect(item).toBeDefined();
    // The real server encodes TypeMeta only on the list itself.
    expect(item!.kind).toBeUndefined();
    expect({ ...item, kind: created.kind, apiVersion: created.apiVersion }).toEqual(created);
  });

  it('updates with PUT (200, new resourceVersion)', async () => {
    const current = (await server.request.get(path)).body as Obj;
    const meta = current.metadata as Record<string, unknown>;
    meta.labels = { ...(meta.labels as object | undefined), updated: 'put' };
    const res = await server.request.put(path).send(current);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.metadata.labels.updated).toBe('put');
    expect(res.body.metadata.uid).toBe((created.metadata as Obj).uid);
    expect(Number(res.body.metadata.resourceVersion)).toBeGreaterThan(Number(meta.resourceVersion));
    expect(res.body.metadata.resourceVersion).toBe(String(await modRevision(e, name)));
  });

  it('applies a JSON patch', async () => {
    const res = await server.request.patch(path).set('Content-Type', 'application/json-patch+json')
      .send(JSON.stringify([{ op: 'add', path: '/metadata/annotations', value: { patched: 'json' } }]));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // Kinds may add their own annotations (daemonsets: deprecated.daemonset.template.generation).
    expect(res.body.metadata.annotations).toMatchObject({ patched: 'json' });
    expect(res.body.metadata.labels.updated).toBe('put');
  });

  it('applies a merge patch', async () => {
    const res = await server.request.patch(path).set('Content-Type', 'application/merge-patch+json')
      .send(JSON.stringify({ metadata: { labels: { merged: 'yes', updated: null } } }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.metadata.labels.merged).toBe('yes');
    expect(res.body.metadata.labels.updated).toBeUndefined();
    const stored = await server.request.get(path);
    expect(stored.body).toEqual(res.body);
  });

  it('deletes (200, the object or a Status as the real server answers)', async () => {
    const before = (await server.request.get(path)).body as Obj;
    const res = await server.request.delete(path);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const uid = (before.metadata as Obj).uid;
    if (e.plural === 'namespaces') {
      // The "kubernetes" finalizer keeps the namespace, Terminating, until the namespace controller empties it.
      expect(res.body.kind).toBe('Namespace');
      expect(res.body.metadata.deletionTimestamp).toMatch(timePattern);
      expect(res.body.status.phase).toBe('Terminating');
      expect((await server.request.get(path)).status).toBe(200);
      return;
    }
    if (returnsObject.has(e.plural)) {
      expect(res.body.kind).toBe(e.kind);
      expect(res.body.metadata.uid).toBe(uid);
    } else {
      const details: Record<string, unknown> = { name, kind: e.plural, uid };
      if (e.group) details.group = e.group;
      expect(res.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details });
    }
    const after = await server.request.get(path);
    expect(after.status).toBe(404);
    expect(await modRevision(e, name)).toBeUndefined();
  });

  // Kinds without the verb are covered by the 405 test below; no test is registered for them here.
  if (e.verbs.includes('deletecollection')) {
    it('deletes a collection by label selector', async () => {
      const names = [`${name}-a`, `${name}-b`];
      for (const n of [...names, `${name}-keep`]) {
        const labels = n.endsWith('keep') ? { batch: 'keep' } : { batch: 'drop' };
        const res = await server.request.post(collectionPath(e, ns)).send(minimalObject(e, n, ns, { labels }));
        expect(res.status, JSON.stringify(res.body)).toBe(201);
      }
      const res = await server.request.delete(collectionPath(e, ns)).query({ labelSelector: 'batch=drop' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.kind).toBe(`${e.kind}List`);
      expect((res.body.items as Obj[]).map((i) => (i.metadata as Obj).name).sort()).toEqual(names);
      const left = await server.request.get(collectionPath(e, ns)).query({ labelSelector: 'batch' });
      expect((left.body.items as Obj[]).map((i) => (i.metadata as Obj).name)).toEqual([`${name}-keep`]);
    });
  }
});

describe('verbs a resource does not have', () => {
  it('namespaces have no deletecollection: 405', async () => {
    const res = await server.request.delete('/api/v1/namespaces');
    expect(res.status).toBe(405);
    expect(res.body).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'the server does not allow this method on the requested resource', reason: 'MethodNotAllowed', details: {}, code: 405,
    });
  });

  it.each([
    ['GET', `/api/v1/namespaces/${ns}/bindings`],
    ['DELETE', `/api/v1/namespaces/${ns}/bindings`],
    ['DELETE', `/api/v1/namespaces/${ns}/pods/x/binding`],
    ['POST', `/api/v1/namespaces/${ns}/pods/x/status`],
    ['DELETE', `/apis/apps/v1/namespaces/${ns}/deployments/x/scale`],
  ])('%s %s: 405', async (method, path) => {
    const res = await server.request[method.toLowerCase() as 'get' | 'put' | 'delete' | 'post'](path).send(method === 'GET' || method === 'DELETE' ? undefined : {});
    expect(res.status).toBe(405);
    expect(res.body.reason).toBe('MethodNotAllowed');
  });

  // go-restful answers 404, not 405, when no route has the path at all (bindings has only POST on the collection).
  it.each([['GET', `/api/v1/namespaces/${ns}/bindings/x`], ['PUT', `/api/v1/namespaces/${ns}/bindings/x`]])('%s %s: 404', async (method, path) => {
    const res = await server.request[method.toLowerCase() as 'get' | 'put'](path).send(method === 'GET' ? undefined : {});
    expect(res.status).toBe(404);
    expect(res.body.message).toBe('the server could not find the requested resource');
  });

  it('an unknown resource is a 404 with the generic message', async () => {
    const res = await server.request.get(`/api/v1/namespaces/${ns}/widgets`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404,
    });
  });
});

describe('bindings (create-only)', () => {
  it('POST bindings assigns the pod to a node and answers 201 Success', async () => {
    const pods = entryFor('pods');
    expect((await server.request.post(collectionPath(pods, ns)).send(minimalObject(pods, 'bind-me', ns))).status).toBe(201);
    const res = await server.request.post(`/api/v1/namespaces/${ns}/bindings`)
      .send({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bind-me' }, target: { kind: 'Node', name: 'node-1' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    const pod = await server.request.get(objectPath(pods, ns, 'bind-me'));
    expect(pod.body.spec.nodeName).toBe('node-1');
  });
});
