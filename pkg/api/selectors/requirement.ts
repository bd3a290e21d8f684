/**
 * One label requirement (key, operator, values): construction with validation, matching and
 * printing, after Requirement in k8s.io/apimachinery/pkg/labels/selector.go.
 */
import { aggregateMessage, compareBytes, invalidFieldMessage, notSupportedFieldMessage, SelectorSyntaxError } from './go-format.ts';
import { isQualifiedName, isValidLabelValue } from './label-validation.ts';

/** selection.Operator values, spelled as Kubernetes spells them. */
export type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

const binaryOperators: readonly LabelOperator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];
const unaryOperators: readonly LabelOperator[] = ['exists', '!'];

/** The binary operators in the order the parser's "expected: ..." message lists them. */
export const binaryOperatorList = binaryOperators.join(', ');

export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  /** As given (the string parser gives them sorted and de-duplicated); empty for exists and '!'. */
  readonly values: readonly string[];
}

/** validateLabelKey: null path prints `<nil>`, as the parser's does. */
export function labelKeyError(key: string, path: string | null): string | undefined {
  const errs = isQualifiedName(key);
  return errs.length > 0 ? invalidFieldMessage(path, key, errs.join('; ')) : undefined;
}

function valueCountError(op: string, values: readonly string[] | null): string | undefined {
  const n = values?.length ?? 0;
  switch (op) {
    case 'in': case 'notin':
      return n === 0 ? invalidFieldMessage('values', values, "for 'in', 'notin' operators, values set can't be empty") : undefined;
    case '=': case '==': case '!=':
      return n !== 1 ? invalidFieldMessage('values', values, 'exact-match compatibility requires one single value') : undefined;
    case 'exists': case '!':
      return n !== 0 ? invalidFieldMessage('values', values, 'values set must be empty for exists and does not exist') : undefined;
    case 'gt': case 'lt':
      return n !== 1 ? invalidFieldMessage('values', values, "for 'Gt', 'Lt' operators, exactly one value is required") : undefined;
    default:
      return notSupportedFieldMessage('operator', op, [...binaryOperators, ...unaryOperators]);
  }
}

/**
 * labels.NewRequirement with no field path. `values` null stands for a Go nil slice (it only
 * changes how an error prints). Throws SelectorSyntaxError with the aggregated Go message.
 */
export function newRequirement(key: string, op: string, values: readonly string[] | null): LabelRequirement {
  const errs: string[] = [];
  const keyErr = labelKeyError(key, 'key');
  if (keyErr) errs.push(keyErr);
  const countErr = valueCountError(op, values);
  if (countErr) errs.push(countErr);
  const vals = values ?? [];
  if (op === 'gt' || op === 'lt') {
    vals.forEach((v, i) => {
      if (parseInt64(v) === undefined) {
        errs.push(invalidFieldMessage(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      }
    });
  }
  vals.forEach((v, i) => {
    const valueErrs = isValidLabelValue(v);
    if (valueErrs.length > 0) errs.push(invalidFieldMessage(`values[${i}][${key}]`, v, valueErrs.join('; ')));
  });
  if (errs.length > 0) throw new SelectorSyntaxError(aggregateMessage(errs));
  return { key, operator: op as LabelOperator, values: [...vals] };
}

/** strconv.ParseInt(s, 10, 64): optional sign, decimal digits, within int64. */
export function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n ? n : undefined;
}

function has(labels: Readonly<Record<string, string>> | null | undefined, key: string): labels is Readonly<Record<string, string>> {
  return labels != null && Object.prototype.hasOwnProperty.call(labels, key);
}

/** Requirement.Matches: notin and != match when the key is absent; gt/lt need an integer label. */
export function requirementMatches(r: LabelRequirement, labels: Readonly<Record<string, string>> | null | undefined): boolean {
  switch (r.operator) {
    case 'in': case '=': case '==':
      return has(labels, r.key) && r.values.includes(labels[r.key] ?? '');
    case 'notin': case '!=':
      return !has(labels, r.key) || !r.values.includes(labels[r.key] ?? '');
    case 'exists':
      return has(labels, r.key);
    case '!':
      return !has(labels, r.key);
    case 'gt': case 'lt': {
      if (!has(labels, r.key) || r.values.length !== 1) return false;
      const actual = parseInt64(labels[r.key] ?? '');
      const wanted = parseInt64(r.values[0] ?? '');
      if (actual === undefined || wanted === undefined) return false;
      return r.operator === 'gt' ? actual > wanted : actual < wanted;
    }
  }
}

const operatorText: Record<LabelOperator, string> = {
  '=': '=', '==': '==', '!=': '!=', in: ' in ', notin: ' notin ', gt: '>', lt: '<', exists: '', '!': '',
};

/** Requirement.String: `!k`, `k`, `k=v`, `k in (a,b)` with set values printed sorted. */
export function requirementString(r: LabelRequirement): string {
  if (r.operator === 'exists') return r.key;
  if (r.operator === '!') return `!${r.key}`;
  const values = r.values.length === 1 ? (r.values[0] ?? '') : [...r.values].sort(compareBytes).join(',');
  const set = r.operator === 'in' || r.operator === 'notin';
  return `${r.key}${operatorText[r.operator]}${set ? `(${values})` : values}`;
}
