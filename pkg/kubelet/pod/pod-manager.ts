/**
 * The kubelet's pod loop for every simulated node at once: one shared pod informer feeds it; pods
 * bound to our nodes are admitted (host ports, pod count, as the kubelet's predicate admission
 * does), given a worker, and their status written through the status subresource only when it
 * changed (one write per visible change, coalesced while a write is in flight; conditions other
 * components own are kept, see status-patch.ts). When a stage deletes a pod (the built-in one
 * does as soon as it has a deletionTimestamp) it is stopped, its final status written once, then
 * deleted with gracePeriodSeconds 0 and a UID precondition (pkg/kubelet/status/status_manager.go).
 * Also the logs and usage sources the kubelet endpoint reads.
 */
import type { Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import type { DeletedFinalStateUnknown, ResourceEventHandler } from '../../client/informers/index.ts';
import { finalStateOf } from '../../client/informers/index.ts';
import { parseQuantityNano } from '../../registry/validation/index.ts';
import type { Logger } from '../../util/log.ts';
import { ApiError, isNotFound, type ApiClient } from '../api-client.ts';
import type { EventRecorder } from '../event-recorder.ts';
import type { PodIpAllocator } from '../node/pod-cidr.ts';
import type { LogLookup, NodeUsage, PodLogSource, PodUsage, UsageSource } from '../server/sources.ts';
import type { CompiledStage } from '../stages/index.ts';
import { admit } from './admission.ts';
import { rejectedStatus } from './pod-status.ts';
import { PodWorker } from './pod-worker.ts';
import { podStatusPatch } from './status-patch.ts';

/** What the pod loop needs to know of one simulated node. */
export interface NodeRuntime {
  name: string;
  hostIP: string;
  ips: PodIpAllocator;
  /** Allocatable pods (admission refuses more). */
  maxPods: number;
}

export interface PodManagerDeps {
  client: ApiClient;
  events: EventRecorder;
  log: Logger;
  nodes: ReadonlyMap<string, NodeRuntime>;
  /** Simulated usage as a fraction of requests. */
  usageFraction: number;
  /** The stages every pod plays (user stages first, then the built-in ones); default the built-in ones. */
  stages?: readonly CompiledStage[];
}

interface WriteState {
  dirty: boolean;
  writing: boolean;
  queued: boolean;
  lastJson?: string;
  lastStatus?: PodStatus;
  writes: number;
}

/** Status writes in flight at once, across all nodes. */
const writeConcurrency = 32;
const writeRetryMs = 1000;

export class PodManager implements PodLogSource, UsageSource {
  private readonly workers = new Map<string, PodWorker>();
  private readonly byName = new Map<string, string>();
  private readonly writes = new Map<string, WriteState>();
  private readonly queue: string[] = [];
  private readonly deleting = new Set<string>();
  private readonly handled = new Set<string>();
  private inFlight = 0;
  private stopped = false;
  /**
   * Pods of the informer's first list, held until it is complete (cachesSynced): the pods a previous
   * process ran here claim their addresses before any new pod is given one, whatever the list order,
   * as the real kubelet's IPAM remembers them across restarts.
   */
  private initial: Map<string, Pod> | undefined = new Map();
  /** Status writes done, for the writes-per-pod figure. */
  totalWrites = 0;

  constructor(private readonly deps: PodManagerDeps) {}

  /** The informer handler: only pods bound to one of our nodes are looked at. */
  handler(): ResourceEventHandler<Pod> {
    return {
      onAdd: (pod) => this.receive(pod),
      onUpdate: (_old, pod) => this.receive(pod),
      onDelete: (obj: Pod | DeletedFinalStateUnknown<Pod>) => {
        const pod = finalStateOf(obj);
        this.initial?.delete(pod.metadata?.uid ?? '');
        this.forget(pod);
      },
    };
  }

  /** The informer has listed every pod: start them, those a previous process ran here first. */
  cachesSynced(): void {
    const pods = [...(this.initial?.values() ?? [])];
    this.initial = undefined;
    const continued = pods.filter(wasRunningHere);
    for (const pod of [...continued, ...pods.filter((p) => !wasRunningHere(p))]) this.sync(pod);
  }

  private receive(pod: Pod): void {
    if (this.initial) this.initial.set(pod.metadata?.uid ?? '', pod);
    else this.sync(pod);
  }

  /** Stops every worker (the process is exiting); pods keep their last written status. */
  stop(): void {
    this.stopped = true;
    for (const w of this.workers.values()) w.dispose();
  }

  private sync(pod: Pod): void {
    if (this.stopped) return;
    const node = this.deps.nodes.get(pod.spec?.nodeName ?? '');
    const uid = pod.metadata?.uid;
    if (!node || !uid) return;
    const worker = this.workers.get(uid);
    if (worker) {
      worker.update(pod); // a deletion reaches the worker's stages, whose delete calls terminate
      return;
    }
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed' || this.handled.has(uid)) {
      // Finished before we saw it (or rejected by us): only a deletion is left to carry out.
      if (pod.metadata?.deletionTimestamp) void this.deletePod(pod);
      return;
    }
    if (pod.metadata?.deletionTimestamp) {
      void this.deletePod(pod); // never started here: nothing to stop
      return;
    }
    const adopted = wasRunningHere(pod) ? pod.status : undefined;
    if (!adopted) {
      const admitted = this.podsOn(node.name).map((w) => w.pod);
      const verdict = admit(pod, admitted, node.maxPods);
      if (!verdict.ok) return this.reject(pod, node, verdict.reason, verdict.message);
    }
    this.start(pod, node, adopted);
  }

  private podsOn(nodeName: string): PodWorker[] {
    return [...this.workers.values()].filter((w) => !w.terminal && w.pod.spec?.nodeName === nodeName);
  }

  private start(pod: Pod, node: NodeRuntime, adopted: PodStatus | undefined): void {
    const uid = pod.metadata!.uid!;
    const worker = new PodWorker(pod, {
      nodeName: node.name, hostIP: node.hostIP, events: this.deps.events,
      changed: () => this.markDirty(uid),
      finished: () => this.deps.log.debug('pod finished', { pod: worker.key }),
      allocateIp: () => node.ips.allocate(),
      releaseIp: (ip) => node.ips.release(ip),
      stages: this.deps.stages,
      deleteRequested: () => void this.terminate(worker),
      stageRunaway: (stage) => this.deps.log.warn('stages keep firing at once; stopped playing them for this pod', { pod: worker.key, stage }),
    });
    if (adopted?.podIP && !pod.spec?.hostNetwork) node.ips.claim(adopted.podIP);
    this.workers.set(uid, worker);
    this.byName.set(worker.key, uid);
    this.writes.set(uid, { dirty: false, writing: false, queued: false, writes: 0, lastStatus: pod.status, lastJson: adopted ? JSON.stringify(adopted) : undefined });
    worker.start(adopted);
  }

  private reject(pod: Pod, node: NodeRuntime, reason: string, message: string): void {
    const m = pod.metadata!;
    this.handled.add(m.uid!);
    this.deps.events.record({ kind: 'Pod', namespace: m.namespace, name: m.name, uid: m.uid, apiVersion: 'v1', resourceVersion: m.resourceVersion },
      node.name, 'Warning', reason, message);
    const status = rejectedStatus(pod, reason, message, node.hostIP, new Date());
    void this.patchStatus(pod, status, pod.status).catch((err: unknown) => {
      this.deps.log.warn('could not write rejected status', { pod: `${m.namespace}/${m.name}`, error: (err as Error).message });
    });
  }

  private forget(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    const worker = this.workers.get(uid);
    this.handled.delete(uid);
    if (!worker) return;
    worker.dispose();
    this.workers.delete(uid);
    this.writes.delete(uid);
    this.deleting.delete(uid);
    if (this.byName.get(worker.key) === uid) this.byName.delete(worker.key);
  }

  // --- deletion -------------------------------------------------------------------------------

  private async terminate(worker: PodWorker): Promise<void> {
    const uid = worker.pod.metadata!.uid!;
    if (this.deleting.has(uid)) return;
    this.deleting.add(uid);
    worker.stopForDeletion();
    try {
      await this.flush(uid);
    } catch (err) {
      this.deps.log.warn('final status not written', { pod: worker.key, error: (err as Error).message });
    }
    await this.deletePod(worker.pod);
  }

  /** DELETE with gracePeriodSeconds 0 and the pod's UID as precondition (status_manager canBeDeleted → Delete). */
  private async deletePod(pod: Pod): Promise<void> {
    const m = pod.metadata!;
    try {
      await this.deps.client.delete(`/api/v1/namespaces/${m.namespace}/pods/${m.name}`, {
        apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, preconditions: { uid: m.uid },
      });
    } catch (err) {
      if (!(err instanceof ApiError && (err.code === 404 || err.code === 409))) {
        this.deps.log.warn('pod delete failed', { pod: `${m.namespace}/${m.name}`, error: (err as Error).message });
      }
    }
  }

  // --- status writes --------------------------------------------------------------------------

  private markDirty(uid: string): void {
    const state = this.writes.get(uid);
    if (!state) return;
    state.dirty = true;
    if (!state.writing && !state.queued) {
      state.queued = true;
      this.queue.push(uid);
      // Coalesce everything that happens in this turn (a pod starting all its containers) into one write.
      if (this.queue.length === 1) setImmediate(() => this.pump());
    }
  }

  private pump(): void {
    while (!this.stopped && this.inFlight < writeConcurrency && this.queue.length > 0) {
      const uid = this.queue.shift()!;
      const state = this.writes.get(uid);
      if (!state) continue;
      state.queued = false;
      this.inFlight++;
      state.writing = true;
      void this.writeOnce(uid, state).finally(() => {
        state.writing = false;
        this.inFlight--;
        if (state.dirty && this.writes.has(uid)) this.markDirty(uid);
        this.pump();
      });
    }
  }

  private async writeOnce(uid: string, state: WriteState): Promise<void> {
    const worker = this.workers.get(uid);
    if (!worker) return;
    state.dirty = false;
    const status = worker.status(state.lastStatus, new Date());
    const json = JSON.stringify(status);
    if (json === state.lastJson) return;
    try {
      await this.patchStatus(worker.pod, status, state.lastStatus);
      state.lastJson = json;
      state.lastStatus = status;
      state.writes++;
      this.totalWrites++;
    } catch (err) {
      if (isNotFound(err) || (err instanceof ApiError && err.code === 422)) return; // gone, or replaced by a pod of another uid
      this.deps.log.warn('pod status write failed, retrying', { pod: worker.key, error: (err as Error).message });
      setTimeout(() => this.markDirty(uid), writeRetryMs).unref();
    }
  }

  /** Waits for writes in flight, then writes the current status if it changed. */
  private async flush(uid: string): Promise<void> {
    const state = this.writes.get(uid);
    if (!state) return;
    while (state.writing) await new Promise((r) => setTimeout(r, 5));
    state.writing = true;
    try {
      await this.writeOnce(uid, state);
    } finally {
      state.writing = false;
    }
  }

  /** Writes `status` through pods/status, keeping the conditions the kubelet does not own (status-patch.ts). */
  private patchStatus(pod: Pod, status: PodStatus, previous: PodStatus | undefined): Promise<unknown> {
    const m = pod.metadata!;
    return this.deps.client.request('PATCH', `/api/v1/namespaces/${m.namespace}/pods/${m.name}/status`,
      podStatusPatch(m.uid!, status, previous), 'application/strategic-merge-patch+json');
  }

  /** Status writes per pod so far (for measurements). */
  writesPerPod(): number[] {
    return [...this.writes.values()].map((s) => s.writes);
  }

  // --- logs and usage -------------------------------------------------------------------------

  containerLog(namespace: string, pod: string, container: string, previous: boolean): LogLookup {
    const uid = this.byName.get(`${namespace}/${pod}`);
    const worker = uid ? this.workers.get(uid) : undefined;
    if (!worker) return { found: false, message: `pod "${pod}" does not exist` };
    const { log, record } = worker.log(container, previous);
    if (!record) return { found: false, message: `container ${container} is not valid for pod ${pod}` };
    if (log) return { found: true, log };
    if (previous) return { found: false, message: `previous terminated container "${container}" in pod "${pod}" not found` };
    const reason = record.state.waiting?.reason ?? 'ContainerCreating';
    return { found: false, message: `container "${container}" in pod "${pod}" is waiting to start: ${reason}` };
  }

  nodeUsage(nodeName: string, _now: Date): NodeUsage | undefined {
    if (!this.deps.nodes.has(nodeName)) return undefined;
    const pods: PodUsage[] = [];
    for (const w of this.workers.values()) {
      if (w.terminal || w.pod.spec?.nodeName !== nodeName) continue;
      const m = w.pod.metadata!;
      const containers = w.runningContainers().map((c) => {
        const cpu = parseQuantityNano(c.resources?.requests?.cpu ?? c.resources?.limits?.cpu);
        const mem = parseQuantityNano(c.resources?.requests?.memory ?? c.resources?.limits?.memory);
        return {
          name: c.name,
          usageNanoCores: cpu === undefined ? 1_000_000 : Math.round(Number(cpu) * this.deps.usageFraction),
          workingSetBytes: mem === undefined ? 4 * 1024 * 1024 : Math.round((Number(mem) / 1e9) * this.deps.usageFraction),
        };
      });
      pods.push({ namespace: m.namespace ?? '', name: m.name ?? '', uid: m.uid ?? '', containers });
    }
    const sum = (f: (c: { usageNanoCores: number; workingSetBytes: number }) => number) =>
      pods.reduce((n, p) => n + p.containers.reduce((k, c) => k + f(c), 0), 0);
    // The node itself (system daemons) uses a little on top of its pods.
    return { nodeName, usageNanoCores: 50_000_000 + sum((c) => c.usageNanoCores), workingSetBytes: 256 * 1024 * 1024 + sum((c) => c.workingSetBytes), pods };
  }
}

/** A pod whose status an earlier kubelet process wrote (it has a start time and container IDs). */
function wasRunningHere(pod: Pod): boolean {
  const s = pod.status;
  return Boolean(s?.startTime && [...(s.containerStatuses ?? []), ...(s.initContainerStatuses ?? [])].some((c) => c.containerID));
}
