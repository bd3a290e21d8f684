/**
 * RBAC object validation worded as pkg/apis/rbac/validation/validation.go (v1.32): policy rules,
 * role references and subjects. Names only need to be valid URL path segments (ValidateRBACName).
 */
import type { AggregationRule, PolicyRule, RoleRef, Subject } from 'kubernetes-types/rbac/v1.js';
import { field, type FieldError } from '../../apierrors/index.ts';
import {
  goQuote, goStringSlice, invalid, invalidRendered, nameIsDNSSubdomain, notSupported,
  validateLabelSelector, validatePathSegmentName,
} from '../validation/index.ts';

export const rbacGroup = 'rbac.authorization.k8s.io';

/** ValidateRBACName: path.IsValidPathSegmentName. */
export const validateRBACName = validatePathSegmentName;

export function validatePolicyRule(rule: PolicyRule, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if ((rule.verbs ?? []).length === 0) errs.push(field.required(`${path}.verbs`, 'verbs must contain at least one value'));
  const urls = rule.nonResourceURLs ?? [];
  if (urls.length > 0) {
    if (namespaced) {
      errs.push(invalidRendered(`${path}.nonResourceURLs`, goStringSlice(urls), 'namespaced rules cannot apply to non-resource URLs'));
    }
    if ((rule.apiGroups ?? []).length > 0 || (rule.resources ?? []).length > 0 || (rule.resourceNames ?? []).length > 0) {
      errs.push(invalidRendered(`${path}.nonResourceURLs`, goStringSlice(urls),
        'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if ((rule.apiGroups ?? []).length === 0) {
    errs.push(field.required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  }
  if ((rule.resources ?? []).length === 0) {
    errs.push(field.required(`${path}.resources`, 'resource rules must supply at least one resource'));
  }
  return errs;
}

export function validateRules(rules: readonly PolicyRule[] | undefined, namespaced: boolean): FieldError[] {
  return (rules ?? []).flatMap((r, i) => validatePolicyRule(r ?? {}, namespaced, `rules[${i}]`));
}

export function validateAggregationRule(rule: AggregationRule | undefined | null): FieldError[] {
  if (!rule) return [];
  const selectors = rule.clusterRoleSelectors ?? [];
  if (selectors.length === 0) {
    return [field.required('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil')];
  }
  return selectors.flatMap((sel, i) => {
    const path = `aggregationRule.clusterRoleSelectors[${i}]`;
    const errs = validateLabelSelector(sel, path);
    // Upstream also converts the selector; that fails on the same problems and reports the
    // (nil) converted selector a second time.
    if (errs.length > 0) errs.push(invalidRendered(path, 'null', 'invalid label selector.'));
    return errs;
  });
}

/** `%#v` of an internal rbac.RoleRef, as the "cannot change roleRef" error prints it. */
export function goRoleRef(ref: RoleRef | undefined): string {
  return `rbac.RoleRef{APIGroup:${goQuote(ref?.apiGroup ?? '')}, Kind:${goQuote(ref?.kind ?? '')}, Name:${goQuote(ref?.name ?? '')}}`;
}

export function validateRoleRef(ref: RoleRef | undefined, kinds: readonly string[]): FieldError[] {
  const errs: FieldError[] = [];
  const r = ref ?? ({} as Partial<RoleRef>);
  if ((r.apiGroup ?? '') !== rbacGroup) errs.push(notSupported('roleRef.apiGroup', r.apiGroup ?? '', [rbacGroup]));
  if (!kinds.includes(r.kind ?? '')) errs.push(notSupported('roleRef.kind', r.kind ?? '', kinds));
  if (!r.name) {
    errs.push(field.required('roleRef.name'));
  } else {
    for (const m of validateRBACName(r.name, false)) errs.push(invalid('roleRef.name', r.name, m));
  }
  return errs;
}

export function validateSubject(s: Subject, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = s.name ?? '';
  const apiGroup = s.apiGroup ?? '';
  if (!name) errs.push(field.required(`${path}.name`));
  switch (s.kind) {
    case 'ServiceAccount':
      if (name) for (const m of nameIsDNSSubdomain(name, false)) errs.push(invalid(`${path}.name`, name, m));
      if (apiGroup) errs.push(notSupported(`${path}.apiGroup`, apiGroup, ['']));
      if (!namespaced && !s.namespace) errs.push(field.required(`${path}.namespace`));
      break;
    case 'User':
    case 'Group':
      if (apiGroup !== rbacGroup) errs.push(notSupported(`${path}.apiGroup`, apiGroup, [rbacGroup]));
      break;
    default:
      errs.push(notSupported(`${path}.kind`, s.kind ?? '', ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

export function validateSubjects(subjects: readonly Subject[] | undefined, namespaced: boolean): FieldError[] {
  return (subjects ?? []).flatMap((s, i) => validateSubject(s ?? ({} as Subject), namespaced, `subjects[${i}]`));
}

/** SetDefaults_Subject / SetDefaults_*RoleBinding: User and Group subjects and roleRef default their apiGroup. */
export function defaultBinding(obj: { roleRef?: RoleRef; subjects?: Subject[] }): void {
  if (obj.roleRef && !obj.roleRef.apiGroup) obj.roleRef.apiGroup = rbacGroup;
  for (const s of obj.subjects ?? []) {
    if (s && !s.apiGroup && (s.kind === 'User' || s.kind === 'Group')) s.apiGroup = rbacGroup;
  }
}
