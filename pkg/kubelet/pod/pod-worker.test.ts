import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { PodWorker } from './pod-worker.ts';

interface Recorded { reason: string; message: string; type: string; fieldPath?: string }

function setup(spec: Partial<Pod['spec']> & { containers: Container[] }) {
  const events: Recorded[] = [];
  let changes = 0;
  let finished = 0;
  const released: string[] = [];
  const pod: Pod = { metadata: { name: 'p', namespace: 'ns', uid: 'uid-1' }, spec: { nodeName: 'n', ...spec } };
  const worker = new PodWorker(pod, {
    nodeName: 'n', hostIP: '127.0.0.1',
    events: { record: (ref, _host, type, reason, message) => events.push({ reason, message, type, fieldPath: ref.fieldPath }) },
    changed: () => { changes++; },
    finished: () => { finished++; },
    allocateIp: () => '10.244.0.2',
    releaseIp: (ip) => released.push(ip),
  });
  worker.start();
  const status = () => worker.status(undefined, new Date());
  return { worker, events, status, released, changes: () => changes, finished: () => finished };
}

const sh = (script: string): Container => ({ name: 'main', image: 'busybox:1.36', command: ['sh', '-c', script] });

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2025-01-01T00:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('PodWorker', () => {
  it('starts a container at once with the kubelet events and an IP', () => {
    const { status, events } = setup({ containers: [{ name: 'main', image: 'busybox:1.36', command: ['sleep', '3600'] }] });
    const s = status();
    expect(s.phase).toBe('Running');
    expect(s.podIP).toBe('10.244.0.2');
    expect(s.containerStatuses?.[0]).toMatchObject({ ready: true, started: true, restartCount: 0 });
    expect(events.map((e) => e.reason)).toEqual(['Pulled', 'Created', 'Started']);
    expect(events[0]).toEqual({ type: 'Normal', reason: 'Pulled', message: 'Container image "busybox:1.36" already present on machine', fieldPath: 'spec.containers{main}' });
  });

  it('crash-loops with the kubelet back-off: at once, then 10s, then 20s', () => {
    const { status, events } = setup({ containers: [sh('sleep 1; exit 2')] });
    vi.advanceTimersByTime(1000); // first crash: restarted at once
    expect(status().containerStatuses?.[0]).toMatchObject({ restartCount: 1, state: { running: {} }, lastState: { terminated: { exitCode: 2, reason: 'Error' } } });
    vi.advanceTimersByTime(1000); // second crash: back-off 10s
    const waiting = status().containerStatuses?.[0];
    expect(waiting?.state?.waiting).toEqual({ reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=main pod=p_ns(uid-1)' });
    expect(waiting?.restartCount).toBe(1);
    expect(status().phase).toBe('Running');
    vi.advanceTimersByTime(9999);
    expect(status().containerStatuses?.[0]?.state?.waiting?.reason).toBe('CrashLoopBackOff');
    vi.advanceTimersByTime(1);
    expect(status().containerStatuses?.[0]).toMatchObject({ restartCount: 2, state: { running: {} } });
    vi.advanceTimersByTime(1000);
    expect(status().containerStatuses?.[0]?.state?.waiting?.message).toMatch(/^back-off 20s /);
    expect(events.filter((e) => e.reason === 'BackOff').at(-1)?.message).toBe('Back-off restarting failed container main in pod p_ns(uid-1)');
  });

  it('keeps logs per instance: current and previous', () => {
    const { worker } = setup({ containers: [sh('echo hello; echo oops >&2; sleep 1; exit 1')] });
    expect(worker.log('main', false).log?.lines().map((l) => [l.stream, l.text])).toEqual([['stdout', 'hello'], ['stderr', 'oops']]);
    expect(worker.log('main', true).log).toBeUndefined();
    vi.advanceTimersByTime(1000);
    const previous = worker.log('main', true).log!;
    expect(previous.terminated()).toBe(true);
    expect(previous.lines()).toHaveLength(2);
    expect(worker.log('main', false).log?.terminated()).toBe(false);
  });

  it('runs init containers one after another, then the containers', () => {
    const { status } = setup({
      initContainers: [{ name: 'a', image: 'busybox', command: ['sleep', '2'] }, { name: 'b', image: 'busybox', command: ['true'] }],
      containers: [{ name: 'main', image: 'busybox', command: ['sleep', '100'] }],
    });
    expect(status().initContainerStatuses?.map((c) => Object.keys(c.state ?? {})[0])).toEqual(['running', 'waiting']);
    vi.advanceTimersByTime(2000);
    expect(status().initContainerStatuses?.[1]?.state?.running).toBeTruthy();
    vi.advanceTimersByTime(1); // `true` exits as soon as it started
    const s = status();
    expect(s.initContainerStatuses?.map((c) => c.state?.terminated?.reason)).toEqual(['Completed', 'Completed']);
    expect(s.initContainerStatuses?.map((c) => c.ready)).toEqual([true, true]);
    expect(s.phase).toBe('Running');
  });

  it('retries a failing init container under OnFailure', () => {
    const { status } = setup({
      restartPolicy: 'OnFailure',
      initContainers: [{ name: 'a', image: 'busybox', command: ['false'] }],
      containers: [{ name: 'main', image: 'busybox', command: ['sleep', '100'] }],
    });
    vi.advanceTimersByTime(10);
    const init = status().initContainerStatuses?.[0];
    expect(init?.restartCount).toBe(1); // the first failure restarts at once; the second waits
    expect(init?.state?.waiting?.reason).toBe('CrashLoopBackOff');
    expect(status().phase).toBe('Pending');
  });

  it('finishes Succeeded when every container completes under Never, and releases the IP', () => {
    const t = setup({ restartPolicy: 'Never', containers: [sh('sleep 1')] });
    vi.advanceTimersByTime(1000);
    expect(t.status().phase).toBe('Succeeded');
    expect(t.finished()).toBe(1);
    expect(t.released).toEqual(['10.244.0.2']);
    expect(t.status().podIP).toBe('10.244.0.2');
  });

  it('kills on a failing startup probe after failureThreshold periods', () => {
    const { status, events } = setup({ containers: [{
      name: 'main', image: 'busybox', command: ['sleep', '100'], startupProbe: { exec: { command: ['/bin/false'] }, periodSeconds: 2, failureThreshold: 3 },
    }] });
    expect(status().containerStatuses?.[0]).toMatchObject({ started: false, ready: false });
    vi.advanceTimersByTime(3999); // probes at 0 s, 2 s, 4 s: the third failure kills
    expect(status().containerStatuses?.[0]?.restartCount).toBe(0);
    vi.advanceTimersByTime(1);
    expect(status().containerStatuses?.[0]).toMatchObject({ restartCount: 1, lastState: { terminated: { exitCode: 137 } } });
    expect(events.filter((e) => e.reason === 'Unhealthy').map((e) => e.message)).toEqual(Array(3).fill('Startup probe failed: '));
    expect(events.some((e) => e.message === 'Container main failed startup probe, will be restarted')).toBe(true);
  });

  it('becomes started, then ready, after a passing startup probe and readiness delay', () => {
    const { status } = setup({ containers: [{
      name: 'main', image: 'busybox', command: ['sleep', '100'],
      startupProbe: { httpGet: { port: 80 }, initialDelaySeconds: 1, periodSeconds: 1 }, readinessProbe: { tcpSocket: { port: 80 }, initialDelaySeconds: 3, periodSeconds: 1 },
    }] });
    expect(status().containerStatuses?.[0]).toMatchObject({ started: false, ready: false });
    vi.advanceTimersByTime(1000);
    expect(status().containerStatuses?.[0]).toMatchObject({ started: true, ready: false });
    vi.advanceTimersByTime(2000);
    expect(status().containerStatuses?.[0]).toMatchObject({ started: true, ready: true });
  });

  it('stops for deletion: containers terminated, pod terminal, never restarted', () => {
    const { worker, status, events } = setup({ containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }] });
    worker.stopForDeletion();
    const s = status();
    expect(s.phase).toBe('Failed');
    expect(s.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 143, reason: 'Error' });
    expect(events.at(-1)).toMatchObject({ reason: 'Killing', message: 'Stopping container main' });
    vi.advanceTimersByTime(60_000);
    expect(status().containerStatuses?.[0]?.restartCount).toBe(0);
  });

  it('fails at activeDeadlineSeconds and stays failed', () => {
    const { status, finished } = setup({ activeDeadlineSeconds: 5, containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }] });
    vi.advanceTimersByTime(5000);
    expect(status()).toMatchObject({ phase: 'Failed', reason: 'DeadlineExceeded' });
    expect(finished()).toBe(1);
  });

  it('reports ErrImagePull, then ImagePullBackOff, then pulls again after the back-off', () => {
    const { status, events } = setup({ containers: [{ name: 'main', image: 'nonexistent/app:1', command: ['sleep', '100'] }] });
    expect(status().containerStatuses?.[0]?.state?.waiting?.reason).toBe('ErrImagePull');
    vi.advanceTimersByTime(1000);
    expect(status().containerStatuses?.[0]?.state?.waiting).toMatchObject({ reason: 'ImagePullBackOff' });
    expect(status().containerStatuses?.[0]?.state?.waiting?.message).toMatch(/^Back-off pulling image "nonexistent\/app:1": ErrImagePull: /);
    vi.advanceTimersByTime(9000);
    expect(status().containerStatuses?.[0]?.state?.waiting?.reason).toBe('ErrImagePull');
    expect(events.filter((e) => e.reason === 'Failed').map((e) => e.message)).toContain('Error: ImagePullBackOff');
    expect(status().phase).toBe('Pending');
  });

  it('continues a pod a previous process ran: same IP, container, start time', () => {
    const first = setup({ containers: [{ name: 'main', image: 'busybox', command: ['sleep', '10'] }] });
    const written = first.status();
    first.worker.dispose();
    vi.advanceTimersByTime(4000);
    const pod: Pod = { metadata: { name: 'p', namespace: 'ns', uid: 'uid-1' }, spec: { nodeName: 'n', containers: [{ name: 'main', image: 'busybox', command: ['sleep', '10'] }] }, status: written };
    const again = new PodWorker(pod, {
      nodeName: 'n', hostIP: '127.0.0.1', events: { record: () => {} }, changed: () => {}, finished: () => {},
      allocateIp: () => 'never', releaseIp: () => {},
    });
    again.start(written);
    const s = again.status(written, new Date());
    expect(s.podIP).toBe(written.podIP);
    expect(s.containerStatuses?.[0]?.containerID).toBe(written.containerStatuses?.[0]?.containerID);
    expect(s.containerStatuses?.[0]?.state).toEqual(written.containerStatuses?.[0]?.state);
    vi.advanceTimersByTime(6000); // the 10 s sleep ends on its original schedule
    expect(again.status(s, new Date()).containerStatuses?.[0]?.state?.terminated).toBeUndefined();
    expect(again.status(s, new Date()).containerStatuses?.[0]?.restartCount).toBe(1);
  });

  it('runs a sidecar beside the containers and stops it when they complete', () => {
    const { status } = setup({
      restartPolicy: 'Never',
      initContainers: [
        { name: 'proxy', image: 'busybox', command: ['sleep', 'infinity'], restartPolicy: 'Always', startupProbe: { tcpSocket: { port: 1 }, initialDelaySeconds: 1, periodSeconds: 1 } },
        { name: 'setup', image: 'busybox', command: ['true'] },
      ],
      containers: [{ name: 'main', image: 'busybox', command: ['sleep', '2'] }],
    });
    expect(status().initContainerStatuses?.map((c) => Object.keys(c.state ?? {})[0])).toEqual(['running', 'waiting']);
    expect(status().conditions?.find((c) => c.type === 'Initialized')?.message).toBe('containers with incomplete status: [proxy setup]');
    vi.advanceTimersByTime(1000); // the sidecar has started: the next init container runs, and exits
    vi.advanceTimersByTime(1);
    let s = status();
    expect(s.phase).toBe('Running');
    expect(s.initContainerStatuses?.[0]).toMatchObject({ started: true, ready: true, state: { running: {} } });
    expect(s.conditions?.find((c) => c.type === 'ContainersReady')?.status).toBe('True');
    vi.advanceTimersByTime(2000);
    s = status();
    expect(s.phase).toBe('Succeeded');
    expect(s.initContainerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 143 });
  });

  it('never readies a container whose readiness probe reaches a port it does not serve, and never restarts it', () => {
    const { status, events } = setup({ containers: [{
      name: 'test-webserver', image: 'registry.k8s.io/e2e-test-images/agnhost:2.53', args: ['test-webserver'], ports: [{ containerPort: 80 }],
      readinessProbe: { httpGet: { path: '/', port: 81 } },
    }] });
    vi.advanceTimersByTime(60_000);
    expect(status().containerStatuses?.[0]).toMatchObject({ ready: false, started: true, restartCount: 0, state: { running: {} } });
    expect(status().conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    const unhealthy = events.filter((e) => e.reason === 'Unhealthy');
    expect(unhealthy).toHaveLength(7); // at 0 s, 10 s, … 60 s
    expect(unhealthy[0]?.message).toBe('Readiness probe failed: Get "http://10.244.0.2:81/": dial tcp 10.244.0.2:81: connect: connection refused');
  });

  it('readies after the initial delay, at the first probe period that follows it', () => {
    const { status } = setup({ containers: [{
      name: 'test-webserver', image: 'registry.k8s.io/e2e-test-images/agnhost:2.53', args: ['test-webserver'],
      readinessProbe: { httpGet: { path: '/', port: 80 }, initialDelaySeconds: 15 },
    }] });
    vi.advanceTimersByTime(19_999);
    expect(status().containerStatuses?.[0]?.ready).toBe(false);
    vi.advanceTimersByTime(1);
    expect(status().containerStatuses?.[0]?.ready).toBe(true);
  });

  it('needs successThreshold passing readiness probes in a row', () => {
    const { status } = setup({ containers: [{
      name: 'main', image: 'busybox', command: ['sleep', '100'], readinessProbe: { exec: { command: ['true'] }, periodSeconds: 2, successThreshold: 3 },
    }] });
    vi.advanceTimersByTime(3999);
    expect(status().containerStatuses?.[0]?.ready).toBe(false);
    vi.advanceTimersByTime(1);
    expect(status().containerStatuses?.[0]?.ready).toBe(true);
  });

  it('kills a container failing its liveness probe and, under restartPolicy Never, does not restart it', () => {
    const { status, events } = setup({ restartPolicy: 'Never', containers: [{
      name: 'main', image: 'busybox', command: ['sleep', '100'], livenessProbe: { exec: { command: ['/bin/false'] }, periodSeconds: 1, failureThreshold: 2 },
    }] });
    vi.advanceTimersByTime(1000);
    const s = status();
    expect(s.phase).toBe('Failed');
    expect(s.containerStatuses?.[0]).toMatchObject({ restartCount: 0, state: { terminated: { exitCode: 137 } } });
    expect(events.filter((e) => e.reason === 'Killing').map((e) => e.message)).toEqual(['Container main failed liveness probe']);
  });

  it.each([
    ['..', "unable to provision SubPath `..`: must not contain '..'"],
    ['/tmp', 'error SubPath `/tmp` must not be an absolute path'],
  ])('leaves a container whose subPathExpr expands to %s waiting with CreateContainerConfigError', (value, message) => {
    const { status, events } = setup({
      restartPolicy: 'Never', volumes: [{ name: 'workdir1', emptyDir: {} }],
      containers: [{
        name: 'dapi-container', image: 'busybox:1.36', env: [{ name: 'POD_NAME', value }],
        volumeMounts: [{ name: 'workdir1', mountPath: '/logscontainer', subPathExpr: '$(POD_NAME)' }],
      }],
    });
    const s = status();
    expect(s.phase).toBe('Pending');
    expect(s.containerStatuses?.[0]).toMatchObject({ ready: false, restartCount: 0, state: { waiting: { reason: 'CreateContainerConfigError', message } } });
    expect(events.map((e) => e.reason)).toEqual(['Pulled', 'Failed']);
    expect(events[1]).toMatchObject({ type: 'Warning', message: `Error: ${message}`, fieldPath: 'spec.containers{dapi-container}' });
    vi.advanceTimersByTime(10_000); // the next sync tries again, and fails again
    expect(events.filter((e) => e.reason === 'Failed')).toHaveLength(2);
    expect(status().phase).toBe('Pending');
  });

  it("plays agnhost logs-generator: klog lines spread over --run-duration, then exits 0", () => {
    const { worker, status } = setup({ restartPolicy: 'Never', containers: [{
      name: 'logs-generator', image: 'registry.k8s.io/e2e-test-images/agnhost:2.53',
      args: ['logs-generator', '--log-lines-total', '100', '--run-duration', '20s'],
    }] });
    const log = () => worker.log('logs-generator', false).log!.lines();
    expect(log()).toHaveLength(1);
    expect(log()[0]?.text).toMatch(/^I0101 00:00:00\.000000       1 logs_generator\.go:76\] 0 (GET|POST|PUT) \/api\/v1\/namespaces\/(kube-system|default|ns)\/pods\/[a-z0-9]{3,4} \d{3}$/);
    vi.advanceTimersByTime(10_000);
    expect(log()).toHaveLength(51);
    expect(status().phase).toBe('Running');
    vi.advanceTimersByTime(10_000);
    expect(log()).toHaveLength(100);
    expect(status().phase).toBe('Succeeded');
  });

  it('writes again when a readiness gate condition changes, and Ready follows it', () => {
    const { worker, status, changes } = setup({ readinessGates: [{ conditionType: 'example.com/gate' }], containers: [{ name: 'main', image: 'busybox:1.36', command: ['sleep', '100'] }] });
    expect(status().conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ReadinessGatesNotReady' });
    const before = changes();
    worker.update({ ...worker.pod, metadata: { ...worker.pod.metadata, labels: { a: 'b' } } });
    expect(changes()).toBe(before);
    worker.update({ ...worker.pod, status: { conditions: [{ type: 'example.com/gate', status: 'True' }] } });
    expect(changes()).toBe(before + 1);
    expect(status().conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  });
});
