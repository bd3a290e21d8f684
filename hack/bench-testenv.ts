/**
 * The test harness's start times for `make bench` (pkg/testenv): a cold start (etcd, certificates
 * and an apiserver, as the first cluster of a test process pays), warm starts (an apiserver on the
 * running etcd, as every later cluster pays; envtest needs 5–15 s per environment), a warm start
 * with the controller-manager, and 8 clusters started at once. Stops everything it started.
 */
import { startTestCluster, stopSharedEnvironment, type TestClusterOptions } from '../pkg/testenv/index.ts';
import { median } from './bench-load.ts';

/** Seconds from the call until the cluster is ready; the cluster is stopped afterwards (not timed). */
async function timedStart(options: TestClusterOptions = {}): Promise<number> {
  const started = performance.now();
  const cluster = await startTestCluster(options);
  const seconds = (performance.now() - started) / 1000;
  await cluster.stop();
  return seconds;
}

/** Rows (label, value) for the bench table. `warmRuns` warm starts give the median and the worst. */
export async function benchTestenv(warmRuns = 5): Promise<[string, string][]> {
  const s = (n: number): string => `${n.toFixed(2)} s`;
  await stopSharedEnvironment(); // the next start is cold: it starts etcd and makes certificates
  const inherited = process.env.ETCD_ENDPOINTS !== undefined && process.env.ETCD_ENDPOINTS !== '';
  const cold = await timedStart({ name: 'bench-cold' });
  const warm: number[] = [];
  for (let i = 0; i < warmRuns; i++) warm.push(await timedStart({ name: `bench-warm-${i}` }));
  const withKcm = await timedStart({ name: 'bench-kcm', components: ['kube-controller-manager'] });
  const parallelStart = performance.now();
  const many = await Promise.all(Array.from({ length: 8 }, (_, i) => startTestCluster({ name: `bench-par-${i}` })));
  const parallel = (performance.now() - parallelStart) / 1000;
  await Promise.all(many.map((c) => c.stop()));
  await stopSharedEnvironment();
  return [
    [`(g) test cluster cold start (${inherited ? 'ETCD_ENDPOINTS given: no etcd start' : 'etcd + certificates + apiserver'})`, s(cold)],
    [`    test cluster warm start (apiserver on the running etcd), median / max of ${warmRuns}`, `${s(median(warm))} / ${s(Math.max(...warm))}`],
    ['    test cluster warm start with kube-controller-manager', s(withKcm)],
    ['    8 test clusters started at once, until all are ready', s(parallel)],
  ];
}
