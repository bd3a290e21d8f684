/**
 * Cluster-wide kubectl commands (discovery, OpenAPI, version, health) for each kubectl binary,
 * and namespace deletion, against the whole local cluster.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../pkg/testenv/index.ts';
import { Kubectl, kubectlBinaries, tableHeader, tableRecords } from '../helpers/kubectl.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed kubectl output

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startTestCluster({ name: 'e2e-cluster', components: ['kube-controller-manager'] });
});

afterAll(async () => {
  await cluster?.stop();
});

const lines = (text: string): string[] => text.split('\n').filter((l) => l.trim() !== '');
const binaries = kubectlBinaries();

describe.each(binaries)('$label', (binary) => {
  let k: Kubectl;

  beforeAll(() => {
    k = new Kubectl(cluster, binary);
  });

  it('lists api-resources with short names, versions, scope and kind', async () => {
    const out = await k.ok(['api-resources']);
    expect(tableHeader(out)).toEqual(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
    const rows = tableRecords(out);
    const row = (name: string, apiVersion: string): Record<string, string> | undefined =>
      rows.find((r) => r.NAME === name && r.APIVERSION === apiVersion);
    const expected: [string, string, string, string, string][] = [
      ['pods', 'po', 'v1', 'true', 'Pod'],
      ['namespaces', 'ns', 'v1', 'false', 'Namespace'],
      ['services', 'svc', 'v1', 'true', 'Service'],
      ['configmaps', 'cm', 'v1', 'true', 'ConfigMap'],
      ['secrets', '', 'v1', 'true', 'Secret'],
      ['serviceaccounts', 'sa', 'v1', 'true', 'ServiceAccount'],
      ['nodes', 'no', 'v1', 'false', 'Node'],
      ['events', 'ev', 'v1', 'true', 'Event'],
      ['endpoints', 'ep', 'v1', 'true', 'Endpoints'],
      ['replicationcontrollers', 'rc', 'v1', 'true', 'ReplicationController'],
      ['deployments', 'deploy', 'apps/v1', 'true', 'Deployment'],
      ['replicasets', 'rs', 'apps/v1', 'true', 'ReplicaSet'],
      ['statefulsets', 'sts', 'apps/v1', 'true', 'StatefulSet'],
      ['daemonsets', 'ds', 'apps/v1', 'true', 'DaemonSet'],
      ['jobs', '', 'batch/v1', 'true', 'Job'],
      ['cronjobs', 'cj', 'batch/v1', 'true', 'CronJob'],
      ['leases', '', 'coordination.k8s.io/v1', 'true', 'Lease'],
      ['endpointslices', '', 'discovery.k8s.io/v1', 'true', 'EndpointSlice'],
      ['events', 'ev', 'events.k8s.io/v1', 'true', 'Event'],
    ];
    for (const [name, short, apiVersion, namespaced, kind] of expected) {
      expect(row(name, apiVersion), `${name} ${apiVersion}`).toEqual({
        NAME: name,
        SHORTNAMES: short,
        APIVERSION: apiVersion,
        NAMESPACED: namespaced,
        KIND: kind,
      });
    }
    // Subresources are not listed.
    expect(rows.some((r) => r.NAME?.includes('/'))).toBe(false);
    const namespaced = lines(await k.ok(['api-resources', '--namespaced=false', '-o', 'name']));
    expect(namespaced).toEqual(expect.arrayContaining(['namespaces', 'nodes']));
    expect(namespaced).not.toContain('pods');
  });

  it('lists api-versions', async () => {
    const versions = lines(await k.ok(['api-versions']));
    expect(versions).toEqual(
      expect.arrayContaining(['v1', 'apps/v1', 'batch/v1', 'coordination.k8s.io/v1', 'discovery.k8s.io/v1', 'events.k8s.io/v1']),
    );
    expect(versions).toEqual([...versions].sort());
  });

  it('explains a field from the served OpenAPI', async () => {
    const out = await k.ok(['explain', 'deployment.spec.replicas']);
    expect(out).toMatch(/KIND:\s+Deployment/);
    expect(out).toMatch(/FIELD:\s+replicas\s+<integer>/);
    expect(out).toMatch(/Number of desired pods/);
  });

  it('reports the server version', async () => {
    const out = await k.ok(['version']);
    // kubectl 1.27 still prints the long version.Info{…} form by default.
    expect(out).toMatch(/^Server Version: (v1\.32\.0|version\.Info\{.*GitVersion:"v1\.32\.0".*\})$/m);
    const json = JSON.parse(await k.ok(['version', '-o', 'json'])) as Json;
    expect(json.serverVersion).toMatchObject({ major: '1', minor: '32', gitVersion: 'v1.32.0', platform: 'linux/amd64' });
    if (binary.label === 'kubectl') expect(json.clientVersion.gitVersion).toMatch(/^v1\.32\./); // the dispatcher's pick
  });

  it('prints cluster-info and raw health endpoints', async () => {
    // kubectl 1.27 colours this line even when stdout is not a terminal.
    const info = (await k.ok(['cluster-info'])).replace(/\x1b\[[0-9;]*m/g, '');
    expect(lines(info)[0]).toBe(`Kubernetes control plane is running at ${cluster.apiserverUrl}`);
    const [readyz, livez, healthz, verbose] = await Promise.all([
      k.ok(['get', '--raw', '/readyz']),
      k.ok(['get', '--raw', '/livez']),
      k.ok(['get', '--raw', '/healthz']),
      k.ok(['get', '--raw', '/readyz?verbose']),
    ]);
    expect([readyz, livez, healthz]).toEqual(['ok', 'ok', 'ok']);
    expect(verbose).toMatch(/^\[\+\]etcd ok$/m);
    expect(verbose.trim()).toMatch(/readyz check passed$/);
    const version = JSON.parse(await k.ok(['get', '--raw', '/version'])) as Json;
    expect(version.gitVersion).toBe('v1.32.0');
  });
});

describe('kubectl delete namespace', () => {
  it('marks the namespace Terminating; the namespace controller, when running, empties and removes it', async () => {
    const k = new Kubectl(cluster, binaries[0]!);
    await k.ok(['create', 'namespace', 'doomed']);
    await k.ok(['create', 'configmap', 'inside', '--from-literal=a=b', '-n', 'doomed']);
    // --wait=false: without a namespace controller kubectl would wait for a deletion that never finishes.
    expect((await k.ok(['delete', 'namespace', 'doomed', '--wait=false'])).trim()).toBe('namespace "doomed" deleted');
    const got = await k.run(['get', 'namespace', 'doomed', '-o', 'json']);
    if (got.code === 0) {
      const ns = JSON.parse(got.stdout) as Json;
      expect(ns.status.phase).toBe('Terminating');
      expect(ns.metadata.deletionTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(ns.spec.finalizers).toEqual(['kubernetes']);
    } else {
      expect(got.stderr.trim()).toBe('Error from server (NotFound): namespaces "doomed" not found');
    }
    const notFound = 'Error from server (NotFound): namespaces "doomed" not found';
    if (!cluster.processes.has('kube-controller-manager')) {
      const table = tableRecords(await k.ok(['get', 'ns', 'doomed']));
      expect(table[0]).toMatchObject({ NAME: 'doomed', STATUS: 'Terminating' });
      return;
    }
    const deadline = Date.now() + 30_000;
    let last = await k.run(['get', 'namespace', 'doomed']);
    while (last.code === 0 && Date.now() < deadline) {
      expect(tableRecords(last.stdout)[0]).toMatchObject({ NAME: 'doomed', STATUS: 'Terminating' });
      await new Promise((resolve) => setTimeout(resolve, 250));
      last = await k.run(['get', 'namespace', 'doomed']);
    }
    expect(last.stderr.trim()).toBe(notFound);
    expect((await k.run(['get', 'configmaps', '-n', 'doomed', '-o', 'name'])).stdout).toBe('');
  });
});
