/**
 * What reconciling one existing object against its default takes (upstream's
 * reconciliation.computeReconciledRole / computeReconciledRoleBinding in the union mode the
 * bootstrap hook uses): labels and annotations are merged with the existing values winning,
 * missing rules, aggregation selectors and subjects are appended, nothing is ever removed.
 * An object annotated autoupdate "false" is protected: the caller leaves it alone.
 */
import { isDeepStrictEqual } from 'node:util';
import type { AggregationRule, PolicyRule, Subject } from 'kubernetes-types/rbac/v1.js';
import { deepCopy, type KubeObject } from '../../../api/index.ts';
import { autoUpdateAnnotation } from './rules.ts';
import { uncoveredRules } from './covers.ts';

export type Operation = 'none' | 'update' | 'recreate';

export interface Reconciled {
  operation: Operation;
  /** autoupdate "false" on the existing object. */
  protected: boolean;
  /** The object to write (a changed copy of the existing one). */
  object: KubeObject;
  /** What was added, for the log. */
  added: unknown[];
}

function mergeMeta(obj: KubeObject, existing: KubeObject, expected: KubeObject): boolean {
  const labels = { ...expected.metadata.labels, ...existing.metadata.labels };
  const annotations = { ...expected.metadata.annotations, ...existing.metadata.annotations };
  obj.metadata.labels = labels;
  obj.metadata.annotations = annotations;
  return !isDeepStrictEqual(labels, existing.metadata.labels ?? {}) || !isDeepStrictEqual(annotations, existing.metadata.annotations ?? {});
}

const isProtected = (o: KubeObject) => o.metadata.annotations?.[autoUpdateAnnotation] === 'false';

export function reconcileRole(existing: KubeObject, expected: KubeObject): Reconciled {
  const obj = deepCopy(existing);
  let changed = mergeMeta(obj, existing, expected);
  const have = (existing.rules ?? []) as PolicyRule[];
  const missing = uncoveredRules(have, (expected.rules ?? []) as PolicyRule[]);
  if (missing.length > 0) {
    obj.rules = [...have, ...missing];
    changed = true;
  }
  const haveAgg = existing.aggregationRule as AggregationRule | undefined;
  const wantAgg = expected.aggregationRule as AggregationRule | undefined;
  // Selectors compare by value; an existing role without any aggregation rule gets the expected one.
  const missingSelectors = (wantAgg?.clusterRoleSelectors ?? [])
    .filter((s) => !(haveAgg?.clusterRoleSelectors ?? []).some((h) => isDeepStrictEqual(h, s)));
  if (wantAgg && missingSelectors.length > 0) {
    obj.aggregationRule = { ...haveAgg, clusterRoleSelectors: [...(haveAgg?.clusterRoleSelectors ?? []), ...missingSelectors] };
    changed = true;
  }
  return { operation: changed ? 'update' : 'none', protected: isProtected(existing), object: obj, added: [...missing, ...missingSelectors] };
}

export function reconcileBinding(existing: KubeObject, expected: KubeObject): Reconciled {
  const obj = deepCopy(existing);
  let operation: Operation = mergeMeta(obj, existing, expected) ? 'update' : 'none';
  // roleRef is immutable: a binding to another role is deleted and created again.
  if (!isDeepStrictEqual(existing.roleRef, expected.roleRef)) {
    obj.roleRef = deepCopy(expected.roleRef);
    operation = 'recreate';
  }
  const have = (existing.subjects ?? []) as Subject[];
  const missing = ((expected.subjects ?? []) as Subject[]).filter((s) => !have.some((h) => sameSubject(h, s)));
  if (missing.length > 0) {
    obj.subjects = [...have, ...missing];
    if (operation === 'none') operation = 'update';
  }
  return { operation, protected: isProtected(existing), object: obj, added: missing };
}

function sameSubject(a: Subject, b: Subject): boolean {
  return a.kind === b.kind && (a.apiGroup ?? '') === (b.apiGroup ?? '') && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');
}
