/**
 * The in-tree plugins by name and the v1.32 default profile, after kubernetes
 * pkg/scheduler/framework/plugins/registry.go and pkg/scheduler/apis/config/v1/default_plugins.go.
 * A profile naming a plugin that is not here is refused at start.
 */
import type { AnyPlugin } from '../framework/interface.ts';
import type { SchedulerClient } from '../api-client.ts';
import { newBalancedAllocation } from './balanced-allocation.ts';
import { newDefaultBinder } from './default-binder.ts';
import { newDefaultPreemption, type PreemptionDeps } from './default-preemption.ts';
import { newImageLocality } from './image-locality.ts';
import { newInterPodAffinity } from './inter-pod-affinity.ts';
import { newNodeAffinity } from './node-affinity.ts';
import { newNodeName } from './node-name.ts';
import { newNodePorts } from './node-ports.ts';
import { newNodeResourcesFit, type FitArgs } from './node-resources-fit.ts';
import { newNodeUnschedulable } from './node-unschedulable.ts';
import { newPodTopologySpread, type TopologySpreadArgs } from './pod-topology-spread.ts';
import { newPrioritySort } from './priority-sort.ts';
import { newSchedulingGates } from './scheduling-gates.ts';
import { newTaintToleration } from './taint-toleration.ts';

/** What factories may need besides their args. */
export interface PluginDeps {
  client: SchedulerClient;
  preemption: PreemptionDeps;
  topologySpread: TopologySpreadArgs;
}

export type PluginFactory = (args: Record<string, unknown>, deps: PluginDeps) => AnyPlugin;

export const registry: Readonly<Record<string, PluginFactory>> = {
  PrioritySort: () => newPrioritySort(),
  SchedulingGates: () => newSchedulingGates(),
  NodeUnschedulable: () => newNodeUnschedulable(),
  NodeName: () => newNodeName(),
  TaintToleration: () => newTaintToleration(),
  NodeAffinity: () => newNodeAffinity(),
  NodePorts: () => newNodePorts(),
  NodeResourcesFit: (args) => newNodeResourcesFit(fitArgs(args)),
  PodTopologySpread: (_args, deps) => newPodTopologySpread(deps.topologySpread),
  InterPodAffinity: () => newInterPodAffinity(),
  NodeResourcesBalancedAllocation: () => newBalancedAllocation(),
  ImageLocality: () => newImageLocality(),
  DefaultPreemption: (_args, deps) => newDefaultPreemption(deps.preemption),
  DefaultBinder: (_args, deps) => newDefaultBinder(deps.client),
};

/** getDefaultPlugins (v1.32) multiPoint order, with the default score weights. */
export const defaultPlugins: readonly { name: string; weight?: number }[] = [
  { name: 'SchedulingGates' },
  { name: 'PrioritySort' },
  { name: 'NodeUnschedulable' },
  { name: 'NodeName' },
  { name: 'TaintToleration', weight: 3 },
  { name: 'NodeAffinity', weight: 2 },
  { name: 'NodePorts' },
  { name: 'NodeResourcesFit', weight: 1 },
  { name: 'PodTopologySpread', weight: 2 },
  { name: 'InterPodAffinity', weight: 2 },
  { name: 'DefaultPreemption' },
  { name: 'NodeResourcesBalancedAllocation', weight: 1 },
  { name: 'ImageLocality', weight: 1 },
  { name: 'DefaultBinder' },
];

function fitArgs(args: Record<string, unknown>): FitArgs {
  const strategy = args.scoringStrategy as { resources?: { name: string; weight?: number }[] } | undefined;
  return {
    ignoredResources: args.ignoredResources as string[] | undefined,
    resources: strategy?.resources?.map((r) => ({ name: r.name, weight: r.weight ?? 1 })),
  };
}
