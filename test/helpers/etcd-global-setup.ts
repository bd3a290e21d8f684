import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEtcdCluster, type EtcdCluster } from '../../hack/etcd-cluster.ts';

// Tests read the endpoints with `inject('etcdEndpoints')` and isolate themselves
// with their own key prefix (an etcd3 namespace), so files can run in parallel.
declare module 'vitest' {
  export interface ProvidedContext {
    etcdEndpoints: string[];
  }
}

let cluster: EtcdCluster | undefined;
let dataDir: string | undefined;

/** Parses ETCD_ENDPOINTS ("http://a:2379,http://b:2379"); empty when unset. */
export function endpointsFromEnv(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * vitest globalSetup for the integration tier: uses the cluster named by
 * ETCD_ENDPOINTS, or starts a 3-member cluster in a temporary directory.
 */
export async function setup(project: TestProject): Promise<void> {
  let endpoints = endpointsFromEnv(process.env.ETCD_ENDPOINTS);
  if (endpoints.length === 0) {
    dataDir = mkdtempSync(join(tmpdir(), 'kube-ts-it-etcd-'));
    cluster = await startEtcdCluster({ dataDir, members: 3 });
    endpoints = cluster.endpoints;
  }
  project.provide('etcdEndpoints', endpoints);
}

/** Stops the cluster this setup started (if any) and removes its data. */
export async function teardown(): Promise<void> {
  await cluster?.stop();
  cluster = undefined;
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
}
