/**
 * `make bench`, part (i): the scheduler and the fake-kubelet at scale, each figure printed beside
 * the anchor it is judged by. Two clusters, each with its own 3-member etcd and apiserver
 * (pkg/testenv); this file starts kube-scheduler and fake-kubelet itself (hack/local-components.ts
 * startComponent, from the testenv bundle) because they need flags startTestCluster cannot pass
 * (--nodes …) and the scheduler must start only once its pending pods exist.
 *
 *   (i1) BENCH_NODES (5000) nodes registered and Ready, seconds from the fake-kubelet's spawn
 *        (kwok CI: 5,000 within 60 s).
 *   (i2) BENCH_SCHED_PODS (10000) pods created pending on those nodes, then the scheduler started:
 *        pods/s bound, from its spawn and from its first to its last binding (scheduler_perf 1.32
 *        floor: 270 pods/s). The fake-kubelet is stopped first: scheduler_perf's nodes are static
 *        objects with no heartbeats and no pods started behind the scheduler.
 *   (i3) BENCH_RUN_NODES (1000) nodes, BENCH_RUN_PODS (30000) pods POSTed as fast as `concurrency`
 *        allows: pods/s reaching Running (kwok CI: 10,000 in 60 s, about 167/s), p50/p99 from the
 *        POST to the watch showing Running (SLO p99 < 5 s), and writes per pod: the pod's own
 *        watch events plus its namespace's Events, beside etcd's revision delta (every write is
 *        one revision), against the apiserver's POST ceiling (b).
 *        BENCH_RUN_QPS paces the creates instead (the SLO is stated for a sustainable rate; at
 *        full speed the latency mostly measures the backlog).
 *   (i4) RSS of scheduler, fake-kubelet and apiserver at the end of (i2) and (i3).
 * With `profileDir`, every program runs under node --cpu-prof and a summary of each is returned.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { repoRoot, startTestCluster, type TestCluster } from '../pkg/testenv/index.ts';
import { bundledEntry } from '../pkg/testenv/bundle.ts';
import { guardProcessGroup } from '../pkg/testenv/orphan-guard.ts';
import { ApiClient, benchPod, cpuSnapshot, formatCpu, percentile, processMemoryMiB, runPool } from './bench-load.ts';
import { summarizeProfile } from './bench-profile.ts';
import { applyPrerequisites, localComponents, startComponent, type LocalContext } from './local-components.ts';
import type { ManagedProcess } from './managed-process.ts';
import { pkiPaths } from './pki.ts';

export interface ClusterBenchOptions {
  nodes: number;
  schedPods: number;
  runNodes: number;
  runPods: number;
  /** POSTs in flight when creating pods. */
  concurrency: number;
  /** (i3) creates at most this many pods/s; 0 or absent: as fast as `concurrency` allows. */
  runQps?: number;
  /** Pod POSTs/s of part (b) when it ran in this invocation: the apiserver's write ceiling. */
  apiserverPostRate?: number;
  /** Profile every program with node --cpu-prof into subfolders of this directory. */
  profileDir?: string;
}

export interface ClusterBenchResult {
  /** (label, value) rows for the bench table. */
  rows: [string, string][];
  /** Machine-readable `name: value` lines. */
  summary: [string, string][];
  /** One text summary per CPU profile (empty without `profileDir`). */
  profiles: string[];
  /** Why a part failed (its rows so far are kept); empty when all ran. */
  failures: string[];
}

type Program = 'kube-scheduler' | 'fake-kubelet';

/** One cluster of this bench: the testenv cluster plus what this file starts and reads. */
interface BenchCluster {
  name: string;
  cluster: TestCluster;
  ctx: LocalContext;
  api: ApiClient;
  etcd: Etcd3;
  watchAgent: Agent;
  programs: ManagedProcess[];
  profileDir?: string;
}

const fmt = (n: number, digits = 0): string => n.toFixed(digits);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const say = (line: string): void => console.error(`bench: ${line}`);
/** Room for 32,768 node CIDRs of /24 outside the service range 10.96.0.0/12 (the default /16 holds 256). */
const kubeletArgs = (nodes: number): string[] => [`--nodes=${nodes}`, '--cluster-cidr=10.128.0.0/9', '--node-cidr-mask-size=24'];

