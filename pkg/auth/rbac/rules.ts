/**
 * Whether one PolicyRule allows a request (plugin/pkg/auth/authorizer/rbac RuleAllows and the
 * rbac/v1 helpers VerbMatches, APIGroupMatches, ResourceMatches, ResourceNameMatches,
 * NonResourceURLMatches). "*" is the wildcard everywhere; "*\/scale" matches the scale subresource
 * of any resource; a non-resource URL ending in "*" is a prefix.
 */
import type { PolicyRule } from 'kubernetes-types/rbac/v1.js';
import type { Attributes } from '../authorization/types.ts';

export const all = '*';

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return (rule.verbs ?? []).some((v) => v === all || v === verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return (rule.apiGroups ?? []).some((g) => g === all || g === group);
}

/**
 * `combined` is "resource" or "resource/subresource". Upstream knows only "*", exact names and
 * "*\/subresource"; a rule "pods/*" matches nothing but a subresource literally named "*".
 */
export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources ?? []) {
    if (r === all || r === combined) return true;
    if (subresource && r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) return true;
  }
  return false;
}

/** No resourceNames means every name; otherwise the request must name one of them. */
export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(name);
}

/** strings.TrimRight(s, "*"): every trailing star goes. */
export function trimStars(s: string): string {
  return s.replace(/\*+$/, '');
}

export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some((u) => u === all || u === path || (u.endsWith('*') && path.startsWith(trimStars(u))));
}

export function ruleAllows(attrs: Attributes, rule: PolicyRule): boolean {
  if (attrs.isResourceRequest) {
    const combined = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
    return verbMatches(rule, attrs.verb) && apiGroupMatches(rule, attrs.apiGroup)
      && resourceMatches(rule, combined, attrs.subresource) && resourceNameMatches(rule, attrs.name);
  }
  return verbMatches(rule, attrs.verb) && nonResourceURLMatches(rule, attrs.path);
}
