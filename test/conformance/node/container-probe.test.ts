/**
 * Conformance: kubernetes/kubernetes test/e2e/common/node/container_probe.go ("[sig-node] Probing
 * container"): readiness probes that fail or wait out their initial delay, and liveness probes
 * (exec, HTTP, TCP, gRPC) that pass and so never restart the container. Pod specs and probes are
 * upstream's; the readiness probe that fails is upstream's HTTP GET on port 81, where the
 * test-webserver container (which declares port 80) has nothing listening.
 *
 * Upstream watches a no-restart pod for defaultObservationTimeout (4 minutes). The probes here run
 * on the kubelet's real clock, so the window is what a failing probe would need to restart the
 * container — initialDelaySeconds + failureThreshold × periodSeconds — plus one more period and a
 * margin: long enough that these tests fail against a kubelet whose probe fails, a minute or so each.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { CoreV1Api, type V1Pod, type V1Probe } from '@kubernetes/client-node';
import { newFramework } from '../framework.ts';
import { images, isPodReady, podComponents, podRunningReady, podStartTimeoutMs, restartCount, waitForPodCondition,
  waitForPodReady } from '../pod-helpers.ts';

const f = newFramework('container-probe', { components: podComponents });

const probeTestInitialDelaySeconds = 15;

/** Seconds a probe that fails from the start needs to restart (or unready) the container, plus a period and 10 s. */
function observationMs(probe: V1Probe): number {
  const period = probe.periodSeconds ?? 10;
  const failures = probe.failureThreshold ?? 3;
  return ((probe.initialDelaySeconds ?? 0) + failures * period + period + 10) * 1000;
}

const httpGetHandler = (path: string, port: number): V1Probe => ({ httpGet: { path, port } });
const tcpSocketHandler = (port: number): V1Probe => ({ tcpSocket: { port } });
const execHandler = (command: string[]): V1Probe => ({ exec: { command } });

/** webserverProbeBuilder.build(): HTTP GET / on 80; failing moves it to port 81. */
function webserverProbe(opts: { failing?: boolean; initialDelay?: boolean }): V1Probe {
  return {
    ...httpGetHandler('/', opts.failing === true ? 81 : 80),
    ...(opts.initialDelay === true ? { initialDelaySeconds: probeTestInitialDelaySeconds } : {}),
  };
}

function testWebServerPodSpec(readinessProbe: V1Probe | undefined, livenessProbe: V1Probe | undefined,
  containerName: string, port: number): V1Pod {
  return {
    metadata: { name: `test-webserver-${randomUUID()}` },
    spec: {
      containers: [{
        name: containerName, image: images.agnhost, args: ['test-webserver'], ports: [{ containerPort: port }],
        ...(livenessProbe ? { livenessProbe } : {}), ...(readinessProbe ? { readinessProbe } : {}),
      }],
    },
  };
}

function busyBoxPodSpec(livenessProbe: V1Probe, cmd: string[]): V1Pod {
  return {
    metadata: { name: `busybox-${randomUUID()}`, labels: { test: 'liveness' } },
    spec: { containers: [{ name: 'busybox', image: images.busyBox, command: cmd, livenessProbe }] },
  };
}

/** livenessPodSpec: e2epod.NewAgnhostPod(ns, "liveness-…", nil, nil, nil, "liveness") with the probe. */
function livenessPodSpec(livenessProbe: V1Probe): V1Pod {
  return {
    metadata: { name: `liveness-${randomUUID()}`, labels: { test: 'liveness' } },
    spec: {
      containers: [{
        name: 'agnhost-container', image: images.agnhost, args: ['liveness'], securityContext: {},
        imagePullPolicy: 'IfNotPresent', livenessProbe,
      }],
      securityContext: {},
      terminationGracePeriodSeconds: 0,
    },
  };
}

function gRPCServerPodSpec(livenessProbe: V1Probe, containerName: string): V1Pod {
  return {
    metadata: { name: `test-grpc-${randomUUID()}` },
    spec: {
      containers: [{
        name: containerName, image: images.agnhost, command: ['/agnhost', 'grpc-health-checking'],
        ports: [{ containerPort: 5000 }, { containerPort: 8080 }], livenessProbe,
      }],
    },
  };
}

const created: string[] = [];

/** At the end of each test, clean up by removing its pod (grace period 0), as upstream's DeferCleanup does. */
afterEach(async () => {
  const core = f.kc.makeApiClient(CoreV1Api);
  for (const name of created.splice(0)) {
    await core.deleteNamespacedPod({ name, namespace: f.namespace, gracePeriodSeconds: 0 }).catch(() => undefined);
  }
});

async function createPod(pod: V1Pod): Promise<V1Pod> {
  const p = await f.kc.makeApiClient(CoreV1Api).createNamespacedPod({ namespace: f.namespace, body: pod });
  created.push(p.metadata!.name!);
  return p;
}

/** The restart count of one container, init or app (podutil.GetExistingContainerStatus). */
function containerRestartCount(pod: V1Pod, containerName: string): number {
  const all = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  return all.find((s) => s.name === containerName)?.restartCount ?? 0;
}

