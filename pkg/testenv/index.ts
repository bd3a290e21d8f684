/**
 * kube-ts test environment: isolated Kubernetes-compatible clusters for test suites, one import.
 *
 *   import { startTestCluster } from 'kube-ts/testenv';
 *   const cluster = await startTestCluster({ components: ['kube-controller-manager'] });
 *   const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
 *   …
 *   await cluster.stop();
 *
 * Clusters share one etcd (each under its own key prefix) and one set of certificates; the first
 * cluster of a process starts them unless `ETCD_ENDPOINTS` names an etcd, or the vitest global setup
 * (`kube-ts/testenv/vitest-global-setup`) started them for the whole run.
 */
export { startTestCluster, repoRoot, type ClusterComponent, type TestCluster, type TestClusterOptions } from './test-cluster.ts';
export { sharedEnvironment, stopSharedEnvironment, etcdEndpointsEnv, pkiDirEnv, type SharedEnvironment } from './shared-environment.ts';