async function startBenchCluster(name: string, opts: ClusterBenchOptions, namespaces: readonly string[]): Promise<BenchCluster> {
  const { profileDir, concurrency } = opts;
  const prof = profileDir && join(profileDir, `${name}-kube-apiserver`);
  if (prof) mkdirSync(prof, { recursive: true });
  const cluster = await startTestCluster({
    name: `bench-${name}`, dedicatedEtcd: { members: 3 },
    nodeArgs: prof ? { 'kube-apiserver': ['--cpu-prof', `--cpu-prof-dir=${prof}`] } : {},
  });
  // startTestCluster keeps a dedicated etcd's certificates here (pkg/testenv/test-cluster.ts environmentFor).
  const pki = pkiPaths(join(cluster.dir, 'pki'));
  if (!existsSync(pki.schedulerCert)) {
    await cluster.stop();
    throw new Error(`no component certificates in ${pki.dir}: did pkg/testenv move them?`);
  }
  const ctx: LocalContext = {
    root: repoRoot, pki, etcdEndpoints: cluster.etcdEndpoints, etcdPrefix: cluster.etcdPrefix,
    apiserverPort: Number(new URL(cluster.apiserverUrl).port), apiserverUrl: cluster.apiserverUrl,
    kubeconfig: cluster.kubeconfig, readyTimeoutMs: 60_000,
  };
  const { tls } = cluster;
  const bc: BenchCluster = {
    name, cluster, ctx, profileDir, programs: [],
    api: new ApiClient(cluster.apiserverUrl, tls, Math.max(64, concurrency)),
    etcd: new Etcd3({ hosts: [...cluster.etcdEndpoints] }),
    watchAgent: new Agent({ keepAlive: false, maxSockets: Infinity, ca: tls.ca, cert: tls.cert, key: tls.key }),
  };
  try {
    for (const ns of namespaces) {
      await bc.api.must(201, 'POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: ns } }));
      // What the controller-manager (not running here) would add: ServiceAccount admission wants it.
      await bc.api.must(201, 'POST', `/api/v1/namespaces/${ns}/serviceaccounts`, JSON.stringify({ metadata: { name: 'default' } }));
    }
  } catch (err) {
    await stopBenchCluster(bc);
    throw err;
  }
  return bc;
}

/** Stops this file's programs (last started first), then the cluster; safe after a failure. */
async function stopBenchCluster(bc: BenchCluster): Promise<void> {
  for (const p of [...bc.programs].reverse()) await p.stop();
  bc.api.close();
  bc.watchAgent.destroy();
  bc.etcd.close();
  await bc.cluster.stop();
}

/** Bundles and authorizes a program, then returns the function that spawns it (so only the spawn is timed). */
async function prepareProgram(bc: BenchCluster, name: Program, extraArgs: readonly string[]): Promise<() => ManagedProcess> {
  const base = localComponents.find((c) => c.name === name)!;
  const component = { ...base, args: (ctx: LocalContext) => [...base.args(ctx), ...extraArgs] };
  const bundle = await bundledEntry(repoRoot, component.entry);
  await applyPrerequisites(component, bc.ctx);
  const prof = bc.profileDir && join(bc.profileDir, `${bc.name}-${name}`);
  if (prof) mkdirSync(prof, { recursive: true });
  return () => {
    const child = startComponent(component, bc.ctx, {
      logDir: join(bc.cluster.dir, 'logs'), bundle, nodeArgs: prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [],
    })!;
    const release = guardProcessGroup(child.pid);
    void child.exited.then(release);
    bc.programs.push(child);
    return child;
  };
}

interface LineWatch {
  /** Event lines read so far. */
  lines: number;
  ended: boolean;
  close(): void;
}

/** Opens a watch and calls `onLine` per event (one JSON object per line); resolves once the server answered 200. */
function watchLines(bc: BenchCluster, path: string, onLine: (line: string, at: number) => void): Promise<LineWatch> {
  return new Promise((resolve, reject) => {
    const req = request(`${bc.cluster.apiserverUrl}${path}`, { agent: bc.watchAgent, headers: { accept: 'application/json' } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`watch ${path}: status ${res.statusCode}`));
        return;
      }
      const watch: LineWatch = { lines: 0, ended: false, close: () => req.destroy() };
      let partial = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const at = performance.now();
        const parts = (partial + chunk).split('\n');
        partial = parts.pop() ?? '';
        for (const line of parts) {
          if (line === '') continue;
          watch.lines++;
          onLine(line, at);
        }
      });
      res.on('end', () => { watch.ended = true; });
      res.on('error', () => { watch.ended = true; });
      resolve(watch);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Waits until `progress()` reaches `target`; throws when a program exits or nothing moves for `stallMs`. */
async function waitProgress(what: string, progress: () => number, target: number, bc: BenchCluster,
  alive: readonly ManagedProcess[], watch?: LineWatch, stallMs = 60_000): Promise<void> {
  let last = progress();
  let lastChange = Date.now();
  while (progress() < target) {
    const dead = alive.find((p) => !p.isRunning());
    if (dead) throw new Error(`${dead.name} exited while waiting for ${what}\n${bc.cluster.logTail(20, dead.name)}`);
    const now = progress();
    if (now !== last) [last, lastChange] = [now, Date.now()];
    else if (Date.now() - lastChange > stallMs) {
      const tails = alive.map((p) => `--- ${p.name}\n${bc.cluster.logTail(15, p.name)}`).join('\n');
      throw new Error(`${what}: stuck at ${now} of ${target} for ${stallMs / 1000} s${watch?.ended ? ' (the watch ended)' : ''}\n${tails}`);
    }
    await sleep(50);
  }
}

const etcdRevision = async (bc: BenchCluster): Promise<number> => Number((await bc.etcd.get('/').exec()).header.revision);

const rssOf = async (p: { pid: number }): Promise<string> => `${fmt((await processMemoryMiB(p.pid)).rss)} MiB`;

/** The pids this cluster's CPU is accounted over: etcd members, apiserver, this file's programs. */
const pidsOf = (bc: BenchCluster): { name: string; pid: number }[] => [...bc.cluster.pids, ...bc.programs.filter((p) => p.isRunning())];

/** (i1): starts a fake-kubelet with `nodes` nodes; resolves with the seconds until all are Ready. */
async function nodesReady(bc: BenchCluster, nodes: number): Promise<{ seconds: number; kubelet: ManagedProcess }> {
  const ready = new Set<string>();
  let t0 = 0;
  let doneAt = 0;
  const watch = await watchLines(bc, '/api/v1/nodes?watch=1', (line, at) => {
    const event = JSON.parse(line) as { type?: string; object?: { metadata?: { name?: string }; status?: { conditions?: { type: string; status: string }[] } } };
    const name = event.object?.metadata?.name;
    if (name === undefined) return;
    const isReady = event.type !== 'DELETED' && event.object?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    if (isReady) ready.add(name);
    else ready.delete(name);
    if (ready.size >= nodes && doneAt === 0) doneAt = at;
  });
  try {
    const spawn = await prepareProgram(bc, 'fake-kubelet', kubeletArgs(nodes));
    t0 = performance.now();
    const kubelet = spawn();
    await waitProgress(`${nodes} nodes Ready`, () => ready.size, nodes, bc, [kubelet], watch, 120_000);
    return { seconds: (doneAt - t0) / 1000, kubelet };
  } finally {
    watch.close();
  }
}

/** Namespaces of (i2), (i3) and the warm-up pod of (i3). */
const schedNs = 'bench-sched';
const runNs = 'bench-run';
const warmNs = 'bench-warmup';
// Only metadata.name carries the prefix (container and port names differ), so a regex finds the pod
// without parsing 3 KB of JSON per event in the measuring process (as hack/bench-watch.ts does).
const podName = (prefix: string): RegExp => new RegExp(`"name"\\s*:\\s*"(${prefix}\\d+)"`);
/**
 * (b)'s 1.8 KB pod, with an image the fake-kubelet pulls: bench-load's registry.example is a
 * reserved, unresolvable host, so its pods stay in ErrImagePull (pkg/kubelet/runtime/images.ts).
 */
function runnablePod(namespace: string, name: string): string {
  const pod = JSON.parse(benchPod(namespace, name)) as { spec: { containers: { image: string }[] } };
  for (const c of pod.spec.containers) c.image = 'registry.k8s.io/pause:3.10';
  return JSON.stringify(pod);
}

const isBound = /"nodeName"\s*:\s*"[^"]/;
const isRunning = /"phase"\s*:\s*"Running"/;

