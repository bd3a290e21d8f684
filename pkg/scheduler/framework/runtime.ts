/**
 * Runs one profile's plugins at each extension point, after kubernetes
 * pkg/scheduler/framework/runtime/framework.go and pkg/scheduler/schedule_one.go
 * (findNodesThatFitPod, numFeasibleNodesToFind, prioritizeNodes, selectHost).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import {
  CycleState, maxNodeScore, type AnyPlugin, type BindPlugin, type FilterPlugin, type Handle, type NodeToStatus,
  type PermitPlugin, type PostFilterPlugin, type PostFilterResult, type PreFilterPlugin, type PreScorePlugin,
  type ReservePlugin, type ScorePlugin,
} from './interface.ts';
import type { NodeInfo } from './node-info.ts';
import { podPriority } from './pod-info.ts';
import { FitError, type Diagnosis } from './fit-error.ts';
import { isRejection, newStatus, type PluginStatus, type Status } from './status.ts';

/** schedulerapi.DefaultPercentageOfNodesToScore (0 = adaptive) and the floor of nodes to find. */
export const minFeasibleNodesToFind = 100;
export const minFeasibleNodesPercentageToFind = 5;

/** numFeasibleNodesToFind: 50 - nodes/125 percent (at least 5 %) once there are more than 100 nodes. */
export function numFeasibleNodesToFind(percentageOfNodesToScore: number | undefined, numAllNodes: number): number {
  if (numAllNodes < minFeasibleNodesToFind) return numAllNodes;
  let pct = percentageOfNodesToScore ?? 0;
  if (pct === 0) {
    pct = 50 - Math.trunc(numAllNodes / 125);
    if (pct < minFeasibleNodesPercentageToFind) pct = minFeasibleNodesPercentageToFind;
  }
  let n = Math.trunc((numAllNodes * pct) / 100);
  if (n < minFeasibleNodesToFind) n = minFeasibleNodesToFind;
  return n;
}

export interface ProfileConfig {
  schedulerName: string;
  /** Enabled plugins in upstream's order; a plugin runs at every extension point it implements. */
  plugins: AnyPlugin[];
  /** Score weights by plugin name (only score plugins listed here score). */
  scoreWeights: ReadonlyMap<string, number>;
  /** Plugins disabled per extension point, e.g. { score: ['ImageLocality'] }. */
  disabled?: Readonly<Record<string, ReadonlySet<string>>>;
  percentageOfNodesToScore?: number;
}

export interface ScheduleResult {
  suggestedHost: string;
  evaluatedNodes: number;
  feasibleNodes: number;
}

/** Pods nominated to a node that may claim its room first (higher or equal priority). */
export type NominatedPodsFor = (nodeName: string) => readonly Pod[];

export class Framework {
  readonly schedulerName: string;
  readonly preFilterPlugins: PreFilterPlugin[];
  readonly filterPlugins: FilterPlugin[];
  readonly postFilterPlugins: PostFilterPlugin[];
  readonly preScorePlugins: PreScorePlugin[];
  readonly scorePlugins: { plugin: ScorePlugin; weight: number }[];
  readonly reservePlugins: ReservePlugin[];
  readonly permitPlugins: PermitPlugin[];
  readonly bindPlugins: BindPlugin[];
  readonly plugins: AnyPlugin[];
  /** Where the next search starts, so successive pods spread over all nodes (nextStartNodeIndex). */
  private nextStartNodeIndex = 0;

  constructor(readonly config: ProfileConfig, readonly handle: Handle, private readonly nominated: NominatedPodsFor = () => []) {
    this.schedulerName = config.schedulerName;
    this.plugins = config.plugins;
    const on = (point: string, p: AnyPlugin): boolean => !config.disabled?.[point]?.has(p.name);
    const pick = <T>(point: string, method: keyof AnyPlugin): T[] =>
      config.plugins.filter((p) => typeof p[method] === 'function' && on(point, p)) as unknown as T[];
    this.preFilterPlugins = pick('preFilter', 'preFilter');
    this.filterPlugins = pick('filter', 'filter');
    this.postFilterPlugins = pick('postFilter', 'postFilter');
    this.preScorePlugins = pick('preScore', 'preScore');
    this.scorePlugins = pick<ScorePlugin>('score', 'score')
      .filter((p) => (config.scoreWeights.get(p.name) ?? 0) > 0)
      .map((plugin) => ({ plugin, weight: config.scoreWeights.get(plugin.name)! }));
    this.reservePlugins = pick('reserve', 'reserve');
    this.permitPlugins = pick('permit', 'permit');
    this.bindPlugins = pick('bind', 'bind');
  }

