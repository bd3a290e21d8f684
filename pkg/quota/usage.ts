/**
 * A quota's usage recounted from the objects in its namespace (k8s.io/apiserver/pkg/quota/v1
 * CalculateUsage and generic.CalculateUsageStats): for every evaluator that charges a resource the
 * quota limits, the sum of the usage of the objects its scopes select. The quota controller
 * writes this as status.used.
 */
import type { ResourceQuota } from 'kubernetes-types/core/v1.js';
import { add, mask, quantity, type ResourceList } from './quantity.ts';
import { matchesScopes } from './scopes.ts';
import type { Evaluator, QuotaObject } from './types.ts';

export interface UsageSource {
  evaluator: Evaluator;
  /** The objects of the evaluator's resource in the namespace. */
  list(namespace: string): readonly QuotaObject[];
}

/**
 * Usage of the resources in `hard` that some source tracks. A source whose list throws (its
 * resource is not being watched yet) is left out; the error is returned so the caller retries.
 */
export function calculateUsage(quota: ResourceQuota, hard: ResourceList, sources: readonly UsageSource[], now: Date): { used: ResourceList; errors: unknown[] } {
  const namespace = quota.metadata?.namespace ?? '';
  let used: ResourceList = new Map();
  const matched = new Set<string>();
  const errors: unknown[] = [];
  for (const { evaluator, list } of sources) {
    const names = evaluator.matchingResources(hard.keys());
    if (names.length === 0) continue;
    let objects: readonly QuotaObject[];
    try {
      objects = list(namespace);
    } catch (err) {
      errors.push(err);
      continue;
    }
    let stats: ResourceList = new Map(names.map((n) => [n, quantity(0)]));
    for (const obj of objects) {
      if (matchesScopes(evaluator, quota, obj)) stats = add(stats, evaluator.usage(obj, now));
    }
    for (const n of names) matched.add(n);
    used = add(used, stats);
  }
  return { used: mask(used, matched), errors };
}
