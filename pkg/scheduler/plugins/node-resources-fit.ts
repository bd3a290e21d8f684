/**
 * NodeResourcesFit: Filter checks the pod's requests (containers, init containers, overhead,
 * extended resources) against what is left of the node's allocatable; Score is LeastAllocated over
 * cpu and memory (weight 1 each) with the non-zero request defaults, after kubernetes
 * pkg/scheduler/framework/plugins/noderesources/{fit.go,least_allocated.go}.
 */
import type { AnyPlugin } from '../framework/interface.ts';
import { maxNodeScore } from '../framework/interface.ts';
import type { NodeInfo } from '../framework/node-info.ts';
import { podResources, type Resource } from '../framework/resources.ts';
import { newStatus, type PluginStatus } from '../framework/status.ts';

export const name = 'NodeResourcesFit';

export interface ScoredResource { name: string; weight: number }
export interface FitArgs {
  /** Extended resources the filter does not check (ignoredResources). */
  ignoredResources?: readonly string[];
  /** LeastAllocated's resources and weights. */
  resources?: readonly ScoredResource[];
}

export const defaultScoredResources: readonly ScoredResource[] = [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }];

interface Insufficient { reason: string; unresolvable: boolean }

/** fitsRequest: every resource the pod asks for that the node lacks, in upstream's order. */
export function insufficientResources(request: Resource, nodeInfo: NodeInfo, ignored: ReadonlySet<string> = new Set()): Insufficient[] {
  const out: Insufficient[] = [];
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  if (nodeInfo.pods.size + 1 > nodeInfo.allowedPodNumber) out.push({ reason: 'Too many pods', unresolvable: false });
  if (request.milliCPU === 0 && request.memory === 0 && request.ephemeralStorage === 0 && request.scalar.size === 0) return out;
  if (request.milliCPU > 0 && request.milliCPU > alloc.milliCPU - used.milliCPU) {
    out.push({ reason: 'Insufficient cpu', unresolvable: request.milliCPU > alloc.milliCPU });
  }
  if (request.memory > 0 && request.memory > alloc.memory - used.memory) {
    out.push({ reason: 'Insufficient memory', unresolvable: request.memory > alloc.memory });
  }
  if (request.ephemeralStorage > 0 && request.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
    out.push({ reason: 'Insufficient ephemeral-storage', unresolvable: request.ephemeralStorage > alloc.ephemeralStorage });
  }
  for (const [res, want] of request.scalar) {
    if (want === 0 || ignored.has(res)) continue;
    const have = alloc.scalar.get(res) ?? 0;
    if (want > have - (used.scalar.get(res) ?? 0)) out.push({ reason: `Insufficient ${res}`, unresolvable: want > have });
  }
  return out;
}

/** leastRequestedScore: (capacity - requested) * 100 / capacity, 0 when over capacity. */
function leastRequested(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * maxNodeScore) / capacity);
}

export function newNodeResourcesFit(args: FitArgs = {}): AnyPlugin {
  const ignored = new Set(args.ignoredResources ?? []);
  const scored = args.resources ?? defaultScoredResources;
  return {
    name,
    preFilter(_state, pod) {
      podResources(pod);
      return { status: null };
    },
    filter(_state, pod, nodeInfo): PluginStatus {
      const lacking = insufficientResources(podResources(pod).request, nodeInfo, ignored);
      if (lacking.length === 0) return null;
      const code = lacking.some((l) => l.unresolvable) ? 'UnschedulableAndUnresolvable' : 'Unschedulable';
      return newStatus(code, ...lacking.map((l) => l.reason));
    },
    score(_state, pod, nodeInfo) {
      const r = podResources(pod);
      let total = 0;
      let weights = 0;
      for (const { name: res, weight } of scored) {
        let requested: number;
        let capacity: number;
        if (res === 'cpu') { requested = nodeInfo.nonZeroMilliCPU + r.nonZeroMilliCPU; capacity = nodeInfo.allocatable.milliCPU; }
        else if (res === 'memory') { requested = nodeInfo.nonZeroMemory + r.nonZeroMemory; capacity = nodeInfo.allocatable.memory; }
        else if (res === 'ephemeral-storage') { requested = nodeInfo.requested.ephemeralStorage + r.request.ephemeralStorage; capacity = nodeInfo.allocatable.ephemeralStorage; }
        else {
          capacity = nodeInfo.allocatable.scalar.get(res) ?? 0;
          requested = (nodeInfo.requested.scalar.get(res) ?? 0) + (r.request.scalar.get(res) ?? 0);
          if (capacity === 0) continue;
        }
        total += leastRequested(requested, capacity) * weight;
        weights += weight;
      }
      return weights === 0 ? 0 : Math.trunc(total / weights);
    },
  };
}
