/**
 * Stages end to end: a fake-kubelet started with --stages against a real apiserver and etcd.
 * The built-in stages' annotations delay readiness and make a container exit with a given code;
 * a user's stage selecting pods by label fails them at start with its reason and emits its event;
 * a bad stage file stops the program at start (exit 1) naming the line and field.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event, Node, Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import { startProcess, type ManagedProcess } from '../../hack/managed-process.ts';
import { bundledEntry } from '../../pkg/testenv/bundle.ts';
import { repoRoot, startTestCluster, type TestCluster } from '../../pkg/testenv/index.ts';
import { ApiError, RestClient } from '../../pkg/client/rest-client.ts';
import { eventually } from '../helpers/eventually.ts';

const ns = 'fk-stages';
const nodeName = 'st-0';
let cluster: TestCluster;
let api: RestClient;
let bundle: string;
let kubelet: ManagedProcess | undefined;

/** The user's file: pods labelled stage-test=broken fail 1 s after admission, with an event. */
const userStages = `# pods that are meant to fail
apiVersion: fake-kubelet.kube-ts.io/v1alpha1
kind: Stage
metadata:
  name: broken-pods-fail
spec:
  resourceRef:
    kind: Pod
  selector:
    matchLabels:
      stage-test: broken
    matchExpressions:
    - key: .status.phase
      operator: In
      values: [Pending]
  delay:
    durationMilliseconds: 1000
  next:
    podPhase: Failed
    reason: SimulatedFailure
    message: failed by the user's stage
    event:
      type: Warning
      reason: SimulatedFailure
      message: broken-pods-fail selected this pod
`;