/** (i1)+(i2) on one cluster. */
async function schedulerBench(opts: ClusterBenchOptions, rows: [string, string][], summary: [string, string][]): Promise<void> {
  say(`(i1) ${opts.nodes} nodes; (i2) ${opts.schedPods} pending pods scheduled onto them`);
  const bc = await startBenchCluster('sched', opts, [schedNs]);
  try {
    const { seconds, kubelet } = await nodesReady(bc, opts.nodes);
    const kubeletRss = await rssOf(kubelet);
    rows.push([`(i1) ${opts.nodes} nodes registered and Ready, from fake-kubelet spawn`, `${fmt(seconds, 1)} s (kwok CI: 5,000 within 60 s)`]);
    summary.push(['cluster-nodes-ready-seconds', fmt(seconds, 1)]);
    await kubelet.stop(); // scheduler_perf's nodes are static: no heartbeats, no pods started behind the scheduler

    const bound = new Map<string, number>();
    const name = podName('sp-');
    const watch = await watchLines(bc, `/api/v1/namespaces/${schedNs}/pods?watch=1`, (line, at) => {
      if (!isBound.test(line)) return;
      const pod = name.exec(line)?.[1];
      if (pod !== undefined && !bound.has(pod)) bound.set(pod, at);
    });
    try {
      say(`(i2) creating ${opts.schedPods} pods, scheduler stopped`);
      const createMs = await runPool(opts.schedPods, opts.concurrency, async (i) => {
        await bc.api.must(201, 'POST', `/api/v1/namespaces/${schedNs}/pods`, runnablePod(schedNs, `sp-${i}`));
      });
      const spawn = await prepareProgram(bc, 'kube-scheduler', []);
      const before = await cpuSnapshot(pidsOf(bc));
      const t0 = performance.now();
      const scheduler = spawn();
      await waitProgress(`${opts.schedPods} pods bound`, () => bound.size, opts.schedPods, bc, [scheduler], watch);
      const after = await cpuSnapshot(pidsOf(bc));
      const times = [...bound.values()];
      const first = Math.min(...times);
      const last = Math.max(...times);
      const steady = ((opts.schedPods - 1) * 1000) / (last - first);
      rows.push(
        [`(i2) ${opts.schedPods} pending pods (created at ${fmt((opts.schedPods * 1000) / createMs)}/s) on ${opts.nodes} nodes: bound/s, first to last binding`,
          `${fmt(steady)} pods/s (scheduler_perf 1.32 floor: 270 pods/s)`],
        ['    bound/s from scheduler spawn (start, lease, informer sync included)', `${fmt((opts.schedPods * 1000) / (last - t0))} pods/s; first binding after ${fmt((first - t0) / 1000, 1)} s`],
        ['    CPU used from scheduler spawn to last binding', formatCpu(before, after)],
        [`    RSS with ${opts.nodes} nodes, ${opts.schedPods} pods: scheduler / apiserver / fake-kubelet (before it stopped)`,
          `${await rssOf(scheduler)} / ${await rssOf({ pid: bc.cluster.apiserverPid })} / ${kubeletRss}`],
      );
      summary.push(['cluster-sched-pods-per-second', fmt(steady)]);
    } finally {
      watch.close();
    }
  } finally {
    await stopBenchCluster(bc);
  }
}

