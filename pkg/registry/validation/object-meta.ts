/**
 * ObjectMeta validation, after k8s.io/apimachinery/pkg/api/validation/objectmeta.go. The store
 * checks the namespace field and owns uid/creationTimestamp/generation, so those are left out.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ObjectMeta, OwnerReference } from '../../api/index.ts';
import { goQuote, goStringSlice, isQualifiedName } from '../../api/selectors/index.ts';
import { field, type FieldError } from '../../apierrors/index.ts';
import { goLabelSelector, invalid, invalidRendered } from './go-format.ts';
import { validateAnnotations, validateLabels, type LabelSelector } from './labels.ts';
import type { NameValidator } from './names.ts';

export const fieldImmutable = 'field is immutable';
export const isNegativeErrorMsg = 'must be greater than or equal to 0';

/** ValidateNonnegativeField: `<path>: Invalid value: -1: must be greater than or equal to 0`. */
export function validateNonnegative(value: number | undefined | null, path: string): FieldError[] {
  return typeof value === 'number' && value < 0 ? [invalid(path, value, isNegativeErrorMsg)] : [];
}

/**
 * Deep equality with Go's semantics for decoded JSON: absent, null, zero values and empty
 * lists/maps all decode to the same Go value, so they compare equal here too.
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(dropZero(a), dropZero(b));
}

function dropZero(v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 0 ? undefined : v.map(dropZero);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const d = dropZero(x);
      if (d !== undefined) out[k] = d;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  if (v === null || v === '' || v === false || v === 0) return undefined;
  return v;
}

/** ValidateImmutableField with a pre-rendered Go value for the message. */
export function validateImmutable(newVal: unknown, oldVal: unknown, path: string, rendered?: string): FieldError[] {
  if (semanticEqual(newVal, oldVal)) return [];
  return [rendered !== undefined ? invalidRendered(path, rendered, fieldImmutable) : invalid(path, newVal, fieldImmutable)];
}

/** ValidateImmutableField on a workload's selector, the value printed as a metav1.LabelSelector. */
export function validateImmutableSelector(next: LabelSelector | undefined | null, prev: LabelSelector | undefined | null,
  path: string): FieldError[] {
  return validateImmutable(next, prev, path, goLabelSelector(next));
}

function ownerRefGo(r: OwnerReference): string {
  const ptr = (v: boolean | undefined): string => (v === undefined ? '(*bool)(nil)' : `&${v}`);
  return `v1.OwnerReference{APIVersion:${goQuote(r.apiVersion ?? '')}, Kind:${goQuote(r.kind ?? '')}, Name:${goQuote(r.name ?? '')}, `
    + `UID:${goQuote(r.uid ?? '')}, Controller:${ptr(r.controller)}, BlockOwnerDeletion:${ptr(r.blockOwnerDeletion)}}`;
}

/** ValidateOwnerReferences: note the paths are not indexed, exactly as upstream. */
export function validateOwnerReferences(refs: OwnerReference[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const r of refs ?? []) {
    const version = (r.apiVersion ?? '').split('/').pop() ?? '';
    if (!version) errs.push(invalid(`${path}.apiVersion`, r.apiVersion ?? '', 'version must not be empty'));
    if (!r.kind) errs.push(invalid(`${path}.kind`, r.kind ?? '', 'must not be empty'));
    if (!r.name) errs.push(invalid(`${path}.name`, r.name ?? '', 'must not be empty'));
    if (!r.uid) errs.push(invalid(`${path}.uid`, r.uid ?? '', 'must not be empty'));
    if (r.apiVersion === 'v1' && r.kind === 'Event') {
      errs.push(invalidRendered(path, ownerRefGo(r), '/v1, Kind=Event is disallowed from being an owner'));
    }
    if (r.controller) {
      const cur = `${r.kind}/${r.name}`;
      if (firstController) {
        errs.push(invalidRendered(path, `[]v1.OwnerReference{${(refs ?? []).map(ownerRefGo).join(', ')}}`,
          `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${cur}`));
      } else {
        firstController = cur;
      }
    }
  }
  return errs;
}

/** ValidateFinalizers: qualified names, and not both orphan and foregroundDeletion. */
export function validateFinalizers(finalizers: string[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of finalizers ?? []) errs.push(...isQualifiedName(f).map((m) => invalid(path, f, m)));
  const list = finalizers ?? [];
  if (list.includes('orphan') && list.includes('foregroundDeletion')) {
    errs.push(invalidRendered(path, goStringSlice(list), 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errs;
}

/** The parts of ObjectMeta validation shared by create and update. */
function validateMetaCommon(meta: ObjectMeta, path: string): FieldError[] {
  return [
    ...validateLabels(meta.labels, `${path}.labels`),
    ...validateAnnotations(meta.annotations, `${path}.annotations`),
    ...validateOwnerReferences(meta.ownerReferences, `${path}.ownerReferences`),
    ...validateFinalizers(meta.finalizers, `${path}.finalizers`),
  ];
}

/**
 * ValidateObjectMeta on create: generateName and name must satisfy `nameFn`; a missing name reads
 * `metadata.name: Required value: name or generateName is required`.
 */
export function validateObjectMeta(meta: ObjectMeta, nameFn: NameValidator, path = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  if (meta.generateName) {
    for (const m of nameFn(meta.generateName, true)) errs.push(invalid(`${path}.generateName`, meta.generateName, m));
  }
  if (!meta.name) {
    errs.push(field.required(`${path}.name`, 'name or generateName is required'));
  } else {
    for (const m of nameFn(meta.name, false)) errs.push(invalid(`${path}.name`, meta.name, m));
  }
  return [...errs, ...validateMetaCommon(meta, path)];
}

/** ValidateObjectMetaUpdate: name is immutable; no finalizers may be added once deleting. */
export function validateObjectMetaUpdate(meta: ObjectMeta, old: ObjectMeta, path = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  if (old.deletionTimestamp) {
    const before = new Set(old.finalizers ?? []);
    const extra = [...new Set(meta.finalizers ?? [])].filter((f) => !before.has(f)).sort();
    if (extra.length > 0) {
      errs.push(field.forbidden(`${path}.finalizers`,
        `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(extra)}`));
    }
  }
  if ((meta.name ?? '') !== (old.name ?? '')) errs.push(invalid(`${path}.name`, meta.name ?? '', fieldImmutable));
  return [...errs, ...validateMetaCommon(meta, path)];
}
