/**
 * The scheduling loop, after kubernetes pkg/scheduler/schedule_one.go and eventhandlers.go: pop
 * the next pod, run its profile's scheduling cycle synchronously against the cache, assume the pod
 * on the chosen node and start its binding cycle without waiting for it, so many bindings are in
 * flight while the next pods are scheduled. Informer events keep the cache and the queue current.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { finalStateOf, type DeletedFinalStateUnknown, type Lister, type SharedIndexInformer } from '../client/informers/index.ts';
import type { Logger } from '../util/log.ts';
import { podPath, type SchedulerClient } from './api-client.ts';
import { SchedulerCache } from './cache/cache.ts';
import type { EventRecorder } from './event-recorder.ts';
import { FitError } from './framework/fit-error.ts';
import { CycleState, type QueuedPodInfo } from './framework/interface.ts';
import type { Framework } from './framework/runtime.ts';
import { statusMessage } from './framework/status.ts';
import { podKey, SchedulingQueue } from './queue/scheduling-queue.ts';

export interface SchedulerDeps {
  client: SchedulerClient;
  cache: SchedulerCache;
  queue: SchedulingQueue;
  /** Profiles by schedulerName. */
  profiles: ReadonlyMap<string, Framework>;
  recorder: EventRecorder;
  podLister: Lister<Pod>;
  log: Logger;
}

const isTerminal = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
const isAssigned = (pod: Pod): boolean => Boolean(pod.spec?.nodeName);
const now = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** nodeSchedulingPropertiesChange: heartbeats alone do not make pending pods worth retrying. */
export function nodeSchedulingPropertiesChanged(oldNode: Node, newNode: Node): boolean {
  const j = JSON.stringify;
  const conds = (n: Node) => (n.status?.conditions ?? []).map((c) => [c.type, c.status]);
  return Boolean(oldNode.spec?.unschedulable) !== Boolean(newNode.spec?.unschedulable)
    || j(oldNode.status?.allocatable) !== j(newNode.status?.allocatable)
    || j(oldNode.metadata?.labels) !== j(newNode.metadata?.labels)
    || j(oldNode.spec?.taints) !== j(newNode.spec?.taints)
    || j(conds(oldNode)) !== j(conds(newNode))
    || j(oldNode.metadata?.annotations) !== j(newNode.metadata?.annotations);
}

export class Scheduler {
  /** Binding cycles still running (awaited on shutdown). */
  private readonly binding = new Set<Promise<void>>();

  constructor(private readonly deps: SchedulerDeps) {}

  private responsibleFor(pod: Pod): boolean {
    return this.deps.profiles.has(pod.spec?.schedulerName ?? 'default-scheduler');
  }

  /** Wires the pod and node informers to the cache and the queue (addAllEventHandlers). */
  addEventHandlers(pods: SharedIndexInformer<Pod>, nodes: SharedIndexInformer<Node>): void {
    const { cache, queue } = this.deps;
    pods.addEventHandler({
      onAdd: (pod) => {
        if (isTerminal(pod)) return;
        if (isAssigned(pod)) {
          cache.addOrUpdatePod(pod);
          queue.moveAllToActiveOrBackoffQueue();
        } else if (this.responsibleFor(pod)) queue.add(pod);
      },
      onUpdate: (oldPod, pod) => {
        if (isAssigned(pod)) {
          if (!isAssigned(oldPod)) queue.delete(oldPod);
          if (isTerminal(pod)) {
            cache.removePod(pod);
            queue.moveAllToActiveOrBackoffQueue();
          } else cache.addOrUpdatePod(pod);
          return;
        }
        if (!this.responsibleFor(pod) || isTerminal(pod)) return queue.delete(pod);
        if (cache.isAssumed(pod)) return;
        queue.update(pod);
      },
      onDelete: (obj: Pod | DeletedFinalStateUnknown<Pod>) => {
        const pod = finalStateOf(obj);
        if (isAssigned(pod)) {
          cache.removePod(pod);
          queue.moveAllToActiveOrBackoffQueue();
        } else queue.delete(pod);
      },
    });
    nodes.addEventHandler({
      onAdd: (node) => {
        cache.addOrUpdateNode(node);
        queue.moveAllToActiveOrBackoffQueue();
      },
      onUpdate: (oldNode, node) => {
        cache.addOrUpdateNode(node);
        if (nodeSchedulingPropertiesChanged(oldNode, node)) queue.moveAllToActiveOrBackoffQueue();
      },
      onDelete: (obj) => cache.removeNode(finalStateOf(obj).metadata?.name ?? ''),
    });
  }

