/**
 * DefaultPreemption (PostFilter): when no node fits, find nodes where removing lower-priority pods
 * would make room, pick the one that hurts least, mark its victims with the DisruptionTarget
 * condition (reason PreemptionByScheduler), delete them and nominate the node for the pod, after
 * kubernetes pkg/scheduler/framework/preemption/preemption.go and
 * pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go. PodDisruptionBudgets
 * are not consulted (every victim counts as not violating one).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { CycleState, type AnyPlugin, type Handle, type NodeToStatus } from '../framework/interface.ts';
import type { NodeInfo } from '../framework/node-info.ts';
import { podPriority } from '../framework/pod-info.ts';
import { fitErrorMessage } from '../framework/fit-error.ts';
import { newStatus, unresolvable, type PluginStatus, type Status } from '../framework/status.ts';

export const name = 'DefaultPreemption';
export const preemptionNotHelpful = 'Preemption is not helpful for scheduling';
export const noVictims = 'No preemption victims found for incoming pod';

export interface PreemptionDeps {
  /** The profile's filters (with nominated pods) on a node, for the dry runs. */
  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): PluginStatus;
  nominatedPodsForNode(nodeName: string): readonly Pod[];
  /** Marks the victim DisruptionTarget, deletes it and records the Preempted event. */
  evict(victim: Pod, preemptor: Pod, nodeName: string): Promise<void>;
  /** Clears status.nominatedNodeName of a lower-priority pod that lost its place. */
  clearNomination(pod: Pod): Promise<void>;
}

export interface Candidate {
  nodeName: string;
  victims: Pod[];
}

const startTime = (p: Pod): number => Date.parse(p.status?.startTime ?? p.metadata?.creationTimestamp ?? '') || 0;

/** MoreImportantPod: higher priority, then the one that started earlier. */
function moreImportant(a: Pod, b: Pod): number {
  return podPriority(b) - podPriority(a) || startTime(a) - startTime(b);
}

/** SelectVictimsOnNode: remove every lower-priority pod; if the pod fits, give back as many as possible. */
export function selectVictimsOnNode(pod: Pod, nodeInfo: NodeInfo, deps: Pick<PreemptionDeps, 'filter'>): { victims: Pod[]; status: PluginStatus } {
  const clone = nodeInfo.clone();
  const prio = podPriority(pod);
  const potential = [...clone.pods.values()].map((i) => i.pod).filter((p) => podPriority(p) < prio);
  if (potential.length === 0) return { victims: [], status: unresolvable(noVictims) };
  for (const p of potential) clone.removePod(p);
  const state = new CycleState();
  const fits = deps.filter(state, pod, clone);
  if (fits !== null) return { victims: [], status: fits };
  potential.sort(moreImportant);
  const victims: Pod[] = [];
  for (const p of potential) {
    clone.addPod(p);
    if (deps.filter(state, pod, clone) !== null) {
      clone.removePod(p);
      victims.push(p);
    }
  }
  return { victims, status: null };
}

function lexLess(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

/** pickOneNodeForPreemption without PDBs: lowest highest-victim priority, lowest sum, fewest victims, latest start. */
export function pickOneNode(candidates: readonly Candidate[]): Candidate | undefined {
  const key = (c: Candidate) => {
    const prios = c.victims.map(podPriority);
    const highest = prios.length ? Math.max(...prios) : -Infinity;
    const sum = prios.reduce((a, p) => a + p + 2_147_483_648, 0);
    const earliestOfHighest = Math.min(...c.victims.filter((v) => podPriority(v) === highest).map(startTime), Infinity);
    return [highest, sum, c.victims.length, -earliestOfHighest] as const;
  };
  let best: Candidate | undefined;
  let bestKey: readonly number[] | undefined;
  for (const c of candidates) {
    const k = key(c);
    if (!bestKey || lexLess(k, bestKey)) {
      best = c;
      bestKey = k;
    }
  }
  return best;
}

function eligible(pod: Pod, handle: Handle, nodeToStatus: NodeToStatus): string | undefined {
  if (pod.spec?.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
  const nominated = pod.status?.nominatedNodeName;
  if (nominated) {
    const st = nodeToStatus.statuses.get(nominated) ?? nodeToStatus.absent;
    if (st.code === 'UnschedulableAndUnresolvable') return undefined;
    const ni = handle.snapshot().get(nominated);
    const prio = podPriority(pod);
    for (const { pod: p } of ni?.pods.values() ?? []) {
      if (p.metadata?.deletionTimestamp && podPriority(p) < prio) return 'not eligible due to a terminating pod on the nominated node.';
    }
  }
  return undefined;
}

export function newDefaultPreemption(deps: PreemptionDeps): AnyPlugin {
  return {
    name,
    async postFilter(_state, pod, nodeToStatus, handle) {
      const notEligible = eligible(pod, handle, nodeToStatus);
      if (notEligible) return { status: newStatus('Unschedulable', `preemption: ${notEligible}`) };
      const all = handle.snapshot().nodeInfos;
      const statuses = new Map<string, Status>();
      const candidates: Candidate[] = [];
      for (const ni of all) {
        const st = nodeToStatus.statuses.get(ni.name) ?? nodeToStatus.absent;
        if (st.code === 'UnschedulableAndUnresolvable') {
          statuses.set(ni.name, unresolvable(preemptionNotHelpful));
          continue;
        }
        const { victims, status } = selectVictimsOnNode(pod, ni, deps);
        if (status === null) candidates.push({ nodeName: ni.name, victims });
        else statuses.set(ni.name, status);
      }
      const best = pickOneNode(candidates);
      if (!best) {
        const msg = fitErrorMessage(all.length, { nodeToStatus: { statuses, absent: unresolvable(preemptionNotHelpful) }, unschedulablePlugins: new Set() });
        return { result: { nominatedNodeName: '' }, status: newStatus('Unschedulable', `preemption: ${msg}`) };
      }
      // prepareCandidate: evict the victims, then take the place of lower-priority nominated pods.
      await Promise.all(best.victims.map((v) => deps.evict(v, pod, best.nodeName)));
      const prio = podPriority(pod);
      const lower = deps.nominatedPodsForNode(best.nodeName).filter((p) => podPriority(p) < prio && p.metadata?.uid !== pod.metadata?.uid);
      await Promise.all(lower.map((p) => deps.clearNomination(p)));
      return { result: { nominatedNodeName: best.nodeName }, status: null };
    },
  };
}
