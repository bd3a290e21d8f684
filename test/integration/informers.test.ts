/**
 * The shared informer layer and leader election against a real kube-apiserver process (over a
 * real etcd): list+watch into handlers and listers, one watch per resource per factory, resuming a
 * dropped watch without losing events, relisting after 410, and two electors on one Lease.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoordinationV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { startTestCluster, type TestCluster } from '../../pkg/testenv/index.ts';
import {
  DeletedFinalStateUnknown, newSharedInformerFactory, type InformerObject, type ListerWatcher, type ListOptions,
  type ResourceRef, type SharedIndexInformer, type SharedInformerFactoryOptions, type WatchEvent, type WatchOptions,
} from '../../pkg/client/informers/index.ts';
import { LeaderElector, newLeaseLock } from '../../pkg/client/leaderelection/index.ts';
import { RestClient } from '../../pkg/client/rest-client.ts';

const configmaps: ResourceRef = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };
const namespacesRef: ResourceRef = { group: '', version: 'v1', resource: 'namespaces', namespaced: false };
type ConfigMap = InformerObject & { metadata: { name: string; namespace: string; resourceVersion: string }; data?: Record<string, string> };

let c: TestCluster;
let core: CoreV1Api;
const stops: AbortController[] = [];

beforeAll(async () => {
  c = await startTestCluster({ name: 'informers' });
  core = c.kubeConfig.makeApiClient(CoreV1Api);
});
afterAll(async () => {
  for (const s of stops) s.abort();
  await c?.stop();
});

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

type WatchStandIn = (o: WatchOptions) => Promise<AsyncIterable<WatchEvent<InformerObject>> | undefined>;

/** Records list and watch calls per resource, and lets a test cut the current watch or answer one itself. */
function instrumented() {
  const calls: { resource: string; list?: ListOptions; watch?: WatchOptions }[] = [];
  const cuts: AbortController[] = [];
  let standIn: WatchStandIn | undefined;
  const listerWatcherFor: SharedInformerFactoryOptions['listerWatcherFor'] = (ref, lw): ListerWatcher<InformerObject> => ({
    list: (o, signal) => { calls.push({ resource: ref.resource, list: o }); return lw.list(o, signal); },
    watch: async (o, signal) => {
      calls.push({ resource: ref.resource, watch: o });
      const cut = new AbortController();
      cuts.push(cut);
      return (await standIn?.(o)) ?? lw.watch(o, AbortSignal.any([signal, cut.signal]));
    },
  });
  return { calls, cuts, listerWatcherFor, onWatch: (fn: WatchStandIn) => { standIn = fn; } };
}

function startFactory(extra: Partial<SharedInformerFactoryOptions> = {}) {
  const stop = new AbortController();
  stops.push(stop);
  const factory = newSharedInformerFactory(c.kubeConfig, {
    userAgent: 'informers-test/v0.0.0', reflector: { backoff: { initialMs: 100, maxMs: 1000 }, pageSize: 2 }, ...extra,
  });
  return { factory, stop };
}

/** Handler log of one namespace's configmaps: "add a", "update a 1->2", "delete b", "delete? c" (tombstone). */
function record(informer: SharedIndexInformer<ConfigMap>, namespace: string): string[] {
  const log: string[] = [];
  const mine = (o: ConfigMap) => o.metadata.namespace === namespace;
  informer.addEventHandler({
    onAdd: (o) => { if (mine(o)) log.push(`add ${o.metadata.name}`); },
    onUpdate: (o, n) => { if (mine(n)) log.push(`update ${n.metadata.name} ${o.data?.v ?? ''}->${n.data?.v ?? ''}`); },
    onDelete: (o) => {
      if (o instanceof DeletedFinalStateUnknown) { if (mine(o.obj)) log.push(`delete? ${o.obj.metadata.name}`); } else if (mine(o)) log.push(`delete ${o.metadata.name}`);
    },
  });
  return log;
}

async function namespaceWith(name: string, ...cms: string[]): Promise<void> {
  await core.createNamespace({ body: { metadata: { name } } });
  for (const cm of cms) await core.createNamespacedConfigMap({ namespace: name, body: { metadata: { name: cm, labels: { app: cm } }, data: { v: '1' } } });
}
const setV = (namespace: string, name: string, v: string) =>
  core.replaceNamespacedConfigMap({ namespace, name, body: { metadata: { name, namespace, labels: { app: name } }, data: { v } } });

