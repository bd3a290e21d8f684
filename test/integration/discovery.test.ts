/**
 * Discovery (legacy and aggregated), /version, OpenAPI documents and server-side Tables.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { collectionPath, createNamespace, entryFor, minimalObject, objectPath } from './support/fixtures.ts';

let server: TestServer;
const ns = 'disco';
const pods = entryFor('pods');
const configmaps = entryFor('configmaps');

beforeAll(async () => {
  server = await startTestServer();
  await createNamespace(server, ns);
  for (const name of ['t1', 't2']) {
    expect((await server.request.post(collectionPath(configmaps, ns)).send(minimalObject(configmaps, name, ns))).status).toBe(201);
  }
  expect((await server.request.post(collectionPath(pods, ns)).send(minimalObject(pods, 'tp', ns))).status).toBe(201);
});
afterAll(async () => { await server?.close(); });

type Res = { name: string; [k: string]: unknown };

describe('legacy discovery', () => {
  it('/api', async () => {
    const res = await server.request.get('/api');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toEqual({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }] });
  });

  it('/apis lists every group with its preferred version', async () => {
    const res = await server.request.get('/apis');
    expect(res.status).toBe(200);
    expect(res.body.kind).toBe('APIGroupList');
    expect(res.body.apiVersion).toBe('v1');
    const byName = new Map((res.body.groups as Res[]).map((g) => [g.name, g]));
    for (const group of ['apps', 'batch', 'coordination.k8s.io', 'discovery.k8s.io', 'events.k8s.io']) {
      expect(byName.get(group), group).toEqual({
        name: group, versions: [{ groupVersion: `${group}/v1`, version: 'v1' }], preferredVersion: { groupVersion: `${group}/v1`, version: 'v1' },
      });
    }
  });

  it('/api/v1 describes resources and subresources as the real server does', async () => {
    const res = await server.request.get('/api/v1');
    expect(res.status).toBe(200);
    expect(res.body.kind).toBe('APIResourceList');
    expect(res.body.groupVersion).toBe('v1');
    const byName = new Map((res.body.resources as Res[]).map((r) => [r.name, r]));
    expect(byName.get('pods')).toEqual({
      name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['po'], categories: ['all'], storageVersionHash: 'xPOwRZ+Yhw8=',
    });
    expect(byName.get('pods/status')).toEqual({ name: 'pods/status', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get', 'patch', 'update'] });
    expect(byName.get('pods/binding')).toEqual({ name: 'pods/binding', singularName: '', namespaced: true, kind: 'Binding', verbs: ['create'] });
    expect(byName.get('namespaces')!.verbs).toEqual(['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']);
    expect(byName.get('namespaces')!.namespaced).toBe(false);
    expect(byName.get('bindings')!.verbs).toEqual(['create']);
    expect(byName.get('endpoints')!.singularName).toBe('endpoints');
  });

  it('/apis/apps/v1 and /apis/apps', async () => {
    const res = await server.request.get('/apis/apps/v1');
    expect(res.status).toBe(200);
    expect(res.body.groupVersion).toBe('apps/v1');
    const byName = new Map((res.body.resources as Res[]).map((r) => [r.name, r]));
    expect(byName.get('deployments')).toMatchObject({ singularName: 'deployment', kind: 'Deployment', shortNames: ['deploy'], categories: ['all'] });
    expect(byName.get('deployments/scale')).toEqual({
      name: 'deployments/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'],
    });
    const group = await server.request.get('/apis/apps');
    expect(group.body).toEqual({
      kind: 'APIGroup', apiVersion: 'v1', name: 'apps',
      versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
    });
  });

  it('an unknown group or version is a 404', async () => {
    expect((await server.request.get('/apis/nope.example.com/v1')).status).toBe(404);
    expect((await server.request.get('/apis/apps/v9')).status).toBe(404);
    expect((await server.request.get('/api/v2')).status).toBe(404);
  });
});

describe('aggregated discovery', () => {
  const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

  it('/apis as kubectl asks for it: v2 with the GVK in the Content-Type', async () => {
    const res = await server.request.get('/apis').set('Accept', accept);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    expect(res.body.kind).toBe('APIGroupDiscoveryList');
    expect(res.body.apiVersion).toBe('apidiscovery.k8s.io/v2');
    const apps = (res.body.items as { metadata: { name: string }; versions: { version: string; resources: Record<string, unknown>[] }[] }[])
      .find((g) => g.metadata.name === 'apps')!;
    const deploy = apps.versions[0]!.resources.find((r) => r.resource === 'deployments')!;
    expect(deploy).toMatchObject({
      resource: 'deployments', responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' }, scope: 'Namespaced',
      singularResource: 'deployment', shortNames: ['deploy'], categories: ['all'],
    });
    expect(deploy.subresources).toContainEqual({ subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] });
  });

  it('/api aggregated holds the core group; v2beta1 when only that is acceptable', async () => {
    const res = await server.request.get('/api').set('Accept', accept);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0].metadata.name).toBe('');
    const beta = await server.request.get('/api').set('Accept', 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList');
    expect(beta.headers['content-type']).toBe('application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList');
    expect(beta.body.apiVersion).toBe('apidiscovery.k8s.io/v2beta1');
  });
});

describe('/version, health and OpenAPI', () => {
  it.each(['/healthz', '/livez', '/readyz'])('%s answers ok', async (path) => {
    const res = await server.request.get(path);
    expect(res.status).toBe(200);
    expect(res.text).toBe('ok');
  });

  it('/version reports a v1.32 server', async () => {
    const res = await server.request.get('/version');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ major: '1', minor: '32', platform: 'linux/amd64' });
    expect(res.body.gitVersion).toMatch(/^v1\.32\.\d+$/);
  });

  it('/openapi/v2 as JSON, and as protobuf when kubectl asks for it', async () => {
    const json = await server.request.get('/openapi/v2');
    expect(json.status).toBe(200);
    expect(json.body.swagger).toBe('2.0');
    expect(json.body.definitions['io.k8s.api.core.v1.Pod']).toBeDefined();
    expect(json.headers.etag).toMatch(/^"[0-9A-F]{128}"$/);
    const proto = await server.request.get('/openapi/v2').set('Accept', 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf')
      .buffer(true).parse(((res: NodeJS.ReadableStream, cb: (e: null, b: Buffer) => void) => { const chunks: Buffer[] = []; res.on('data', (c: Buffer) => chunks.push(c)); res.on('end', () => cb(null, Buffer.concat(chunks))); }) as never);
    expect(proto.status).toBe(200);
    expect(proto.headers['content-type']).toBe('application/octet-stream');
    expect((proto.body as Buffer).length).toBeGreaterThan(1000);
  });

  it('/openapi/v3 index and a group/version document with immutable caching for its hash', async () => {
    const index = await server.request.get('/openapi/v3');
    expect(index.status).toBe(200);
    const url = index.body.paths['apis/apps/v1'].serverRelativeURL as string;
    expect(url).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]+$/);
    const doc = await server.request.get(url);
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\.0/);
    expect(doc.body.components.schemas['io.k8s.api.apps.v1.Deployment']).toBeDefined();
    expect(doc.headers['cache-control']).toBe('public, immutable');
    const noHash = await server.request.get('/openapi/v3/api/v1');
    expect(noHash.status).toBe(200);
    expect(noHash.headers['cache-control']).toBe('no-cache, private');
    expect((await server.request.get('/openapi/v3/apis/nope/v1')).status).toBe(404);
  });
});

describe('Tables', () => {
  const asTable = 'application/json;as=Table;g=meta.k8s.io;v=v1';

  it('list as Table: columns, one row per object, PartialObjectMetadata by default', async () => {
    const res = await server.request.get(collectionPath(configmaps, ns)).set('Accept', `${asTable},application/json`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body.kind).toBe('Table');
    expect(res.body.apiVersion).toBe('meta.k8s.io/v1');
    expect(res.body.metadata.resourceVersion).toMatch(/^\d+$/);
    expect((res.body.columnDefinitions as Res[]).map((c) => c.name)).toEqual(['Name', 'Data', 'Age']);
    const rows = res.body.rows as { cells: unknown[]; object: { kind: string; apiVersion: string; metadata: { name: string } } }[];
    expect(rows.map((r) => r.cells[0])).toEqual(['t1', 't2']);
    expect(rows[0]!.cells[1]).toBe(1);
    expect(rows[0]!.object.kind).toBe('PartialObjectMetadata');
    expect(rows[0]!.object.apiVersion).toBe('meta.k8s.io/v1');
    expect(rows[0]!.object.metadata.name).toBe('t1');
  });

  it('get as Table, with includeObject=Object and None', async () => {
    const path = objectPath(pods, ns, 'tp');
    const res = await server.request.get(path).query({ includeObject: 'Object' }).set('Accept', asTable);
    expect(res.status).toBe(200);
    expect(res.body.kind).toBe('Table');
    const cols = (res.body.columnDefinitions as Res[]).map((c) => c.name);
    expect(cols.slice(0, 5)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age']);
    const row = (res.body.rows as { cells: unknown[]; object: Record<string, unknown> }[])[0]!;
    expect(row.cells.slice(0, 4)).toEqual(['tp', '0/1', 'Pending', '0']);
    expect(row.object.kind).toBe('Pod');
    expect((row.object.spec as Record<string, unknown>).containers).toBeDefined();
    const none = await server.request.get(path).query({ includeObject: 'None' }).set('Accept', asTable);
    expect((none.body.rows as Record<string, unknown>[])[0]!.object).toBeUndefined();
  });

  it('a paged Table list carries the continue token', async () => {
    const res = await server.request.get(collectionPath(configmaps, ns)).query({ limit: 1 }).set('Accept', asTable);
    expect(res.body.kind).toBe('Table');
    expect(res.body.rows).toHaveLength(1);
    expect(typeof res.body.metadata.continue).toBe('string');
    expect(res.body.metadata.remainingItemCount).toBeGreaterThanOrEqual(1);
  });

  it('Table only: 406 for a plain resource that is asked for a Table of an unknown version', async () => {
    const res = await server.request.get(collectionPath(configmaps, ns)).set('Accept', 'application/json;as=Table;g=meta.k8s.io;v=v9');
    expect(res.status).toBe(406);
    expect(res.body.reason).toBe('NotAcceptable');
  });
});
