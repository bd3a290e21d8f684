/**
 * Lists: label and field selectors, limit/continue paging at one consistent revision,
 * remainingItemCount, resourceVersion=0 from the watch cache and resourceVersionMatch rules.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { collectionPath, createNamespace, entryFor, minimalObject, type Obj } from './support/fixtures.ts';

let server: TestServer;
const ns = 'lists';
const pagesNs = 'pages';
const configmaps = entryFor('configmaps');
const pods = entryFor('pods');
const events = entryFor('events');

const labelled: Record<string, Record<string, string> | undefined> = {
  a: { env: 'prod', tier: 'web' },
  b: { env: 'dev', tier: 'web' },
  c: { env: 'prod' },
  d: undefined,
};

beforeAll(async () => {
  server = await startTestServer();
  await createNamespace(server, ns);
  await createNamespace(server, pagesNs);
  for (const [name, labels] of Object.entries(labelled)) {
    const res = await server.request.post(collectionPath(configmaps, ns)).send(minimalObject(configmaps, name, ns, { labels }));
    expect(res.status).toBe(201);
  }
  for (let i = 0; i < 7; i++) {
    const res = await server.request.post(collectionPath(configmaps, pagesNs)).send(minimalObject(configmaps, `p${i}`, pagesNs));
    expect(res.status).toBe(201);
  }
});
afterAll(async () => { await server?.close(); });

function names(body: { items: Obj[] }): string[] {
  return body.items.map((i) => (i.metadata as Record<string, string>).name!).sort();
}

async function list(path: string, query: Record<string, string | number>): Promise<{ status: number; body: Record<string, unknown> & { items: Obj[]; metadata: Record<string, unknown> } }> {
  const res = await server.request.get(path).query(query);
  return { status: res.status, body: res.body };
}

describe('labelSelector', () => {
  it.each([
    ['env=prod', ['a', 'c']],
    ['env==prod', ['a', 'c']],
    ['env!=prod', ['b', 'd']],
    ['env in (prod,dev)', ['a', 'b', 'c']],
    ['env notin (prod)', ['b', 'd']],
    ['tier', ['a', 'b']],
    ['!tier', ['c', 'd']],
    ['env=prod,tier=web', ['a']],
    ['env=staging', []],
  ])('%s', async (selector, expected) => {
    const res = await list(collectionPath(configmaps, ns), { labelSelector: selector });
    expect(res.status).toBe(200);
    expect(names(res.body)).toEqual(expected);
  });

  it('works with resourceVersion=0 (watch cache) too', async () => {
    const res = await list(collectionPath(configmaps, ns), { labelSelector: 'env in (prod)', resourceVersion: '0' });
    expect(names(res.body)).toEqual(['a', 'c']);
  });
});

describe('fieldSelector', () => {
  beforeAll(async () => {
    const p1 = minimalObject(pods, 'on-node', ns);
    (p1.spec as Record<string, unknown>).nodeName = 'node-1';
    expect((await server.request.post(collectionPath(pods, ns)).send(p1)).status).toBe(201);
    expect((await server.request.post(collectionPath(pods, ns)).send(minimalObject(pods, 'unscheduled', ns))).status).toBe(201);
    const ev = minimalObject(events, 'ev1', ns);
    (ev.involvedObject as Record<string, unknown>).name = 'on-node';
    expect((await server.request.post(collectionPath(events, ns)).send(ev)).status).toBe(201);
    const ev2 = minimalObject(events, 'ev2', ns);
    ev2.type = 'Warning';
    ev2.reason = 'Other';
    expect((await server.request.post(collectionPath(events, ns)).send(ev2)).status).toBe(201);
  });

  it.each([
    ['metadata.name=a', ['a']],
    ['metadata.name==a', ['a']],
    ['metadata.name!=a', ['b', 'c', 'd']],
    ['metadata.name=a,metadata.name!=a', []],
  ])('configmaps %s', async (selector, expected) => {
    const res = await list(collectionPath(configmaps, ns), { fieldSelector: selector });
    expect(res.status).toBe(200);
    expect(names(res.body)).toEqual(expected);
  });

  it('metadata.namespace across all namespaces', async () => {
    const res = await list(collectionPath(configmaps), { fieldSelector: `metadata.namespace=${pagesNs}` });
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(7);
    expect(new Set(res.body.items.map((i) => (i.metadata as Record<string, string>).namespace))).toEqual(new Set([pagesNs]));
  });

  it.each([
    ['spec.nodeName=node-1', ['on-node']],
    ['spec.nodeName=', ['unscheduled']],
    ['spec.nodeName!=', ['on-node']],
    ['status.phase=Pending', ['on-node', 'unscheduled']],
    ['status.phase=Running', []],
    ['spec.schedulerName=default-scheduler,metadata.name=unscheduled', ['unscheduled']],
  ])('pods %s', async (selector, expected) => {
    const res = await list(collectionPath(pods, ns), { fieldSelector: selector });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(names(res.body)).toEqual(expected);
  });

  it.each([
    ['involvedObject.name=on-node', ['ev1']],
    ['involvedObject.kind=Pod', ['ev1', 'ev2']],
    ['reason=Other', ['ev2']],
    ['type=Normal', ['ev1']],
  ])('events %s', async (selector, expected) => {
    const res = await list(collectionPath(events, ns), { fieldSelector: selector });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(names(res.body)).toEqual(expected);
  });

  it('an unsupported field: 400', async () => {
    const res = await list(collectionPath(pods, ns), { fieldSelector: 'spec.foo=bar' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400, message: 'field label not supported: spec.foo' });
    const cm = await list(collectionPath(configmaps, ns), { fieldSelector: 'data.key=value' });
    expect(cm.status).toBe(400);
    expect(cm.body.reason).toBe('BadRequest');
  });
});

describe('limit and continue', () => {
  it('pages at one revision, with remainingItemCount, and ignores writes made in between', async () => {
    const path = collectionPath(configmaps, pagesNs);
    const first = await list(path, { limit: 3 });
    expect(first.status).toBe(200);
    expect(names(first.body)).toEqual(['p0', 'p1', 'p2']);
    expect(first.body.metadata.remainingItemCount).toBe(4);
    const rv = first.body.metadata.resourceVersion;
    expect(typeof first.body.metadata.continue).toBe('string');

    // A write between pages does not show up in the rest of this list.
    expect((await server.request.post(path).send(minimalObject(configmaps, 'p9-late', pagesNs))).status).toBe(201);

    const second = await list(path, { limit: 3, continue: first.body.metadata.continue as string });
    expect(second.status).toBe(200);
    expect(names(second.body)).toEqual(['p3', 'p4', 'p5']);
    expect(second.body.metadata.resourceVersion).toBe(rv);
    expect(second.body.metadata.remainingItemCount).toBe(1);

    const third = await list(path, { limit: 3, continue: second.body.metadata.continue as string });
    expect(names(third.body)).toEqual(['p6']);
    expect(third.body.metadata.resourceVersion).toBe(rv);
    expect(third.body.metadata.continue).toBeUndefined();
    expect(third.body.metadata.remainingItemCount).toBeUndefined();

    const fresh = await list(path, {});
    expect(names(fresh.body)).toContain('p9-late');
    expect(Number(fresh.body.metadata.resourceVersion)).toBeGreaterThan(Number(rv));
    expect((await server.request.delete(`${path}/p9-late`)).status).toBe(200);
  });

  it('a limit larger than the collection returns everything and no continue', async () => {
    const res = await list(collectionPath(configmaps, pagesNs), { limit: 50 });
    expect(res.body.items).toHaveLength(7);
    expect(res.body.metadata.continue).toBeUndefined();
  });

  it('a selector with limit fills pages with matches only and gives no remainingItemCount', async () => {
    const res = await list(collectionPath(configmaps, ns), { limit: 1, labelSelector: 'env=prod' });
    expect(names(res.body)).toEqual(['a']);
    expect(res.body.metadata.remainingItemCount).toBeUndefined();
    const next = await list(collectionPath(configmaps, ns), { limit: 1, labelSelector: 'env=prod', continue: res.body.metadata.continue as string });
    expect(names(next.body)).toEqual(['c']);
  });

  it('an invalid continue token: 400', async () => {
    const res = await list(collectionPath(configmaps, pagesNs), { limit: 2, continue: 'bm90LWpzb24' });
    expect(res.status).toBe(400);
    expect(res.body.reason).toBe('BadRequest');
    expect(res.body.message).toMatch(/^invalid continue token: continue key is not valid: /);
  });

  it('continue together with a resourceVersion: 400', async () => {
    const first = await list(collectionPath(configmaps, pagesNs), { limit: 2 });
    const res = await list(collectionPath(configmaps, pagesNs), { limit: 2, continue: first.body.metadata.continue as string, resourceVersion: '5' });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('specifying resource version is not allowed when using continue');
  });
});

describe('resourceVersion and resourceVersionMatch', () => {
  it('resourceVersion=0 is served from the watch cache without reading etcd', async () => {
    const spy = vi.spyOn(server.etcd, 'listPage');
    try {
      const res = await list(collectionPath(configmaps, ns), { resourceVersion: '0' });
      expect(res.status).toBe(200);
      expect(names(res.body)).toEqual(['a', 'b', 'c', 'd']);
      expect(Number(res.body.metadata.resourceVersion)).toBeGreaterThan(0);
      expect(spy).not.toHaveBeenCalled();
      await list(collectionPath(configmaps, ns), {});
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('Exact lists the collection as it was at that revision', async () => {
    const path = collectionPath(configmaps, ns);
    const before = await list(path, {});
    const rv = before.body.metadata.resourceVersion as string;
    expect((await server.request.post(path).send(minimalObject(configmaps, 'e-later', ns))).status).toBe(201);
    const exact = await list(path, { resourceVersion: rv, resourceVersionMatch: 'Exact' });
    expect(exact.status).toBe(200);
    expect(names(exact.body)).toEqual(names(before.body));
    expect(exact.body.metadata.resourceVersion).toBe(rv);
    const notOlder = await list(path, { resourceVersion: rv, resourceVersionMatch: 'NotOlderThan' });
    expect(notOlder.status).toBe(200);
    expect(names(notOlder.body)).toContain('e-later');
    expect(Number(notOlder.body.metadata.resourceVersion)).toBeGreaterThan(Number(rv));
    expect((await server.request.delete(`${path}/e-later`)).status).toBe(200);
  });

  it.each([
    [{ resourceVersionMatch: 'NotOlderThan' }, 'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided'],
    [{ resourceVersionMatch: 'Exact', resourceVersion: '0' }, 'resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"'],
    [{ resourceVersionMatch: 'Sometime', resourceVersion: '5' }, 'resourceVersionMatch: Unsupported value: "Sometime": supported values: "Exact", "NotOlderThan", ""'],
  ])('%j: 422 ListOptions invalid', async (query, detail) => {
    const res = await list(collectionPath(configmaps, ns), query as Record<string, string>);
    expect(res.status).toBe(422);
    expect(res.body.reason).toBe('Invalid');
    expect(res.body.message).toBe(`ListOptions.meta.k8s.io "" is invalid: ${detail}`);
  });
});
