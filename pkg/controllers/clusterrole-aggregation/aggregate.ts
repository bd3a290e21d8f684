/**
 * The rules an aggregated ClusterRole should hold (syncClusterRole in
 * pkg/controller/clusterroleaggregation): for each selector in order, the rules of the matching
 * ClusterRoles sorted by name (never itself), each distinct rule once, in order of appearance.
 */
import type { ClusterRole, PolicyRule } from 'kubernetes-types/rbac/v1.js';
import { isDeepStrictEqual } from 'node:util';
import { labelSelectorFromObject, type LabelSelectorObject } from '../../api/selectors/index.ts';

/** equality.Semantic.DeepEqual on rules: absent and empty lists are the same. */
function normalize(r: PolicyRule): PolicyRule {
  const out: PolicyRule = { verbs: [...(r.verbs ?? [])] };
  if ((r.apiGroups ?? []).length > 0) out.apiGroups = [...r.apiGroups!];
  if ((r.resources ?? []).length > 0) out.resources = [...r.resources!];
  if ((r.resourceNames ?? []).length > 0) out.resourceNames = [...r.resourceNames!];
  if ((r.nonResourceURLs ?? []).length > 0) out.nonResourceURLs = [...r.nonResourceURLs!];
  return out;
}

export function rulesEqual(a: readonly PolicyRule[] | undefined, b: readonly PolicyRule[] | undefined): boolean {
  return isDeepStrictEqual((a ?? []).map(normalize), (b ?? []).map(normalize));
}

export function aggregatedRules(role: ClusterRole, all: readonly ClusterRole[]): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const sel of role.aggregationRule?.clusterRoleSelectors ?? []) {
    const selector = labelSelectorFromObject(sel as LabelSelectorObject);
    const matching = all
      .filter((c) => c.metadata?.name !== role.metadata?.name && selector.matches(c.metadata?.labels ?? {}))
      .sort((x, y) => ((x.metadata?.name ?? '') < (y.metadata?.name ?? '') ? -1 : 1));
    for (const c of matching) {
      for (const r of c.rules ?? []) {
        if (!out.some((o) => rulesEqual([o], [r]))) out.push(r);
      }
    }
  }
  return out;
}
