/** A quota's scopes and scope selector as one list of requirements (getScopeSelectorsFromQuota). */
import type { ResourceQuota } from 'kubernetes-types/core/v1.js';
import type { Evaluator, QuotaObject, ScopeRequirement } from './types.ts';

export function scopeRequirements(quota: ResourceQuota): ScopeRequirement[] {
  const reqs: ScopeRequirement[] = (quota.spec?.scopes ?? []).map((s) => ({ scopeName: s, operator: 'Exists' }));
  for (const e of quota.spec?.scopeSelector?.matchExpressions ?? []) {
    reqs.push({ scopeName: e.scopeName, operator: e.operator as ScopeRequirement['operator'], values: e.values });
  }
  return reqs;
}

/** Every requirement selects the object (no requirements: everything is selected). */
export function matchesScopes(evaluator: Evaluator, quota: ResourceQuota, obj: QuotaObject): boolean {
  return scopeRequirements(quota).every((r) => evaluator.matchesScope(r, obj));
}
