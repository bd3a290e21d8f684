/**
 * SchedulingGates (PreEnqueue): a pod with spec.schedulingGates stays out of activeQ until they are
 * all removed, after kubernetes pkg/scheduler/framework/plugins/schedulinggates/scheduling_gates.go.
 */
import type { AnyPlugin } from '../framework/interface.ts';
import { unresolvable } from '../framework/status.ts';

export const name = 'SchedulingGates';

export function newSchedulingGates(): AnyPlugin {
  return {
    name,
    preEnqueue(pod) {
      const gates = pod.spec?.schedulingGates ?? [];
      if (gates.length === 0) return null;
      return unresolvable(`waiting for scheduling gates: [${gates.map((g) => g.name).join(' ')}]`);
    },
  };
}
