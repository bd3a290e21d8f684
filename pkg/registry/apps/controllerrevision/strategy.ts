/** ControllerRevision strategy, after ValidateControllerRevision(Update): data is mandatory and immutable. */
import type { ControllerRevision } from 'kubernetes-types/apps/v1.js';
import { field, type FieldError } from '../../../apierrors/index.ts';
import type { Strategy } from '../../generic/strategy.ts';
import {
  nameIsDNSSubdomain, validateImmutable, validateNonnegative, validateObjectMeta, validateObjectMetaUpdate,
} from '../../validation/index.ts';

function validateRevision(cr: ControllerRevision): FieldError[] {
  const errs = validateObjectMeta(cr.metadata ?? {}, nameIsDNSSubdomain);
  if (cr.data === undefined || cr.data === null) errs.push(field.required('data', 'data is mandatory'));
  return [...errs, ...validateNonnegative(cr.revision, 'revision')];
}

export const controllerRevisionStrategy: Strategy = {
  validate: (obj) => validateRevision(obj as unknown as ControllerRevision),
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateRevision(obj as unknown as ControllerRevision),
    ...validateImmutable(obj.data, old.data, 'data', `runtime.RawExtension{Raw:${JSON.stringify(JSON.stringify(obj.data ?? null))}, Object:runtime.Object(nil)}`),
  ],
};
