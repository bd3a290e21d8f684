/**
 * Go `%#v`/`%q` rendering for field-error values, so messages read byte for byte like the
 * apiserver's (field.Error.ErrorBody in k8s.io/apimachinery/pkg/util/validation/field/errors.go):
 * strings are quoted, maps print as `map[string]string{"k":"v"}`, slices as `[]string{"a", "b"}`.
 */
import { compareBytes, goQuote, goStringSlice } from '../../api/selectors/index.ts';
import type { FieldError } from '../../apierrors/index.ts';

/** `%#v` of a map[string]string; undefined/null print as a nil map. */
export function goStringMap(m: Readonly<Record<string, string>> | undefined | null): string {
  if (m === undefined || m === null) return 'map[string]string(nil)';
  const entries = Object.keys(m).sort(compareBytes).map((k) => `${goQuote(k)}:${goQuote(String(m[k]))}`);
  return `map[string]string{${entries.join(', ')}}`;
}

interface SelectorLike {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: { key?: string; operator?: string; values?: string[] | null }[] | null;
}

/** `%#v` of a metav1.LabelSelector (after the pointer is dereferenced, as ErrorBody does). */
export function goLabelSelector(sel: SelectorLike | undefined | null): string {
  if (sel === undefined || sel === null) return 'null';
  const exprs = sel.matchExpressions;
  const renderedExprs = exprs === undefined || exprs === null
    ? '[]v1.LabelSelectorRequirement(nil)'
    : `[]v1.LabelSelectorRequirement{${exprs.map((e) =>
      `v1.LabelSelectorRequirement{Key:${goQuote(e.key ?? '')}, Operator:${goQuote(e.operator ?? '')}, Values:${goStringSlice(e.values)}}`).join(', ')}}`;
  return `v1.LabelSelector{MatchLabels:${goStringMap(sel.matchLabels)}, MatchExpressions:${renderedExprs}}`;
}

/** Renders a scalar the way ErrorBody does: strings quoted, numbers and booleans bare. */
export function goScalar(value: unknown): string {
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === undefined || value === null) return 'null';
  return JSON.stringify(value);
}

/** field.Invalid with a value already rendered in Go syntax. */
export function invalidRendered(path: string, rendered: string, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field: path, detail: `Invalid value: ${rendered}${detail ? `: ${detail}` : ''}` };
}

/** field.Invalid for a scalar value (string, number, boolean). */
export function invalid(path: string, value: unknown, detail: string): FieldError {
  return invalidRendered(path, goScalar(value), detail);
}

/** field.NotSupported; the supported values are listed in the order given (Go sorts some, not all). */
export function notSupported(path: string, value: unknown, supported: readonly string[]): FieldError {
  const list = supported.map(goQuote).join(', ');
  return { type: 'FieldValueNotSupported', field: path, detail: `Unsupported value: ${goScalar(value)}${list ? `: supported values: ${list}` : ''}` };
}

/** field.Duplicate for a scalar value. */
export function duplicate(path: string, value: unknown): FieldError {
  return { type: 'FieldValueDuplicate', field: path, detail: `Duplicate value: ${goScalar(value)}` };
}


/** `%#v` of an intstr.IntOrString: `intstr.IntOrString{Type:0, IntVal:1, StrVal:""}`. */
export function goIntOrString(v: number | string | undefined | null): string {
  if (typeof v === 'string') return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(v)}}`;
  return `intstr.IntOrString{Type:0, IntVal:${typeof v === 'number' ? v : 0}, StrVal:""}`;
}
