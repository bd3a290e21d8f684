/** pkg/apis/authorization/validation: what a review's spec must hold. */
import type { NonResourceAttributes, ResourceAttributes } from 'kubernetes-types/authorization/v1.js';
import * as apierrors from '../../apierrors/index.ts';
import type { FieldError } from '../../apierrors/index.ts';
import { invalidRendered } from '../validation/index.ts';

/** How Go's field.Invalid prints the *NonResourceAttributes it is given (%#v of the internal struct). */
function renderNonResource(n: NonResourceAttributes | undefined): string {
  if (!n) return '"null"';
  return `authorization.NonResourceAttributes{Path:${JSON.stringify(n.path ?? '')}, Verb:${JSON.stringify(n.verb ?? '')}}`;
}

interface AttributesSpec {
  resourceAttributes?: ResourceAttributes;
  nonResourceAttributes?: NonResourceAttributes;
}

/** Exactly one of resourceAttributes and nonResourceAttributes. */
export { renderNonResource };

export function validateAttributesChoice(spec: AttributesSpec): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.resourceAttributes && spec.nonResourceAttributes) {
    errs.push(invalidRendered('spec.nonResourceAttributes', renderNonResource(spec.nonResourceAttributes), 'cannot be specified in combination with resourceAttributes'));
  }
  if (!spec.resourceAttributes && !spec.nonResourceAttributes) {
    errs.push(invalidRendered('spec.resourceAttributes', renderNonResource(spec.nonResourceAttributes), 'exactly one of nonResourceAttributes or resourceAttributes must be specified'));
  }
  return errs;
}

/** The review kinds are refused as a whole: `<Kind>.authorization.k8s.io "" is invalid: …`. */
export function throwIfInvalid(kind: string, errs: FieldError[]): void {
  if (errs.length > 0) throw apierrors.invalid('authorization.k8s.io', kind, '', errs);
}
