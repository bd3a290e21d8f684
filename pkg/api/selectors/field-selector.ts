/**
 * Field selectors (`?fieldSelector=`), after k8s.io/apimachinery/pkg/fields/selector.go:
 * comma-separated `field=value`, `field==value` or `field!=value` terms, values escaped with a
 * backslash (`\,` `\=` `\\`), and the per-kind label conversion the list handler applies
 * (pkg/apis/core/v1/conversion.go, runtime.DefaultMetaV1FieldSelectorConversion).
 */
import { badRequest } from '../../apierrors/index.ts';
import { compareBytes, goQuote, SelectorSyntaxError } from './go-format.ts';

export interface FieldRequirement {
  readonly field: string;
  /** `==` in the input is folded into `=`, as Kubernetes does. */
  readonly op: '=' | '!=';
  readonly value: string;
}

export type Fields = Readonly<Record<string, string>>;

/** An immutable field selector: the AND of its requirements. */
export interface FieldSelector {
  /** In the order Kubernetes keeps them: sorted by the raw term text. */
  readonly requirements: readonly FieldRequirement[];
  /** True when it has no requirement (matches everything). */
  readonly empty: boolean;
  /** Every requirement holds; a field missing from `fields` compares as "" (fields.Set.Get). */
  matches(fields: Fields): boolean;
  /** The value an `=` requirement pins `field` to, if any (used for `metadata.name` lookups). */
  requiresExactMatch(field: string): string | undefined;
  /**
   * Fields.Transform: a new selector with each (field, value) rewritten by fn; a pair rewritten
   * to ("", "") is dropped. fn may throw to reject a term; the first term in order is tried first.
   */
  transform(fn: (field: string, value: string) => [string, string]): FieldSelector;
  /** `a=b,c!=d` with values escaped again. */
  toString(): string;
}

/** fields.EscapeValue. */
export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** fields.UnescapeValue; throws SelectorSyntaxError with the Go message. */
export function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') {
        throw new SelectorSyntaxError(`invalid field selector: invalid escape sequence: \\${c}`);
      }
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      // Go prints the rune with %v, i.e. as its number: "=" shows as 61.
      throw new SelectorSyntaxError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw new SelectorSyntaxError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** Split on commas not escaped by a backslash; escapes stay in the terms. */
function splitTerms(s: string): string[] {
  if (s.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

const termOperators = ['!=', '==', '='] as const;

/** The first operator occurrence splits the term; the field part gets no unescaping. */
function splitTerm(term: string): { lhs: string; op: (typeof termOperators)[number]; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of termOperators) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

class Selector implements FieldSelector {
  constructor(readonly requirements: readonly FieldRequirement[]) {}

  get empty(): boolean {
    return this.requirements.length === 0;
  }

  matches(fields: Fields): boolean {
    return this.requirements.every((r) => {
      const actual = Object.prototype.hasOwnProperty.call(fields, r.field) ? (fields[r.field] ?? '') : '';
      return r.op === '=' ? actual === r.value : actual !== r.value;
    });
  }

  requiresExactMatch(field: string): string | undefined {
    return this.requirements.find((r) => r.op === '=' && r.field === field)?.value;
  }

  transform(fn: (field: string, value: string) => [string, string]): FieldSelector {
    const next: FieldRequirement[] = [];
    for (const r of this.requirements) {
      const [field, value] = fn(r.field, r.value);
      if (field !== '' || value !== '') next.push({ field, op: r.op, value });
    }
    return new Selector(next);
  }

  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.op}${escapeFieldValue(r.value)}`).join(',');
  }
}

/**
 * fields.ParseSelector. "" selects everything. Throws StatusError 400 BadRequest with the
 * apiserver's message, e.g. `invalid selector: 'x'; can't understand 'x'`.
 */
export function parseFieldSelector(s: string): FieldSelector {
  const requirements: FieldRequirement[] = [];
  for (const part of splitTerms(s).sort(compareBytes)) {
    if (part === '') continue;
    const term = splitTerm(part);
    if (!term) throw badRequest(`invalid selector: '${s}'; can't understand '${part}'`);
    let value: string;
    try {
      value = unescapeFieldValue(term.rhs);
    } catch (err) {
      if (err instanceof SelectorSyntaxError) throw badRequest(err.message);
      throw err;
    }
    requirements.push({ field: term.lhs, op: term.op === '!=' ? '!=' : '=', value });
  }
  return new Selector(requirements);
}

/** fields.Everything(). */
export function everythingFieldSelector(): FieldSelector {
  return new Selector([]);
}

/** fields.SelectorFromSet / OneTermEqualSelector: `k=v` for each entry. */
export function fieldSelectorFromSet(set: Fields): FieldSelector {
  const reqs = Object.entries(set).map(([field, value]) => ({ field, op: '=' as const, value }));
  return new Selector(reqs.sort((a, b) => compareBytes(a.field, b.field)));
}

/**
 * How a kind rejects a field it does not support: kinds with their own conversion function
 * (pods, nodes, events, secrets, namespaces, …, and custom resources) say `field label not
 * supported: <f>`; kinds without one fall back to runtime.DefaultMetaV1FieldSelectorConversion.
 */
export type FieldLabelRejection = 'field-label' | 'default-meta';

export interface FieldSupportOptions {
  /** Which message an unsupported field gets; default 'field-label'. */
  rejection?: FieldLabelRejection;
  /** Old names accepted and rewritten, e.g. pods' `{ 'spec.host': 'spec.nodeName' }`. */
  aliases?: Readonly<Record<string, string>>;
}

/**
 * The list handler's ConvertFieldLabel pass: returns the selector with aliases rewritten, or
 * throws StatusError 400 BadRequest naming the first unsupported field (in term order).
 */
export function checkFieldsSupported(sel: FieldSelector, supported: readonly string[], options: FieldSupportOptions = {}): FieldSelector {
  const aliases = options.aliases ?? {};
  return sel.transform((field, value) => {
    if (supported.includes(field)) return [field, value];
    if (Object.prototype.hasOwnProperty.call(aliases, field)) return [aliases[field] ?? field, value];
    if (options.rejection === 'default-meta') {
      throw badRequest(`${goQuote(field)} is not a known field selector: only "metadata.name", "metadata.namespace"`);
    }
    throw badRequest(`field label not supported: ${field}`);
  });
}