describe('shared informers', () => {
  it('deliver the initial list and later watch events to handlers and listers', async () => {
    await namespaceWith('inf-basic', 'one', 'two');
    const { factory, stop } = startFactory();
    const informer = factory.informerFor<ConfigMap>(configmaps);
    const log = record(informer, 'inf-basic');
    factory.start(stop.signal);
    expect(await factory.waitForCacheSync(stop.signal)).toBe(true);
    expect(log.sort()).toEqual(['add one', 'add two']);
    expect(informer.lister.list('inf-basic', 'app=two').map((o) => o.metadata.name)).toEqual(['two']);

    log.length = 0;
    await core.createNamespacedConfigMap({ namespace: 'inf-basic', body: { metadata: { name: 'three' } } });
    await setV('inf-basic', 'one', '2');
    await core.deleteNamespacedConfigMap({ namespace: 'inf-basic', name: 'two' });
    await until(() => log.length === 3, 'three events');
    expect(log).toEqual(['add three', 'update one 1->2', 'delete two']);
    expect(informer.lister.get('inf-basic', 'one')?.data).toEqual({ v: '2' });
    expect(informer.lister.get('inf-basic', 'two')).toBeUndefined();
    expect(informer.lister.list('inf-basic').map((o) => o.metadata.name).sort()).toEqual(['one', 'three']);
  });

  it('share one list and one watch between everyone asking for the same resource', async () => {
    const probe = instrumented();
    const { factory, stop } = startFactory({ listerWatcherFor: probe.listerWatcherFor });
    const first = factory.informerFor<ConfigMap>(configmaps);
    const second = factory.informerFor<ConfigMap>({ ...configmaps }, { indexers: { byApp: (o) => [o.metadata.labels?.app ?? ''] } });
    factory.informerFor(namespacesRef);
    expect(second).toBe(first);
    factory.start(stop.signal);
    factory.start(stop.signal); // starting again starts nothing twice
    expect(await factory.waitForCacheSync(stop.signal)).toBe(true);
    const of = (resource: string, kind: 'list' | 'watch') => probe.calls.filter((x) => x.resource === resource && x[kind]).length;
    expect([of('configmaps', 'list'), of('configmaps', 'watch'), of('namespaces', 'list'), of('namespaces', 'watch')]).toEqual([1, 1, 1, 1]);
    expect(first.lister.byIndex('byApp', 'one').map((o) => o.metadata.namespace)).toContain('inf-basic');
  });

  it('resume a dropped watch from the last resourceVersion without missing or repeating events', async () => {
    await namespaceWith('inf-resume', 'a');
    const probe = instrumented();
    const { factory, stop } = startFactory({ listerWatcherFor: probe.listerWatcherFor });
    const informer = factory.informerFor<ConfigMap>(configmaps);
    const log = record(informer, 'inf-resume');
    factory.start(stop.signal);
    await factory.waitForCacheSync(stop.signal);
    await core.createNamespacedConfigMap({ namespace: 'inf-resume', body: { metadata: { name: 'b' } } });
    await until(() => log.includes('add b'), 'add b');
    const seenRV = informer.lastSyncResourceVersion();

    probe.cuts.at(-1)!.abort(); // the connection drops; the reflector backs off, then resumes
    await setV('inf-resume', 'a', '2');
    await core.createNamespacedConfigMap({ namespace: 'inf-resume', body: { metadata: { name: 'c' } } });
    await core.deleteNamespacedConfigMap({ namespace: 'inf-resume', name: 'b' });
    await until(() => log.length === 5, 'the events written while disconnected');
    expect(log).toEqual(['add a', 'add b', 'update a 1->2', 'add c', 'delete b']);
    const watches = probe.calls.filter((x) => x.resource === 'configmaps' && x.watch).map((x) => x.watch!.resourceVersion);
    expect(watches).toHaveLength(2);
    expect(watches[1]).toBe(seenRV);
    expect(probe.calls.filter((x) => x.list)).toHaveLength(1);
  });

  it('relist page by page after 410 Gone and turn the difference into events', async () => {
    await namespaceWith('inf-gone', 'keep', 'drop', 'change');
    const probe = instrumented();
    let first = true;
    probe.onWatch(async () => {
      if (!first) return undefined;
      first = false;
      // The informer misses these writes, and its first watch gets the ERROR event the apiserver
      // sends for a resourceVersion older than its window. (Stood in for: on a fresh etcd this
      // apiserver's window reaches back to revision 1, so a too-old version cannot be provoked cheaply.)
      await core.createNamespacedConfigMap({ namespace: 'inf-gone', body: { metadata: { name: 'new' } } });
      await core.deleteNamespacedConfigMap({ namespace: 'inf-gone', name: 'drop' });
      await setV('inf-gone', 'change', '2');
      const expired: WatchEvent<InformerObject> = {
        type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'too old resource version: 1 (11)', reason: 'Expired', code: 410 },
      };
      return (async function* () { yield expired; })();
    });
    const { factory, stop } = startFactory({ listerWatcherFor: probe.listerWatcherFor });
    const informer = factory.informerFor<ConfigMap>(configmaps);
    const log = record(informer, 'inf-gone');
    factory.start(stop.signal);
    await until(() => log.length === 6, 'the relist difference');
    expect(log.slice(0, 3).sort()).toEqual(['add change', 'add drop', 'add keep']);
    expect(log.slice(3).sort()).toEqual(['add new', 'delete? drop', 'update change 1->2']);
    const lists = probe.calls.filter((x) => x.list).map((x) => x.list!);
    expect(lists[0]).toEqual({ resourceVersion: '0', limit: 2 });
    expect(lists[1]).toEqual({ resourceVersion: '', limit: 2 });
    expect(lists.slice(2).every((l) => l.continue !== undefined && l.resourceVersion === undefined)).toBe(true);
    expect(lists.length).toBeGreaterThan(2);
  });

  it('send the User-Agent and the list/watch parameters client-go sends', async () => {
    const seen: { url: string; ua: string | undefined }[] = [];
    const server = http.createServer((req, res) => {
      seen.push({ url: req.url ?? '', ua: req.headers['user-agent'] });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if (req.url?.includes('watch=true')) res.write(''); // held open
      else res.end(JSON.stringify({ kind: 'ConfigMapList', metadata: { resourceVersion: '42' }, items: [] }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
      users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x',
    });
    const stop = new AbortController();
    const factory = newSharedInformerFactory(kc, { userAgent: 'kube-controller-manager/v1.32.0 (linux/amd64) kubernetes/70d3cc9' });
    factory.informerFor(configmaps);
    factory.start(stop.signal);
    await until(() => seen.length === 2, 'a list and a watch');
    stop.abort();
    await factory.shutdown();
    server.closeAllConnections();
    server.close();
    expect(seen.map((s) => s.ua)).toEqual(Array(2).fill('kube-controller-manager/v1.32.0 (linux/amd64) kubernetes/70d3cc9'));
    expect(seen[0]!.url).toBe('/api/v1/configmaps?limit=500&resourceVersion=0');
    expect(seen[1]!.url).toMatch(/^\/api\/v1\/configmaps\?watch=true&resourceVersion=42&allowWatchBookmarks=true&timeoutSeconds=\d+$/);
  });
});

describe('leader election', () => {
  it('lets exactly one of two candidates lead, and hands over with a transition when it releases', async () => {
    const client = new RestClient(c.kubeConfig);
    const leading = new Set<string>();
    let overlaps = 0;
    const candidate = (identity: string) => {
      const stop = new AbortController();
      stops.push(stop);
      const elector = new LeaderElector({
        lock: newLeaseLock(client, 'kube-system', 'informers-test', identity),
        leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 200, releaseOnCancel: true,
        callbacks: {
          onStartedLeading: (signal) => new Promise<void>((resolve) => {
            if (leading.size > 0) overlaps++;
            leading.add(identity);
            signal.addEventListener('abort', () => { leading.delete(identity); resolve(); });
          }),
        },
      });
      return { identity, stop, running: elector.run(stop.signal) };
    };
    const [a, b] = [candidate('host-a_1111'), candidate('host-b_2222')];
    await until(() => leading.size === 1, 'a leader');
    await new Promise((r) => setTimeout(r, 1000)); // several renewals and retries
    expect(leading.size).toBe(1);
    const leader = [a, b].find((x) => leading.has(x.identity))!;
    const other = leader === a ? b : a;
    const leases = c.kubeConfig.makeApiClient(CoordinationV1Api);
    const before = await leases.readNamespacedLease({ namespace: 'kube-system', name: 'informers-test' });
    expect(before.spec?.holderIdentity).toBe(leader.identity);
    expect(before.spec?.leaseDurationSeconds).toBe(3);

    leader.stop.abort();
    await leader.running;
    await until(() => leading.has(other.identity), 'the other candidate to take over', 3000);
    const after = await leases.readNamespacedLease({ namespace: 'kube-system', name: 'informers-test' });
    expect(after.spec?.holderIdentity).toBe(other.identity);
    expect(after.spec?.leaseTransitions).toBe((before.spec?.leaseTransitions ?? 0) + 1);
    expect(overlaps).toBe(0);
    other.stop.abort();
    await other.running;
  });
});
