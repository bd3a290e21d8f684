/**
 * Whether one set of rules grants everything another does (rbac validation.Covers): the
 * servant rules are broken down to one verb × group × resource × name (or URL × verb) each,
 * and every piece must be allowed by a single owner rule, wildcards included.
 */
import type { PolicyRule } from 'kubernetes-types/rbac/v1.js';

/** Splits a rule into its smallest pieces, in upstream's order (group, resource, verb, name; then URL, verb). */
export function breakdownRule(r: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const g of r.apiGroups ?? []) {
    for (const res of r.resources ?? []) {
      for (const v of r.verbs) {
        if ((r.resourceNames ?? []).length === 0) out.push({ verbs: [v], apiGroups: [g], resources: [res] });
        for (const n of r.resourceNames ?? []) out.push({ verbs: [v], apiGroups: [g], resources: [res], resourceNames: [n] });
      }
    }
  }
  for (const u of r.nonResourceURLs ?? []) {
    for (const v of r.verbs) out.push({ verbs: [v], nonResourceURLs: [u] });
  }
  return out;
}

const hasAll = (owner: readonly string[], wanted: readonly string[]) => wanted.every((w) => owner.includes(w));

function resourcesCovered(owner: readonly string[], wanted: readonly string[]): boolean {
  if (owner.includes('*')) return true;
  return wanted.every((w) => {
    if (owner.includes(w)) return true;
    // "*/scale" covers the scale subresource of every resource.
    const slash = w.indexOf('/');
    return slash >= 0 && owner.includes(`*${w.slice(slash)}`);
  });
}

function urlsCovered(owner: readonly string[], wanted: readonly string[]): boolean {
  return wanted.every((w) => owner.some((o) => o === w || (o.endsWith('*') && w.startsWith(o.slice(0, -1)))));
}

export function ruleCovers(owner: PolicyRule, piece: PolicyRule): boolean {
  const ownerNames = owner.resourceNames ?? [];
  const pieceNames = piece.resourceNames ?? [];
  return (owner.verbs.includes('*') || hasAll(owner.verbs, piece.verbs))
    && ((owner.apiGroups ?? []).includes('*') || hasAll(owner.apiGroups ?? [], piece.apiGroups ?? []))
    && resourcesCovered(owner.resources ?? [], piece.resources ?? [])
    && urlsCovered(owner.nonResourceURLs ?? [], piece.nonResourceURLs ?? [])
    && (ownerNames.length === 0 || (pieceNames.length > 0 && hasAll(ownerNames, pieceNames)));
}

/** The pieces of `servant` that no rule of `owner` grants; empty when owner covers servant. */
export function uncoveredRules(owner: readonly PolicyRule[], servant: readonly PolicyRule[]): PolicyRule[] {
  return servant.flatMap(breakdownRule).filter((piece) => !owner.some((o) => ruleCovers(o, piece)));
}
