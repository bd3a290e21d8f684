/**
 * Query parameters decoded as kube-apiserver decodes them into its options types
 * (metainternalversion.ParameterCodec over the conversions in k8s.io/apimachinery/pkg/runtime/conversion.go),
 * and the write options checked as apimachinery/pkg/apis/meta/v1/validation checks them.
 * A value that does not convert is a 400 with strconv's text; a value that converts but is not
 * allowed is a 422 on the options kind.
 */
import * as apierrors from '../apierrors/index.ts';
import type { FieldError } from '../apierrors/index.ts';
import type { FieldValidation } from './decode-object.ts';

const int64Max = 2n ** 63n - 1n;
const int64Min = -(2n ** 63n);
const uint64Max = 2n ** 64n - 1n;

/** strconv.ParseInt(s, 10, 64)'s error text, or undefined when s parses. */
function parseIntError(s: string): string | undefined {
  if (!/^[+-]?\d+$/.test(s)) return `strconv.ParseInt: parsing ${apierrors.goQuote(s)}: invalid syntax`;
  const n = BigInt(s);
  if (n > int64Max || n < int64Min) return `strconv.ParseInt: parsing ${apierrors.goQuote(s)}: value out of range`;
  return undefined;
}

/**
 * An int64 parameter (limit, timeoutSeconds, gracePeriodSeconds): absent is undefined; present,
 * even empty, it must parse, or the request is the 400 the handlers make of the conversion error.
 */
export function queryInt64(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null) return undefined;
  const err = parseIntError(v);
  if (err) throw apierrors.badRequest(err);
  return Number(v);
}

/** A *bool parameter: absent is undefined; "false" and "0" (any case) are false, anything else true. */
export function queryBool(query: URLSearchParams, name: string): boolean | undefined {
  const v = query.get(name);
  if (v === null) return undefined;
  return !(v === '0' || v.toLowerCase() === 'false');
}

/**
 * APIObjectVersioner.ParseResourceVersion's error for a resourceVersion that is not a uint64, or
 * undefined when it is one ("" and "0" included). The caller decides which layer reports it.
 */
export function resourceVersionError(rv: string): string | undefined {
  if (rv === '' || rv === '0') return undefined;
  let why: string | undefined;
  if (!/^\d+$/.test(rv)) why = 'invalid syntax';
  else if (BigInt(rv) > uint64Max) why = 'value out of range';
  if (!why) return undefined;
  const quoted = apierrors.goQuote(rv);
  return `resourceVersion: Invalid value: ${quoted}: strconv.ParseUint: parsing ${quoted}: ${why}`;
}

/** ValidateDryRun: "All" is the only value. */
export function dryRunError(values: string[]): FieldError | undefined {
  if (values.every((v) => v === 'All')) return undefined;
  const rendered = `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
  return { type: 'FieldValueNotSupported', field: 'dryRun', detail: `Unsupported value: ${rendered}: supported values: "All"` };
}

const fieldManagerMaxLength = 128;

/** ValidateFieldManager: at most 128 bytes, printable characters only. */
function fieldManagerErrors(manager: string): FieldError[] {
  const errs: FieldError[] = [];
  if (Buffer.byteLength(manager, 'utf8') > fieldManagerMaxLength) errs.push(apierrors.field.tooLong('fieldManager', fieldManagerMaxLength));
  let position = 0;
  for (const ch of manager) {
    if (!apierrors.isGoPrintable(ch)) {
      const code = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      errs.push({
        type: 'FieldValueInvalid', field: 'fieldManager',
        detail: `Invalid value: ${apierrors.goQuote(manager)}: invalid character U+${code} (at position ${position})`,
      });
    }
    position += Buffer.byteLength(ch, 'utf8');
  }
  return errs;
}

const fieldValidations = ['Ignore', 'Warn', 'Strict'];

export interface WriteOptions {
  dryRun: boolean;
  fieldManager: string;
  /** The decoding directive; the default (empty) is Warn. */
  fieldValidation: FieldValidation;
}

export type WriteOptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions';

/**
 * CreateOptions, UpdateOptions or PatchOptions from the query, validated as the handler does before
 * it reads the body: every problem in one 422 on the options kind. `applyPatch` adds the
 * PatchOptions rules that depend on the patch type.
 */
export function writeOptionsOf(query: URLSearchParams, kind: WriteOptionsKind, applyPatch?: boolean): WriteOptions {
  const fieldManager = query.get('fieldManager') ?? '';
  const fieldValidation = query.get('fieldValidation') ?? '';
  const dryRun = query.getAll('dryRun');
  const errs: FieldError[] = [];
  if (kind === 'PatchOptions') {
    if (!applyPatch && query.has('force')) errs.push(apierrors.field.forbidden('force', 'may not be specified for non-apply patch'));
    if (applyPatch && fieldManager === '') errs.push(apierrors.field.required('fieldManager', 'is required for apply patch'));
  }
  errs.push(...fieldManagerErrors(fieldManager));
  const dryRunErr = dryRunError(dryRun);
  if (dryRunErr) errs.push(dryRunErr);
  if (fieldValidation !== '' && !fieldValidations.includes(fieldValidation)) {
    errs.push(apierrors.field.notSupported('fieldValidation', fieldValidation, ['', 'Ignore', 'Strict', 'Warn']));
  }
  if (errs.length > 0) throw apierrors.invalid('meta.k8s.io', kind, '', errs);
  return { dryRun: dryRun.length > 0, fieldManager, fieldValidation: (fieldValidation || 'Warn') as FieldValidation };
}
