/**
 * Label selectors: parsed from `?labelSelector=` strings or built from a metav1.LabelSelector
 * object ({matchLabels, matchExpressions}), after k8s.io/apimachinery/pkg/labels/selector.go and
 * pkg/apis/meta/v1/helpers.go (LabelSelectorAsSelector).
 */
import { badRequest } from '../../apierrors/index.ts';
import { compareBytes, goQuote, SelectorSyntaxError } from './go-format.ts';
import { parseLabelRequirements } from './label-parser.ts';
import { newRequirement, requirementMatches, requirementString, type LabelOperator, type LabelRequirement } from './requirement.ts';

export type { LabelOperator, LabelRequirement };

export type Labels = Readonly<Record<string, string>>;

/** An immutable label selector. */
export interface LabelSelector {
  /** True when it does not restrict anything (matches every object). The nothing selector is not empty. */
  readonly empty: boolean;
  /** False only for the selector that matches nothing (a nil metav1.LabelSelector). */
  readonly selectable: boolean;
  /** ANDed requirements, sorted by key. */
  readonly requirements: readonly LabelRequirement[];
  /** Whether every requirement holds for `labels`; undefined/null labels behave as no labels. */
  matches(labels: Labels | undefined | null): boolean;
  /** The single value `key` must equal (=, == or a one-value in), if the selector pins one. */
  requiresExactMatch(key: string): string | undefined;
  /** The canonical string form, e.g. `app=web,tier in (a,b)`; "" for everything and nothing. */
  toString(): string;
}

class RequirementsSelector implements LabelSelector {
  readonly selectable = true;
  constructor(readonly requirements: readonly LabelRequirement[]) {}

  get empty(): boolean {
    return this.requirements.length === 0;
  }

  matches(labels: Labels | undefined | null): boolean {
    return this.requirements.every((r) => requirementMatches(r, labels));
  }

  requiresExactMatch(key: string): string | undefined {
    const r = this.requirements.find((req) => req.key === key);
    if (!r || !['=', '==', 'in'].includes(r.operator) || r.values.length !== 1) return undefined;
    return r.values[0];
  }

  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

const nothing: LabelSelector = Object.freeze({
  empty: false,
  selectable: false,
  requirements: [],
  matches: () => false,
  requiresExactMatch: () => undefined,
  toString: () => '',
});

const everything: LabelSelector = new RequirementsSelector([]);

/** labels.Everything(): matches all objects. */
export function everythingLabelSelector(): LabelSelector {
  return everything;
}

/** labels.Nothing(): matches no object. */
export function nothingLabelSelector(): LabelSelector {
  return nothing;
}

function sortedByKey(reqs: LabelRequirement[]): LabelRequirement[] {
  return reqs.sort((a, b) => compareBytes(a.key, b.key));
}

/**
 * labels.Parse. "" gives the everything selector. Throws StatusError 400 BadRequest whose
 * message is the apiserver's, e.g. `unable to parse requirement: found '', expected: identifier`.
 */
export function parseLabelSelector(s: string): LabelSelector {
  try {
    return new RequirementsSelector(parseLabelRequirements(s));
  } catch (err) {
    if (err instanceof SelectorSyntaxError) throw badRequest(err.message);
    throw err;
  }
}

/** labels.SelectorFromSet: `k=v` for each entry, without validation; an empty set selects everything. */
export function labelSelectorFromSet(set: Labels | undefined | null): LabelSelector {
  const reqs = Object.entries(set ?? {}).map(([key, value]): LabelRequirement => ({ key, operator: '=', values: [value] }));
  return new RequirementsSelector(sortedByKey(reqs));
}

/** metav1.LabelSelector as it appears in objects (Deployment.spec.selector, …). */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: readonly { key: string; operator: string; values?: readonly string[] | null }[] | null;
}

const expressionOperators: Record<string, LabelOperator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * metav1.LabelSelectorAsSelector: null/undefined matches nothing, `{}` matches everything.
 * matchLabels become `=` requirements (checked in key order, where Go's map order is random).
 * Throws StatusError 400 with the Go message for an unknown operator or an invalid key/value/count,
 * e.g. `"Foo" is not a valid pod selector operator`; callers may re-wrap it.
 */
export function labelSelectorFromObject(sel: LabelSelectorObject | undefined | null): LabelSelector {
  if (sel == null) return nothing;
  const matchLabels = sel.matchLabels ?? {};
  const expressions = sel.matchExpressions ?? [];
  if (Object.keys(matchLabels).length + expressions.length === 0) return everything;
  try {
    const reqs = Object.keys(matchLabels).sort(compareBytes)
      .map((k) => newRequirement(k, '=', [matchLabels[k] ?? '']));
    for (const expr of expressions) {
      const op = Object.prototype.hasOwnProperty.call(expressionOperators, expr.operator)
        ? expressionOperators[expr.operator] : undefined;
      if (!op) throw new SelectorSyntaxError(`${goQuote(expr.operator)} is not a valid pod selector operator`);
      // Go copies the values with append([]string(nil), ...): an empty list is a nil slice.
      const values = expr.values && expr.values.length > 0 ? [...expr.values] : null;
      reqs.push(newRequirement(expr.key, op, values));
    }
    return new RequirementsSelector(sortedByKey(reqs));
  } catch (err) {
    if (err instanceof SelectorSyntaxError) throw badRequest(err.message);
    throw err;
  }
}
