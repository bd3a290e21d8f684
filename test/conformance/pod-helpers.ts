/**
 * Pod helpers for the conformance rows that need the scheduler and the fake-kubelet, shaped like
 * upstream's e2e pod framework (kubernetes/kubernetes test/e2e/framework/pod: wait.go, pod_client.go,
 * utils.go) so each test reads like the Go test it follows. Waits poll the API (nothing here sleeps
 * to let time pass); a condition that throws ends the wait at once, as upstream's condition errors do.
 */
import { CoreV1Api, Watch, type KubeConfig, type V1Container, type V1Pod } from '@kubernetes/client-node';
import type { ClusterComponent } from '../../pkg/testenv/index.ts';
import { rawRequest } from './raw-request.ts';

/** The programs a running pod needs: the controller-manager (ServiceAccounts), the scheduler, the kubelet. */
export const podComponents: readonly ClusterComponent[] = ['kube-controller-manager', 'kube-scheduler', 'fake-kubelet'];

/** imageutils.GetE2EImage(...) / GetPauseImageName() upstream. */
export const images = {
  busyBox: 'registry.k8s.io/e2e-test-images/busybox:1.36.1-1',
  agnhost: 'registry.k8s.io/e2e-test-images/agnhost:2.53',
  pause: 'registry.k8s.io/pause:3.10',
  nginx: 'registry.k8s.io/e2e-test-images/nginx:1.14-4',
  httpd: 'registry.k8s.io/e2e-test-images/httpd:2.4.38-4',
} as const;

/**
 * framework.PodStartTimeout is 5 minutes for real image pulls; simulated pods start in well under
 * a second, so a minute is generous here. Deletion likewise.
 */
export const podStartTimeoutMs = 60_000;
export const podDeleteTimeoutMs = 60_000;

/** e2epod.MustMixinRestrictedPodSecurity: the restricted pod-security fields upstream adds to most test pods. */
export function mixinRestrictedPodSecurity(pod: V1Pod): V1Pod {
  const spec = pod.spec!;
  spec.securityContext ??= {};
  spec.securityContext.runAsNonRoot ??= true;
  spec.securityContext.runAsUser ??= 1000;
  spec.securityContext.seccompProfile ??= { type: 'RuntimeDefault' };
  const restrict = (c: V1Container): void => {
    c.securityContext ??= {};
    c.securityContext.allowPrivilegeEscalation ??= false;
    c.securityContext.capabilities ??= { drop: ['ALL'] };
  };
  spec.containers.forEach(restrict);
  spec.initContainers?.forEach(restrict);
  return pod;
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** testutils.PodRunningReady: Running and Ready. */
export function podRunningReady(pod: V1Pod): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod);
}

/** The restart count summed over init and app containers (upstream getRestartCount). */
export function restartCount(pod: V1Pod): number {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]
    .reduce((sum, s) => sum + (s.restartCount ?? 0), 0);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * e2epod.WaitForPodCondition: polls the pod until `condition` returns true. A failed GET is
 * retried; a condition that throws fails the wait at once (a pod that can no longer get there).
 */
