/**
 * NodeUnschedulable (Filter): a cordoned node (spec.unschedulable) takes only pods tolerating
 * node.kubernetes.io/unschedulable:NoSchedule, after kubernetes
 * pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go.
 */
import type { AnyPlugin } from '../framework/interface.ts';
import { unresolvable } from '../framework/status.ts';
import { toleratesTaint } from './helper.ts';

export const name = 'NodeUnschedulable';
export const errReasonUnschedulable = 'node(s) were unschedulable';
const taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

export function newNodeUnschedulable(): AnyPlugin {
  return {
    name,
    filter(_state, pod, nodeInfo) {
      if (!nodeInfo.node?.spec?.unschedulable) return null;
      if ((pod.spec?.tolerations ?? []).some((t) => toleratesTaint(t, taint))) return null;
      return unresolvable(errReasonUnschedulable);
    },
  };
}
