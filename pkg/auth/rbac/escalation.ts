/**
 * Escalation checks of pkg/registry/rbac/validation (Covers, BreakdownRule, CompactRules,
 * ConfirmNoEscalation) and rbacv1helpers.CompactString: a user may only grant rules it holds.
 */
import type { PolicyRule } from 'kubernetes-types/rbac/v1.js';
import { compareBytes, goQuote } from '../../api/selectors/index.ts';
import type { UserInfo } from '../user.ts';
import { aggregateMessage, type RuleResolver } from './resolver.ts';
import { all, trimStars } from './rules.ts';

/** Splits a rule into rules of one group, resource, verb and at most one name (or one URL and verb). */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  const names = rule.resourceNames ?? [];
  for (const g of rule.apiGroups ?? []) {
    for (const r of rule.resources ?? []) {
      for (const v of rule.verbs ?? []) {
        if (names.length > 0) for (const n of names) out.push({ apiGroups: [g], resources: [r], verbs: [v], resourceNames: [n] });
        else out.push({ apiGroups: [g], resources: [r], verbs: [v] });
      }
    }
  }
  for (const u of rule.nonResourceURLs ?? []) {
    for (const v of rule.verbs ?? []) out.push({ nonResourceURLs: [u], verbs: [v] });
  }
  return out;
}

const has = (set: readonly string[] | undefined, s: string) => (set ?? []).includes(s);
const hasAll = (set: readonly string[] | undefined, wanted: readonly string[] | undefined) => (wanted ?? []).every((w) => has(set, w));

function resourceCoversAll(owner: readonly string[] | undefined, wanted: readonly string[] | undefined): boolean {
  if (has(owner, all) || hasAll(owner, wanted)) return true;
  return (wanted ?? []).every((path) => {
    if (has(owner, path)) return true;
    const slash = path.indexOf('/');
    return slash >= 0 && has(owner, `*/${path.slice(slash + 1)}`);
  });
}

function nonResourceURLsCoverAll(owner: readonly string[] | undefined, wanted: readonly string[] | undefined): boolean {
  return (wanted ?? []).every((p) => (owner ?? []).some((o) => o === p || (o.endsWith('*') && p.startsWith(trimStars(o)))));
}

/** ruleCovers: the owner rule covers a broken-down rule. */
export function ruleCovers(owner: PolicyRule, sub: PolicyRule): boolean {
  const ownerNames = owner.resourceNames ?? [];
  const subNames = sub.resourceNames ?? [];
  const namesMatch = subNames.length === 0 ? ownerNames.length === 0 : ownerNames.length === 0 || hasAll(ownerNames, subNames);
  return (has(owner.verbs, all) || hasAll(owner.verbs, sub.verbs))
    && (has(owner.apiGroups, all) || hasAll(owner.apiGroups, sub.apiGroups))
    && resourceCoversAll(owner.resources, sub.resources)
    && nonResourceURLsCoverAll(owner.nonResourceURLs, sub.nonResourceURLs)
    && namesMatch;
}

/** Covers: whether the owner rules cover every servant rule, and the broken-down rules they miss. */
export function covers(owner: readonly PolicyRule[], servant: readonly PolicyRule[]): { covered: boolean; missing: PolicyRule[] } {
  const missing = servant.flatMap(breakdownRule).filter((sub) => !owner.some((o) => ruleCovers(o, sub)));
  return { covered: missing.length === 0, missing };
}

/** CompactRules: merges rules of one group and resource (and at most one name) that differ only in verbs. */
export function compactRules(rules: readonly PolicyRule[]): PolicyRule[] {
  const out: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const r of rules) {
    const names = r.resourceNames ?? [];
    const isSimple = names.length <= 1 && (r.nonResourceURLs ?? []).length === 0
      && (r.apiGroups ?? []).length === 1 && (r.resources ?? []).length === 1;
    if (!isSimple) { out.push(r); continue; }
    const key = JSON.stringify([r.apiGroups![0], r.resources![0], names.length > 0, names[0] ?? '']);
    const existing = simple.get(key);
    if (existing) existing.verbs = [...existing.verbs, ...(r.verbs ?? [])];
    else simple.set(key, { ...r, verbs: [...(r.verbs ?? [])] });
  }
  return [...out, ...simple.values()];
}

/** fmt %q of a []string: ["a" "b"]. */
function goQuotedList(values: readonly string[]): string {
  return `[${values.map(goQuote).join(' ')}]`;
}

/** rbacv1helpers.CompactString: {APIGroups:[""], Resources:["pods"], Verbs:["get"]}, empty parts left out. */
export function compactString(r: PolicyRule): string {
  const parts: string[] = [];
  const add = (label: string, v: readonly string[] | undefined) => { if ((v ?? []).length > 0) parts.push(`${label}:${goQuotedList(v!)}`); };
  add('APIGroups', r.apiGroups);
  add('Resources', r.resources);
  add('NonResourceURLs', r.nonResourceURLs);
  add('ResourceNames', r.resourceNames);
  add('Verbs', r.verbs);
  return `{${parts.join(', ')}}`;
}

/**
 * ConfirmNoEscalation: undefined when the user holds every rule in the namespace, else the
 * message upstream puts after "... is forbidden: ".
 */
export function escalationMessage(resolver: RuleResolver, user: UserInfo, namespace: string, rules: readonly PolicyRule[]): string | undefined {
  const owned = resolver.rulesFor(user, namespace);
  const { covered, missing } = covers(owned.rules, rules);
  if (covered) return undefined;
  const descriptions = [...new Set(compactRules(missing).map(compactString))].sort(compareBytes);
  let msg = `user ${goQuote(user.username)} (groups=${goQuotedList(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${descriptions.join('\n')}`;
  // fmt %v of a []error holding the one aggregate error.
  if (owned.errors.length > 0) msg += `; resolution errors: [${aggregateMessage(owned.errors)}]`;
  return msg;
}

/** Everything: what aggregationRule needs, since it can gather any rule. */
export const fullAuthority: readonly PolicyRule[] = [
  { verbs: [all], apiGroups: [all], resources: [all] },
  { verbs: [all], nonResourceURLs: [all] },
];
