/**
 * ValidatePodUpdate: a pod's spec is immutable except images, activeDeadlineSeconds (downwards),
 * added tolerations and a negative grace period set to 1. Anything else gets the real message
 * `spec: Forbidden: pod updates may not change fields other than ...` with a diff after it.
 */
import type { Container, PodSpec, Toleration } from 'kubernetes-types/core/v1.js';
import { field, type FieldError } from '../../../apierrors/index.ts';
import { goQuote, inclusiveRangeError, invalid, semanticEqual } from '../../validation/index.ts';
import { validateTolerations } from './spec-validation.ts';

const updatableFields = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

function containerUpdates(next: Container[] | undefined, prev: Container[] | undefined, path: string): { errs: FieldError[]; stop: boolean } {
  if ((next ?? []).length !== (prev ?? []).length) {
    return { errs: [field.forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  }
  const errs: FieldError[] = [];
  (next ?? []).forEach((c, i) => {
    if (!c.image) errs.push(field.required(`${path}[${i}].image`));
    if (c.image && c.image.trim() !== c.image) errs.push(invalid(`${path}[${i}].image`, c.image, 'must not have leading or trailing whitespace'));
  });
  return { errs, stop: false };
}

function onlyAddedTolerations(next: Toleration[] | undefined, prev: Toleration[] | undefined, path: string): FieldError[] {
  for (const old of prev ?? []) {
    const kept = (next ?? []).some((t) => semanticEqual({ ...old, tolerationSeconds: t.tolerationSeconds }, t));
    if (!kept) return [field.forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return validateTolerations(next, path);
}

function goName(key: string): string {
  return key.charAt(0).toUpperCase() + key.slice(1);
}

function goValue(v: unknown): string {
  if (typeof v === 'string') return goQuote(v);
  if (v === undefined || v === null) return 'nil';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** A short cmp.Diff-like listing of the top-level PodSpec fields that differ. */
function specDiff(prev: PodSpec, next: PodSpec): string {
  const keys = [...new Set([...Object.keys(prev), ...Object.keys(next)])].sort();
  const lines = ['  core.PodSpec{'];
  let same = 0;
  for (const k of keys) {
    const a = (prev as unknown as Record<string, unknown>)[k];
    const b = (next as unknown as Record<string, unknown>)[k];
    if (semanticEqual(a, b)) { same++; continue; }
    lines.push(`- \t${goName(k)}: ${goValue(a)},`, `+ \t${goName(k)}: ${goValue(b)},`);
  }
  if (same > 0) lines.splice(1, 0, `  \t... // ${same} identical fields`);
  lines.push('  }');
  return lines.join('\n');
}

/** Checks of the spec on update (the metadata and full-pod checks are added by the strategy). */
export function validatePodSpecUpdate(next: PodSpec, prev: PodSpec): FieldError[] {
  const errs: FieldError[] = [];
  for (const [key, path] of [['containers', 'spec.containers'], ['initContainers', 'spec.initContainers']] as const) {
    const r = containerUpdates(next[key], prev[key], path);
    errs.push(...r.errs);
    if (r.stop) return errs;
  }
  const ads = next.activeDeadlineSeconds;
  if (ads !== undefined && ads !== null) {
    if (ads < 0 || ads > 2147483647) return [...errs, invalid('spec.activeDeadlineSeconds', ads, inclusiveRangeError(0, 2147483647))];
    const was = prev.activeDeadlineSeconds;
    if (was !== undefined && was !== null && was < ads) {
      return [...errs, invalid('spec.activeDeadlineSeconds', ads, 'must be less than or equal to previous value')];
    }
  } else if (prev.activeDeadlineSeconds !== undefined && prev.activeDeadlineSeconds !== null) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec.activeDeadlineSeconds', detail: 'Invalid value: "null": must not update from a positive integer to nil value' });
  }
  errs.push(...onlyAddedTolerations(next.tolerations, prev.tolerations, 'spec.tolerations'));
  if (semanticEqual(next, prev)) return errs;
  const munged: PodSpec = structuredClone(next);
  munged.containers = (munged.containers ?? []).map((c, i) => ({ ...c, image: prev.containers?.[i]?.image }));
  if (munged.initContainers) munged.initContainers = munged.initContainers.map((c, i) => ({ ...c, image: prev.initContainers?.[i]?.image }));
  munged.activeDeadlineSeconds = prev.activeDeadlineSeconds;
  munged.schedulingGates = prev.schedulingGates;
  munged.tolerations = prev.tolerations;
  if ((prev.terminationGracePeriodSeconds ?? 0) < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = prev.terminationGracePeriodSeconds;
  }
  if (!semanticEqual(munged, prev)) {
    errs.push(field.forbidden('spec', `pod updates may not change fields other than ${updatableFields.join(',')}\n${specDiff(prev, munged)}`));
  }
  return errs;
}
