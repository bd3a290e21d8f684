/**
 * The admission decision for one request against the quotas of its namespace (k8s.io/apiserver
 * admission/plugin/resourcequota/controller.go CheckRequest): which quotas match the object, the
 * constraints they impose, the usage the request adds, and whether it fits. Pure: the plugin
 * reads quotas and writes the returned usage.
 */
import type { ResourceQuota } from 'kubernetes-types/core/v1.js';
import {
  add, exceeded, isNegative, mask, parseResourceList, prettyPrint, removeZeros, subtractNonNegative, type ResourceList,
} from './quantity.ts';
import { matchesScopes } from './scopes.ts';
import type { Evaluator, QuotaObject } from './types.ts';

/** A refusal; the plugin turns the message into a 403 Forbidden for the object. */
export class QuotaDenied extends Error {}

export interface QuotaRequest {
  operation: 'CREATE' | 'UPDATE';
  object: QuotaObject;
  /** The stored object on UPDATE. */
  oldObject?: QuotaObject;
}

/**
 * The new status.used of each quota the request charges, by index into `quotas`; empty when the
 * request changes no usage. Throws QuotaDenied when it may not be admitted.
 */
export function checkRequest(quotas: readonly ResourceQuota[], req: QuotaRequest, evaluator: Evaluator, now: Date): Map<number, ResourceList> {
  const charged = new Map<number, ResourceList>();
  if (!evaluator.handles(req.operation)) return charged;
  const interesting: number[] = [];
  quotas.forEach((q, i) => {
    const hard = Object.keys(q.status?.hard ?? {});
    // Matches: the quota tracks (in status.hard, set by the controller) a resource of this kind, and its scopes select the object.
    if (evaluator.matchingResources(hard).length === 0 || !matchesScopes(evaluator, q, req.object)) return;
    const restricted = evaluator.matchingResources(hard);
    const why = evaluator.constraints(restricted, req.object);
    if (why) throw new QuotaDenied(`failed quota: ${q.metadata?.name}: ${why}`);
    const used = q.status?.used ?? {};
    if (restricted.some((r) => !(r in used))) {
      throw new QuotaDenied(`status unknown for quota: ${q.metadata?.name}, resources: ${[...restricted].sort().join(',')}`);
    }
    interesting.push(i);
  });

  let delta = evaluator.usage(req.object, now);
  const negative = isNegative(delta);
  if (negative.length > 0) throw new QuotaDenied(`quota usage is negative for resource(s): ${negative.sort().join(',')}`);
  if (req.operation === 'UPDATE') {
    if (!req.oldObject) throw new QuotaDenied('unable to get previous usage since prior version of object was not found');
    // Charge the difference, unless this is a create-on-update (no stored version).
    if (req.oldObject.metadata?.resourceVersion) delta = subtractNonNegative(delta, evaluator.usage(req.oldObject, now));
  }
  delta = removeZeros(delta);
  if (delta.size === 0 || interesting.length === 0) return charged;

  for (const i of interesting) {
    const q = quotas[i]!;
    const hard = parseResourceList(q.status?.hard);
    const used = parseResourceList(q.status?.used);
    const requested = mask(delta, hard.keys());
    const newUsage = add(used, requested);
    const over = exceeded(mask(newUsage, requested.keys()), hard);
    if (over.length > 0) {
      throw new QuotaDenied(`exceeded quota: ${q.metadata?.name}, requested: ${prettyPrint(mask(requested, over))}, `
        + `used: ${prettyPrint(mask(used, over))}, limited: ${prettyPrint(mask(hard, over))}`);
    }
    charged.set(i, newUsage);
  }
  return charged;
}
