/**
 * PodTopologySpread, after kubernetes pkg/scheduler/framework/plugins/podtopologyspread
 * (filtering.go, scoring.go, common.go). Filter enforces the DoNotSchedule constraints (skew of
 * matching pods between topology domains at most maxSkew); Score prefers nodes that even out the
 * ScheduleAnyway constraints. A pod without constraints gets the v1.32 system defaults (hostname
 * maxSkew 3, zone maxSkew 5, ScheduleAnyway) with a selector made of the Services, ReplicaSets,
 * StatefulSets and ReplicationControllers that select it.
 */
import type { Node, Pod, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import { labelSelectorFromObject, nothingLabelSelector, type LabelSelector } from '../../api/selectors/index.ts';
import type { AnyPlugin, Handle } from '../framework/interface.ts';
import { maxNodeScore } from '../framework/interface.ts';
import type { NodeInfo } from '../framework/node-info.ts';
import { skip, unresolvable, unschedulable } from '../framework/status.ts';
import { findUntoleratedTaint } from './helper.ts';
import { podMatchesNodeSelectorAndAffinity } from './node-affinity.ts';

export const name = 'PodTopologySpread';
export const errReasonConstraintsNotMatch = "node(s) didn't match pod topology spread constraints";
export const errReasonNodeLabelNotMatch = `${errReasonConstraintsNotMatch} (missing required label)`;
const hostnameKey = 'kubernetes.io/hostname';

/** The v1.32 system default constraints (defaultingType System). */
export const systemDefaultConstraints: readonly TopologySpreadConstraint[] = [
  { maxSkew: 3, topologyKey: hostnameKey, whenUnsatisfiable: 'ScheduleAnyway' },
  { maxSkew: 5, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' },
];

interface Constraint {
  maxSkew: number;
  topologyKey: string;
  selector: LabelSelector;
  minDomains: number;
  honorAffinity: boolean;
  honorTaints: boolean;
}

export interface TopologySpreadArgs {
  /** Selector of the pod's owners and services, for the system default constraints (empty: none apply). */
  defaultSelector?: (pod: Pod) => LabelSelector;
}

function buildConstraints(pod: Pod, raw: readonly TopologySpreadConstraint[], want: string, defaultSelector?: LabelSelector): Constraint[] {
  const out: Constraint[] = [];
  for (const c of raw) {
    if (c.whenUnsatisfiable !== want) continue;
    let selector: LabelSelector;
    if (defaultSelector) selector = defaultSelector;
    else {
      const extra = (c.matchLabelKeys ?? []).flatMap((k) => {
        const v = pod.metadata?.labels?.[k];
        return v === undefined ? [] : [{ key: k, operator: 'In', values: [v] }];
      });
      try {
        selector = labelSelectorFromObject(c.labelSelector && extra.length > 0
          ? { ...c.labelSelector, matchExpressions: [...(c.labelSelector.matchExpressions ?? []), ...extra] }
          : (c.labelSelector as never));
      } catch {
        selector = nothingLabelSelector();
      }
    }
    out.push({
      maxSkew: c.maxSkew, topologyKey: c.topologyKey, selector, minDomains: c.minDomains ?? 1,
      honorAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor', honorTaints: c.nodeTaintsPolicy === 'Honor',
    });
  }
  return out;
}

function constraintsFor(pod: Pod, want: string, args: TopologySpreadArgs): { constraints: Constraint[]; fromSpec: boolean } {
  const own = pod.spec?.topologySpreadConstraints ?? [];
  if (own.length > 0) return { constraints: buildConstraints(pod, own, want), fromSpec: true };
  if (want !== 'ScheduleAnyway' || !args.defaultSelector) return { constraints: [], fromSpec: false };
  const sel = args.defaultSelector(pod);
  if (sel.empty || !sel.selectable) return { constraints: [], fromSpec: false };
  return { constraints: buildConstraints(pod, systemDefaultConstraints, want, sel), fromSpec: false };
}

function countMatching(nodeInfo: NodeInfo, selector: LabelSelector, namespace: string): number {
  let n = 0;
  for (const { pod } of nodeInfo.pods.values()) {
    if (pod.metadata?.deletionTimestamp || pod.metadata?.namespace !== namespace) continue;
    if (selector.matches(pod.metadata?.labels)) n++;
  }
  return n;
}

const hasAllKeys = (node: Node, cs: readonly Constraint[]): boolean => cs.every((c) => node.metadata?.labels?.[c.topologyKey] !== undefined);

/** Whether a node counts for a constraint's domains (nodeAffinityPolicy / nodeTaintsPolicy). */
function nodeCounts(pod: Pod, node: Node, c: Constraint): boolean {
  if (c.honorAffinity && !podMatchesNodeSelectorAndAffinity(pod, node)) return false;
  if (c.honorTaints && findUntoleratedTaint(node.spec?.taints ?? [], pod.spec?.tolerations ?? [], (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute')) return false;
  return true;
}

interface FilterState {
  constraints: Constraint[];
  /** Per constraint: topology value → matching pods. */
  counts: Map<string, number>[];
}

interface ScoreState {
  constraints: Constraint[];
  counts: Map<string, number>[];
  weights: number[];
  ignored: Set<string>;
}

const filterKey = `PreFilter${name}`;
const scoreKey = `PreScore${name}`;

export function newPodTopologySpread(args: TopologySpreadArgs = {}): AnyPlugin {
  return {
    name,
    preFilter(state, pod, handle: Handle) {
      const { constraints } = constraintsFor(pod, 'DoNotSchedule', args);
      if (constraints.length === 0) return { status: skip };
      const ns = pod.metadata?.namespace ?? '';
      const counts = constraints.map(() => new Map<string, number>());
      for (const ni of handle.snapshot().nodeInfos) {
        const node = ni.node!;
        if (!hasAllKeys(node, constraints)) continue;
        constraints.forEach((c, i) => {
          if (!nodeCounts(pod, node, c)) return;
          const v = node.metadata!.labels![c.topologyKey]!;
          counts[i]!.set(v, (counts[i]!.get(v) ?? 0) + countMatching(ni, c.selector, ns));
        });
      }
      state.write(filterKey, { constraints, counts } satisfies FilterState);
      return { status: null };
    },
    filter(state, pod, nodeInfo) {
      const s = state.read<FilterState>(filterKey);
      if (!s) return null;
      const labels = nodeInfo.node?.metadata?.labels ?? {};
      for (let i = 0; i < s.constraints.length; i++) {
        const c = s.constraints[i]!;
        const value = labels[c.topologyKey];
        if (value === undefined) return unresolvable(errReasonNodeLabelNotMatch);
        const counts = s.counts[i]!;
        let min = counts.size < c.minDomains ? 0 : Infinity;
        for (const n of counts.values()) if (n < min) min = n;
        if (min === Infinity) min = 0;
        const self = c.selector.matches(pod.metadata?.labels) ? 1 : 0;
        const skew = (counts.get(value) ?? 0) + self - min;
        if (skew > c.maxSkew) return unschedulable(errReasonConstraintsNotMatch);
      }
      return null;
    },
    preScore(state, pod, nodes, handle) {
      const { constraints, fromSpec } = constraintsFor(pod, 'ScheduleAnyway', args);
      if (constraints.length === 0) return skip;
      const ns = pod.metadata?.namespace ?? '';
      const ignored = new Set<string>();
      const domains = constraints.map(() => new Set<string>());
      for (const ni of nodes) {
        const node = ni.node!;
        if (fromSpec && !hasAllKeys(node, constraints)) { ignored.add(ni.name); continue; }
        constraints.forEach((c, i) => {
          const v = node.metadata?.labels?.[c.topologyKey];
          if (v !== undefined) domains[i]!.add(v);
        });
      }
      const counts = constraints.map(() => new Map<string, number>());
      for (const ni of handle.snapshot().nodeInfos) {
        const node = ni.node!;
        if (fromSpec && !hasAllKeys(node, constraints)) continue;
        constraints.forEach((c, i) => {
          if (c.topologyKey === hostnameKey || !nodeCounts(pod, node, c)) return;
          const v = node.metadata?.labels?.[c.topologyKey];
          if (v === undefined || !domains[i]!.has(v)) return;
          counts[i]!.set(v, (counts[i]!.get(v) ?? 0) + countMatching(ni, c.selector, ns));
        });
      }
      const weights = constraints.map((c, i) => Math.log((c.topologyKey === hostnameKey ? nodes.length - ignored.size : domains[i]!.size) + 2));
      state.write(scoreKey, { constraints, counts, weights, ignored } satisfies ScoreState);
      return null;
    },
    score(state, pod, nodeInfo) {
      const s = state.read<ScoreState>(scoreKey);
      if (!s || s.ignored.has(nodeInfo.name)) return 0;
      const labels = nodeInfo.node?.metadata?.labels ?? {};
      let score = 0;
      s.constraints.forEach((c, i) => {
        const v = labels[c.topologyKey];
        if (v === undefined) return;
        const cnt = c.topologyKey === hostnameKey ? countMatching(nodeInfo, c.selector, pod.metadata?.namespace ?? '') : (s.counts[i]!.get(v) ?? 0);
        score += cnt * s.weights[i]! + (c.maxSkew - 1);
      });
      return Math.round(score);
    },
    normalizeScore(state, _pod, nodes, scores) {
      const s = state.read<ScoreState>(scoreKey);
      if (!s) return;
      let min = Infinity;
      let max = 0;
      nodes.forEach((n, i) => {
        if (s.ignored.has(n.name)) return;
        min = Math.min(min, scores[i]!);
        max = Math.max(max, scores[i]!);
      });
      nodes.forEach((n, i) => {
        if (s.ignored.has(n.name)) scores[i] = 0;
        else if (max === 0) scores[i] = maxNodeScore;
        else scores[i] = Math.trunc((maxNodeScore * (max + min - scores[i]!)) / max);
      });
    },
  };
}
