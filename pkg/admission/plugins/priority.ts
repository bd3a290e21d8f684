/**
 * Priority (plugin/pkg/admission/priority): a pod's priorityClassName resolves to spec.priority
 * and spec.preemptionPolicy (the global default class, or 0, when it names none); users may not
 * pick the integer themselves. On PriorityClasses it keeps a single globalDefault.
 */
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../types.ts';
import type { AdmissionDeps } from './deps.ts';
import { admissionForbidden, isCoreResource } from './forbidden.ts';
import { cachedOrLive } from './lookup.ts';

/** scheduling.DefaultPriorityWhenNoDefaultClassExists */
const defaultPriorityWhenNoDefaultClassExists = 0;

export function priority(deps: AdmissionDeps): AdmissionPlugin {
  const classes = () => deps.registry.store({ group: 'scheduling.k8s.io', plural: 'priorityclasses' });

  /** The lister's view, then storage: a class created a moment ago may not be cached yet. */
  const getClass = async (name: string): Promise<PriorityClass | undefined> =>
    await cachedOrLive(classes(), undefined, name) as unknown as PriorityClass | undefined;

  /** Of several global defaults (a race can make two) the lowest value wins. */
  const defaultClass = async (): Promise<PriorityClass | undefined> => {
    const store = classes();
    await store.cache.start();
    let found: PriorityClass | undefined;
    for (const obj of store.cache.snapshot().items) {
      const pc = obj as unknown as PriorityClass;
      if (pc.globalDefault && (!found || (found.value ?? 0) > (pc.value ?? 0))) found = pc;
    }
    return found;
  };

  const admitPod = async (a: AdmissionAttributes): Promise<void> => {
    const spec = (a.object!.spec ??= {}) as PodSpec;
    if (a.operation === 'UPDATE') {
      // Set on create; an update that leaves them out keeps them (validation forbids changes).
      const old = a.oldObject?.spec as PodSpec | undefined;
      if ((spec.priority === undefined || spec.priority === null) && old?.priority !== undefined) spec.priority = old.priority;
      if (!spec.preemptionPolicy && old?.preemptionPolicy) spec.preemptionPolicy = old.preemptionPolicy;
      return;
    }
    let value: number;
    let policy: string | undefined;
    if (!spec.priorityClassName) {
      const dpc = await defaultClass();
      value = dpc ? dpc.value ?? 0 : defaultPriorityWhenNoDefaultClassExists;
      policy = dpc ? dpc.preemptionPolicy : 'PreemptLowerPriority';
      if (dpc) spec.priorityClassName = dpc.metadata?.name ?? '';
    } else {
      const pc = await getClass(spec.priorityClassName);
      if (!pc) throw admissionForbidden(a, `no PriorityClass with name ${spec.priorityClassName} was found`);
      value = pc.value ?? 0;
      policy = pc.preemptionPolicy;
    }
    if (spec.priority !== undefined && spec.priority !== null && spec.priority !== value) {
      throw admissionForbidden(a, `the integer value of priority (${spec.priority}) must not be provided in pod spec; `
        + `priority admission controller computed ${value} from the given PriorityClass name`);
    }
    spec.priority = value;
    if (policy) {
      if (spec.preemptionPolicy && spec.preemptionPolicy !== policy) {
        throw admissionForbidden(a, `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; `
          + `priority admission controller computed ${policy} from the given PriorityClass name`);
      }
      spec.preemptionPolicy = policy;
    }
  };

  const validateClass = async (a: AdmissionAttributes): Promise<void> => {
    const pc = a.object as unknown as PriorityClass;
    if (!pc.globalDefault) return;
    const dpc = await defaultClass();
    if (!dpc) return;
    const dpcName = dpc.metadata?.name ?? '';
    if (a.operation === 'CREATE' || dpcName !== pc.metadata?.name) {
      throw admissionForbidden(a, `PriorityClass ${dpcName} is already marked as default. Only one default can exist`);
    }
  };

  return {
    name: 'Priority',
    operations: ['CREATE', 'UPDATE'],
    async admit(a) {
      if (isCoreResource(a, 'pods') && a.object) await admitPod(a);
    },
    async validate(a) {
      if (a.entry.group === 'scheduling.k8s.io' && a.entry.plural === 'priorityclasses' && !a.subresource && a.object) {
        await validateClass(a);
      }
    },
  };
}
