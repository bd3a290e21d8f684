/**
 * RuntimeClass (plugin/pkg/admission/runtimeclass): a pod naming a RuntimeClass that does not
 * exist is refused; the class's overhead becomes spec.overhead and its scheduling constraints are
 * merged into the pod's nodeSelector and tolerations. Validation then insists that spec.overhead
 * is exactly the class's.
 */
import type { PodSpec, Toleration } from 'kubernetes-types/core/v1.js';
import type { RuntimeClass } from 'kubernetes-types/node/v1.js';
import { deepCopy, type KubeObject } from '../../api/index.ts';
import { quantitiesEqual } from '../../registry/validation/index.ts';
import type { AdmissionAttributes, AdmissionPlugin } from '../types.ts';
import type { AdmissionDeps } from './deps.ts';
import { admissionForbidden, isCoreResource } from './forbidden.ts';
import { mergeTolerations } from './tolerations.ts';
import { cachedOrLive } from './lookup.ts';

type ResourceList = Record<string, string | number>;

/** apiequality.Semantic.DeepEqual on two resource lists: same names, equal quantities. */
function sameResources(a: ResourceList, b: ResourceList): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => k in b && quantitiesEqual(a[k], b[k]));
}

export function runtimeClass(deps: AdmissionDeps): AdmissionPlugin {
  /** The lister, then a live lookup: the cache may lag a class created a moment ago. */
  const lookup = async (a: AdmissionAttributes, name: string): Promise<RuntimeClass> => {
    const found = await cachedOrLive(deps.registry.store({ group: 'node.k8s.io', plural: 'runtimeclasses' }), undefined, name);
    if (!found) throw admissionForbidden(a, `pod rejected: RuntimeClass "${name}" not found`);
    return found as unknown as RuntimeClass;
  };

  const prepare = async (a: AdmissionAttributes): Promise<{ spec: PodSpec; rc?: RuntimeClass } | undefined> => {
    if (!isCoreResource(a, 'pods') || !a.object) return undefined;
    const spec = ((a.object as KubeObject).spec ??= {}) as PodSpec;
    if (spec.runtimeClassName === undefined || spec.runtimeClassName === null) return { spec };
    return { spec, rc: await lookup(a, spec.runtimeClassName) };
  };

  return {
    name: 'RuntimeClass',
    operations: ['CREATE'],
    async admit(a) {
      const p = await prepare(a);
      if (!p?.rc) return;
      const { spec, rc } = p;
      const overhead = rc.overhead?.podFixed;
      if (overhead) {
        if (spec.overhead && Object.keys(spec.overhead).length > 0 && !sameResources(overhead, spec.overhead)) {
          throw admissionForbidden(a, "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead");
        }
        spec.overhead = deepCopy(overhead);
      }
      const scheduling = rc.scheduling;
      if (!scheduling) return;
      const runtimeSelector = scheduling.nodeSelector ?? {};
      if (!spec.nodeSelector) {
        if (scheduling.nodeSelector) spec.nodeSelector = { ...scheduling.nodeSelector };
      } else {
        for (const [key, value] of Object.entries(runtimeSelector)) {
          const podValue = spec.nodeSelector[key];
          if (podValue !== undefined && podValue !== value) {
            throw admissionForbidden(a, `conflict: runtimeClass.scheduling.nodeSelector[${key}] = ${value}; pod.spec.nodeSelector[${key}] = ${podValue}`);
          }
          spec.nodeSelector[key] = value;
        }
      }
      const merged = mergeTolerations(spec.tolerations ?? [], deepCopy(scheduling.tolerations ?? []) as Toleration[]);
      if (merged.length > 0) spec.tolerations = merged; else delete spec.tolerations;
    },
    async validate(a) {
      const p = await prepare(a);
      if (!p) return;
      const overhead = p.rc?.overhead?.podFixed;
      if (overhead) {
        if (!sameResources(overhead, p.spec.overhead ?? {})) {
          throw admissionForbidden(a, "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead");
        }
      } else if (p.spec.overhead) {
        throw admissionForbidden(a, 'pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead');
      }
    },
  };
}
