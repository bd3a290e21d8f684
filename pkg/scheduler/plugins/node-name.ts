/**
 * NodeName (Filter): a pod naming a node fits only that node, after kubernetes
 * pkg/scheduler/framework/plugins/nodename/node_name.go.
 */
import type { AnyPlugin } from '../framework/interface.ts';
import { unresolvable } from '../framework/status.ts';

export const name = 'NodeName';
export const errReason = "node(s) didn't match the requested node name";

export function newNodeName(): AnyPlugin {
  return {
    name,
    filter(_state, pod, nodeInfo) {
      const want = pod.spec?.nodeName;
      return !want || want === nodeInfo.name ? null : unresolvable(errReason);
    },
  };
}
