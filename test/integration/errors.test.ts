/**
 * Every failure is a Status with the real code, reason, message and details, and leaves etcd
 * untouched. Messages are those of k8s.io/apiserver's handlers and apimachinery's errors.go.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { collectionPath, createNamespace, entryFor, minimalObject, objectPath, storedKeys, type Obj } from './support/fixtures.ts';

let server: TestServer;
const ns = 'errors';
const configmaps = entryFor('configmaps');
const pods = entryFor('pods');
const deployments = entryFor('deployments', 'apps');
let keysBefore: string[];

beforeAll(async () => {
  server = await startTestServer();
  await createNamespace(server, ns);
  expect((await server.request.post(collectionPath(configmaps, ns)).send(minimalObject(configmaps, 'existing', ns))).status).toBe(201);
  expect((await server.request.post(collectionPath(pods, ns)).send(minimalObject(pods, 'x', ns))).status).toBe(201);
});
afterAll(async () => { await server?.close(); });

async function allKeys(): Promise<string[]> {
  return [...await storedKeys(server, configmaps, ns), ...await storedKeys(server, pods, ns), ...await storedKeys(server, deployments, ns)];
}
beforeEach(async () => { keysBefore = await allKeys(); });

/** The Status body of a failure; `details` only when the real server sends them. */
function failure(code: number, reason: string | undefined, message: string, details?: Record<string, unknown>): Record<string, unknown> {
  const s: Record<string, unknown> = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message };
  if (reason) s.reason = reason;
  if (details) s.details = details;
  s.code = code;
  return s;
}

async function expectNothingWritten(): Promise<void> {
  expect(await allKeys()).toEqual(keysBefore);
}

describe('NotFound / AlreadyExists / Conflict', () => {
  it('GET a missing object: 404 with the qualified resource', async () => {
    const res = await server.request.get(objectPath(pods, ns, 'missing'));
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toEqual(failure(404, 'NotFound', 'pods "missing" not found', { name: 'missing', kind: 'pods' }));
    const dep = await server.request.get(objectPath(deployments, ns, 'missing'));
    expect(dep.body).toEqual(failure(404, 'NotFound', 'deployments.apps "missing" not found', { name: 'missing', group: 'apps', kind: 'deployments' }));
  });

  it.each(['put', 'patch', 'delete'] as const)('%s of a missing object: 404', async (verb) => {
    let req = server.request[verb](objectPath(configmaps, ns, 'missing'));
    if (verb === 'patch') req = req.set('Content-Type', 'application/merge-patch+json').send('{"data":{"a":"b"}}');
    if (verb === 'put') req = req.send(minimalObject(configmaps, 'missing', ns));
    const res = await req;
    expect(res.status).toBe(404);
    expect(res.body).toEqual(failure(404, 'NotFound', 'configmaps "missing" not found', { name: 'missing', kind: 'configmaps' }));
    await expectNothingWritten();
  });

  it('POST an existing name: 409 AlreadyExists', async () => {
    const res = await server.request.post(collectionPath(configmaps, ns)).send(minimalObject(configmaps, 'existing', ns));
    expect(res.status).toBe(409);
    expect(res.body).toEqual(failure(409, 'AlreadyExists', 'configmaps "existing" already exists', { name: 'existing', kind: 'configmaps' }));
    await expectNothingWritten();
  });

  it('PUT with a stale resourceVersion: 409 Conflict with the real message', async () => {
    const current = (await server.request.get(objectPath(pods, ns, 'x'))).body as Obj;
    const first = await server.request.patch(objectPath(pods, ns, 'x')).set('Content-Type', 'application/merge-patch+json')
      .send('{"metadata":{"labels":{"v":"1"}}}');
    expect(first.status).toBe(200);
    keysBefore = await allKeys();
    const rvBefore = first.body.metadata.resourceVersion;
    (current.metadata as Record<string, unknown>).labels = { v: 'stale' };
    const res = await server.request.put(objectPath(pods, ns, 'x')).send(current);
    expect(res.status).toBe(409);
    expect(res.body).toEqual(failure(409, 'Conflict',
      'Operation cannot be fulfilled on pods "x": the object has been modified; please apply your changes to the latest version and try again',
      { name: 'x', kind: 'pods' }));
    const after = (await server.request.get(objectPath(pods, ns, 'x'))).body as Obj;
    expect((after.metadata as Record<string, unknown>).resourceVersion).toBe(rvBefore);
  });

  it('a merge patch naming a stale resourceVersion: 409 Conflict', async () => {
    const res = await server.request.patch(objectPath(pods, ns, 'x')).set('Content-Type', 'application/merge-patch+json')
      .send('{"metadata":{"resourceVersion":"1","labels":{"v":"2"}}}');
    expect(res.status).toBe(409);
    expect(res.body.reason).toBe('Conflict');
  });

  it('delete with a failed uid precondition: 409 with the real message', async () => {
    const cm = (await server.request.get(objectPath(configmaps, ns, 'existing'))).body as Obj;
    const uid = (cm.metadata as Record<string, unknown>).uid as string;
    const res = await server.request.delete(objectPath(configmaps, ns, 'existing'))
      .send({ kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: 'other-uid' } });
    expect(res.status).toBe(409);
    expect(res.body).toEqual(failure(409, 'Conflict',
      `Operation cannot be fulfilled on configmaps "existing": Precondition failed: UID in precondition: other-uid, UID in object meta: ${uid}`,
      { name: 'existing', kind: 'configmaps' }));
    await expectNothingWritten();
  });
});

