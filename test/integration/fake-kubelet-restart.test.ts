/**
 * The fake-kubelet restarted against the same cluster: it takes its nodes over instead of
 * duplicating them, keeps their pod CIDRs, and continues the pods it was running (same IP,
 * same container, no status rewrite). Stopping it stops the heartbeats and nothing else.
 * Also: the program's strict command line (exit code 2) and --help.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { startProcess, type ManagedProcess } from '../../hack/managed-process.ts';
import { bundledEntry } from '../../pkg/testenv/bundle.ts';
import { repoRoot, startTestCluster, type TestCluster } from '../../pkg/testenv/index.ts';
import { RestClient } from '../../pkg/client/rest-client.ts';
import { eventually } from '../helpers/eventually.ts';

const ns = 'fk-restart';
let cluster: TestCluster;
let api: RestClient;
let bundle: string;
let kubelet: ManagedProcess | undefined;

interface Lease { spec: { renewTime: string } }

/** Two nodes renewing their leases every second (duration 4 s) so heartbeats are quick to see. */
function startKubelet(): ManagedProcess {
  return startProcess({
    name: 'fake-kubelet', command: process.execPath,
    args: [bundle, `--kubeconfig=${cluster.kubeconfig}`, '--nodes=2', '--node-name-prefix=r-', '--node-lease-duration-seconds=4', '--node-zones=z1,z2'],
    logFile: join(cluster.dir, 'logs', 'fake-kubelet-restart.log'), cwd: repoRoot, env: { ...process.env, KUBE_TS_ROOT: repoRoot },
  });
}

beforeAll(async () => {
  cluster = await startTestCluster({ name: 'fake-kubelet-restart' });
  api = new RestClient(cluster.kubeConfig);
  bundle = await bundledEntry(repoRoot, 'cmd/fake-kubelet/main.ts');
  await api.request('POST', '/api/v1/namespaces', { metadata: { name: ns } });
  await api.request('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { metadata: { name: 'default' } });
}, 120_000);

afterAll(async () => {
  await kubelet?.stop();
  await cluster?.stop();
});

const getPod = (name: string) => api.request<Pod>('GET', `/api/v1/namespaces/${ns}/pods/${name}`);
const lease = (name: string) => api.request<Lease>('GET', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${name}`);

describe('fake-kubelet command line', () => {
  it('refuses an unknown flag with exit code 2 and prints --help', () => {
    const bad = spawnSync(process.execPath, [bundle, '--kubeconfig=/x', '--no-such-flag'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("fake-kubelet: Unknown option '--no-such-flag'");
    const help = spawnSync(process.execPath, [bundle, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--node-capacity');
  });
});

describe('fake-kubelet restart', () => {
  it('takes its nodes over, continues its pods, and only heartbeats stop while it is down', async () => {
    kubelet = startKubelet();
    await eventually(async () => {
      const n = await api.request<Node>('GET', '/api/v1/nodes/r-1');
      expect(n.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
      expect(n.metadata?.labels?.['topology.kubernetes.io/zone']).toBe('z2');
    }, 30_000);
    const before = await api.request<Node>('GET', '/api/v1/nodes/r-1');
    await api.request('POST', `/api/v1/namespaces/${ns}/pods`, {
      metadata: { name: 'survivor' }, spec: { nodeName: 'r-1', containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }] },
    });
    let running: Pod | undefined;
    await eventually(async () => {
      running = await getPod('survivor');
      expect(running.status?.phase).toBe('Running');
    });

    await kubelet.stop();
    const lastRenew = (await lease('r-1')).spec.renewTime;
    await new Promise((r) => setTimeout(r, 2500));
    expect((await lease('r-1')).spec.renewTime).toBe(lastRenew);
    expect((await getPod('survivor')).metadata?.resourceVersion).toBe(running!.metadata?.resourceVersion);
    // Bound while the kubelet is down, and listed before the survivor ("early…" < "survivor"): it must
    // not be given the survivor's address, which the restarted kubelet only learns from the list.
    await api.request('POST', `/api/v1/namespaces/${ns}/pods`, {
      metadata: { name: 'early-bird' }, spec: { nodeName: 'r-1', containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }] },
    });

    kubelet = startKubelet();
    await eventually(async () => {
      expect(Date.parse((await lease('r-1')).spec.renewTime)).toBeGreaterThan(Date.parse(lastRenew));
    }, 30_000);
    const nodes = await api.request<{ items: Node[] }>('GET', '/api/v1/nodes');
    expect(nodes.items.map((n) => n.metadata?.name).sort()).toEqual(['r-0', 'r-1']);
    const after = nodes.items.find((n) => n.metadata?.name === 'r-1')!;
    expect(after.metadata?.uid).toBe(before.metadata?.uid);
    expect(after.spec?.podCIDR).toBe(before.spec?.podCIDR);

    // A new pod on the node gets another address: the survivor's is still taken.
    await api.request('POST', `/api/v1/namespaces/${ns}/pods`, {
      metadata: { name: 'newcomer' }, spec: { nodeName: 'r-1', containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }] },
    });
    let newcomer: Pod | undefined;
    await eventually(async () => {
      newcomer = await getPod('newcomer');
      expect(newcomer.status?.phase).toBe('Running');
    });
    const survivor = await getPod('survivor');
    const earlyBird = await getPod('early-bird');
    expect(earlyBird.status?.phase).toBe('Running');
    expect(new Set([newcomer!.status?.podIP, earlyBird.status?.podIP, survivor.status?.podIP]).size).toBe(3);
    expect(survivor.status?.podIP).toBe(running!.status?.podIP);
    expect(survivor.status?.containerStatuses?.[0]?.containerID).toBe(running!.status?.containerStatuses?.[0]?.containerID);
    expect(survivor.status?.containerStatuses?.[0]?.restartCount).toBe(0);
    expect(survivor.metadata?.resourceVersion).toBe(running!.metadata?.resourceVersion);
  }, 90_000);
});
