/**
 * metrics.k8s.io/v1beta1 end to end: an in-process apiserver over the real etcd asks a real
 * startKubeletServer (in-memory usage) for each Node's Summary. Discovery, NodeMetrics and
 * PodMetrics get and list with selectors, nodes left out when their kubelet has nothing or cannot
 * be reached, the short cache, and real `kubectl top`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { Kubectl, kubectlBinaries, tableRecords } from '../helpers/kubectl.ts';
import { createNamespace } from './support/fixtures.ts';
import { ensurePki, type PkiPaths } from '../../hack/pki.ts';
import { startKubeletServer, type KubeletServer } from '../../pkg/kubelet/server/index.ts';
import { MemoryPods, MemoryUsage } from '../../pkg/kubelet/server/testing.ts';

const ns = 'metrics';
const mi = 1024 * 1024;
const cacheMs = 300;
let dir: string;
let pki: PkiPaths;
let server: TestServer;
let kubelet: KubeletServer;
let deadPort = 0;
const usage = new MemoryUsage();

async function createNode(name: string, port: number, labels: Record<string, string>): Promise<void> {
  const created = await server.request.post('/api/v1/nodes').send({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const status = await server.request.patch(`/api/v1/nodes/${name}/status`).set('Content-Type', 'application/merge-patch+json').send({ status: {
    addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: port } },
    capacity: { cpu: '4', memory: '8Gi', pods: '110' }, allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
  } });
  expect(status.status, JSON.stringify(status.body)).toBe(200);
}

async function createPod(name: string, nodeName: string, labels: Record<string, string>, namespace = ns): Promise<string> {
  const res = await server.request.post(`/api/v1/namespaces/${namespace}/pods`).send({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, labels },
    spec: { nodeName, containers: [{ name: 'app', image: 'nginx:1.27' }, { name: 'side', image: 'busybox:1.36' }] },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.metadata.uid as string;
}

function setNodeA(nodeCores: number, pods: { namespace: string; name: string; uid: string }[]): void {
  usage.nodes.set('node-a', {
    nodeName: 'node-a', usageNanoCores: nodeCores * 1e9, workingSetBytes: 512 * mi,
    pods: pods.map((p) => ({ ...p, containers: [
      { name: 'app', usageNanoCores: 100e6, workingSetBytes: 64 * mi },
      { name: 'side', usageNanoCores: 1_500_000, workingSetBytes: 16 * mi + 512 },
    ] })),
  });
}

let podsOnA: { namespace: string; name: string; uid: string }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'metrics-'));
  pki = await ensurePki(dir);
  const tls = { certPem: readFileSync(pki.servingCert, 'utf8'), keyPem: readFileSync(pki.servingKey, 'utf8'), clientCaPem: readFileSync(pki.caCert, 'utf8') };
  kubelet = await startKubeletServer({ host: '127.0.0.1', port: 0, logs: new MemoryPods(), usage, tls });
  const dead = await startKubeletServer({ host: '127.0.0.1', port: 0, logs: new MemoryPods(), usage, tls });
  deadPort = dead.port;
  await dead.close();
  server = await startTestServer({
    kubelet: { certPem: readFileSync(pki.kubeletClientCert, 'utf8'), keyPem: readFileSync(pki.kubeletClientKey, 'utf8') },
    metricsCacheMs: cacheMs,
  });
  await createNamespace(server, ns);
  await createNamespace(server, `${ns}-other`);
  await createNode('node-a', kubelet.port, { pool: 'blue' });
  await createNode('node-b', kubelet.port, { pool: 'green' });
  await createNode('node-dead', deadPort, { pool: 'blue' });
  podsOnA = [
    { namespace: ns, name: 'web', uid: await createPod('web', 'node-a', { app: 'web' }) },
    { namespace: ns, name: 'db', uid: await createPod('db', 'node-a', { app: 'db' }) },
    { namespace: `${ns}-other`, name: 'elsewhere', uid: await createPod('elsewhere', 'node-a', { app: 'web' }, `${ns}-other`) },
  ];
  await createPod('unmeasured', 'node-b', { app: 'web' });
  await createPod('stranded', 'node-dead', { app: 'web' });
  setNodeA(0.25, podsOnA);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await kubelet?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('metrics.k8s.io discovery', () => {
  it('lists the group and its two resources', async () => {
    const groups = await server.request.get('/apis');
    expect((groups.body.groups as { name: string }[]).map((g) => g.name)).toContain('metrics.k8s.io');
    const list = await server.request.get('/apis/metrics.k8s.io/v1beta1');
    expect(list.body.resources).toEqual([
      { name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'] },
      { name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] },
    ]);
  });
});

describe('NodeMetrics', () => {
  it('lists nodes whose kubelet reports usage, in metrics-server\'s shape', async () => {
    const res = await server.request.get('/apis/metrics.k8s.io/v1beta1/nodes');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ kind: 'NodeMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {} });
    expect(res.body.items).toHaveLength(1);
    const [item] = res.body.items;
    expect(item).toMatchObject({ metadata: { name: 'node-a', labels: { pool: 'blue' } }, window: '10s', usage: { cpu: '250m', memory: '512Mi' } });
    expect(item.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(item.metadata.creationTimestamp).toMatch(/Z$/);
  });

  it('filters by label and field selectors', async () => {
    const green = await server.request.get('/apis/metrics.k8s.io/v1beta1/nodes?labelSelector=pool%3Dgreen');
    expect(green.body.items).toEqual([]);
    const blue = await server.request.get('/apis/metrics.k8s.io/v1beta1/nodes?labelSelector=pool%3Dblue');
    expect(blue.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['node-a']);
    const byName = await server.request.get('/apis/metrics.k8s.io/v1beta1/nodes?fieldSelector=metadata.name%3Dnode-b');
    expect(byName.body.items).toEqual([]);
  });

  it('gets one node, and NotFound for nodes without usage or without a Node', async () => {
    const res = await server.request.get('/apis/metrics.k8s.io/v1beta1/nodes/node-a');
    expect(res.body).toMatchObject({ kind: 'NodeMetrics', apiVersion: 'metrics.k8s.io/v1beta1', metadata: { name: 'node-a' }, usage: { cpu: '250m' } });
    for (const name of ['node-b', 'node-dead']) {
      const missing = await server.request.get(`/apis/metrics.k8s.io/v1beta1/nodes/${name}`);
      expect(missing.status).toBe(404);
      expect(missing.body.message).toBe(`nodemetrics.metrics.k8s.io "${name}" not found`);
    }
    const none = await server.request.get('/apis/metrics.k8s.io/v1beta1/nodes/nope');
    expect(none.body).toMatchObject({ code: 404, message: 'nodes "nope" not found' });
  });

  it('refuses writes and watches', async () => {
    expect((await server.request.post('/apis/metrics.k8s.io/v1beta1/nodes').send({})).status).toBe(405);
    expect((await server.request.get('/apis/metrics.k8s.io/v1beta1/nodes?watch=true')).status).toBe(405);
  });

  it('reuses a Summary for a short time, then asks again', async () => {
    await new Promise((r) => setTimeout(r, cacheMs + 50));
    const before = await server.request.get('/apis/metrics.k8s.io/v1beta1/nodes/node-a');
    setNodeA(1.5, podsOnA);
    const cached = await server.request.get('/apis/metrics.k8s.io/v1beta1/nodes/node-a');
    expect(cached.body.usage.cpu).toBe(before.body.usage.cpu);
    await new Promise((r) => setTimeout(r, cacheMs + 50));
    const fresh = await server.request.get('/apis/metrics.k8s.io/v1beta1/nodes/node-a');
    expect(fresh.body.usage.cpu).toBe('1500m');
    setNodeA(0.25, podsOnA);
    await new Promise((r) => setTimeout(r, cacheMs + 50));
  });
});

describe('PodMetrics', () => {
  const container = (name: string, cpu: string, memory: string) => ({ name, usage: { cpu, memory } });

  it('lists a namespace\'s pods that have usage', async () => {
    const res = await server.request.get(`/apis/metrics.k8s.io/v1beta1/namespaces/${ns}/pods`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.kind).toBe('PodMetricsList');
    expect(res.body.items.map((i: { metadata: { name: string } }) => i.metadata.name).sort()).toEqual(['db', 'web']);
    const web = res.body.items.find((i: { metadata: { name: string } }) => i.metadata.name === 'web');
    expect(web).toMatchObject({
      metadata: { name: 'web', namespace: ns, labels: { app: 'web' } }, window: '10s',
      containers: [container('app', '100m', '64Mi'), container('side', '1500u', '16777728')],
    });
  });

  it('lists across namespaces and by label', async () => {
    const all = await server.request.get('/apis/metrics.k8s.io/v1beta1/pods?labelSelector=app%3Dweb');
    expect(all.body.items.map((i: { metadata: { namespace: string; name: string } }) => `${i.metadata.namespace}/${i.metadata.name}`).sort())
      .toEqual([`${ns}-other/elsewhere`, `${ns}/web`]);
  });

  it('gets one pod, and NotFound with namespace/name for a pod without usage', async () => {
    const res = await server.request.get(`/apis/metrics.k8s.io/v1beta1/namespaces/${ns}/pods/db`);
    expect(res.body).toMatchObject({ kind: 'PodMetrics', apiVersion: 'metrics.k8s.io/v1beta1', metadata: { name: 'db', namespace: ns } });
    for (const name of ['unmeasured', 'stranded']) {
      const missing = await server.request.get(`/apis/metrics.k8s.io/v1beta1/namespaces/${ns}/pods/${name}`);
      expect(missing.body).toMatchObject({ code: 404, reason: 'NotFound', message: `podmetrics.metrics.k8s.io "${ns}/${name}" not found` });
    }
    const none = await server.request.get(`/apis/metrics.k8s.io/v1beta1/namespaces/${ns}/pods/nope`);
    expect(none.body).toMatchObject({ code: 404, message: 'pods "nope" not found' });
  });
});

describe('kubectl top', () => {
  it('prints node and pod usage', async () => {
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, [
      'apiVersion: v1', 'kind: Config', 'current-context: t',
      `clusters: [{name: t, cluster: {server: "${server.url}"}}]`,
      'users: [{name: u, user: {}}]',
      `contexts: [{name: t, context: {cluster: t, user: u, namespace: ${ns}}}]`, '',
    ].join('\n'));
    const kubectl = new Kubectl({ dir, kubeconfig, logTail: () => '' }, kubectlBinaries([])[0]!);
    const nodes = tableRecords(await kubectl.ok(['top', 'nodes', '-l', 'pool=blue']));
    expect(nodes.find((r) => r.NAME === 'node-a')).toMatchObject({ 'CPU(cores)': '250m', 'CPU(%)': '6%', 'MEMORY(bytes)': '512Mi', 'MEMORY(%)': '6%' });
    const pods = tableRecords(await kubectl.ok(['top', 'pods']));
    expect(pods).toEqual([
      { NAME: 'db', 'CPU(cores)': '102m', 'MEMORY(bytes)': '80Mi' },
      { NAME: 'web', 'CPU(cores)': '102m', 'MEMORY(bytes)': '80Mi' },
    ]);
    const containers = tableRecords(await kubectl.ok(['top', 'pod', 'web', '--containers']));
    expect(containers).toEqual([
      { POD: 'web', NAME: 'app', 'CPU(cores)': '100m', 'MEMORY(bytes)': '64Mi' },
      { POD: 'web', NAME: 'side', 'CPU(cores)': '2m', 'MEMORY(bytes)': '16Mi' },
    ]);
  });
});