describe('Invalid', () => {
  it('one field error: 422 with its cause', async () => {
    const pod = minimalObject(pods, 'invalid', ns);
    pod.spec = { containers: [] };
    const res = await server.request.post(collectionPath(pods, ns)).send(pod);
    expect(res.status).toBe(422);
    expect(res.body).toEqual(failure(422, 'Invalid', 'Pod "invalid" is invalid: spec.containers: Required value', {
      name: 'invalid', kind: 'Pod', causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' }],
    }));
    await expectNothingWritten();
  });

  it('several field errors: the message lists them in brackets', async () => {
    const cm = minimalObject(configmaps, 'Bad_Name', ns);
    cm.data = { 'bad key!': 'x' };
    const res = await server.request.post(collectionPath(configmaps, ns)).send(cm);
    expect(res.status).toBe(422);
    expect(res.body.reason).toBe('Invalid');
    expect(res.body.message).toMatch(/^ConfigMap "Bad_Name" is invalid: \[metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of .*, data\[bad key!\]: Invalid value: "bad key!": a valid config key must consist of alphanumeric characters, '-', '_' or '\.' .*\]$/);
    expect(res.body.details.causes.map((c: { field: string }) => c.field)).toEqual(['metadata.name', 'data[bad key!]']);
    expect(res.body.details.kind).toBe('ConfigMap');
    await expectNothingWritten();
  });

  it('an invalid group kind is qualified: Deployment.apps', async () => {
    const d = minimalObject(deployments, 'bad', ns);
    (d.spec as Record<string, unknown>).replicas = -1;
    const res = await server.request.post(collectionPath(deployments, ns)).send(d);
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('Deployment.apps "bad" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    expect(res.body.details).toEqual({
      name: 'bad', group: 'apps', kind: 'Deployment',
      causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.replicas' }],
    });
    await expectNothingWritten();
  });
});

