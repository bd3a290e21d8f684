/**
 * A list larger than gRPC's default 4 MiB receive limit: ~3,000 configmaps of ~1.8 KB seeded
 * straight into etcd under the test prefix (as the apiserver would store them), then listed in
 * one request and in pages.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { collectionPath, createNamespace, entryFor, type Obj } from './support/fixtures.ts';

let server: TestServer;
const ns = 'big';
const count = 3000;
const configmaps = entryFor('configmaps');

function name(i: number): string {
  return `cm-${String(i).padStart(5, '0')}`;
}

beforeAll(async () => {
  server = await startTestServer();
  await createNamespace(server, ns);
  const payload = 'x'.repeat(1700);
  const created = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const puts: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const labels = i === count - 1 ? { last: 'yes' } : undefined;
    const obj = { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: name(i), namespace: ns, uid: randomUUID(), creationTimestamp: created, labels }, data: { payload } };
    puts.push(server.etcd.client.put(`${server.etcd.prefix}/configmaps/${ns}/${name(i)}`).value(JSON.stringify(obj)).exec());
    if (puts.length >= 200) await Promise.all(puts.splice(0));
  }
  await Promise.all(puts);
}, 60_000);
afterAll(async () => { await server?.close(); });

describe(`a list of ${count} objects of ~1.8 KB`, () => {
  it('comes back whole in one request, in key order', async () => {
    const res = await server.request.get(collectionPath(configmaps, ns));
    expect(res.status, res.status === 200 ? '' : JSON.stringify(res.body)).toBe(200);
    const items = res.body.items as Obj[];
    expect(items).toHaveLength(count);
    expect((items[0]!.metadata as Record<string, string>).name).toBe(name(0));
    expect((items[count - 1]!.metadata as Record<string, string>).name).toBe(name(count - 1));
    expect(JSON.stringify(res.body).length).toBeGreaterThan(5 * 1024 * 1024);
  });

  it('comes back from the watch cache with resourceVersion=0', async () => {
    const res = await server.request.get(collectionPath(configmaps, ns)).query({ resourceVersion: '0' });
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(count);
  });

  it('pages with limit=500 at one resourceVersion', async () => {
    let cont: string | undefined;
    let rv: string | undefined;
    const seen: string[] = [];
    let pages = 0;
    do {
      const res = await server.request.get(collectionPath(configmaps, ns)).query({ limit: 500, ...(cont ? { continue: cont } : {}) });
      expect(res.status).toBe(200);
      rv ??= res.body.metadata.resourceVersion as string;
      expect(res.body.metadata.resourceVersion).toBe(rv);
      if (res.body.metadata.continue) expect(res.body.metadata.remainingItemCount).toBe(count - seen.length - 500);
      seen.push(...(res.body.items as Obj[]).map((i) => (i.metadata as Record<string, string>).name!));
      cont = res.body.metadata.continue as string | undefined;
      pages++;
    } while (cont);
    expect(pages).toBe(count / 500);
    expect(seen).toHaveLength(count);
    expect(new Set(seen).size).toBe(count);
  });

  it('a selector matching one late object with limit=1 takes few etcd reads', async () => {
    const spy = vi.spyOn(server.etcd, 'listPage');
    try {
      const res = await server.request.get(collectionPath(configmaps, ns)).query({ labelSelector: 'last=yes', limit: 1 });
      expect(res.status).toBe(200);
      expect((res.body.items as Obj[]).map((i) => (i.metadata as Record<string, string>).name)).toEqual([name(count - 1)]);
      expect(res.body.metadata.continue).toBeUndefined();
      expect(spy.mock.calls.length).toBeLessThanOrEqual(12);
    } finally {
      spy.mockRestore();
    }
  });

  it('lists across all namespaces too', async () => {
    const res = await server.request.get(collectionPath(configmaps)).query({ fieldSelector: `metadata.namespace=${ns}` });
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(count);
  });
});
