/**
 * `make bench`: starts its own 3-member etcd cluster and apiserver (the e2e harness, apiserver
 * only), then measures from one run: raw etcd3 create transactions/s, pod POSTs/s through the
 * apiserver (same size and concurrency), their ratio (`write-ratio: 0.NN` on its own line), list
 * latency of 10,000 pods, watch delivery latency with 100 watchers, and the apiserver's memory.
 * Stops everything it started, also on failure.
 *
 * The raw and apiserver write phases alternate (raw, api, raw, api): on a 2-core machine etcd's
 * throughput drifts by tens of percent within a minute, and alternating keeps both sides under
 * the same conditions. The apiserver rounds also store the 10,000 pods the list numbers need.
 *
 * Then (h): the per-request cost of authentication, RBAC and admission with 1,000 Roles and
 * RoleBindings stored, a service account's token against the admin (hack/bench-auth.ts).
 * Then (i): the scheduler and fake-kubelet at scale on clusters of their own (hack/bench-cluster.ts):
 * 5,000 nodes Ready, 10,000 pending pods bound/s, 30,000 pods on 1,000 nodes created to Running
 * (pods/s, p50/p99, writes per pod against (b)), and the programs' RSS, each beside its anchor.
 * Last, (g): the test harness's cold and warm cluster start times (hack/bench-testenv.ts).
 *
 * Knobs (environment): BENCH_COUNT (5000 per round), BENCH_ROUNDS (2), BENCH_CONCURRENCY (64),
 * BENCH_LIST_RUNS (3), BENCH_WATCHERS (100), BENCH_WATCH_OBJECTS (200), BENCH_ROLES (1000),
 * BENCH_AUTH_REQUESTS (2000), BENCH_WRITES_ONLY=1 (stop
 * after (a)–(c)), BENCH_TESTENV_ONLY=1 (only (g)), BENCH_CPU_PROF=1 (profile the apiserver with node --cpu-prof into .local/bench/
 * and print a summary; (i) profiles each of its programs too), BENCH_CLUSTER=0 (skip (i)), BENCH_CLUSTER_ONLY=1
 * (only (i)), and (i)'s sizes: BENCH_NODES (5000), BENCH_SCHED_PODS (10000), BENCH_RUN_NODES (1000),
 * BENCH_RUN_PODS (30000), BENCH_RUN_QPS (0: create (i)'s pods at full speed; N: N pods/s).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { repoRoot, startTestCluster, type TestCluster } from '../pkg/testenv/index.ts';
import {
  ApiClient,
  benchObjectBytes,
  benchPod,
  cpuSnapshot,
  formatCpu,
  median,
  percentile,
  processMemoryMiB,
  runPool,
  type CpuSnapshot,
} from './bench-load.ts';
import { summarizeProfile } from './bench-profile.ts';
import { benchTestenv } from './bench-testenv.ts';
import { benchAuth } from './bench-auth.ts';
import { benchCluster } from './bench-cluster.ts';
import { measureWatchLatency } from './bench-watch.ts';

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const count = env('BENCH_COUNT', 5000);
const rounds = env('BENCH_ROUNDS', 2);
const concurrency = env('BENCH_CONCURRENCY', 64);
const listRuns = env('BENCH_LIST_RUNS', 3);
const watchers = env('BENCH_WATCHERS', 100);
const watchObjects = env('BENCH_WATCH_OBJECTS', 200);
const roles = env('BENCH_ROLES', 1000);
const authRequests = env('BENCH_AUTH_REQUESTS', 2000);
const writesOnly = process.env.BENCH_WRITES_ONLY === '1';
const testenvOnly = process.env.BENCH_TESTENV_ONLY === '1';
const profile = process.env.BENCH_CPU_PROF === '1';
const clusterOnly = process.env.BENCH_CLUSTER_ONLY === '1';
const clusterPart = process.env.BENCH_CLUSTER !== '0';
const profileDir = join(repoRoot, '.local', 'bench');

const loadAtStart = loadavg()[0] ?? 0;
const say = (line: string): void => console.error(`bench: ${line}`);
const rows: [string, string][] = [];
const row = (label: string, value: string): void => void rows.push([label, value]);
const fmt = (n: number, digits = 0): string => n.toFixed(digits);

/** Wall time and CPU of one kind of write phase, summed over the rounds. */
class PhaseTotals {
  ms = 0;
  items = 0;
  readonly rates: number[] = [];
  private readonly cpu: CpuSnapshot = {};