/** What the server holds when (i3) stalls: pods stored, unbound and Running (Table lists: small rows). */
async function podCounts(bc: BenchCluster): Promise<string> {
  const rows = async (selector: string): Promise<number> => {
    const body = await bc.api.must(200, 'GET', `/api/v1/namespaces/${runNs}/pods?fieldSelector=${encodeURIComponent(selector)}`, undefined,
      { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
    return ((JSON.parse(body.toString()) as { rows?: unknown[] }).rows ?? []).length;
  };
  const stored = await bc.etcd.getAll().prefix(`${bc.cluster.etcdPrefix}/pods/${runNs}/`).count();
  return `server: ${stored} pods stored, ${await rows('spec.nodeName=')} unbound, ${await rows('status.phase=Running')} Running`;
}

/** Writes counted over (i3): etcd revisions, and the pod and event watch lines among them. */
interface WriteCount { revisions: number; podWrites: number; eventWrites: number; seconds: number }

/**
 * Waits (up to 2 minutes) until the nodes' start events, which the fake-kubelet writes a few at a
 * time, stop arriving: otherwise thousands of them would be written during the measured run.
 */
async function settle(bc: BenchCluster): Promise<void> {
  const events = await watchLines(bc, '/api/v1/events?watch=1', () => undefined);
  try {
    for (let seen = -1, waited = 0; seen !== events.lines && waited < 60; waited++) {
      seen = events.lines;
      await sleep(2000);
    }
  } finally {
    events.close();
  }
}

/** Creates one pod and waits until it runs: the scheduler and kubelet have synced and serve. */
async function warmUp(bc: BenchCluster): Promise<void> {
  await bc.api.must(201, 'POST', `/api/v1/namespaces/${warmNs}/pods`, runnablePod(warmNs, 'warmup'));
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(100)) {
    const pod = JSON.parse((await bc.api.must(200, 'GET', `/api/v1/namespaces/${warmNs}/pods/warmup`)).toString()) as { status?: { phase?: string } };
    if (pod.status?.phase === 'Running') return;
  }
  throw new Error(`warm-up pod not Running within 60 s\n${bc.cluster.logTail(20, 'kube-scheduler')}\n${bc.cluster.logTail(20, 'fake-kubelet')}`);
}

/** (i3)+(i4) on a second cluster. */
async function runningBench(opts: ClusterBenchOptions, rows: [string, string][], summary: [string, string][]): Promise<void> {
  say(`(i3) ${opts.runNodes} nodes, ${opts.runPods} pods created at full speed until Running`);
  const bc = await startBenchCluster('run', opts, [runNs, warmNs]);
  try {
    const { seconds, kubelet } = await nodesReady(bc, opts.runNodes);
    const scheduler = (await prepareProgram(bc, 'kube-scheduler', []))();
    await warmUp(bc);
    await settle(bc);

    const created = new Map<string, number>();
    const running = new Map<string, number>();
    const name = podName('rp-');
    const pods = await watchLines(bc, `/api/v1/namespaces/${runNs}/pods?watch=1`, (line, at) => {
      if (!isRunning.test(line)) return;
      const pod = name.exec(line)?.[1];
      if (pod !== undefined && !running.has(pod)) running.set(pod, at);
    });
    const events = await watchLines(bc, `/api/v1/namespaces/${runNs}/events?watch=1`, () => undefined);
    try {
      const rev0 = await etcdRevision(bc);
      const before = await cpuSnapshot(pidsOf(bc));
      const t0 = performance.now();
      const pace = opts.runQps ? 1000 / opts.runQps : 0;
      const createMs = await runPool(opts.runPods, opts.concurrency, async (i) => {
        const wait = t0 + i * pace - performance.now();
        if (wait > 0) await sleep(wait);
        const pod = `rp-${i}`;
        created.set(pod, performance.now());
        await bc.api.must(201, 'POST', `/api/v1/namespaces/${runNs}/pods`, runnablePod(runNs, pod));
      });
      await waitProgress(`${opts.runPods} pods Running`, () => running.size, opts.runPods, bc, [scheduler, kubelet], pods, 120_000)
        .catch(async (err: Error) => { throw new Error(`${err.message}\n${await podCounts(bc)}`); });
      const after = await cpuSnapshot(pidsOf(bc));
      const lastRunning = Math.max(...running.values());
      // Events are written behind the pods (a few at a time): let them drain before counting.
      for (let seen = -1, waited = 0; seen !== events.lines && waited < 60; waited++) {
        seen = events.lines;
        await sleep(1000);
      }
      const writes: WriteCount = {
        revisions: (await etcdRevision(bc)) - rev0, podWrites: pods.lines, eventWrites: events.lines,
        seconds: (performance.now() - t0) / 1000,
      };
      const latencies = [...running].map(([pod, at]) => at - created.get(pod)!);
      const rate = (opts.runPods * 1000) / (lastRunning - t0);
      const tenThousandth = [...running.values()].sort((a, b) => a - b)[Math.min(10_000, opts.runPods) - 1]!;
      rows.push(
        [`(i3) ${opts.runNodes} nodes Ready, from fake-kubelet spawn`, `${fmt(seconds, 1)} s`],
        [`    ${opts.runPods} pods POSTed (${fmt((opts.runPods * 1000) / createMs)}/s, ${opts.runQps ? `paced at ${opts.runQps}/s` : `${opts.concurrency} in flight`}): Running/s, first POST to last Running`,
          `${fmt(rate)} pods/s (kwok CI: 10,000 in 60 s, about 167/s)`],
        [`    ${Math.min(10_000, opts.runPods)} pods Running after`, `${fmt((tenThousandth - t0) / 1000, 1)} s`],
        ['    POST to Running p50 / p99', `${fmt(percentile(latencies, 50) / 1000, 2)} / ${fmt(percentile(latencies, 99) / 1000, 2)} s (SLO: p99 < 5 s)`],
        ...writeRows(writes, opts, rate),
        ['    CPU used from first POST to last Running', formatCpu(before, after)],
        [`(i4) RSS at the end of (i3): scheduler / fake-kubelet / apiserver`,
          `${await rssOf(scheduler)} / ${await rssOf(kubelet)} / ${await rssOf({ pid: bc.cluster.apiserverPid })}`],
      );
      summary.push(['cluster-running-pods-per-second', fmt(rate)], ['cluster-running-p99-seconds', fmt(percentile(latencies, 99) / 1000, 2)]);
    } finally {
      pods.close();
      events.close();
    }
  } finally {
    await stopBenchCluster(bc);
  }
}

/** Writes per pod, and what the apiserver's measured POST ceiling allows at that many writes per pod. */
function writeRows(w: WriteCount, opts: ClusterBenchOptions, rate: number): [string, string][] {
  const perPod = (w.podWrites + w.eventWrites) / opts.runPods;
  const otherPerSecond = (w.revisions - w.podWrites - w.eventWrites) / w.seconds;
  const ceiling = opts.apiserverPostRate === undefined
    ? '(b) did not run in this invocation: no apiserver write ceiling to compare'
    : `(b) measured ${fmt(opts.apiserverPostRate)} pod POSTs/s, so at ${fmt(perPod, 1)} writes per pod at most ~${fmt(opts.apiserverPostRate / perPod)} pods/s can reach Running`;
  return [
    [`    writes per pod (etcd: ${w.revisions} revisions in ${fmt(w.seconds)} s)`,
      `${fmt(perPod, 2)}: pod object ${fmt(w.podWrites / opts.runPods, 2)} + events ${fmt(w.eventWrites / opts.runPods, 2)}; besides, ${fmt(otherPerSecond)}/s of leases and node status`],
    ['    write rate at the Running rate above', `${fmt(perPod * rate + otherPerSecond)} writes/s; ${ceiling}`],
  ];
}

/** The largest .cpuprofile in each program's profile folder, summarised. */
function profileSummaries(profileDir: string): string[] {
  return readdirSync(profileDir).flatMap((dir) => {
    const files = readdirSync(join(profileDir, dir)).filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => join(profileDir, dir, f)).sort((a, b) => statSync(a).size - statSync(b).size);
    const file = files.pop();
    return file === undefined ? [`${dir}: no profile (did the program exit cleanly?)`]
      : [`${dir} CPU profile ${file}\n${summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), 15)}`];
  });
}

/** Runs (i1)–(i4), each part even when the one before failed; every process it starts is stopped before it resolves. */
export async function benchCluster(opts: ClusterBenchOptions): Promise<ClusterBenchResult> {
  const rows: [string, string][] = [];
  const summary: [string, string][] = [];
  // Profiles of this run in a folder of their own (cluster-<time>/<cluster>-<program>/).
  const run = { ...opts, profileDir: opts.profileDir && join(opts.profileDir, `cluster-${Date.now()}`) };
  const failures: string[] = [];
  for (const part of [schedulerBench, runningBench]) {
    try {
      await part(run, rows, summary);
    } catch (err) {
      failures.push((err as Error).message);
    }
  }
  return { rows, summary, failures, profiles: run.profileDir === undefined ? [] : profileSummaries(run.profileDir) };
}
