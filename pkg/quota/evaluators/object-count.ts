/**
 * Object counting for any namespaced resource (k8s.io/apiserver/pkg/quota/v1/generic
 * NewObjectCountEvaluator): `count/<resource>[.<group>]`, plus the legacy alias some core kinds
 * keep (configmaps, secrets, resourcequotas, replicationcontrollers). Only creates charge, and no
 * scope selects these objects: a scoped quota never counts them.
 */
import { quantity, type ResourceList } from '../quantity.ts';
import type { Evaluator, GroupResource } from '../types.ts';

/** ObjectCountQuotaResourceNameFor. */
export function objectCountName(gr: GroupResource): string {
  return gr.group ? `count/${gr.resource}.${gr.group}` : `count/${gr.resource}`;
}

export function objectCountEvaluator(gr: GroupResource, alias?: string): Evaluator {
  const names = [objectCountName(gr), ...(alias ? [alias] : [])];
  return {
    groupResource: gr,
    handles: (op) => op === 'CREATE',
    matchingResources: (input) => [...input].filter((n) => names.includes(n)),
    matchesScope: () => false,
    constraints: () => undefined,
    usage(): ResourceList {
      return new Map(names.map((n) => [n, quantity(1)]));
    },
  };
}
