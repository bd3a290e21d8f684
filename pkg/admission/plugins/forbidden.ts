/**
 * admission.NewForbidden: `<resource> "<name>" is forbidden: <why>`, where the name falls back to
 * the object's name, then its generateName, then "Unknown" (names are not generated yet).
 */
import * as apierrors from '../../apierrors/index.ts';
import type { AdmissionAttributes } from '../types.ts';

export function admissionForbidden(a: AdmissionAttributes, why: string): apierrors.StatusError {
  const meta = a.object?.metadata;
  const name = a.name || meta?.name || meta?.generateName || 'Unknown';
  return apierrors.forbidden(a.entry.group, a.entry.plural, name, why);
}

/** True for the main resource (no subresource) of the core kind `plural`. */
export function isCoreResource(a: AdmissionAttributes, plural: string): boolean {
  return a.entry.group === '' && a.entry.plural === plural && a.subresource === '';
}
