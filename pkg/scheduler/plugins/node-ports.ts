/**
 * NodePorts (PreFilter + Filter): a pod's host ports must be free on the node; 0.0.0.0 conflicts
 * with every address, after kubernetes pkg/scheduler/framework/plugins/nodeports/node_ports.go.
 */
import type { AnyPlugin } from '../framework/interface.ts';
import { podHostPorts, type HostPort } from '../framework/node-info.ts';
import { skip, unschedulable } from '../framework/status.ts';

export const name = 'NodePorts';
export const errReason = "node(s) didn't have free ports for the requested pod ports";
const stateKey = `PreFilter${name}`;

export function newNodePorts(): AnyPlugin {
  return {
    name,
    preFilter(state, pod) {
      const ports = podHostPorts(pod);
      if (ports.length === 0) return { status: skip };
      state.write(stateKey, ports);
      return { status: null };
    },
    filter(state, pod, nodeInfo) {
      const ports = state.read<HostPort[]>(stateKey) ?? podHostPorts(pod);
      if (nodeInfo.usedPorts.size === 0) return null;
      for (const p of ports) if (nodeInfo.usedPorts.conflicts(p.ip, p.protocol, p.port)) return unschedulable(errReason);
      return null;
    },
  };
}