  /** Schedules until the queue closes (the signal passed to the queue aborted); then waits for bindings. */
  async run(): Promise<void> {
    for (;;) {
      const info = await this.deps.queue.pop();
      if (!info) break;
      try {
        await this.scheduleOne(info);
      } catch (err) {
        this.deps.log.error('scheduling cycle failed', { pod: info.key, error: (err as Error).stack });
        this.deps.queue.done(info.key);
      }
      // Let informer events and binding responses in between pods.
      await yieldToEventLoop();
    }
    await Promise.allSettled([...this.binding]);
  }

  /** One pod: schedule, assume, start binding (or record the failure). */
  async scheduleOne(info: QueuedPodInfo): Promise<void> {
    const { cache, queue } = this.deps;
    const pod = info.pod;
    const fwk = this.deps.profiles.get(pod.spec?.schedulerName ?? 'default-scheduler');
    if (!fwk || pod.metadata?.deletionTimestamp || isAssigned(pod) || cache.isAssumed(pod)) {
      queue.done(info.key);
      return;
    }
    const cycle = queue.schedulingCycle;
    const state = new CycleState();
    let host: string;
    try {
      host = fwk.schedule(state, pod).suggestedHost;
    } catch (err) {
      if (!(err instanceof FitError)) {
        await this.handleFailure(fwk, info, (err as Error).message, 'SchedulerError', undefined, cycle);
        return;
      }
      let nominatedNodeName: string | undefined;
      if (fwk.postFilterPlugins.length > 0 && err.numAllNodes > 0) {
        const { result, status } = await fwk.runPostFilterPlugins(state, pod, err.diagnosis.nodeToStatus);
        if (status !== null) err.diagnosis.postFilterMsg = statusMessage(status);
        nominatedNodeName = result?.nominatedNodeName;
      }
      info.unschedulablePlugins = err.diagnosis.unschedulablePlugins;
      await this.handleFailure(fwk, info, err.toString(), 'Unschedulable', nominatedNodeName, cycle);
      return;
    }
    const assumed: Pod = { ...pod, spec: { ...pod.spec!, nodeName: host } };
    cache.assumePod(assumed);
    queue.deleteNominated(info.key);
    const rejected = fwk.runReservePlugins(state, assumed, host) ?? fwk.runPermitPlugins(state, assumed, host);
    if (rejected !== null) {
      fwk.runUnreservePlugins(state, assumed, host);
      cache.forgetPod(assumed);
      info.unschedulablePlugins = new Set(rejected.plugin ? [rejected.plugin] : []);
      await this.handleFailure(fwk, info, statusMessage(rejected), rejected.code === 'Error' ? 'SchedulerError' : 'Unschedulable', undefined, cycle);
      return;
    }
    const p = this.bindingCycle(fwk, state, info, assumed, host, cycle);
    this.binding.add(p);
    void p.finally(() => this.binding.delete(p));
  }

  private async bindingCycle(fwk: Framework, state: CycleState, info: QueuedPodInfo, assumed: Pod, host: string, cycle: number): Promise<void> {
    const status = await fwk.runBindPlugins(state, assumed, host);
    if (status === null) {
      const ns = assumed.metadata?.namespace;
      this.deps.recorder.event(assumed, 'Normal', 'Scheduled', 'Binding', `Successfully assigned ${ns}/${assumed.metadata?.name} to ${host}`, fwk.schedulerName);
      this.deps.queue.done(info.key);
      return;
    }
    fwk.runUnreservePlugins(state, assumed, host);
    this.deps.cache.forgetPod(assumed);
    // The room it held is free again (upstream moves pods on AssignedPodDelete here).
    this.deps.queue.moveAllToActiveOrBackoffQueue();
    info.unschedulablePlugins = new Set();
    await this.handleFailure(fwk, info, `binding rejected: ${statusMessage(status)}`, 'SchedulerError', undefined, cycle);
  }

