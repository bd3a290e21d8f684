/**
 * The scheduling queue, after kubernetes pkg/scheduler/backend/queue/scheduling_queue.go
 * (PriorityQueue): activeQ ordered by the QueueSort plugin (PrioritySort); backoffQ for pods that
 * failed recently (1 s doubling per attempt up to 10 s); unschedulablePods for pods no node fitted,
 * moved back when the cluster changes (a node added or updated, an assigned pod deleted) or after
 * 5 minutes. A move that happens while a pod is being scheduled sends that pod to backoffQ instead
 * of unschedulablePods (moveRequestCycle), so no change is missed. Also the nominator: which
 * pods preemption nominated to which node.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { QueuedPodInfo } from '../framework/interface.ts';
import type { PluginStatus } from '../framework/status.ts';
import { KeyedHeap } from './heap.ts';

export const defaultInitialBackoffMs = 1_000;
export const defaultMaxBackoffMs = 10_000;
/** DefaultPodMaxInUnschedulablePodsDuration */
export const podMaxInUnschedulablePodsDurationMs = 5 * 60_000;

export interface QueueOptions {
  less: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean;
  /** PreEnqueue plugins of the pod's profile (SchedulingGates). */
  preEnqueue?: (pod: Pod) => PluginStatus;
  now?: () => number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

export const podKey = (pod: Pod): string => `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;

export class SchedulingQueue {
  private readonly activeQ: KeyedHeap<QueuedPodInfo>;
  private readonly backoffQ: KeyedHeap<QueuedPodInfo>;
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  /** Pods popped and not yet done (being scheduled or bound). */
  private readonly inFlight = new Set<string>();
  private readonly now: () => number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private waiters: (() => void)[] = [];
  private closed = false;
  /** Incremented on every pop (schedulingCycle). */
  schedulingCycle = 0;
  /** The cycle of the last move request. */
  private moveRequestCycle = -1;
  /** nodeName → nominated pods, and the reverse. */
  private readonly nominatedByNode = new Map<string, Map<string, Pod>>();
  private readonly nominatedNodeOf = new Map<string, string>();

  constructor(private readonly options: QueueOptions) {
    this.now = options.now ?? Date.now;
    this.initialBackoffMs = options.initialBackoffMs ?? defaultInitialBackoffMs;
    this.maxBackoffMs = options.maxBackoffMs ?? defaultMaxBackoffMs;
    this.activeQ = new KeyedHeap(options.less);
    this.backoffQ = new KeyedHeap((a, b) => this.backoffExpiry(a) < this.backoffExpiry(b));
  }

  private newInfo(pod: Pod): QueuedPodInfo {
    return { pod, key: podKey(pod), timestamp: this.now(), attempts: 0, unschedulablePlugins: new Set(), gated: false };
  }

  /** Pods in each sub-queue (for tests and logs). */
  lengths(): { active: number; backoff: number; unschedulable: number } {
    return { active: this.activeQ.size, backoff: this.backoffQ.size, unschedulable: this.unschedulable.size };
  }

  has(key: string): boolean {
    return this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulable.has(key);
  }

  /** A new pending pod. */
  add(pod: Pod): void {
    const key = podKey(pod);
    if (this.has(key) || this.inFlight.has(key)) return this.update(pod);
    this.toActive(this.newInfo(pod));
    this.updateNominated(pod);
  }

  /** Moves to activeQ unless a PreEnqueue plugin gates it (then it waits in unschedulablePods). */
  private toActive(info: QueuedPodInfo): void {
    const gate = this.options.preEnqueue?.(info.pod) ?? null;
    if (gate !== null) {
      info.gated = true;
      if (gate.plugin) info.unschedulablePlugins = new Set([gate.plugin]);
      this.unschedulable.set(info.key, info);
      return;
    }
    info.gated = false;
    this.unschedulable.delete(info.key);
    this.backoffQ.delete(info.key);
    this.activeQ.addOrUpdate(info.key, info);
    this.wake();
  }

  /** The pod object changed; an unschedulable pod whose spec or labels changed gets another go. */
  update(pod: Pod): void {
    const key = podKey(pod);
    this.updateNominated(pod);
    const inActive = this.activeQ.get(key);
    if (inActive) {
      inActive.pod = pod;
      this.activeQ.addOrUpdate(key, inActive);
      return;
    }
    const inBackoff = this.backoffQ.get(key);
    if (inBackoff) {
      inBackoff.pod = pod;
      return;
    }
    const info = this.unschedulable.get(key);
    if (info) {
      const changed = JSON.stringify([info.pod.spec, info.pod.metadata?.labels]) !== JSON.stringify([pod.spec, pod.metadata?.labels]);
      info.pod = pod;
      if (!changed) return;
      if (info.gated || !this.isBackingOff(info)) this.toActive(info);
      else {
        this.unschedulable.delete(key);
        this.backoffQ.addOrUpdate(key, info);
      }
      return;
    }
    if (!this.inFlight.has(key)) this.add(pod);
  }

  delete(pod: Pod): void {
    const key = podKey(pod);
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
    this.deleteNominated(key);
  }

  /** Waits for a pod in activeQ; undefined once closed. */
  async pop(): Promise<QueuedPodInfo | undefined> {
    while (this.activeQ.size === 0) {
      if (this.closed) return undefined;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    const info = this.activeQ.pop()!;
    info.attempts++;
    info.initialAttemptTimestamp ??= this.now();
    this.schedulingCycle++;
    this.inFlight.add(info.key);
    return info;
  }

  /** The pod left the scheduling and binding cycles. */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  /**
   * AddUnschedulableIfNotPresent after a failed attempt: with plugins that rejected it the pod waits
   * in unschedulablePods; after an error, or when a move request came in while it was being
   * scheduled, it goes to backoffQ.
   */
  addUnschedulableIfNotPresent(info: QueuedPodInfo, podSchedulingCycle: number): void {
    if (this.has(info.key)) return;
    info.timestamp = this.now();
    if (info.unschedulablePlugins.size === 0 || this.moveRequestCycle >= podSchedulingCycle) {
      this.backoffQ.addOrUpdate(info.key, info);
    } else {
      this.unschedulable.set(info.key, info);
    }
  }

  /** MoveAllToActiveOrBackoffQueue: a cluster event that may make unschedulable pods fit. */
  moveAllToActiveOrBackoffQueue(): void {
    for (const info of [...this.unschedulable.values()]) {
      if (info.gated) continue;
      this.unschedulable.delete(info.key);
      if (this.isBackingOff(info)) this.backoffQ.addOrUpdate(info.key, info);
      else this.toActive(info);
    }
    this.moveRequestCycle = this.schedulingCycle;
  }

  private backoffDuration(info: QueuedPodInfo): number {
    let d = this.initialBackoffMs;
    for (let i = 1; i < info.attempts; i++) {
      d *= 2;
      if (d >= this.maxBackoffMs) return this.maxBackoffMs;
    }
    return Math.min(d, this.maxBackoffMs);
  }

  private backoffExpiry(info: QueuedPodInfo): number {
    return info.timestamp + this.backoffDuration(info);
  }

  private isBackingOff(info: QueuedPodInfo): boolean {
    return this.backoffExpiry(info) > this.now();
  }

  /** flushBackoffQCompleted: pods whose backoff ended go to activeQ. */
  flushBackoffQCompleted(): void {
    for (;;) {
      const top = this.backoffQ.peek();
      if (!top || this.isBackingOff(top)) return;
      this.backoffQ.pop();
      this.toActive(top);
    }
  }

  /** flushUnschedulablePodsLeftover: pods unschedulable for 5 minutes are retried anyway. */
  flushUnschedulablePodsLeftover(): void {
    const now = this.now();
    for (const info of [...this.unschedulable.values()]) {
      if (info.gated || now - info.timestamp <= podMaxInUnschedulablePodsDurationMs) continue;
      this.unschedulable.delete(info.key);
      if (this.isBackingOff(info)) this.backoffQ.addOrUpdate(info.key, info);
      else this.toActive(info);
    }
  }

  /** Runs the two flush loops (1 s and 30 s) until `signal` aborts, then releases pop(). */
  run(signal: AbortSignal): void {
    const backoff = setInterval(() => this.flushBackoffQCompleted(), 1_000);
    const leftover = setInterval(() => this.flushUnschedulablePodsLeftover(), 30_000);
    signal.addEventListener('abort', () => {
      clearInterval(backoff);
      clearInterval(leftover);
      this.close();
    }, { once: true });
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const resolve of w) resolve();
  }

  // Nominator (upstream nominator.go): pods preemption made room for, by node.

  /** Records (or clears, with '') the node a pod is nominated to; also follows status.nominatedNodeName. */
  addNominatedPod(pod: Pod, nodeName: string): void {
    const key = podKey(pod);
    this.deleteNominated(key);
    if (!nodeName) return;
    let m = this.nominatedByNode.get(nodeName);
    if (!m) this.nominatedByNode.set(nodeName, (m = new Map()));
    m.set(key, pod);
    this.nominatedNodeOf.set(key, nodeName);
  }

  private updateNominated(pod: Pod): void {
    if (pod.spec?.nodeName) return this.deleteNominated(podKey(pod));
    const node = pod.status?.nominatedNodeName;
    if (node) this.addNominatedPod(pod, node);
    else if (this.nominatedNodeOf.has(podKey(pod))) {
      // Keep a nomination the scheduler made until its status patch shows up, but refresh the object.
      this.nominatedByNode.get(this.nominatedNodeOf.get(podKey(pod))!)?.set(podKey(pod), pod);
    }
  }

  deleteNominated(key: string): void {
    const node = this.nominatedNodeOf.get(key);
    if (node === undefined) return;
    this.nominatedNodeOf.delete(key);
    const m = this.nominatedByNode.get(node);
    m?.delete(key);
    if (m?.size === 0) this.nominatedByNode.delete(node);
  }

  nominatedPodsForNode(nodeName: string): readonly Pod[] {
    const m = this.nominatedByNode.get(nodeName);
    return m ? [...m.values()] : [];
  }
}
