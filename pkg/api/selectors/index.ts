/**
 * Label and field selectors, parsed and evaluated exactly as Kubernetes does, for list/watch
 * filtering in the apiserver and for controllers. Public surface of pkg/api/selectors.
 */
import type { FieldSelector, Fields } from './field-selector.ts';
import type { LabelSelector, Labels } from './label-selector.ts';

export {
  everythingLabelSelector, labelSelectorFromObject, labelSelectorFromSet, nothingLabelSelector, parseLabelSelector,
} from './label-selector.ts';
export type { LabelOperator, LabelRequirement, LabelSelector, LabelSelectorObject, Labels } from './label-selector.ts';
export {
  checkFieldsSupported, escapeFieldValue, everythingFieldSelector, fieldSelectorFromSet, parseFieldSelector,
} from './field-selector.ts';
export type { FieldLabelRejection, FieldRequirement, FieldSelector, FieldSupportOptions, Fields } from './field-selector.ts';

// The label-key/value checks and Go quoting selectors use, shared with pkg/registry/validation
// so object validation and selector parsing word their errors identically.
export { byteLength, compareBytes, goQuote, goStringSlice } from './go-format.ts';
export {
  emptyError, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, maxLenError, regexError,
} from './label-validation.ts';

/** A list/watch predicate: both selectors optional (absent means "everything"). */
export interface SelectionPredicate {
  label?: LabelSelector;
  field?: FieldSelector;
}

/**
 * Whether an object's attributes (labels from metadata, fields from the strategy's getAttrs)
 * pass both selectors, as storage.SelectionPredicate.Matches does. Pure.
 */
export function selectorMatches(
  predicate: SelectionPredicate,
  attrs: { labels?: Labels | null; fields?: Fields | null },
): boolean {
  if (predicate.label && !predicate.label.empty && !predicate.label.matches(attrs.labels)) return false;
  if (predicate.field && !predicate.field.empty && !predicate.field.matches(attrs.fields ?? {})) return false;
  return true;
}
