/**
 * InterPodAffinity, after kubernetes pkg/scheduler/framework/plugins/interpodaffinity
 * (filtering.go, scoring.go). PreFilter counts, per topology pair (key, value), the existing pods
 * matching the incoming pod's required affinity and anti-affinity terms, and the existing pods
 * whose required anti-affinity terms match the incoming pod; Filter checks a node's pairs against
 * those counts. Score adds the weights of preferred terms (both ways) and of existing pods' required
 * affinity (hardPodAffinityWeight 1) per topology pair, then scales min…max to 0…100.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { AnyPlugin, Handle } from '../framework/interface.ts';
import { maxNodeScore } from '../framework/interface.ts';
import type { NodeInfo } from '../framework/node-info.ts';
import { podInfoOf, termMatches, type AffinityTerm, type PodInfo } from '../framework/pod-info.ts';
import { skip, unresolvable, unschedulable } from '../framework/status.ts';

export const name = 'InterPodAffinity';
export const errReasonExistingAntiAffinityRulesNotMatch = "node(s) didn't satisfy existing pods anti-affinity rules";
export const errReasonAffinityRulesNotMatch = "node(s) didn't match pod affinity rules";
export const errReasonAntiAffinityRulesNotMatch = "node(s) didn't match pod anti-affinity rules";
const hardPodAffinityWeight = 1;

type PairCounts = Map<string, number>;
const pair = (key: string, value: string): string => `${key}\0${value}`;
const bump = (m: PairCounts, node: Node, key: string, by: number): void => {
  const v = node.metadata?.labels?.[key];
  if (v !== undefined) m.set(pair(key, v), (m.get(pair(key, v)) ?? 0) + by);
};

interface FilterState {
  info: PodInfo;
  existingAnti: PairCounts;
  affinity: PairCounts;
  anti: PairCounts;
}

const filterKey = `PreFilter${name}`;
const scoreKey = `PreScore${name}`;

export function newInterPodAffinity(): AnyPlugin {
  const nsLabels = (handle: Handle, pod: Pod) => handle.namespaceLabels(pod.metadata?.namespace ?? '');
  return {
    name,
    preFilter(state, pod, handle) {
      const info = podInfoOf(pod);
      const snap = handle.snapshot();
      if (info.requiredAffinityTerms.length === 0 && info.requiredAntiAffinityTerms.length === 0 && snap.havePodsWithRequiredAntiAffinity.length === 0) {
        return { status: skip };
      }
      const s: FilterState = { info, existingAnti: new Map(), affinity: new Map(), anti: new Map() };
      const incomingNsLabels = nsLabels(handle, pod);
      for (const ni of snap.havePodsWithRequiredAntiAffinity) {
        for (const existing of ni.podsWithRequiredAntiAffinity) {
          for (const t of existing.requiredAntiAffinityTerms) {
            if (termMatches(t, pod, incomingNsLabels)) bump(s.existingAnti, ni.node!, t.topologyKey, 1);
          }
        }
      }
      if (info.requiredAffinityTerms.length + info.requiredAntiAffinityTerms.length > 0) {
        for (const ni of snap.nodeInfos) {
          for (const existing of ni.pods.values()) {
            const labels = nsLabels(handle, existing.pod);
            if (info.requiredAffinityTerms.length > 0 && info.requiredAffinityTerms.every((t) => termMatches(t, existing.pod, labels))) {
              for (const t of info.requiredAffinityTerms) bump(s.affinity, ni.node!, t.topologyKey, 1);
            }
            for (const t of info.requiredAntiAffinityTerms) if (termMatches(t, existing.pod, labels)) bump(s.anti, ni.node!, t.topologyKey, 1);
          }
        }
      }
      state.write(filterKey, s);
      return { status: null };
    },
    filter(state, pod, nodeInfo, handle) {
      const s = state.read<FilterState>(filterKey);
      if (!s) return null;
      const labels = nodeInfo.node?.metadata?.labels ?? {};
      const has = (m: PairCounts, t: AffinityTerm): boolean => {
        const v = labels[t.topologyKey];
        return v !== undefined && (m.get(pair(t.topologyKey, v)) ?? 0) > 0;
      };
      const aff = s.info.requiredAffinityTerms;
      if (aff.length > 0) {
        const allKeys = aff.every((t) => labels[t.topologyKey] !== undefined);
        const ok = allKeys && aff.every((t) => has(s.affinity, t));
        // No pod matches yet anywhere: the first pod of a group may match its own terms.
        const selfMatch = allKeys && s.affinity.size === 0 && aff.every((t) => termMatches(t, pod, nsLabels(handle, pod)));
        if (!ok && !selfMatch) return unresolvable(errReasonAffinityRulesNotMatch);
      }
      for (const t of s.info.requiredAntiAffinityTerms) if (has(s.anti, t)) return unschedulable(errReasonAntiAffinityRulesNotMatch);
      if (s.existingAnti.size > 0) {
        for (const [k, v] of Object.entries(labels)) {
          if ((s.existingAnti.get(pair(k, v)) ?? 0) > 0) return unschedulable(errReasonExistingAntiAffinityRulesNotMatch);
        }
      }
      return null;
    },
    preScore(state, pod, _nodes, handle) {
      const info = podInfoOf(pod);
      const snap = handle.snapshot();
      const hasPreferred = info.preferredAffinityTerms.length + info.preferredAntiAffinityTerms.length > 0;
      if (!hasPreferred && snap.havePodsWithAffinity.length === 0) return skip;
      const scores = new Map<string, number>();
      const incomingNsLabels = nsLabels(handle, pod);
      const consider = hasPreferred ? snap.nodeInfos : snap.havePodsWithAffinity;
      for (const ni of consider) {
        const existingPods: Iterable<PodInfo> = hasPreferred ? ni.pods.values() : ni.podsWithAffinity;
        for (const existing of existingPods) {
          const exLabels = nsLabels(handle, existing.pod);
          for (const t of info.preferredAffinityTerms) if (termMatches(t, existing.pod, exLabels)) bump(scores, ni.node!, t.topologyKey, t.weight);
          for (const t of info.preferredAntiAffinityTerms) if (termMatches(t, existing.pod, exLabels)) bump(scores, ni.node!, t.topologyKey, -t.weight);
          for (const t of existing.requiredAffinityTerms) if (termMatches(t, pod, incomingNsLabels)) bump(scores, ni.node!, t.topologyKey, hardPodAffinityWeight);
          for (const t of existing.preferredAffinityTerms) if (termMatches(t, pod, incomingNsLabels)) bump(scores, ni.node!, t.topologyKey, t.weight);
          for (const t of existing.preferredAntiAffinityTerms) if (termMatches(t, pod, incomingNsLabels)) bump(scores, ni.node!, t.topologyKey, -t.weight);
        }
      }
      if (scores.size === 0) return skip;
      state.write(scoreKey, scores);
      return null;
    },
    score(state, _pod, nodeInfo: NodeInfo) {
      const scores = state.read<Map<string, number>>(scoreKey);
      if (!scores) return 0;
      let total = 0;
      for (const [k, v] of Object.entries(nodeInfo.node?.metadata?.labels ?? {})) total += scores.get(pair(k, v)) ?? 0;
      return total;
    },
    normalizeScore(state, _pod, _nodes, scores) {
      if (!state.read(scoreKey)) return;
      let min = Infinity;
      let max = -Infinity;
      for (const s of scores) { min = Math.min(min, s); max = Math.max(max, s); }
      const diff = max - min;
      for (let i = 0; i < scores.length; i++) scores[i] = diff > 0 ? Math.trunc((maxNodeScore * (scores[i]! - min)) / diff) : 0;
    },
  };
}
