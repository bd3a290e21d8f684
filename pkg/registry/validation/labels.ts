/**
 * Label and annotation checks (k8s.io/apimachinery/pkg/apis/meta/v1/validation and
 * pkg/api/validation/objectmeta.go) plus label-selector validation and matching. The key and
 * value checks themselves (isQualifiedName, isValidLabelValue) are pkg/api/selectors' ones.
 */
import { byteLength, isQualifiedName, isValidLabelValue } from '../../api/selectors/index.ts';
import { field, type FieldError } from '../../apierrors/index.ts';
import { goLabelSelector, invalid, invalidRendered } from './go-format.ts';

export function validateLabelName(key: string, path: string): FieldError[] {
  return isQualifiedName(key).map((m) => invalid(path, key, m));
}

export function validateQualifiedName(value: string, path: string): FieldError[] {
  return isQualifiedName(value).map((m) => invalid(path, value, m));
}

/** Go iterates maps in random order; we sort keys so errors are stable. */
function sortedKeys(m: Record<string, unknown>): string[] {
  return Object.keys(m).sort();
}

/** ValidateLabels: errors name the map, not the key (`metadata.labels: Invalid value: "x": ...`). */
export function validateLabels(labels: Record<string, string> | undefined | null, path: string): FieldError[] {
  if (!labels) return [];
  const errs: FieldError[] = [];
  for (const k of sortedKeys(labels)) {
    errs.push(...validateLabelName(k, path));
    const v = labels[k];
    if (typeof v === 'string') errs.push(...isValidLabelValue(v).map((m) => invalid(path, v, m)));
  }
  return errs;
}

export const totalAnnotationSizeLimit = 256 * 1024;

/** ValidateAnnotations: keys are qualified names ignoring case; the whole map is at most 256 KiB. */
export function validateAnnotations(annotations: Record<string, string> | undefined | null, path: string): FieldError[] {
  if (!annotations) return [];
  const errs: FieldError[] = [];
  let total = 0;
  for (const k of sortedKeys(annotations)) {
    errs.push(...isQualifiedName(k.toLowerCase()).map((m) => invalid(path, k, m)));
    total += byteLength(k) + byteLength(String(annotations[k] ?? ''));
  }
  if (total > totalAnnotationSizeLimit) errs.push(field.tooLong(path, totalAnnotationSizeLimit));
  return errs;
}

export interface LabelSelectorRequirement {
  key?: string;
  operator?: string;
  values?: string[] | null;
}

export interface LabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorRequirement[] | null;
}

/** metav1validation.ValidateLabelSelector (strict: label values in matchLabels must be valid). */
export function validateLabelSelector(sel: LabelSelector | undefined | null, path: string): FieldError[] {
  if (!sel) return [];
  const errs: FieldError[] = [];
  (sel.matchExpressions ?? []).forEach((req, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    const op = req.operator ?? '';
    const values = req.values ?? [];
    if (op === 'In' || op === 'NotIn') {
      if (values.length === 0) errs.push(field.required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (values.length > 0) errs.push(field.forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      errs.push(invalid(`${p}.operator`, op, 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(req.key ?? '', `${p}.key`));
  });
  errs.push(...validateLabels(sel.matchLabels, `${path}.matchLabels`));
  return errs;
}

/** True for a selector with neither matchLabels nor matchExpressions. */
export function labelSelectorIsEmpty(sel: LabelSelector | undefined | null): boolean {
  return !!sel && Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0;
}

/**
 * LabelSelectorAsSelector(sel).Matches(labels): a nil selector matches nothing, an empty one
 * everything; requirements are ANDed.
 */
export function labelSelectorMatches(sel: LabelSelector | undefined | null, labels: Record<string, string> | undefined | null): boolean {
  if (!sel) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
    if (l[k] !== v) return false;
  }
  for (const req of sel.matchExpressions ?? []) {
    const key = req.key ?? '';
    const has = Object.prototype.hasOwnProperty.call(l, key);
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In': if (!has || !values.includes(l[key] ?? '')) return false; break;
      case 'NotIn': if (has && values.includes(l[key] ?? '')) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** field.Invalid whose value is a LabelSelector, printed as Go prints a metav1.LabelSelector. */
export function selectorError(path: string, sel: LabelSelector | undefined | null, detail: string): FieldError {
  return invalidRendered(path, goLabelSelector(sel), detail);
}