export async function waitForPodCondition(kc: KubeConfig, namespace: string, name: string, desc: string,
  timeoutMs: number, condition: (pod: V1Pod) => boolean): Promise<V1Pod> {
  const core = kc.makeApiClient(CoreV1Api);
  const deadline = Date.now() + timeoutMs;
  let last: V1Pod | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await core.readNamespacedPod({ name, namespace });
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (last !== undefined && lastError === undefined && condition(last)) return last;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for pod ${namespace}/${name} to be ${desc}` +
        (lastError !== undefined ? `: ${String(lastError)}` : `; last status: ${JSON.stringify(last?.status)}`));
    }
    await sleep(200);
  }
}

function terminal(pod: V1Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** e2epod.WaitForPodNameRunningInNamespace / WaitForPodRunningInNamespace: phase Running; a finished pod fails the wait. */
export function waitForPodRunning(kc: KubeConfig, namespace: string, name: string, timeoutMs = podStartTimeoutMs): Promise<V1Pod> {
  return waitForPodCondition(kc, namespace, name, 'running', timeoutMs, (pod) => {
    if (terminal(pod)) throw new Error(`pod ${namespace}/${name} ran to completion (phase ${pod.status?.phase})`);
    return pod.status?.phase === 'Running';
  });
}

/** e2epod.WaitTimeoutForPodReadyInNamespace: Running and Ready; a finished pod fails the wait. */
export function waitForPodReady(kc: KubeConfig, namespace: string, name: string, timeoutMs = podStartTimeoutMs): Promise<V1Pod> {
  return waitForPodCondition(kc, namespace, name, 'running and ready', timeoutMs, (pod) => {
    if (terminal(pod)) throw new Error(`pod ${namespace}/${name} ran to completion (phase ${pod.status?.phase})`);
    return podRunningReady(pod);
  });
}

/** e2epod.WaitForPodNotPending. */
export function waitForPodNotPending(kc: KubeConfig, namespace: string, name: string, timeoutMs = podStartTimeoutMs): Promise<V1Pod> {
  return waitForPodCondition(kc, namespace, name, 'not pending', timeoutMs, (pod) => pod.status?.phase !== 'Pending');
}

/** e2epod.WaitForPodSuccessInNamespace: Succeeded; Failed ends the wait with an error. */
export function waitForPodSuccess(kc: KubeConfig, namespace: string, name: string, timeoutMs = podStartTimeoutMs): Promise<V1Pod> {
  return waitForPodCondition(kc, namespace, name, 'Succeeded', timeoutMs, (pod) => {
    if (pod.status?.phase === 'Failed') throw new Error(`pod ${namespace}/${name} failed: ${JSON.stringify(pod.status)}`);
    return pod.status?.phase === 'Succeeded';
  });
}

/** e2epod.WaitForPodTerminatedInNamespace: Failed with status.reason `reason`; another reason fails the wait. */
export function waitForPodTerminated(kc: KubeConfig, namespace: string, name: string, reason: string,
  timeoutMs = podStartTimeoutMs): Promise<V1Pod> {
  return waitForPodCondition(kc, namespace, name, `terminated with reason ${reason}`, timeoutMs, (pod) => {
    if (pod.status?.phase !== 'Failed') return false;
    if (pod.status.reason !== reason) {
      throw new Error(`Expected pod "${name}" in namespace "${namespace}" to be terminated with reason "${reason}", got reason: "${pod.status.reason ?? ''}"`);
    }
    return true;
  });
}

/** PodClient.CreateSync: creates the pod and waits until it is running and ready; returns it as stored then. */
export async function createSync(kc: KubeConfig, namespace: string, pod: V1Pod, timeoutMs = podStartTimeoutMs): Promise<V1Pod> {
  const created = await kc.makeApiClient(CoreV1Api).createNamespacedPod({ namespace, body: pod });
  return waitForPodReady(kc, namespace, created.metadata!.name!, timeoutMs);
}

/** Resolves once GET answers 404. */
export async function waitForPodGone(kc: KubeConfig, namespace: string, name: string, timeoutMs = podDeleteTimeoutMs): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await core.readNamespacedPod({ name, namespace });
    } catch (err) {
      if ((err as { code?: number }).code === 404) return;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for pod ${namespace}/${name} to disappear`);
    await sleep(200);
  }
}

/** e2epod.DeletePodWithWait: deletes (404 is fine) and waits until the pod is gone. */
export async function deletePodWithWait(kc: KubeConfig, namespace: string, name: string): Promise<void> {
  await kc.makeApiClient(CoreV1Api).deleteNamespacedPod({ name, namespace }).catch((err: unknown) => {
    if ((err as { code?: number }).code !== 404) throw err;
  });
  await waitForPodGone(kc, namespace, name);
}