/** Upstream RunLivenessTest with expectNumRestarts 0: the container must not restart during `timeoutMs`. */
async function runLivenessTestNoRestart(pod: V1Pod, timeoutMs: number): Promise<void> {
  const containerName = pod.spec!.containers[0]!.name;
  const ns = f.namespace;
  const name = pod.metadata!.name!;
  await createPod(pod);

  // To check for the container is ever started, we need to wait for the
  // container to be in a non-waiting state.
  await waitForPodCondition(f.kc, ns, name, 'container not waiting', podStartTimeoutMs, (p) =>
    [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])].some((c) =>
      c.name === containerName && (c.state?.running !== undefined || c.state?.terminated !== undefined)));

  // checking the pod's current state and verifying that restartCount is present
  const core = f.kc.makeApiClient(CoreV1Api);
  let current = await core.readNamespacedPod({ name, namespace: ns });
  const initialRestartCount = containerRestartCount(current, containerName);

  // Wait for the restart state to be as desired.
  const deadline = Date.now() + timeoutMs + initialRestartCount * 10_000;
  let lastRestartCount = initialRestartCount;
  let observedRestarts = 0;
  while (Date.now() < deadline) {
    current = await core.readNamespacedPod({ name, namespace: ns });
    const count = containerRestartCount(current, containerName);
    if (count < lastRestartCount) {
      throw new Error(`Restart count should increment monotonically: restart cont of pod ${ns}/${name} changed from ${lastRestartCount} to ${count}`);
    }
    observedRestarts = count - initialRestartCount;
    lastRestartCount = count;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  // If we expected 0 restarts, fail if observed any restart.
  expect(observedRestarts, `pod ${ns}/${name} - expected number of restarts: 0, found restarts: ${observedRestarts}. Pod status: ${JSON.stringify(current.status)}`).toBe(0);
}

describe('[sig-node] Probing container', () => {
  it('Pod readiness probe, with initial delay', async () => {
    const containerName = 'test-webserver';
    const p = await createPod(testWebServerPodSpec(webserverProbe({ initialDelay: true }), undefined, containerName, 80));
    await waitForPodReady(f.kc, f.namespace, p.metadata!.name!, podStartTimeoutMs);

    const pod = await f.kc.makeApiClient(CoreV1Api).readNamespacedPod({ name: p.metadata!.name!, namespace: f.namespace });
    expect(podRunningReady(pod), `pod ${f.namespace}/${p.metadata!.name} should be ready`).toBe(true);

    // We assume the pod became ready when the container became ready. This
    // is true for a single container pod.
    const readyTime = pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime;
    expect(readyTime, 'no ready condition can be found for pod').toBeDefined();
    const status = pod.status?.containerStatuses?.find((s) => s.name === containerName);
    expect(status, `cannot find container named "${containerName}"`).toBeDefined();
    const startedTime = status!.state?.running?.startedAt;
    expect(startedTime, 'container is not running').toBeDefined();

    // The pod's own timestamps, as upstream compares them: Ready no sooner than the initial delay.
    const readyAfterMs = new Date(readyTime!).getTime() - new Date(startedTime!).getTime();
    expect(readyAfterMs, `Pod became ready before it's ${probeTestInitialDelaySeconds}s initial delay`)
      .toBeGreaterThanOrEqual(probeTestInitialDelaySeconds * 1000);

    expect(restartCount(pod), 'pod should have a restart count of 0').toBe(0);
  }, 120_000);

  it('Pod readiness probe, failure', async () => {
    const p = await createPod(testWebServerPodSpec(webserverProbe({ failing: true }), undefined, 'test-webserver', 80));
    const core = f.kc.makeApiClient(CoreV1Api);
    // gomega.Consistently(IsPodReady, 1 minute, 1 second).ShouldNot(BeTrue())
    const until = Date.now() + 60_000;
    while (Date.now() < until) {
      const live = await core.readNamespacedPod({ name: p.metadata!.name!, namespace: f.namespace });
      expect(isPodReady(live), 'pod should not be ready').toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }

    const pod = await core.readNamespacedPod({ name: p.metadata!.name!, namespace: f.namespace });
    expect(podRunningReady(pod), `pod ${f.namespace}/${p.metadata!.name} should be not ready`).toBe(false);
    expect(restartCount(pod), 'pod should have a restart count of 0').toBe(0);
  }, 120_000);

  it('Pod liveness probe, using local file, no restart', async () => {
    const livenessProbe: V1Probe = {
      ...execHandler(['cat', '/tmp/health']),
      initialDelaySeconds: 15,
      timeoutSeconds: 5, // default 1s can be pretty aggressive in CI environments with low resources
      failureThreshold: 1,
    };
    const pod = busyBoxPodSpec(livenessProbe, ['/bin/sh', '-c', 'echo ok >/tmp/health; sleep 600']);
    await runLivenessTestNoRestart(pod, observationMs(livenessProbe));
  }, 180_000);

  it('Pod liveness probe, using http endpoint, failure', async () => {
    const livenessProbe: V1Probe = {
      ...httpGetHandler('/', 80),
      initialDelaySeconds: 15,
      timeoutSeconds: 5,
      failureThreshold: 5, // to accommodate nodes which are slow in bringing up containers.
    };
    const pod = testWebServerPodSpec(undefined, livenessProbe, 'test-webserver', 80);
    await runLivenessTestNoRestart(pod, observationMs(livenessProbe));
  }, 240_000);

  it('Pod liveness probe, using tcp socket, no restart', async () => {
    const livenessProbe: V1Probe = {
      ...tcpSocketHandler(8080),
      initialDelaySeconds: 15,
      failureThreshold: 1,
    };
    const pod = livenessPodSpec(livenessProbe);
    await runLivenessTestNoRestart(pod, observationMs(livenessProbe));
  }, 180_000);

  it('Pod liveness probe, using grpc call, success', async () => {
    const livenessProbe: V1Probe = {
      grpc: { port: 5000 },
      initialDelaySeconds: probeTestInitialDelaySeconds,
      timeoutSeconds: 5, // default 1s can be pretty aggressive in CI environments with low resources
      failureThreshold: 1,
    };
    const pod = gRPCServerPodSpec(livenessProbe, 'agnhost');
    await runLivenessTestNoRestart(pod, observationMs(livenessProbe));
  }, 180_000);
});