  /** RunPreEnqueuePlugins: the first rejection keeps the pod gated. */
  preEnqueue(pod: Pod): PluginStatus {
    for (const p of this.plugins) {
      const s = p.preEnqueue?.(pod) ?? null;
      if (s !== null) return { ...s, plugin: p.name };
    }
    return null;
  }

  /**
   * schedulePod up to host selection: throws FitError when no node fits (PostFilter not run yet).
   * Synchronous: the snapshot does not change while it runs.
   */
  schedule(state: CycleState, pod: Pod): ScheduleResult {
    const snapshot = this.handle.snapshot();
    const all = snapshot.nodeInfos;
    if (all.length === 0) throw new FitError(0, { nodeToStatus: { statuses: new Map(), absent: newStatus('UnschedulableAndUnresolvable') }, unschedulablePlugins: new Set() });
    const { feasible, diagnosis, evaluated } = this.findNodesThatFitPod(state, pod, all);
    if (feasible.length === 0) throw new FitError(all.length, diagnosis);
    if (feasible.length === 1) return { suggestedHost: feasible[0]!.name, evaluatedNodes: evaluated, feasibleNodes: 1 };
    const scores = this.prioritize(state, pod, feasible);
    return { suggestedHost: selectHost(feasible, scores), evaluatedNodes: evaluated, feasibleNodes: feasible.length };
  }

  /** RunPreFilterPlugins then the filters over as many nodes as numFeasibleNodesToFind asks for. */
  findNodesThatFitPod(state: CycleState, pod: Pod, all: readonly NodeInfo[]): { feasible: NodeInfo[]; diagnosis: Diagnosis; evaluated: number } {
    const statuses = new Map<string, Status>();
    const diagnosis: Diagnosis = { nodeToStatus: { statuses, absent: newStatus('UnschedulableAndUnresolvable') }, unschedulablePlugins: new Set() };
    let allowed: ReadonlySet<string> | undefined;
    for (const p of this.preFilterPlugins) {
      const { result, status } = p.preFilter(state, pod, this.handle);
      if (status?.code === 'Skip') {
        state.skipFilterPlugins.add(p.name);
        continue;
      }
      if (status !== null) {
        if (status.code === 'Error') throw new Error(`running PreFilter plugin "${p.name}": ${status.reasons.join(', ')}`);
        diagnosis.preFilterMsg = status.reasons.join(', ');
        diagnosis.unschedulablePlugins.add(p.name);
        (diagnosis.nodeToStatus as { absent: Status }).absent = { ...status, plugin: p.name };
        return { feasible: [], diagnosis, evaluated: 0 };
      }
      if (result?.nodeNames) allowed = allowed ? new Set([...allowed].filter((n) => result.nodeNames!.has(n))) : result.nodeNames;
    }
    let nodes = all;
    if (allowed) {
      nodes = all.filter((n) => allowed!.has(n.name));
      if (nodes.length === 0) {
        diagnosis.preFilterMsg = 'node(s) didn\'t satisfy plugin(s) [' + this.preFilterPlugins.map((p) => p.name).join(' ') + ']';
        return { feasible: [], diagnosis, evaluated: 0 };
      }
    }
    const want = numFeasibleNodesToFind(this.config.percentageOfNodesToScore, nodes.length);
    const feasible: NodeInfo[] = [];
    const start = allowed ? 0 : this.nextStartNodeIndex % nodes.length;
    let processed = 0;
    for (let i = 0; i < nodes.length && feasible.length < want; i++) {
      const nodeInfo = nodes[(start + i) % nodes.length]!;
      processed++;
      const status = this.runFilterPluginsWithNominatedPods(state, pod, nodeInfo);
      if (status === null) feasible.push(nodeInfo);
      else {
        if (status.code === 'Error') throw new Error(`running "${status.plugin}" filter plugin: ${status.reasons.join(', ')}`);
        statuses.set(nodeInfo.name, status);
        if (status.plugin) diagnosis.unschedulablePlugins.add(status.plugin);
      }
    }
    if (!allowed) this.nextStartNodeIndex = (start + processed) % nodes.length;
    return { feasible, diagnosis, evaluated: processed };
  }

  /** RunFilterPlugins: the first rejection wins. */
  runFilterPlugins(state: CycleState, pod: Pod, nodeInfo: NodeInfo): PluginStatus {
    for (const p of this.filterPlugins) {
      if (state.skipFilterPlugins.has(p.name)) continue;
      const s = p.filter(state, pod, nodeInfo, this.handle);
      if (s !== null) {
        s.plugin = p.name;
        return s;
      }
    }
    return null;
  }

