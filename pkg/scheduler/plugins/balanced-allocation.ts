/**
 * NodeResourcesBalancedAllocation (Score): nodes where cpu and memory would be used in equal
 * fractions score higher (1 - standard deviation of the fractions), after kubernetes
 * pkg/scheduler/framework/plugins/noderesources/balanced_allocation.go. Uses the pods' actual
 * requests; a pod requesting nothing skips it.
 */
import type { AnyPlugin } from '../framework/interface.ts';
import { maxNodeScore } from '../framework/interface.ts';
import { podResources } from '../framework/resources.ts';
import { skip } from '../framework/status.ts';

export const name = 'NodeResourcesBalancedAllocation';

export function newBalancedAllocation(): AnyPlugin {
  return {
    name,
    preScore(_state, pod) {
      const r = podResources(pod).request;
      return r.milliCPU === 0 && r.memory === 0 ? skip : null;
    },
    score(_state, pod, nodeInfo) {
      const r = podResources(pod).request;
      const fractions: number[] = [];
      const add = (requested: number, capacity: number): void => {
        if (capacity === 0) return;
        fractions.push(Math.min(requested / capacity, 1));
      };
      add(nodeInfo.requested.milliCPU + r.milliCPU, nodeInfo.allocatable.milliCPU);
      add(nodeInfo.requested.memory + r.memory, nodeInfo.allocatable.memory);
      let std = 0;
      if (fractions.length === 2) std = Math.abs((fractions[0]! - fractions[1]!) / 2);
      else if (fractions.length > 2) {
        const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
        std = Math.sqrt(fractions.reduce((a, f) => a + (f - mean) ** 2, 0) / fractions.length);
      }
      return Math.trunc((1 - std) * maxNodeScore);
    },
  };
}
