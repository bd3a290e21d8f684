/**
 * Shared validators for the per-resource strategies: Go-formatted field errors, DNS/label/name
 * checks, ObjectMeta validation, label selectors and quantities.
 */
export * from './go-format.ts';
export * from './names.ts';
export * from './labels.ts';
export * from './object-meta.ts';
export * from './quantity.ts';
export * from './access.ts';
export * from './int-or-percent.ts';
