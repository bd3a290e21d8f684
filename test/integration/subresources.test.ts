/**
 * The scale subresource (autoscaling/v1 Scale over deployments and statefulsets) and pods/binding.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { collectionPath, createNamespace, entryFor, minimalObject, objectPath } from './support/fixtures.ts';

let server: TestServer;
const ns = 'subres';
const pods = entryFor('pods');

beforeAll(async () => {
  server = await startTestServer();
  await createNamespace(server, ns);
});
afterAll(async () => { await server?.close(); });

describe.each([
  ['deployments', 'd'],
  ['statefulsets', 'sts'],
])('%s/scale', (plural, app) => {
  const e = entryFor(plural, 'apps');
  const name = `scaled-${app}`;
  const path = `${objectPath(e, ns, name)}/scale`;
  let uid = '';

  beforeAll(async () => {
    const res = await server.request.post(collectionPath(e, ns)).send(minimalObject(e, name, ns));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    uid = res.body.metadata.uid as string;
  });

  it('GET returns an autoscaling/v1 Scale', async () => {
    const parent = (await server.request.get(objectPath(e, ns, name))).body;
    const res = await server.request.get(path);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      kind: 'Scale', apiVersion: 'autoscaling/v1',
      metadata: { name, namespace: ns, uid, resourceVersion: parent.metadata.resourceVersion, creationTimestamp: parent.metadata.creationTimestamp },
      spec: { replicas: 1 },
      status: { replicas: 0, selector: `app=${app}` },
    });
  });

  it('PUT changes spec.replicas of the parent and bumps its generation', async () => {
    const scale = (await server.request.get(path)).body;
    scale.spec.replicas = 3;
    const res = await server.request.put(path).send(scale);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.kind).toBe('Scale');
    expect(res.body.spec.replicas).toBe(3);
    const parent = (await server.request.get(objectPath(e, ns, name))).body;
    expect(parent.spec.replicas).toBe(3);
    expect(parent.metadata.generation).toBe(2);
    expect(res.body.metadata.resourceVersion).toBe(parent.metadata.resourceVersion);
  });

  it('merge and JSON patches work on the Scale', async () => {
    const merge = await server.request.patch(path).set('Content-Type', 'application/merge-patch+json').send('{"spec":{"replicas":5}}');
    expect(merge.status, JSON.stringify(merge.body)).toBe(200);
    expect(merge.body.spec.replicas).toBe(5);
    const json = await server.request.patch(path).set('Content-Type', 'application/json-patch+json')
      .send('[{"op":"replace","path":"/spec/replicas","value":2}]');
    expect(json.status, JSON.stringify(json.body)).toBe(200);
    expect(json.body.spec.replicas).toBe(2);
    expect((await server.request.get(objectPath(e, ns, name))).body.spec.replicas).toBe(2);
  });

  it('PUT with a stale resourceVersion: 409 Conflict on the parent', async () => {
    const stale = (await server.request.get(path)).body;
    await server.request.patch(path).set('Content-Type', 'application/merge-patch+json').send('{"spec":{"replicas":4}}');
    stale.spec.replicas = 9;
    const res = await server.request.put(path).send(stale);
    expect(res.status).toBe(409);
    expect(res.body.message).toBe(`Operation cannot be fulfilled on ${plural}.apps "${name}": the object has been modified; please apply your changes to the latest version and try again`);
    expect((await server.request.get(objectPath(e, ns, name))).body.spec.replicas).toBe(4);
  });

  it('negative replicas: 422 on Scale.autoscaling', async () => {
    const res = await server.request.patch(path).set('Content-Type', 'application/merge-patch+json').send('{"spec":{"replicas":-1}}');
    expect(res.status).toBe(422);
    expect(res.body.message).toBe(`Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`);
  });

  it('the scale of a missing object: 404 on the parent resource', async () => {
    const res = await server.request.get(`${objectPath(e, ns, 'missing')}/scale`);
    expect(res.status).toBe(404);
    expect(res.body.message).toBe(`${plural}.apps "missing" not found`);
  });

  it('status.replicas written through /status shows in the Scale', async () => {
    const status = await server.request.put(`${objectPath(e, ns, name)}/status`)
      .send({ ...(await server.request.get(objectPath(e, ns, name))).body, status: { replicas: 4 } });
    expect(status.status, JSON.stringify(status.body)).toBe(200);
    const scale = await server.request.get(path);
    expect(scale.body.status.replicas).toBe(4);
  });
});

describe('pods/binding', () => {
  beforeAll(async () => {
    expect((await server.request.post(collectionPath(pods, ns)).send(minimalObject(pods, 'bp', ns))).status).toBe(201);
  });

  it('binds an unscheduled pod: 201 Success, spec.nodeName and PodScheduled set', async () => {
    const res = await server.request.post(`${objectPath(pods, ns, 'bp')}/binding`)
      .send({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bp' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    const pod = (await server.request.get(objectPath(pods, ns, 'bp'))).body;
    expect(pod.spec.nodeName).toBe('node-1');
    expect(pod.status.conditions).toContainEqual(expect.objectContaining({ type: 'PodScheduled', status: 'True' }));
  });

  it('a second binding: 409 Conflict on pods/binding', async () => {
    const res = await server.request.post(`${objectPath(pods, ns, 'bp')}/binding`)
      .send({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bp' }, target: { name: 'node-2' } });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Conflict', code: 409,
      message: 'Operation cannot be fulfilled on pods/binding "bp": pod bp is already assigned to node "node-1"',
      details: { name: 'bp', kind: 'pods/binding' },
    });
    expect((await server.request.get(objectPath(pods, ns, 'bp'))).body.spec.nodeName).toBe('node-1');
  });

  it('binding a missing pod: 404', async () => {
    const res = await server.request.post(`${objectPath(pods, ns, 'ghost')}/binding`)
      .send({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'ghost' }, target: { name: 'node-1' } });
    expect(res.status).toBe(404);
    expect(res.body.message).toBe('pods "ghost" not found');
  });

  it('a binding without a target name: 422', async () => {
    expect((await server.request.post(collectionPath(pods, ns)).send(minimalObject(pods, 'bp2', ns))).status).toBe(201);
    const res = await server.request.post(`${objectPath(pods, ns, 'bp2')}/binding`)
      .send({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bp2' }, target: {} });
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('Binding "bp2" is invalid: target.name: Required value');
    expect((await server.request.get(objectPath(pods, ns, 'bp2'))).body.spec.nodeName).toBeUndefined();
  });
});