  add(items: number, ms: number, before: CpuSnapshot, after: CpuSnapshot): void {
    this.ms += ms;
    this.items += items;
    this.rates.push((items * 1000) / ms);
    for (const k of Object.keys(after)) this.cpu[k] = (this.cpu[k] ?? 0) + (after[k] ?? 0) - (before[k] ?? 0);
  }

  get rate(): number {
    return (this.items * 1000) / this.ms;
  }

  cpuLine(): string {
    return formatCpu({}, this.cpu, this.items);
  }
}

/** (a) `n` create-if-absent transactions of a pod-sized value straight to etcd; resolves with the elapsed ms. */
async function rawEtcdCreates(client: Etcd3, prefix: string, n: number): Promise<number> {
  const value = benchPod('bench', 'raw');
  return runPool(n, concurrency, async (i) => {
    const key = `${prefix}${i}`;
    const res = await client.if(key, 'Create', '==', 0).then(client.put(key).value(value)).commit();
    if (!res.succeeded) throw new Error(`etcd: ${key} already exists`);
  });
}

/** (b) POSTs `n` pods into `namespace`; resolves with the elapsed ms, pushing each latency. */
async function postPods(api: ApiClient, namespace: string, n: number, prefix: string, latencies: number[] = []): Promise<number> {
  return runPool(n, concurrency, async (i) => {
    const start = performance.now();
    await api.must(201, 'POST', `/api/v1/namespaces/${namespace}/pods`, benchPod(namespace, `${prefix}${i}`));
    latencies.push(performance.now() - start);
  });
}

/** (a)–(c): alternating raw and apiserver rounds; resolves with the write ratio. */
async function writeBench(cluster: TestCluster, api: ApiClient): Promise<number> {
  const etcd = new Etcd3({ hosts: [...cluster.etcdEndpoints] });
  const raw = new PhaseTotals();
  const posts = new PhaseTotals();
  const latencies: number[] = [];
  try {
    say('warming up both paths (500 writes each)');
    await rawEtcdCreates(etcd, '/bench-raw/warmup/', 500);
    await postPods(api, 'bench-warmup', 500, 'warm-');
    for (let round = 0; round < rounds; round++) {
      say(`round ${round + 1}/${rounds}: ${count} raw etcd3 creates, then ${count} pod POSTs, ${concurrency} in flight`);
      let before = await cpuSnapshot(cluster.pids);
      const rawMs = await rawEtcdCreates(etcd, `/bench-raw/${round}/`, count);
      let after = await cpuSnapshot(cluster.pids);
      raw.add(count, rawMs, before, after);
      before = after;
      const postMs = await postPods(api, 'bench', count, `pod-${round}-`, latencies);
      after = await cpuSnapshot(cluster.pids);
      posts.add(count, postMs, before, after);
    }
    await etcd.delete().prefix('/bench-raw/').exec();
  } finally {
    etcd.close();
  }
  const ratio = posts.rate / raw.rate;
  const perRound = (p: PhaseTotals): string => `rounds: ${p.rates.map((r) => fmt(r)).join(', ')}`;
  const total = rounds * count;
  row(`(a) raw etcd3 create txn, ${benchObjectBytes} B values, ${total} @ ${concurrency} in flight`, `${fmt(raw.rate)} creates/s (${perRound(raw)})`);
  row('    CPU used during (a), per create', raw.cpuLine());
  row(`(b) apiserver POST pods (HTTPS, keep-alive), ${total} @ ${concurrency} in flight`, `${fmt(posts.rate)} creates/s (${perRound(posts)})`);
  row('    CPU used during (b), per create', posts.cpuLine());
  row('    POST latency p50 / p99', `${fmt(percentile(latencies, 50), 1)} / ${fmt(percentile(latencies, 99), 1)} ms`);
  row('(c) write ratio (b)/(a)', fmt(ratio, 2));
  return ratio;
}

