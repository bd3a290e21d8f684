/**
 * The scheduler cache, after kubernetes pkg/scheduler/backend/cache/cache.go: NodeInfo per node
 * from the Node informer and the assigned pods, plus pods the scheduler has *assumed* onto a node
 * before its binding reached the apiserver, so the next pod already sees them. An assumed pod is
 * confirmed when the informer shows it bound, or forgotten when binding fails.
 *
 * The snapshot is the cache itself: a scheduling cycle runs synchronously, so nothing changes
 * under it, and there is no copy to make per pod (upstream copies only changed NodeInfos; we need
 * not copy at all). The node list is rebuilt only when nodes come or go.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { Snapshot } from '../framework/interface.ts';
import { NodeInfo } from '../framework/node-info.ts';

interface PodState {
  pod: Pod;
  nodeName: string;
  assumed: boolean;
}

const uidOf = (pod: Pod): string => pod.metadata?.uid ?? `${pod.metadata?.namespace}/${pod.metadata?.name}`;

export class SchedulerCache implements Snapshot {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly podStates = new Map<string, PodState>();
  private list: NodeInfo[] | undefined;
  private affinityLists: { any: NodeInfo[]; anti: NodeInfo[] } | undefined;

  get nodeInfos(): readonly NodeInfo[] {
    this.list ??= [...this.nodes.values()].filter((n) => n.node !== undefined);
    return this.list;
  }

  get havePodsWithAffinity(): readonly NodeInfo[] {
    return this.affinity().any;
  }

  get havePodsWithRequiredAntiAffinity(): readonly NodeInfo[] {
    return this.affinity().anti;
  }

  private affinity(): { any: NodeInfo[]; anti: NodeInfo[] } {
    this.affinityLists ??= {
      any: this.nodeInfos.filter((n) => n.podsWithAffinity.size > 0),
      anti: this.nodeInfos.filter((n) => n.podsWithRequiredAntiAffinity.size > 0),
    };
    return this.affinityLists;
  }

  get(nodeName: string): NodeInfo | undefined {
    const n = this.nodes.get(nodeName);
    return n?.node ? n : undefined;
  }

  nodeCount(): number {
    return this.nodeInfos.length;
  }

  private nodeInfo(name: string): NodeInfo {
    let n = this.nodes.get(name);
    if (!n) {
      n = new NodeInfo(name);
      this.nodes.set(name, n);
    }
    return n;
  }

  addOrUpdateNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const existed = this.nodes.get(name)?.node !== undefined;
    this.nodeInfo(name).setNode(node);
    if (!existed) this.list = undefined;
    this.affinityLists = undefined;
  }

  removeNode(name: string): void {
    const n = this.nodes.get(name);
    if (!n) return;
    // Pods still bound to it keep their NodeInfo until they go; it just leaves the list.
    if (n.pods.size === 0) this.nodes.delete(name);
    else n.node = undefined;
    this.list = undefined;
    this.affinityLists = undefined;
  }

  /** Assume `pod` (spec.nodeName set) runs on its node until bound or forgotten. */
  assumePod(pod: Pod): void {
    const nodeName = pod.spec?.nodeName ?? '';
    const uid = uidOf(pod);
    if (this.podStates.has(uid)) throw new Error(`pod ${pod.metadata?.namespace}/${pod.metadata?.name} is in the cache, so can't be assumed`);
    this.podStates.set(uid, { pod, nodeName, assumed: true });
    this.place(pod, nodeName);
  }

  /** Undo assumePod after a failed binding. */
  forgetPod(pod: Pod): void {
    const uid = uidOf(pod);
    const state = this.podStates.get(uid);
    if (!state?.assumed) return;
    this.podStates.delete(uid);
    this.unplace(state.pod, state.nodeName);
  }

  isAssumed(pod: Pod): boolean {
    return this.podStates.get(uidOf(pod))?.assumed === true;
  }

  /** An assigned pod seen by the informer (added or updated); confirms an assumed one. */
  addOrUpdatePod(pod: Pod): void {
    const uid = uidOf(pod);
    const nodeName = pod.spec?.nodeName ?? '';
    const state = this.podStates.get(uid);
    if (state) this.unplace(state.pod, state.nodeName);
    this.podStates.set(uid, { pod, nodeName, assumed: false });
    this.place(pod, nodeName);
  }

  removePod(pod: Pod): void {
    const uid = uidOf(pod);
    const state = this.podStates.get(uid);
    if (!state) return;
    this.podStates.delete(uid);
    this.unplace(state.pod, state.nodeName);
  }

  private place(pod: Pod, nodeName: string): void {
    const n = this.nodeInfo(nodeName);
    const hadAffinity = n.podsWithAffinity.size + n.podsWithRequiredAntiAffinity.size;
    n.addPod(pod);
    if (n.podsWithAffinity.size + n.podsWithRequiredAntiAffinity.size !== hadAffinity) this.affinityLists = undefined;
  }

  private unplace(pod: Pod, nodeName: string): void {
    const n = this.nodes.get(nodeName);
    if (!n) return;
    const hadAffinity = n.podsWithAffinity.size + n.podsWithRequiredAntiAffinity.size;
    n.removePod(pod);
    if (n.podsWithAffinity.size + n.podsWithRequiredAntiAffinity.size !== hadAffinity) this.affinityLists = undefined;
    if (n.node === undefined && n.pods.size === 0) this.nodes.delete(nodeName);
  }
}