  /**
   * FailureHandler: requeue the pod (unless it went away or got bound meanwhile), record
   * FailedScheduling, and set PodScheduled=False (and status.nominatedNodeName) when they changed.
   */
  private async handleFailure(fwk: Framework, info: QueuedPodInfo, message: string, reason: 'Unschedulable' | 'SchedulerError',
    nominatedNodeName: string | undefined, cycle: number): Promise<void> {
    const { queue, podLister, recorder, log } = this.deps;
    const pod = info.pod;
    const current = podLister.get(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '');
    if (current && current.metadata?.uid === pod.metadata?.uid && !isAssigned(current)) {
      info.pod = current;
      queue.addUnschedulableIfNotPresent(info, cycle);
    }
    if (nominatedNodeName !== undefined) queue.addNominatedPod(info.pod, nominatedNodeName);
    queue.done(info.key);
    if (!current || isAssigned(current)) return;
    recorder.event(pod, 'Warning', 'FailedScheduling', 'Scheduling', message, fwk.schedulerName);
    log.info('unable to schedule pod', { pod: podKey(pod), reason, message });
    await this.updatePodStatus(current, reason, message, nominatedNodeName);
  }

  private async updatePodStatus(pod: Pod, reason: string, message: string, nominatedNodeName: string | undefined): Promise<void> {
    const old = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    const condChanged = old?.status !== 'False' || old.reason !== reason || old.message !== message;
    const nnnChanged = nominatedNodeName !== undefined && (pod.status?.nominatedNodeName ?? '') !== nominatedNodeName;
    if (!condChanged && !nnnChanged) return;
    const status: Record<string, unknown> = {
      conditions: [{
        type: 'PodScheduled', status: 'False', reason, message, lastProbeTime: null,
        lastTransitionTime: old?.status === 'False' && old.lastTransitionTime ? old.lastTransitionTime : now(),
      }],
    };
    if (nnnChanged) status.nominatedNodeName = nominatedNodeName === '' ? null : nominatedNodeName;
    try {
      await this.deps.client.request('PATCH', `${podPath(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '')}/status`,
        { status }, 'application/strategic-merge-patch+json');
    } catch (err) {
      this.deps.log.warn('updating pod status failed', { pod: podKey(pod), error: (err as Error).message });
    }
  }
}

/** Preemption's API side: DisruptionTarget on the victim, then delete it, then the Preempted event. */
export function newEvictor(client: SchedulerClient, recorder: EventRecorder, log: Logger) {
  return {
    async evict(victim: Pod, preemptor: Pod, nodeName: string): Promise<void> {
      const path = podPath(victim.metadata?.namespace ?? '', victim.metadata?.name ?? '');
      const schedulerName = preemptor.spec?.schedulerName ?? 'default-scheduler';
      try {
        await client.request('PATCH', `${path}/status`, {
          status: { conditions: [{
            type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler',
            message: `${schedulerName}: preempting to accommodate a higher priority pod`, lastTransitionTime: now(),
          }] },
        }, 'application/strategic-merge-patch+json');
        await client.request('DELETE', path, { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid: victim.metadata?.uid } });
        recorder.event(victim, 'Normal', 'Preempted', 'Preempting', `Preempted by pod ${preemptor.metadata?.uid} on node ${nodeName}`, schedulerName);
      } catch (err) {
        log.warn('preempting victim failed', { pod: podKey(victim), error: (err as Error).message });
      }
    },
    async clearNomination(pod: Pod): Promise<void> {
      try {
        await client.request('PATCH', `${podPath(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '')}/status`,
          { status: { nominatedNodeName: null } }, 'application/strategic-merge-patch+json');
      } catch (err) {
        log.warn('clearing nominatedNodeName failed', { pod: podKey(pod), error: (err as Error).message });
      }
    },
  };
}
