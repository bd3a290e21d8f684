/**
 * TaintToleration: Filter rejects nodes with a NoSchedule/NoExecute taint the pod does not
 * tolerate; Score counts untolerated PreferNoSchedule taints (fewer is better), after kubernetes
 * pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go.
 */
import type { Toleration } from 'kubernetes-types/core/v1.js';
import type { AnyPlugin } from '../framework/interface.ts';
import { unresolvable } from '../framework/status.ts';
import { defaultNormalizeScore, findUntoleratedTaint, toleratesTaint } from './helper.ts';

export const name = 'TaintToleration';
const stateKey = `PreScore${name}`;

export function newTaintToleration(): AnyPlugin {
  return {
    name,
    filter(_state, pod, nodeInfo) {
      const taints = nodeInfo.node?.spec?.taints ?? [];
      if (taints.length === 0) return null;
      const taint = findUntoleratedTaint(taints, pod.spec?.tolerations ?? [], (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
      if (!taint) return null;
      return unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
    },
    preScore(state, pod) {
      const prefer = (pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
      state.write(stateKey, prefer);
      return null;
    },
    score(state, _pod, nodeInfo) {
      const tolerations = state.read<Toleration[]>(stateKey) ?? [];
      let n = 0;
      for (const taint of nodeInfo.node?.spec?.taints ?? []) {
        if (taint.effect !== 'PreferNoSchedule') continue;
        if (!tolerations.some((t) => toleratesTaint(t, taint))) n++;
      }
      return n;
    },
    normalizeScore(_state, _pod, _nodes, scores) {
      defaultNormalizeScore(scores, true);
    },
  };
}