  /**
   * RunFilterPluginsWithNominatedPods: where pods of higher or equal priority are nominated, the
   * node must fit the pod with them added as well as without them.
   */
  runFilterPluginsWithNominatedPods(state: CycleState, pod: Pod, nodeInfo: NodeInfo): PluginStatus {
    const nominated = this.nominated(nodeInfo.name)
      .filter((p) => p.metadata?.uid !== pod.metadata?.uid && podPriority(p) >= podPriority(pod));
    if (nominated.length > 0) {
      const withNominated = nodeInfo.clone();
      for (const p of nominated) withNominated.addPod(p);
      const s = this.runFilterPlugins(state, pod, withNominated);
      if (s !== null) return s;
    }
    return this.runFilterPlugins(state, pod, nodeInfo);
  }

  async runPostFilterPlugins(state: CycleState, pod: Pod, nodeToStatus: NodeToStatus): Promise<{ result?: PostFilterResult; status: PluginStatus }> {
    let last: { result?: PostFilterResult; status: PluginStatus } = { status: newStatus('Unschedulable') };
    const messages: string[] = [];
    for (const p of this.postFilterPlugins) {
      const r = await p.postFilter(state, pod, nodeToStatus, this.handle);
      if (r.status === null) return r;
      if (r.status.code === 'UnschedulableAndUnresolvable') return { ...r, status: { ...r.status, plugin: p.name } };
      if (r.status.reasons.length > 0) messages.push(r.status.reasons.join(', '));
      last = r;
    }
    return { result: last.result, status: newStatus(last.status?.code ?? 'Unschedulable', ...messages) };
  }

  /** RunPreScorePlugins, RunScorePlugins (+ NormalizeScore, weights) → total per node. */
  prioritize(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): number[] {
    for (const p of this.preScorePlugins) {
      const s = p.preScore(state, pod, nodes, this.handle);
      if (s?.code === 'Skip') state.skipScorePlugins.add(p.name);
      else if (s !== null) throw new Error(`running PreScore plugin "${p.name}": ${s.reasons.join(', ')}`);
    }
    const totals = new Array<number>(nodes.length).fill(0);
    for (const { plugin, weight } of this.scorePlugins) {
      if (state.skipScorePlugins.has(plugin.name)) continue;
      const scores = new Array<number>(nodes.length);
      for (let i = 0; i < nodes.length; i++) scores[i] = plugin.score(state, pod, nodes[i]!, this.handle);
      plugin.normalizeScore?.(state, pod, nodes, scores);
      for (let i = 0; i < nodes.length; i++) {
        const s = scores[i]!;
        if (s > maxNodeScore || s < 0) throw new Error(`plugin "${plugin.name}" returns an invalid score ${s}, it should in the range of [0, ${maxNodeScore}] after normalizing`);
        totals[i]! += s * weight;
      }
    }
    return totals;
  }

  runReservePlugins(state: CycleState, pod: Pod, nodeName: string): PluginStatus {
    for (const p of this.reservePlugins) {
      const s = p.reserve(state, pod, nodeName);
      if (s !== null) return { ...s, plugin: p.name };
    }
    return null;
  }

  runUnreservePlugins(state: CycleState, pod: Pod, nodeName: string): void {
    for (const p of [...this.reservePlugins].reverse()) p.unreserve(state, pod, nodeName);
  }

  runPermitPlugins(state: CycleState, pod: Pod, nodeName: string): PluginStatus {
    for (const p of this.permitPlugins) {
      const s = p.permit(state, pod, nodeName);
      if (s !== null) return { ...s, plugin: p.name };
    }
    return null;
  }

  async runBindPlugins(state: CycleState, pod: Pod, nodeName: string): Promise<PluginStatus> {
    for (const p of this.bindPlugins) {
      const s = await p.bind(state, pod, nodeName);
      if (s?.code === 'Skip') continue;
      return s === null ? null : { ...s, plugin: p.name };
    }
    return newStatus('Error', 'no bind plugin bound the pod');
  }
}

/** selectHost: the highest total; ties broken at random (reservoir sampling), as upstream does. */
export function selectHost(nodes: readonly NodeInfo[], totals: readonly number[], random: () => number = Math.random): string {
  let best = -1;
  let chosen = 0;
  let ties = 0;
  for (let i = 0; i < nodes.length; i++) {
    const s = totals[i]!;
    if (s > best) {
      best = s;
      chosen = i;
      ties = 1;
    } else if (s === best) {
      ties++;
      if (random() * ties < 1) chosen = i;
    }
  }
  return nodes[chosen]!.name;
}

export { CycleState, isRejection };
