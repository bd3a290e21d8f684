/**
 * The pod status the kubelet writes, computed from what the simulated runtime knows, after
 * pkg/kubelet/kubelet_pods.go (generateAPIPodStatus, getPhase) and pkg/kubelet/status
 * (generate.go: the Initialized, ContainersReady, Ready and PodReadyToStartContainers
 * conditions). Pure: the same runtime view and clock give the same status.
 */
import type { ContainerState, ContainerStateTerminated, ContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import { computeQOS } from '../../registry/core/pod/qos.ts';

/** What the runtime knows of one container (the current instance and the one before). */
export interface ContainerRecord {
  name: string;
  image: string;
  imageID?: string;
  containerID?: string;
  restartCount: number;
  state: ContainerState;
  lastState?: ContainerStateTerminated;
  ready: boolean;
  started: boolean;
  /** A sidecar: an init container with restartPolicy Always, which keeps running beside the containers. */
  restartable?: boolean;
}

export interface PodRuntimeView {
  init: readonly ContainerRecord[];
  containers: readonly ContainerRecord[];
  hostIP: string;
  podIP?: string;
  startTime?: string;
  /** Whether the pod sandbox exists (false before start and once the pod is terminal). */
  sandboxReady: boolean;
  /** A pod-level outcome that overrides the containers' (DeadlineExceeded, rejection, deletion). */
  forced?: { phase: 'Failed' | 'Succeeded'; reason?: string; message?: string };
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

export function timestamp(now: Date): string {
  return now.toISOString().replace(/\.\d+Z$/, 'Z');
}

/** An init container is done when it exited 0; a sidecar once it has started (a later crash does not undo that). */
const isInitDone = (c: ContainerRecord) => (c.restartable
  ? c.started || (c.containerID !== undefined && !c.state.running)
  : c.state.terminated?.exitCode === 0);
const isStopped = (c: ContainerRecord) => c.state.terminated !== undefined || (c.state.waiting !== undefined && c.lastState !== undefined);

/** kubelet getPhase: `terminal` is true once the kubelet has stopped the pod for good. */
export function podPhase(pod: Pod, view: PodRuntimeView, terminal = false): PodPhase {
  if (view.forced) return view.forced.phase;
  const restartPolicy = pod.spec?.restartPolicy ?? 'Always';
  const initFailed = view.init.some((c) => !c.restartable && c.state.terminated !== undefined && c.state.terminated.exitCode !== 0);
  if (initFailed && restartPolicy === 'Never') return 'Failed';
  if (!view.init.every(isInitDone)) return 'Pending';
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of view.containers) {
    if (c.state.running) running++;
    else if (c.state.terminated) {
      stopped++;
      if (c.state.terminated.exitCode === 0) succeeded++;
    } else if (isStopped(c)) stopped++;
    else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped === 0) return 'Pending';
  if (terminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
  if (restartPolicy === 'Always') return 'Running';
  if (stopped === succeeded) return 'Succeeded';
  if (restartPolicy === 'Never') return 'Failed';
  return 'Running';
}

function condition(type: string, ok: boolean, reason?: string, message?: string): PodCondition {
  return { type, status: ok ? 'True' : 'False', ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}

/** The kubelet's conditions, in its order, keeping lastTransitionTime when the status is unchanged. */
export function podConditions(pod: Pod, view: PodRuntimeView, phase: PodPhase, previous: PodStatus | undefined, now: Date): PodCondition[] {
  const names = (list: readonly ContainerRecord[]) => `[${list.map((c) => c.name).join(' ')}]`;
  const incompleteInit = view.init.filter((c) => !isInitDone(c));
  let initialized: PodCondition;
  if (phase === 'Succeeded' && view.init.length > 0) initialized = condition('Initialized', true, 'PodCompleted');
  else if (incompleteInit.length === 0) initialized = condition('Initialized', true);
  else initialized = condition('Initialized', false, 'ContainersNotInitialized', `containers with incomplete status: ${names(incompleteInit)}`);

  const unready = [...view.init.filter((c) => c.restartable), ...view.containers].filter((c) => !c.ready);
  let containersReady: PodCondition;
  if (phase === 'Succeeded') containersReady = condition('ContainersReady', false, 'PodCompleted');
  else if (unready.length > 0) containersReady = condition('ContainersReady', false, 'ContainersNotReady', `containers with unready status: ${names(unready)}`);
  else containersReady = condition('ContainersReady', true);

  let ready: PodCondition = { ...containersReady, type: 'Ready' };
  if (containersReady.status === 'True') {
    const existing = pod.status?.conditions ?? [];
    const missing = (pod.spec?.readinessGates ?? []).find((g) => existing.find((c) => c.type === g.conditionType)?.status !== 'True');
    if (missing) {
      const found = existing.some((c) => c.type === missing.conditionType);
      ready = condition('Ready', false, 'ReadinessGatesNotReady', found
        ? `the status of pod readiness gate "${missing.conditionType}" is not "True", but False`
        : `corresponding condition of pod readiness gate "${missing.conditionType}" does not exist.`);
    }
  }
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled') ?? condition('PodScheduled', true);
  const list = [condition('PodReadyToStartContainers', view.sandboxReady), initialized, ready, containersReady];
  const stamp = timestamp(now);
  const withTimes = list.map((c): PodCondition => {
    const old = previous?.conditions?.find((p) => p.type === c.type);
    return { ...c, lastTransitionTime: old?.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : stamp };
  });
  return [...withTimes, { lastTransitionTime: stamp, ...scheduled }];
}

function containerStatus(c: ContainerRecord): ContainerStatus {
  return {
    name: c.name,
    state: c.state,
    lastState: c.lastState ? { terminated: c.lastState } : {},
    ready: c.ready,
    restartCount: c.restartCount,
    image: c.image,
    imageID: c.imageID ?? '',
    ...(c.containerID ? { containerID: c.containerID } : {}),
    started: c.started,
  };
}

/** The whole status the kubelet writes for `pod`; `previous` is what it wrote (or found) before. */
export function computePodStatus(pod: Pod, view: PodRuntimeView, previous: PodStatus | undefined, now: Date, terminal = false): PodStatus {
  const phase = podPhase(pod, view, terminal);
  const status: PodStatus = {
    phase,
    conditions: podConditions(pod, view, phase, previous, now),
    hostIP: view.hostIP,
    hostIPs: [{ ip: view.hostIP }],
    ...(view.podIP ? { podIP: view.podIP, podIPs: [{ ip: view.podIP }] } : {}),
    ...(view.startTime ? { startTime: view.startTime } : {}),
    ...(view.forced?.reason ? { reason: view.forced.reason } : {}),
    ...(view.forced?.message ? { message: view.forced.message } : {}),
    qosClass: pod.status?.qosClass ?? computeQOS(pod.spec),
    containerStatuses: view.containers.map(containerStatus),
  };
  if (view.init.length > 0) status.initContainerStatuses = view.init.map(containerStatus);
  return status;
}

/** kubelet rejectPod: Failed with the admission reason; only PodScheduled survives from before. */
export function rejectedStatus(pod: Pod, reason: string, message: string, hostIP: string, now: Date): PodStatus {
  const scheduled = pod.status?.conditions?.filter((c) => c.type === 'PodScheduled') ?? [];
  return {
    phase: 'Failed', reason, message: `Pod was rejected: ${message}`,
    ...(scheduled.length > 0 ? { conditions: scheduled } : {}),
    hostIP, hostIPs: [{ ip: hostIP }],
    startTime: pod.status?.startTime ?? timestamp(now),
    qosClass: pod.status?.qosClass ?? computeQOS(pod.spec),
  };
}