/** (d) median wall time of `listRuns` full lists, checking the item count on the first. */
async function listLatency(api: ApiClient, path: string, expectItems: number, headers?: Record<string, string>): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < listRuns; run++) {
    const start = performance.now();
    const body = await api.must(200, 'GET', path, undefined, headers);
    times.push(performance.now() - start);
    if (run === 0) {
      const parsed = JSON.parse(body.toString()) as { items?: unknown[]; rows?: unknown[] };
      const got = (parsed.items ?? parsed.rows ?? []).length;
      if (got !== expectItems) throw new Error(`GET ${path}: ${got} items, want ${expectItems}`);
    }
  }
  return median(times);
}

/** (d)–(f): list latency, watch latency, memory; resolves with the number of missing watch deliveries. */
async function readBench(cluster: TestCluster, api: ApiClient, idle: { rss: number }): Promise<number> {
  const stored = rounds * count;
  const afterCreates = await processMemoryMiB(cluster.apiserverPid);
  say(`(d) listing ${stored} pods, ${listRuns} runs each`);
  const list = '/api/v1/namespaces/bench/pods';
  const listConsistent = await listLatency(api, list, stored);
  const listCached = await listLatency(api, `${list}?resourceVersion=0`, stored);
  const listTable = await listLatency(api, list, stored, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
  const afterLists = await processMemoryMiB(cluster.apiserverPid);
  row(`(d) list ${stored} pods, JSON, consistent (etcd), median of ${listRuns}`, `${fmt(listConsistent)} ms`);
  row(`    list ${stored} pods, JSON, resourceVersion=0 (watch cache)`, `${fmt(listCached)} ms`);
  row(`    list ${stored} pods, Table (kubectl get), consistent`, `${fmt(listTable)} ms`);

  say(`(e) watch latency: ${watchers} watchers, ${watchObjects} pods`);
  const watch = await measureWatchLatency(api, { namespace: 'bench-watch', watchers, objects: watchObjects, concurrency: 4 });
  const p = (q: number): string => fmt(percentile(watch.samples, q), 1);
  row(`(e) watch delivery p50 / p99, ${watchers} watchers x ${watchObjects} pods`, `${p(50)} / ${p(99)} ms`);
  row('    deliveries missing / read before the POST response', `${watch.missing} / ${watch.early}`);
  row('(f) apiserver RSS idle (before any bench object)', `${fmt(idle.rss)} MiB`);
  row(`    apiserver RSS with ${stored} pods stored`, `${fmt(afterCreates.rss)} MiB`);
  row('    apiserver RSS after the lists / peak (VmHWM)', `${fmt(afterLists.rss)} / ${fmt(afterLists.hwm)} MiB`);
  return watch.missing;
}

function printTable(cluster: TestCluster | undefined): void {
  let etcdVersion = '?';
  try {
    etcdVersion = /etcd Version: (\S+)/.exec(execFileSync('etcd', ['--version'], { encoding: 'utf8' }))?.[1] ?? '?';
  } catch {
    // informational only
  }
  // Other work on the machine skews every number: say how busy it was.
  const load = loadavg()[0] ?? 0;
  console.log(
    `kube-ts bench: ${cpus().length} CPUs, node ${process.version}, etcd ${etcdVersion}${cluster ? ` x${cluster.etcdEndpoints.length}` : ''}, ` +
      `load average at start ${fmt(loadAtStart, 1)}, now ${fmt(load, 1)}`,
  );
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
}

/** Resolves with the process exit code: 0 unless a watch delivery went missing. */
async function runBench(cluster: TestCluster): Promise<number> {
  const api = new ApiClient(cluster.apiserverUrl, cluster.tls, concurrency);
  try {
    const idle = await processMemoryMiB(cluster.apiserverPid);
    for (const name of ['bench', 'bench-warmup', 'bench-watch']) {
      await api.must(201, 'POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
      // What the controller-manager would add: the ServiceAccount admission plugin refuses pods without it.
      await api.must(201, 'POST', `/api/v1/namespaces/${name}/serviceaccounts`, JSON.stringify({ metadata: { name: 'default' } }));
    }
    const ratio = await writeBench(cluster, api);
    const missing = writesOnly ? 0 : await readBench(cluster, api, idle);
    if (!writesOnly) {
      say(`(h) authentication + RBAC + admission: ${roles} Roles and RoleBindings, ${authRequests} requests each way`);
      rows.push(...await benchAuth(api, cluster.apiserverUrl, { roles, requests: authRequests, concurrency }));
    }
    printTable(cluster);
    console.log(`write-ratio: ${fmt(ratio, 2)}`);
    return missing === 0 ? 0 : 1;
  } finally {
    api.close();
  }
}

/** The main thread's profile of this run (tsx's loader thread writes a smaller one of its own). */
function printProfile(since: number): void {
  const newest = readdirSync(profileDir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => ({ f, st: statSync(join(profileDir, f)) }))
    .filter(({ st }) => st.mtimeMs >= since)
    .sort((a, b) => a.st.size - b.st.size)
    .pop()?.f;
  if (newest === undefined) {
    say(`no .cpuprofile in ${profileDir} (did the apiserver exit cleanly?)`);
    return;
  }
  const file = join(profileDir, newest);
  console.log(`\napiserver CPU profile ${file}\n${summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), 30, 'parseRequestInfo')}`);
}

/** (i) on clusters of its own; `postRate` is (b)'s figure when it ran. Prints its rows; resolves with an exit code. */
async function runClusterPart(postRate: number | undefined): Promise<number> {
  try {
    const result = await benchCluster({
      nodes: env('BENCH_NODES', 5000), schedPods: env('BENCH_SCHED_PODS', 10000),
      runNodes: env('BENCH_RUN_NODES', 1000), runPods: env('BENCH_RUN_PODS', 30000), runQps: env('BENCH_RUN_QPS', 0),
      concurrency, apiserverPostRate: postRate, profileDir: profile ? profileDir : undefined,
    });
    const width = Math.max(...result.rows.map(([label]) => label.length));
    console.log(`kube-ts bench (i): load average now ${fmt(loadavg()[0] ?? 0, 1)}`);
    for (const [label, value] of result.rows) console.log(`  ${label.padEnd(width)}  ${value}`);
    for (const [name, value] of result.summary) console.log(`${name}: ${value}`);
    for (const text of result.profiles) console.log(`\n${text}`);
    for (const failure of result.failures) say(`(i) failed: ${failure}`);
    return result.failures.length === 0 ? 0 : 1;
  } catch (err) {
    say(`(i) failed: ${(err as Error).message}`);
    return 1;
  }
}

async function main(): Promise<void> {
  if (profile) mkdirSync(profileDir, { recursive: true });
  const started = Date.now();
  if (clusterOnly) {
    process.exitCode = await runClusterPart(undefined);
    say(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return;
  }
  if (testenvOnly) {
    rows.push(...(await benchTestenv()));
    printTable(undefined);
    return;
  }
  say('starting etcd (3 members) and kube-apiserver');
  const cluster = await startTestCluster({
    name: 'bench',
    dedicatedEtcd: { members: 3 },
    nodeArgs: profile ? { 'kube-apiserver': ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {},
  });
  let code = 1;
  try {
    code = await runBench(cluster);
  } catch (err) {
    say(`failed: ${(err as Error).message}\n--- kube-apiserver log tail\n${cluster.logTail(30)}`);
  } finally {
    await cluster.stop();
  }
  if (code === 0 && !writesOnly && clusterPart) {
    say('(i) scheduler and fake-kubelet at scale');
    // (b)'s pod POSTs/s, read back from its row: the apiserver's write ceiling (i) compares against.
    const postRow = rows.find(([label]) => label.startsWith('(b)'));
    code = await runClusterPart(postRow === undefined ? undefined : Number.parseFloat(postRow[1]));
  }
  if (code === 0 && !writesOnly) {
    say('test harness start times');
    const harness = await benchTestenv();
    const width = Math.max(...harness.map(([label]) => label.length));
    for (const [label, value] of harness) console.log(`  ${label.padEnd(width)}  ${value}`);
  }
  if (profile) printProfile(started);
  say(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.exitCode = code;
}

await main();
