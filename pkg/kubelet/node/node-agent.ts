/**
 * One simulated node's kubelet-to-apiserver duties (pkg/kubelet/kubelet_node_status.go and
 * pkg/kubelet/nodelease): register the Node (or take over the one a previous process
 * registered), write its status when it changes and at least every report period, and renew its
 * Lease in kube-node-lease every quarter of the lease duration. Stopping ends the heartbeats only:
 * the Node and Lease stay, so the node goes NotReady the way a dead kubelet's does.
 */
import type { Node, NodeStatus } from 'kubernetes-types/core/v1.js';
import { microTime } from '../../client/leaderelection/index.ts';
import type { Logger } from '../../util/log.ts';
import { isConflict, isNotFound, type ApiClient } from '../api-client.ts';
import type { EventRecorder } from '../event-recorder.ts';
import { initialNode, nodeLabels, nodeStatus, statusChanged, type NodeIdentity } from './node-object.ts';

export const leaseNamespace = 'kube-node-lease';

export interface NodeAgentTiming {
  statusUpdateMs: number;
  statusReportMs: number;
  leaseDurationSeconds: number;
}

interface Lease {
  metadata: { name: string; namespace: string; resourceVersion?: string; ownerReferences?: unknown[] };
  spec?: { holderIdentity?: string; leaseDurationSeconds?: number; renewTime?: string };
}

/** Retry pause after a failed registration, status write or renewal. */
const retryMs = 1000;

export class NodeAgent {
  private uid = '';
  private lastStatus: NodeStatus | undefined;
  private lastWrite = 0;
  private lease: Lease | undefined;

  constructor(
    private identity: NodeIdentity,
    private readonly deps: { client: ApiClient; events: EventRecorder; log: Logger; timing: NodeAgentTiming },
  ) {}

  get name(): string {
    return this.identity.name;
  }

  /** The pod CIDR in force: ours, or the one an earlier registration gave the Node. */
  get podCIDR(): string {
    return this.identity.podCIDR;
  }

  /** Creates the Node or takes over the existing one, then writes its status; retries until done or aborted. */
  async register(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.registerOnce();
        this.recordStartEvents();
        return;
      } catch (err) {
        this.deps.log.warn('node registration failed, retrying', { node: this.name, error: (err as Error).message });
        await pause(retryMs, signal);
      }
    }
  }

  private async registerOnce(): Promise<void> {
    const { client } = this.deps;
    const path = `/api/v1/nodes/${this.name}`;
    let node: Node;
    try {
      node = await client.get<Node>(path);
      // kubelet tryRegisterWithAPIServer: an existing node is ours; reconcile labels, keep its CIDR.
      const podCIDR = node.spec?.podCIDR;
      if (podCIDR) this.identity = { ...this.identity, podCIDR };
      node = await client.mergePatch<Node>(path, {
        metadata: { labels: nodeLabels(this.identity), annotations: { 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' } },
        ...(podCIDR ? {} : { spec: { podCIDR: this.identity.podCIDR, podCIDRs: [this.identity.podCIDR] } }),
      });
      this.deps.log.info('took over existing node', { node: this.name, podCIDR: this.identity.podCIDR });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      node = await client.create<Node>('/api/v1/nodes', initialNode(this.identity, new Date()));
      this.deps.log.info('registered node', { node: this.name, podCIDR: this.identity.podCIDR });
    }
    this.uid = node.metadata?.uid ?? '';
    this.lastStatus = node.status?.conditions?.length ? node.status : undefined;
    await this.writeStatus(true);
  }

  private recordStartEvents(): void {
    const ref = { kind: 'Node', name: this.name, uid: this.name };
    const record = (reason: string, message: string) => this.deps.events.record(ref, this.name, 'Normal', reason, message);
    record('Starting', 'Starting kubelet.');
    for (const reason of ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID']) {
      record(reason, `Node ${this.name} status is now: ${reason}`);
    }
    record('NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods');
    record('NodeReady', `Node ${this.name} status is now: NodeReady`);
  }

  /** Writes status when it changed, or when the report period has passed (or `force`). */
  private async writeStatus(force = false): Promise<void> {
    const now = new Date();
    const status = nodeStatus(this.identity, this.lastStatus, now);
    const due = now.getTime() - this.lastWrite >= this.deps.timing.statusReportMs;
    if (!force && !due && !statusChanged(this.lastStatus, status)) return;
    await this.deps.client.mergePatch(`/api/v1/nodes/${this.name}/status`, { status });
    this.lastStatus = status;
    this.lastWrite = now.getTime();
  }

  /** Heartbeats until `signal` aborts: status every update period, lease every quarter duration. */
  async run(signal: AbortSignal): Promise<void> {
    const { timing, log } = this.deps;
    const renewMs = (timing.leaseDurationSeconds * 1000) / 4;
    await Promise.all([
      loop(signal, timing.statusUpdateMs, () => this.writeStatus(), (err) => log.warn('node status update failed', { node: this.name, error: err.message })),
      loop(signal, renewMs, () => this.renewLease(), (err) => log.warn('lease renewal failed', { node: this.name, error: err.message }), 0),
    ]);
  }

  private leaseBody(now: number): Lease & Record<string, unknown> {
    return {
      apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
      metadata: {
        ...(this.lease?.metadata ?? {}), name: this.name, namespace: leaseNamespace,
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.name, uid: this.uid }],
      },
      spec: { holderIdentity: this.name, leaseDurationSeconds: this.deps.timing.leaseDurationSeconds, renewTime: microTime(now) },
    };
  }

  /** nodelease controller: create the Lease once, then update renewTime; a conflict re-reads it. */
  private async renewLease(): Promise<void> {
    const { client } = this.deps;
    const base = `/apis/coordination.k8s.io/v1/namespaces/${leaseNamespace}/leases`;
    if (!this.lease) {
      try {
        this.lease = await client.get<Lease>(`${base}/${this.name}`);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        this.lease = await client.create<Lease>(base, this.leaseBody(Date.now()));
        return;
      }
    }
    try {
      this.lease = await client.update<Lease>(`${base}/${this.name}`, this.leaseBody(Date.now()));
    } catch (err) {
      if (isConflict(err) || isNotFound(err)) this.lease = undefined;
      throw err;
    }
  }
}

/** Calls `fn` every `periodMs` (first after `firstMs`), retrying sooner after a failure, until aborted. */
async function loop(signal: AbortSignal, periodMs: number, fn: () => Promise<void>, onError: (err: Error) => void, firstMs = periodMs): Promise<void> {
  let wait = firstMs;
  while (!signal.aborted) {
    await pause(wait, signal);
    if (signal.aborted) return;
    try {
      await fn();
      wait = periodMs;
    } catch (err) {
      onError(err as Error);
      wait = Math.min(retryMs, periodMs);
    }
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
