/**
 * Watches over a real HTTP connection: event order, resume, selector transitions, legacy /watch/
 * paths, timeoutSeconds, bookmarks, 410 for a resourceVersion older than the cache window, and
 * Table events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { collectionPath, createNamespace, entryFor, minimalObject, objectPath, type Obj } from './support/fixtures.ts';
import { openWatch, type WatchEventLine, type WatchStream } from './support/watch-stream.ts';

let server: TestServer;
const ns = 'watch';
const configmaps = entryFor('configmaps');
const deployments = entryFor('deployments', 'apps');
const watchCacheSize = 20;
const open: WatchStream[] = [];

beforeAll(async () => {
  server = await startTestServer({ bookmarkIntervalMs: 300, watchCacheSize });
  await createNamespace(server, ns);
});
afterAll(async () => {
  for (const w of open) w.close();
  await server?.close();
});

async function watch(path: string, headers?: Record<string, string>): Promise<WatchStream> {
  const w = await openWatch(server.url, path, headers);
  open.push(w);
  return w;
}

async function listRv(path = collectionPath(configmaps, ns)): Promise<string> {
  return (await server.request.get(path)).body.metadata.resourceVersion as string;
}

async function create(name: string, labels?: Record<string, string>): Promise<Obj> {
  const res = await server.request.post(collectionPath(configmaps, ns)).send(minimalObject(configmaps, name, ns, { labels }));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as Obj;
}

async function merge(name: string, patch: unknown): Promise<Obj> {
  const res = await server.request.patch(objectPath(configmaps, ns, name)).set('Content-Type', 'application/merge-patch+json').send(JSON.stringify(patch));
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Obj;
}

async function remove(name: string): Promise<void> {
  expect((await server.request.delete(objectPath(configmaps, ns, name))).status).toBe(200);
}

const summary = (e: WatchEventLine) => `${e.type} ${String(e.object.metadata?.name)}`;
const rvOf = (o: { metadata?: Record<string, unknown> }) => String(o.metadata?.resourceVersion);

describe('event stream', () => {
  it('ADDED, MODIFIED, DELETED in order, with the revisions of each write', async () => {
    const w = await watch(`${collectionPath(configmaps, ns)}?watch=true&resourceVersion=${await listRv()}`);
    expect(w.status).toBe(200);
    expect(w.headers['content-type']).toBe('application/json');
    const created = await create('order');
    const modified = await merge('order', { data: { key: 'v2' } });
    await remove('order');
    const events = await w.take(3);
    expect(events.map(summary)).toEqual(['ADDED order', 'MODIFIED order', 'DELETED order']);
    expect(events[0]!.object).toEqual(created);
    expect(events[1]!.object).toEqual(modified);
    expect(events[2]!.object.kind).toBe('ConfigMap');
    expect(events[2]!.object.apiVersion).toBe('v1');
    expect(Number(rvOf(events[2]!.object))).toBeGreaterThan(Number(rvOf(modified)));
    w.close();
  });

  it('concurrent writes arrive once each, in increasing resourceVersion order', async () => {
    const w = await watch(`${collectionPath(configmaps, ns)}?watch=true&resourceVersion=${await listRv()}`);
    await create('busy');
    await Promise.all(Array.from({ length: 20 }, (_, i) =>
      server.request.patch(objectPath(configmaps, ns, 'busy')).set('Content-Type', 'application/merge-patch+json')
        .send(JSON.stringify({ data: { [`k${i}`]: 'x' } }))));
    const events = await w.take(21);
    expect(events[0]!.type).toBe('ADDED');
    expect(events.slice(1).every((e) => e.type === 'MODIFIED')).toBe(true);
    const rvs = events.map((e) => Number(rvOf(e.object)));
    expect(rvs).toEqual([...rvs].sort((a, b) => a - b));
    expect(new Set(rvs).size).toBe(21);
    const final = (await server.request.get(objectPath(configmaps, ns, 'busy'))).body as Obj;
    expect(rvs[20]).toBe(Number(rvOf(final)));
    expect(Object.keys(events[20]!.object.data as object)).toHaveLength(21);
    w.close();
    await remove('busy');
  });

  it('without a resourceVersion, starts with ADDED for every existing object', async () => {
    await create('pre-1');
    await create('pre-2');
    const w = await watch(`${collectionPath(configmaps, ns)}?watch=1&labelSelector=!skip`);
    const initial = await w.take(2);
    expect(initial.map(summary).sort()).toEqual(['ADDED pre-1', 'ADDED pre-2']);
    await merge('pre-1', { data: { key: 'changed' } });
    expect(summary(await w.next())).toBe('MODIFIED pre-1');
    w.close();
    await remove('pre-1');
    await remove('pre-2');
  });

  it('resumes from a resourceVersion with the events after it', async () => {
    const created = await create('resume');
    await merge('resume', { data: { key: 'r2' } });
    await remove('resume');
    const w = await watch(`${collectionPath(configmaps, ns)}?watch=true&resourceVersion=${rvOf(created)}`);
    expect((await w.take(2)).map(summary)).toEqual(['MODIFIED resume', 'DELETED resume']);
    w.close();
  });
});

describe('selectors', () => {
  it('an object leaving the label selector is DELETED, entering it is ADDED', async () => {
    const w = await watch(`${collectionPath(configmaps, ns)}?watch=true&labelSelector=color%3Dblue&resourceVersion=${await listRv()}`);
    await create('chameleon', { color: 'red' });
    await merge('chameleon', { metadata: { labels: { color: 'blue' } } });
    await merge('chameleon', { data: { key: 'still-blue' } });
    await merge('chameleon', { metadata: { labels: { color: 'red' } } });
    await merge('chameleon', { data: { key: 'red-again' } });
    await create('sentinel', { color: 'blue' });
    const events = await w.take(4);
    expect(events.map(summary)).toEqual(['ADDED chameleon', 'MODIFIED chameleon', 'DELETED chameleon', 'ADDED sentinel']);
    // The DELETED object is the last state that matched, at the revision of the change that moved it out.
    expect((events[2]!.object.metadata as Record<string, Record<string, string>>).labels!.color).toBe('blue');
    expect(Number(rvOf(events[2]!.object))).toBeGreaterThan(Number(rvOf(events[1]!.object)));
    w.close();
    await remove('chameleon');
    await remove('sentinel');
  });

  it('fieldSelector metadata.name watches one object', async () => {
    const w = await watch(`${collectionPath(configmaps, ns)}?watch=true&fieldSelector=metadata.name%3Dpicked&resourceVersion=${await listRv()}`);
    await create('ignored');
    await create('picked');
    expect(summary(await w.next())).toBe('ADDED picked');
    await remove('ignored');
    await remove('picked');
    expect(summary(await w.next())).toBe('DELETED picked');
    expect(w.pending()).toEqual([]);
    w.close();
  });
});

describe('legacy /watch/ paths', () => {
  it('/api/v1/watch/namespaces/<ns>/configmaps and /<name>', async () => {
    const rv = await listRv();
    const all = await watch(`/api/v1/watch/namespaces/${ns}/configmaps?resourceVersion=${rv}`);
    const one = await watch(`/api/v1/watch/namespaces/${ns}/configmaps/legacy-b?resourceVersion=${rv}`);
    await create('legacy-a');
    await create('legacy-b');
    expect((await all.take(2)).map(summary)).toEqual(['ADDED legacy-a', 'ADDED legacy-b']);
    expect(summary(await one.next())).toBe('ADDED legacy-b');
    expect(one.pending()).toEqual([]);
    all.close();
    one.close();
    await remove('legacy-a');
    await remove('legacy-b');
  });

  it('/apis/apps/v1/watch/deployments across namespaces', async () => {
    const rv = await listRv(collectionPath(deployments));
    const w = await watch(`/apis/apps/v1/watch/deployments?resourceVersion=${rv}`);
    const res = await server.request.post(collectionPath(deployments, ns)).send(minimalObject(deployments, 'watched', ns));
    expect(res.status).toBe(201);
    const e = await w.next();
    expect(summary(e)).toBe('ADDED watched');
    expect(e.object.kind).toBe('Deployment');
    expect(e.object.apiVersion).toBe('apps/v1');
    w.close();
  });
});

describe('stream lifetime', () => {
  it('timeoutSeconds ends the stream', async () => {
    const started = Date.now();
    const w = await watch(`${collectionPath(configmaps, ns)}?watch=true&timeoutSeconds=1&resourceVersion=${await listRv()}`);
    const rest = await w.ended;
    expect(rest).toEqual([]);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(3000);
  });

  it('allowWatchBookmarks sends periodic BOOKMARK events carrying only a resourceVersion', async () => {
    const rv = await listRv();
    const w = await watch(`${collectionPath(configmaps, ns)}?watch=true&allowWatchBookmarks=true&resourceVersion=${rv}`);
    const e = await w.next(3000);
    expect(e.type).toBe('BOOKMARK');
    expect(e.object).toEqual({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: expect.any(String) } });
    expect(Number(rvOf(e.object))).toBeGreaterThanOrEqual(Number(rv));
    w.close();
  });

  it('no BOOKMARK events unless asked for', async () => {
    const w = await watch(`${collectionPath(configmaps, ns)}?watch=true&timeoutSeconds=1&resourceVersion=${await listRv()}`);
    expect(await w.ended).toEqual([]);
  });

  it('a resourceVersion older than the cache window: ERROR event with a 410 Expired Status', async () => {
    const first = await create('churn');
    for (let i = 0; i < watchCacheSize + 5; i++) await merge('churn', { data: { key: `v${i}` } });
    const w = await watch(`${collectionPath(configmaps, ns)}?watch=true&resourceVersion=${rvOf(first)}`);
    expect(w.status).toBe(200);
    const e = await w.next();
    expect(e.type).toBe('ERROR');
    expect(e.object).toMatchObject({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Expired', code: 410 });
    expect(e.object.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
    expect(Number(/\((\d+)\)/.exec(String(e.object.message))![1])).toBeGreaterThan(Number(rvOf(first)));
    expect(await w.ended).toEqual([]);
    await remove('churn');
  });
});

describe('Table watch', () => {
  it('Accept as=Table gives Table objects, column definitions on the first event only', async () => {
    const w = await watch(`${collectionPath(configmaps, ns)}?watch=true&resourceVersion=${await listRv()}`,
      { Accept: 'application/json;as=Table;g=meta.k8s.io;v=v1' });
    await create('tabled-1');
    await create('tabled-2');
    const [a, b] = await w.take(2);
    expect(a!.type).toBe('ADDED');
    expect(a!.object.kind).toBe('Table');
    expect(a!.object.apiVersion).toBe('meta.k8s.io/v1');
    const cols = a!.object.columnDefinitions as { name: string }[];
    expect(cols.map((c) => c.name)).toEqual(['Name', 'Data', 'Age']);
    const rows = a!.object.rows as { cells: unknown[]; object: Obj }[];
    expect(rows[0]!.cells.slice(0, 2)).toEqual(['tabled-1', 1]);
    expect(rows[0]!.object.kind).toBe('PartialObjectMetadata');
    expect(b!.object.columnDefinitions ?? null).toBeNull();
    expect((b!.object.rows as { cells: unknown[] }[])[0]!.cells[0]).toBe('tabled-2');
    w.close();
  });
});
