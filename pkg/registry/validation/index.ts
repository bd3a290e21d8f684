/**
 * Shared validators for the per-resource strategies: Go-formatted field errors, DNS/label/name
 * checks, ObjectMeta validation, label selectors and quantities.
 */
// The label/name checks and Go quoting shared with selectors live one layer down, in pkg/api.
export {
  byteLength, emptyError, goQuote, goStringSlice, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, maxLenError,
  regexError,
} from '../../api/selectors/index.ts';
export * from './go-format.ts';
export * from './names.ts';
export * from './labels.ts';
export * from './object-meta.ts';
export * from './quantity.ts';
export * from './access.ts';
export * from './int-or-percent.ts';
export * from './status.ts';