describe('BadRequest', () => {
  it('malformed JSON', async () => {
    const res = await server.request.post(collectionPath(configmaps, ns)).set('Content-Type', 'application/json').send('{"metadata": ');
    expect(res.status).toBe(400);
    expect(res.body).toEqual(failure(400, 'BadRequest',
      'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: unexpected end of JSON input ({"metadata": )'));
    await expectNothingWritten();
  });

  it('a field of the wrong type', async () => {
    const res = await server.request.post(collectionPath(configmaps, ns))
      .send({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'typed' }, data: { a: 1 } });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string');
    await expectNothingWritten();
  });

  it('a kind that does not match the URL', async () => {
    const res = await server.request.post(collectionPath(configmaps, ns))
      .send({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'wrong-kind' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(failure(400, 'BadRequest',
      'Secret in version "v1" cannot be handled as a ConfigMap: converting (v1.Secret) to (core.ConfigMap): unknown conversion'));
    const dep = await server.request.post(collectionPath(deployments, ns))
      .send({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'wrong-kind' } });
    expect(dep.body.message).toBe('StatefulSet in version "v1" cannot be handled as a Deployment: converting (v1.StatefulSet) to (apps.Deployment): unknown conversion');
    await expectNothingWritten();
  });

  it('an apiVersion that does not match the URL', async () => {
    const d = minimalObject(deployments, 'wrong-version', ns);
    d.apiVersion = 'apps/v1beta2';
    const res = await server.request.post(collectionPath(deployments, ns)).send(d);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(failure(400, 'BadRequest', 'the API version in the data (apps/v1beta2) does not match the expected API version (apps/v1)'));
    await expectNothingWritten();
  });

  it('a namespace in the body that differs from the URL', async () => {
    const cm = minimalObject(configmaps, 'other-ns', 'default');
    const res = await server.request.post(collectionPath(configmaps, ns)).send(cm);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(failure(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request'));
    const put = await server.request.put(objectPath(configmaps, ns, 'existing')).send(cm);
    expect(put.status).toBe(400);
    await expectNothingWritten();
  });

  it('a name in the body that differs from the URL on update', async () => {
    const cm = minimalObject(configmaps, 'other-name', ns);
    const res = await server.request.put(objectPath(configmaps, ns, 'existing')).send(cm);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(failure(400, 'BadRequest', 'the name of the object (other-name) does not match the name on the URL (existing)'));
    await expectNothingWritten();
  });

  it('an unknown field with fieldValidation=Strict; a warning by default', async () => {
    const cm = { ...minimalObject(configmaps, 'strict', ns), bogus: 1 };
    const res = await server.request.post(collectionPath(configmaps, ns)).query({ fieldValidation: 'Strict' }).send(cm);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus"');
    await expectNothingWritten();
    const warn = await server.request.post(collectionPath(configmaps, ns)).send(cm);
    expect(warn.status).toBe(201);
    expect(warn.headers.warning).toBe('299 - "unknown field \\"bogus\\""');
  });

  it('an invalid label selector', async () => {
    const res = await server.request.get(collectionPath(configmaps, ns)).query({ labelSelector: 'a in b' });
    expect(res.status).toBe(400);
    expect(res.body.reason).toBe('BadRequest');
    expect(res.body.message).toMatch(/^unable to parse requirement: /);
  });

  it('an empty body', async () => {
    const res = await server.request.post(collectionPath(configmaps, ns)).set('Content-Type', 'application/json').send('');
    expect(res.status).toBe(400);
    expect(res.body.reason).toBe('BadRequest');
    await expectNothingWritten();
  });
});

describe('namespace checks', () => {
  it('create into a missing namespace: 404 namespaces "x" not found', async () => {
    const res = await server.request.post(collectionPath(configmaps, 'nope')).send(minimalObject(configmaps, 'orphan', 'nope'));
    expect(res.status).toBe(404);
    expect(res.body).toEqual(failure(404, 'NotFound', 'namespaces "nope" not found', { name: 'nope', kind: 'namespaces' }));
    expect(await storedKeys(server, configmaps, 'nope')).toEqual([]);
  });

  it('create into a terminating namespace: 403 Forbidden', async () => {
    await createNamespace(server, 'going');
    expect((await server.request.delete('/api/v1/namespaces/going')).status).toBe(200);
    const res = await server.request.post(collectionPath(configmaps, 'going')).send(minimalObject(configmaps, 'late', 'going'));
    expect(res.status).toBe(403);
    expect(res.body).toEqual(failure(403, 'Forbidden',
      'configmaps "late" is forbidden: unable to create new content in namespace going because it is being terminated',
      // The NamespaceLifecycle plugin adds the NamespaceTerminating cause (v1.NamespaceTerminatingCause).
      { name: 'late', kind: 'configmaps', causes: [{ reason: 'NamespaceTerminating', message: 'namespace going is being terminated', field: 'metadata.namespace' }] }));
    expect(await storedKeys(server, configmaps, 'going')).toEqual([]);
  });
});

describe('HTTP-level errors', () => {
  it('a body over 3 MiB: 413', async () => {
    const big = minimalObject(configmaps, 'big', ns);
    big.data = { blob: 'x'.repeat(3 * 1024 * 1024) };
    const res = await server.request.post(collectionPath(configmaps, ns)).send(big);
    expect(res.status).toBe(413);
    expect(res.body).toEqual(failure(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'));
    await expectNothingWritten();
  });

  it('an Accept nothing can satisfy: 406', async () => {
    const res = await server.request.get(objectPath(pods, ns, 'x')).set('Accept', 'text/html');
    expect(res.status).toBe(406);
    expect(res.body).toEqual(failure(406, 'NotAcceptable',
      'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf'));
  });

  it('a write with an Accept nothing can satisfy: 406 and nothing written', async () => {
    const res = await server.request.post(collectionPath(configmaps, ns)).set('Accept', 'text/html').send(minimalObject(configmaps, 'na', ns));
    expect(res.status).toBe(406);
    await expectNothingWritten();
  });

  it('an unknown Content-Type: 415', async () => {
    const res = await server.request.post(collectionPath(configmaps, ns)).set('Content-Type', 'text/plain')
      .send(JSON.stringify(minimalObject(configmaps, 'text', ns)));
    expect(res.status).toBe(415);
    expect(res.body).toEqual(failure(415, 'UnsupportedMediaType',
      'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf'));
    await expectNothingWritten();
  });

  it('a PATCH with a non-patch Content-Type: 415 listing the patch types', async () => {
    const res = await server.request.patch(objectPath(configmaps, ns, 'existing')).set('Content-Type', 'application/json').send('{}');
    expect(res.status).toBe(415);
    expect(res.body).toEqual(failure(415, 'UnsupportedMediaType',
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml'));
    await expectNothingWritten();
  });

  it('a malformed JSON patch document', async () => {
    const res = await server.request.patch(objectPath(configmaps, ns, 'existing')).set('Content-Type', 'application/json-patch+json').send('{"op":');
    expect(res.status).toBe(400);
    expect(res.body.reason).toBe('BadRequest');
    await expectNothingWritten();
  });
});
