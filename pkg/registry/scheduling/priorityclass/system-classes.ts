/** The built-in PriorityClasses (pkg/apis/scheduling/types.go and helpers.go). */

export const highestUserDefinablePriority = 1_000_000_000;
export const systemCriticalPriority = 2 * highestUserDefinablePriority;
export const systemPriorityClassPrefix = 'system-';

export interface SystemPriorityClass {
  name: string;
  value: number;
  globalDefault: boolean;
  description: string;
}

export const systemPriorityClasses: readonly SystemPriorityClass[] = [
  {
    name: 'system-node-critical', value: systemCriticalPriority + 1000, globalDefault: false,
    description: 'Used for system critical pods that must not be moved from their current node.',
  },
  {
    name: 'system-cluster-critical', value: systemCriticalPriority, globalDefault: false,
    description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  },
];
