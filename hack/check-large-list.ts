/**
 * One-off check that a list of N objects (default 100,000 pods of ~1.8 KB) works end to end:
 * seeds etcd directly, starts the apiserver over it, lists through HTTP (full, paged, from cache)
 * and prints timings and the apiserver's memory. Usage: npx tsx hack/check-large-list.ts [N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import { Etcd3 } from 'etcd3';
import { startEtcdCluster } from './etcd-cluster.ts';
import { runApiServer } from '../pkg/apiserver/run.ts';

const count = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'kube-ts-large-list-'));
const cluster = await startEtcdCluster({ dataDir: dir, members: 3 });
try {
  const client = new Etcd3({ hosts: cluster.endpoints });
  const pad = 'x'.repeat(1500);
  const t0 = Date.now();
  for (let i = 0; i < count; i += 512) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + 512); j++) {
      const pod = {
        apiVersion: 'v1', kind: 'Pod',
        metadata: { name: `p-${String(j).padStart(6, '0')}`, namespace: 'default', uid: `uid-${j}`, creationTimestamp: '2026-01-01T00:00:00Z', annotations: { pad } },
        spec: { containers: [{ name: 'c', image: 'nginx' }] }, status: { phase: 'Pending' },
      };
      batch.push(client.put(`/registry/pods/default/${pod.metadata.name}`).value(JSON.stringify(pod)).exec());
    }
    await Promise.all(batch);
  }
  process.stdout.write(`seeded ${count} pods in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  client.close();
  const server = await runApiServer({
    etcdServers: cluster.endpoints, etcdPrefix: '/registry', bindAddress: '127.0.0.1', securePort: 0,
    serviceClusterIPRange: '10.96.0.0/12', serviceNodePortRange: [30000, 32767],
    authenticators: [() => ({ username: 'admin', groups: ['system:masters'] })],
  });
  const get = (path: string) => new Promise<{ status: number; bytes: number; body: string }>((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: server.port, path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => { const b = Buffer.concat(chunks); resolve({ status: res.statusCode ?? 0, bytes: b.length, body: b.toString() }); });
    }).on('error', reject);
  });
  for (const [label, path] of [['consistent', '/api/v1/pods'], ['from cache', '/api/v1/pods?resourceVersion=0']] as const) {
    const t = Date.now();
    const r = await get(path);
    const items = (JSON.parse(r.body) as { items: unknown[] }).items.length;
    process.stdout.write(`list ${label}: HTTP ${r.status}, ${items} items, ${(r.bytes / 1048576).toFixed(0)} MiB in ${Date.now() - t} ms\n`);
  }
  let pages = 0, items = 0, cont = '';
  const tp = Date.now();
  do {
    const r = JSON.parse((await get(`/api/v1/pods?limit=5000${cont ? `&continue=${cont}` : ''}`)).body) as { items: unknown[]; metadata: { continue?: string } };
    pages++; items += r.items.length; cont = r.metadata.continue ?? '';
  } while (cont);
  process.stdout.write(`paged (limit 5000): ${pages} pages, ${items} items in ${Date.now() - tp} ms\n`);
  process.stdout.write(`apiserver heap ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MiB, rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB\n`);
  await server.close();
} finally {
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}
