/**
 * The extension points a plugin may implement, after kubernetes pkg/scheduler/framework/interface.go.
 * A plugin is an object with a `name` and any of the methods below; the framework runner calls them
 * in upstream's order: PreFilter, Filter, PostFilter, PreScore, Score (+ NormalizeScore), Reserve,
 * Permit, Bind. Everything before Bind is synchronous, so the cache cannot change under a cycle.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { NodeInfo } from './node-info.ts';
import type { PluginStatus, Status } from './status.ts';

/** framework.MaxNodeScore */
export const maxNodeScore = 100;

/** Per-cycle scratch space plugins share between their extension points (framework.CycleState). */
export class CycleState {
  private readonly data = new Map<string, unknown>();
  /** Plugins whose PreFilter said Skip: their Filter is not run this cycle. */
  readonly skipFilterPlugins = new Set<string>();
  /** Plugins whose PreScore said Skip: their Score is not run this cycle. */
  readonly skipScorePlugins = new Set<string>();

  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }
}

/** The nodes of one cycle, a consistent view (framework.SharedLister). */
export interface Snapshot {
  /** Every node with a Node object, in a stable order. */
  readonly nodeInfos: readonly NodeInfo[];
  get(nodeName: string): NodeInfo | undefined;
  /** Nodes with at least one pod that has (anti-)affinity terms. */
  readonly havePodsWithAffinity: readonly NodeInfo[];
  readonly havePodsWithRequiredAntiAffinity: readonly NodeInfo[];
}

/** What plugins may use besides their arguments (framework.Handle). */
export interface Handle {
  snapshot(): Snapshot;
  /** Labels of a namespace (for affinity namespaceSelector); undefined when unknown. */
  namespaceLabels(namespace: string): Readonly<Record<string, string>> | undefined;
}

export interface Plugin {
  readonly name: string;
}

export interface PreFilterResult {
  /** When set, only these nodes are evaluated further. */
  nodeNames?: ReadonlySet<string>;
}

export interface PreFilterPlugin extends Plugin {
  /** Skip means this plugin's Filter is not needed for this pod; a rejection rejects every node. */
  preFilter(state: CycleState, pod: Pod, handle: Handle): { result?: PreFilterResult; status: PluginStatus };
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo, handle: Handle): PluginStatus;
}

/** Status of every node that was filtered out, and what nodes not evaluated count as. */
export interface NodeToStatus {
  readonly statuses: ReadonlyMap<string, Status>;
  /** The status of nodes absent from `statuses` (a PreFilter result excluded them). */
  readonly absent: Status;
}

export interface PostFilterResult {
  nominatedNodeName?: string;
}

export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: Pod, nodeToStatus: NodeToStatus, handle: Handle): Promise<{ result?: PostFilterResult; status: PluginStatus }>;
}

export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], handle: Handle): PluginStatus;
}

export interface ScorePlugin extends Plugin {
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo, handle: Handle): number;
  /** Rewrites `scores` (one per node, same order) into 0…maxNodeScore. */
  normalizeScore?(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], scores: number[]): void;
}

export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: Pod, nodeName: string): PluginStatus;
  unreserve(state: CycleState, pod: Pod, nodeName: string): void;
}

export interface PermitPlugin extends Plugin {
  permit(state: CycleState, pod: Pod, nodeName: string): PluginStatus;
}

export interface BindPlugin extends Plugin {
  /** Skip passes the pod to the next bind plugin. */
  bind(state: CycleState, pod: Pod, nodeName: string): Promise<PluginStatus>;
}

export interface EnqueueExtensions {
  /** PreEnqueue: a rejection keeps the pod out of activeQ until it changes (SchedulingGates). */
  preEnqueue?(pod: Pod): PluginStatus;
}

/** Any mix of the extension points. */
export type AnyPlugin = Plugin & Partial<
  Omit<PreFilterPlugin, 'name'> & Omit<FilterPlugin, 'name'> & Omit<PostFilterPlugin, 'name'> & Omit<PreScorePlugin, 'name'>
  & Omit<ScorePlugin, 'name'> & Omit<ReservePlugin, 'name'> & Omit<PermitPlugin, 'name'> & Omit<BindPlugin, 'name'>
  & EnqueueExtensions & { less(a: QueuedPodInfo, b: QueuedPodInfo): boolean }>;

/** A pod waiting in the scheduling queue (framework.QueuedPodInfo). */
export interface QueuedPodInfo {
  pod: Pod;
  key: string;
  /** When the pod was last added to or moved in the queue (PrioritySort's tie-breaker). */
  timestamp: number;
  /** Scheduling attempts so far. */
  attempts: number;
  /** When the first attempt started. */
  initialAttemptTimestamp?: number;
  /** Plugins that rejected the pod last time (informational). */
  unschedulablePlugins: Set<string>;
  /** Set while a PreEnqueue plugin keeps the pod out of activeQ. */
  gated: boolean;
}