beforeAll(async () => {
  cluster = await startTestCluster({ name: 'fake-kubelet-stages' });
  api = new RestClient(cluster.kubeConfig);
  bundle = await bundledEntry(repoRoot, 'cmd/fake-kubelet/main.ts');
  const stagesFile = join(cluster.dir, 'stages.yaml');
  writeFileSync(stagesFile, userStages);
  kubelet = startProcess({
    name: 'fake-kubelet', command: process.execPath,
    args: [bundle, `--kubeconfig=${cluster.kubeconfig}`, '--nodes=1', '--node-name-prefix=st-', `--stages=${stagesFile}`],
    logFile: join(cluster.dir, 'logs', 'fake-kubelet-stages.log'), cwd: repoRoot, env: { ...process.env, KUBE_TS_ROOT: repoRoot },
  });
  await api.request('POST', '/api/v1/namespaces', { metadata: { name: ns } });
  await api.request('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { metadata: { name: 'default' } });
  await eventually(async () => {
    const n = await api.request<Node>('GET', `/api/v1/nodes/${nodeName}`);
    expect(n.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  }, 30_000);
}, 120_000);

afterAll(async () => {
  await kubelet?.stop();
  await cluster?.stop();
});

async function createPod(name: string, meta: { labels?: Record<string, string>; annotations?: Record<string, string> }, spec: Partial<PodSpec> = {}): Promise<Pod> {
  return api.request<Pod>('POST', `/api/v1/namespaces/${ns}/pods`, {
    metadata: { name, ...meta },
    spec: { nodeName, containers: [{ name: 'main', image: 'busybox:1.36', command: ['sleep', '3600'] }], ...spec },
  });
}

const getPod = (name: string) => api.request<Pod>('GET', `/api/v1/namespaces/${ns}/pods/${name}`);
const condition = (pod: Pod, type: string) => pod.status?.conditions?.find((c) => c.type === type)?.status;

async function waitPod(name: string, check: (pod: Pod) => void, timeoutMs = 20_000): Promise<Pod> {
  let pod: Pod | undefined;
  await eventually(async () => {
    pod = await getPod(name);
    check(pod);
  }, timeoutMs);
  return pod!;
}

describe('fake-kubelet --stages command line', () => {
  it('refuses a bad stage file at start with exit code 1, naming the line and field', () => {
    const bad = join(cluster.dir, 'bad-stages.yaml');
    writeFileSync(bad, userStages.replace('durationMilliseconds: 1000', 'durationMilliseconds: soon'));
    const run = spawnSync(process.execPath, [bundle, `--kubeconfig=${cluster.kubeconfig}`, `--stages=${bad}`],
      { encoding: 'utf8', env: { ...process.env, KUBE_TS_ROOT: repoRoot }, timeout: 20_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`fake-kubelet: ${bad}:17: spec.delay.durationMilliseconds: must be an integer, not string "soon"\n`);

    const missing = spawnSync(process.execPath, [bundle, `--kubeconfig=${cluster.kubeconfig}`, '--stages=/nonexistent/stages.yaml'],
      { encoding: 'utf8', env: { ...process.env, KUBE_TS_ROOT: repoRoot }, timeout: 20_000 });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe('fake-kubelet: /nonexistent/stages.yaml: cannot read stage file: ENOENT\n');
  });
});

describe('fake-kubelet stages', () => {
  it('delays Ready by the ready-after annotation while the pod runs', async () => {
    await createPod('ready-later', { annotations: { 'fake-kubelet.kube-ts.io/ready-after': '4s' } });
    const running = await waitPod('ready-later', (p) => expect(p.status?.phase).toBe('Running'));
    const runningSeen = Date.now();
    expect(condition(running, 'Ready')).toBe('False');
    expect(running.status?.containerStatuses?.[0]).toMatchObject({ ready: false, started: true, state: { running: {} } });
    const ready = await waitPod('ready-later', (p) => expect(condition(p, 'Ready')).toBe('True'));
    expect(Date.now() - runningSeen).toBeGreaterThan(2_500);
    // The kubelet's own clock: Ready turned True about 4 s after the container started.
    const startedAt = Date.parse(ready.status!.containerStatuses![0]!.state!.running!.startedAt!);
    const readyAt = Date.parse(ready.status!.conditions!.find((c) => c.type === 'Ready')!.lastTransitionTime!);
    expect(readyAt - startedAt).toBeGreaterThanOrEqual(3_000);
    expect(readyAt - startedAt).toBeLessThanOrEqual(6_000);
  });

  it('makes the main container exit with the exit-code annotation: Failed under restartPolicy Never', async () => {
    await createPod('exit-never', { annotations: { 'fake-kubelet.kube-ts.io/exit-code': '3' } }, { restartPolicy: 'Never' });
    const pod = await waitPod('exit-never', (p) => expect(p.status?.phase).toBe('Failed'));
    expect(pod.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(pod.status?.containerStatuses?.[0]?.restartCount).toBe(0);
  });

  it('makes the main container exit with the exit-code annotation: CrashLoopBackOff under restartPolicy Always', async () => {
    await createPod('exit-always', { annotations: { 'fake-kubelet.kube-ts.io/exit-code': '7', 'fake-kubelet.kube-ts.io/exit-after': '500ms' } });
    const pod = await waitPod('exit-always', (p) => {
      expect(p.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('CrashLoopBackOff');
    });
    expect(pod.status?.phase).toBe('Running');
    expect(pod.status?.containerStatuses?.[0]?.restartCount).toBeGreaterThanOrEqual(1);
    expect(pod.status?.containerStatuses?.[0]?.lastState?.terminated).toMatchObject({ exitCode: 7, reason: 'Error' });
  });

  it('fails pods a user stage selects by label, with its reason and event, and leaves other pods alone', async () => {
    const created = Date.now();
    await createPod('broken', { labels: { 'stage-test': 'broken' } });
    await createPod('unbroken', { labels: { 'stage-test': 'fine' } });
    const failed = await waitPod('broken', (p) => expect(p.status?.phase).toBe('Failed'));
    expect(Date.now() - created).toBeGreaterThanOrEqual(900);
    expect(failed.status).toMatchObject({ reason: 'SimulatedFailure', message: 'failed by the user\'s stage' });
    // Its containers never started.
    expect(failed.status?.containerStatuses?.[0]?.containerID).toBeUndefined();
    await eventually(async () => {
      const events = await api.request<{ items: Event[] }>('GET', `/api/v1/namespaces/${ns}/events?fieldSelector=involvedObject.name%3Dbroken`);
      expect(events.items.map((e) => [e.type, e.reason, e.message, e.source?.component])).toContainEqual(
        ['Warning', 'SimulatedFailure', 'broken-pods-fail selected this pod', 'kubelet']);
      expect(events.items.some((e) => e.reason === 'Started')).toBe(false);
    });
    await waitPod('unbroken', (p) => {
      expect(p.status?.phase).toBe('Running');
      expect(condition(p, 'Ready')).toBe('True');
    });
  });

  it('still deletes pods through the built-in pod-delete stage, failed ones included', async () => {
    for (const name of ['broken', 'unbroken']) await api.request('DELETE', `/api/v1/namespaces/${ns}/pods/${name}`);
    for (const name of ['broken', 'unbroken']) {
      await eventually(async () => {
        await expect(getPod(name)).rejects.toSatisfy((err: unknown) => err instanceof ApiError && err.code === 404);
      }, 15_000);
    }
  });
});