/** GET pods/log with the given query (PodLogOptions); resolves with the status code and the body as text. */
export async function podLogs(kc: KubeConfig, namespace: string, name: string,
  params: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const query = new URLSearchParams(params).toString();
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}/log${query ? `?${query}` : ''}`;
  return rawRequest(kc, 'GET', path, { headers: { Accept: '*/*' } });
}

export interface PodEvent {
  type: string;
  object: V1Pod;
}

/** watch.ConditionFunc: true when satisfied; throwing ends the watch with that error. */
export type PodEventCondition = (event: PodEvent) => boolean;

/**
 * A pod watch as a queue of events, like client-go's watch.Interface result channel. The stream
 * is reopened from the last resourceVersion when the server ends it (client-go's RetryWatcher).
 */
export class PodWatch {
  private readonly events: PodEvent[] = [];
  private wake: (() => void) | undefined;
  private controller: AbortController | undefined;
  private stopped = false;
  private failure: string | undefined;

  private constructor(private readonly kc: KubeConfig, private readonly path: string,
    private readonly params: Record<string, string>, private resourceVersion: string) {}

  /** Watches pods of `namespace` matching `params` (labelSelector, fieldSelector) from `resourceVersion`. */
  static async open(kc: KubeConfig, namespace: string, params: Record<string, string>, resourceVersion = ''): Promise<PodWatch> {
    const w = new PodWatch(kc, `/api/v1/namespaces/${namespace}/pods`, params, resourceVersion);
    await w.start();
    return w;
  }

  private async start(): Promise<void> {
    const params = { ...this.params, ...(this.resourceVersion ? { resourceVersion: this.resourceVersion } : {}) };
    this.controller = await new Watch(this.kc).watch(this.path, params, (type: string, object: V1Pod) => {
      if (this.stopped) return;
      if (type === 'ERROR') {
        this.failure = `watch error: ${JSON.stringify(object)}`;
      } else {
        if (object?.metadata?.resourceVersion) this.resourceVersion = object.metadata.resourceVersion;
        this.events.push({ type, object });
      }
      this.notify();
    }, (err: unknown) => {
      if (this.stopped) return;
      if (err === null || err === undefined) {
        void this.start().catch((e: unknown) => { this.failure = String(e); this.notify(); });
        return;
      }
      this.failure = String(err);
      this.notify();
    });
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** The next event, or undefined after `timeoutMs`; throws when the watch failed. */
  async next(timeoutMs: number): Promise<PodEvent | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const event = this.events.shift();
      if (event !== undefined) return event;
      if (this.failure !== undefined) throw new Error(this.failure);
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => { clearTimeout(timer); resolve(); };
      });
    }
  }

  /**
   * watchtools.UntilWithoutRetry: each condition in turn must be met by an event; the event that
   * met one is offered to the next first. Resolves with the last event; throws on timeout.
   */
  async until(timeoutMs: number, ...conditions: PodEventCondition[]): Promise<PodEvent> {
    const deadline = Date.now() + timeoutMs;
    let last: PodEvent | undefined;
    for (const condition of conditions) {
      if (last !== undefined && condition(last)) continue;
      for (;;) {
        const event = await this.next(deadline - Date.now());
        if (event === undefined) {
          throw new Error(`timed out after ${timeoutMs} ms waiting for the watch condition; last event: ${JSON.stringify(last?.object.status)}`);
        }
        last = event;
        if (condition(event)) break;
      }
    }
    return last!;
  }

  stop(): void {
    this.stopped = true;
    this.controller?.abort();
  }
}

/** conditions.PodRunning: true when Running; a finished or deleted pod is an error. */
export const podRunningCondition: PodEventCondition = (event) => {
  if (event.type === 'DELETED') throw new Error('pod deleted');
  if (terminal(event.object)) throw new Error(`pod ran to completion (phase ${event.object.status?.phase})`);
  return event.object.status?.phase === 'Running';
};

/** conditions.PodCompleted: true when Succeeded or Failed; a deleted pod is an error. */
export const podCompletedCondition: PodEventCondition = (event) => {
  if (event.type === 'DELETED') throw new Error('pod deleted');
  return terminal(event.object);
};
