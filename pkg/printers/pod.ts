/**
 * Pod columns and the READY / STATUS / RESTARTS logic of printPod in kubernetes/kubernetes
 * pkg/printers/internalversion/printers.go (Kubernetes 1.32).
 */
import type { Container, ContainerStatus, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/index.ts';
import { ageColumn, column, nameColumn, wideColumn } from './columns.ts';
import { podSpecNodeName, podSpecReadinessGates, podStatusNominatedNodeName, podStatusPodIP } from './descriptions.ts';
import { humanDuration, parseTime, translateTimestampSince } from './duration.ts';
import type { Printer, RowCondition } from './types.ts';

/** Reason the node lifecycle controller sets on pods of an unreachable node (pkg/util/node). */
const nodeUnreachablePodReason = 'NodeLost';

/** A sidecar: an init container that keeps running (podutil.IsRestartableInitContainer). */
function isRestartable(c: Container | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

function conditionTrue(conditions: readonly PodCondition[], type: string): boolean {
  return conditions.some((c) => c.type === type && c.status === 'True');
}

/** Only the first condition of the type counts (isPodInitializedConditionTrue). */
function initializedTrue(conditions: readonly PodCondition[]): boolean {
  const c = conditions.find((x) => x.type === 'Initialized');
  return c?.status === 'True';
}

/** Finish time of the previous run of a container, in ms, or 0 (Go's zero time). */
function lastFinish(cs: ContainerStatus): number {
  return parseTime(cs.lastState?.terminated?.finishedAt) ?? 0;
}

interface PodSummary {
  ready: number;
  total: number;
  reason: string;
  restarts: number;
  /** Latest finishedAt among restarted containers, ms since epoch; 0 when unknown. */
  lastRestart: number;
}

/** Walks init containers first: a failing or pending one decides the STATUS ("Init:…"). */
function summariseInit(pod: Pod, s: PodSummary): { initializing: boolean; sidecarRestarts: number; sidecarLastRestart: number } {
  const specInit = pod.spec?.initContainers ?? [];
  const byName = new Map(specInit.map((c) => [c.name, c] as const));
  let initializing = false;
  let sidecarRestarts = 0;
  let sidecarLastRestart = 0;
  const statuses = pod.status?.initContainerStatuses ?? [];
  for (const [i, cs] of statuses.entries()) {
    const sidecar = isRestartable(byName.get(cs.name));
    s.restarts += cs.restartCount ?? 0;
    s.lastRestart = Math.max(s.lastRestart, lastFinish(cs));
    if (sidecar) {
      sidecarRestarts += cs.restartCount ?? 0;
      sidecarLastRestart = Math.max(sidecarLastRestart, lastFinish(cs));
    }
    const terminated = cs.state?.terminated;
    const waiting = cs.state?.waiting;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (sidecar && cs.started === true) {
      if (cs.ready) s.ready++;
      continue;
    }
    if (terminated) {
      if (!terminated.reason) {
        s.reason = terminated.signal ? `Init:Signal:${terminated.signal}` : `Init:ExitCode:${terminated.exitCode ?? 0}`;
      } else {
        s.reason = `Init:${terminated.reason}`;
      }
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      s.reason = `Init:${waiting.reason}`;
    } else {
      s.reason = `Init:${i}/${specInit.length}`;
    }
    initializing = true;
    break;
  }
  return { initializing, sidecarRestarts, sidecarLastRestart };
}

/** Regular containers, walked last to first so the first container's state wins the STATUS. */
function summariseContainers(pod: Pod, s: PodSummary): void {
  let hasRunning = false;
  const statuses = pod.status?.containerStatuses ?? [];
  for (let i = statuses.length - 1; i >= 0; i--) {
    const cs = statuses[i];
    if (!cs) continue;
    s.restarts += cs.restartCount ?? 0;
    s.lastRestart = Math.max(s.lastRestart, lastFinish(cs));
    const { waiting, terminated, running } = cs.state ?? {};
    if (waiting?.reason) {
      s.reason = waiting.reason;
    } else if (terminated?.reason) {
      s.reason = terminated.reason;
    } else if (terminated) {
      s.reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
    } else if (cs.ready && running) {
      hasRunning = true;
      s.ready++;
    }
  }
  // A pod whose some containers completed but another still runs is not "Completed".
  if (s.reason === 'Completed' && hasRunning) {
    s.reason = conditionTrue(pod.status?.conditions ?? [], 'Ready') ? 'Running' : 'NotReady';
  }
}

/** READY, STATUS and RESTARTS inputs of a pod row. */
export function summarisePod(pod: Pod): PodSummary {
  const status = pod.status ?? {};
  const conditions = status.conditions ?? [];
  const sidecars = (pod.spec?.initContainers ?? []).filter(isRestartable).length;
  const s: PodSummary = {
    ready: 0,
    total: (pod.spec?.containers ?? []).length + sidecars,
    reason: status.reason || (status.phase ?? ''),
    restarts: 0,
    lastRestart: 0,
  };
  if (conditions.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) s.reason = 'SchedulingGated';

  const init = summariseInit(pod, s);
  if (!init.initializing || initializedTrue(conditions)) {
    // Once initialised, only sidecar restarts carry over from the init phase.
    s.restarts = init.sidecarRestarts;
    s.lastRestart = init.sidecarLastRestart;
    summariseContainers(pod, s);
  }

  const terminal = status.phase === 'Succeeded' || status.phase === 'Failed';
  if (pod.metadata?.deletionTimestamp && status.reason === nodeUnreachablePodReason) s.reason = 'Unknown';
  else if (pod.metadata?.deletionTimestamp && !terminal) s.reason = 'Terminating';
  return s;
}

/** "<true conditions>/<gates>" over spec.readinessGates, or "<none>". */
function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const conditions = pod.status?.conditions ?? [];
  const trueCount = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${trueCount}/${gates.length}`;
}

function podCells(obj: KubeObject, now: Date): unknown[] {
  const pod = obj as unknown as Pod;
  const s = summarisePod(pod);
  let restarts = String(s.restarts);
  if (s.restarts !== 0 && s.lastRestart !== 0) {
    restarts = `${s.restarts} (${humanDuration(now.getTime() - s.lastRestart)} ago)`;
  }
  // The v1→internal conversion fills podIPs from podIP, so fall back to it.
  const podIP = pod.status?.podIPs?.[0]?.ip || pod.status?.podIP || '<none>';
  return [
    pod.metadata?.name ?? '',
    `${s.ready}/${s.total}`,
    s.reason,
    restarts,
    translateTimestampSince(pod.metadata?.creationTimestamp, now),
    podIP,
    pod.spec?.nodeName || '<none>',
    pod.status?.nominatedNodeName || '<none>',
    readinessGates(pod),
  ];
}

function podConditions(obj: KubeObject): RowCondition[] | undefined {
  const phase = (obj as unknown as Pod).status?.phase;
  if (phase === 'Succeeded') return [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
  if (phase === 'Failed') return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
  return undefined;
}

export const podPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'string', 'The aggregate status of the containers in this pod.'),
    column('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    ageColumn,
    wideColumn('IP', 'string', podStatusPodIP),
    wideColumn('Node', 'string', podSpecNodeName),
    wideColumn('Nominated Node', 'string', podStatusNominatedNodeName),
    wideColumn('Readiness Gates', 'string', podSpecReadinessGates),
  ],
  cells: podCells,
  conditions: podConditions,
};
