/**
 * NodeAffinity: Filter applies spec.nodeSelector and required node affinity; Score sums the
 * weights of matching preferred terms, after kubernetes
 * pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go.
 */
import type { Node, Pod, PreferredSchedulingTerm } from 'kubernetes-types/core/v1.js';
import type { AnyPlugin } from '../framework/interface.ts';
import { skip, unresolvable } from '../framework/status.ts';
import { defaultNormalizeScore, nodeSelectorMatches, nodeSelectorTermMatches } from './helper.ts';

export const name = 'NodeAffinity';
export const errReasonPod = "node(s) didn't match Pod's node affinity/selector";
const preScoreKey = `PreScore${name}`;

/** GetRequiredNodeAffinity(pod).Match(node): nodeSelector labels, then the required terms. */
export function podMatchesNodeSelectorAndAffinity(pod: Pod, node: Node): boolean {
  const selector = pod.spec?.nodeSelector;
  if (selector) {
    const labels = node.metadata?.labels ?? {};
    for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) return false;
  }
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms && !nodeSelectorMatches(terms, node)) return false;
  return true;
}

export function newNodeAffinity(): AnyPlugin {
  return {
    name,
    preFilter(_state, pod) {
      const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
      if (!pod.spec?.nodeSelector && !required) return { status: skip };
      return { status: null };
    },
    filter(_state, pod, nodeInfo) {
      return podMatchesNodeSelectorAndAffinity(pod, nodeInfo.node!) ? null : unresolvable(errReasonPod);
    },
    preScore(state, pod) {
      const preferred = pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
      if (preferred.length === 0) return skip;
      state.write(preScoreKey, preferred);
      return null;
    },
    score(state, _pod, nodeInfo) {
      let total = 0;
      for (const t of state.read<PreferredSchedulingTerm[]>(preScoreKey) ?? []) {
        if (t.weight !== 0 && nodeSelectorTermMatches(t.preference, nodeInfo.node!)) total += t.weight;
      }
      return total;
    },
    normalizeScore(_state, _pod, _nodes, scores) {
      defaultNormalizeScore(scores, false);
    },
  };
}
