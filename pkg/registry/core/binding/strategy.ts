/**
 * Binding strategy (POST bindings and pods/binding), after ValidatePodBinding: the target must
 * name a node. The binding's name is the pod's name.
 */
import type { Binding } from 'kubernetes-types/core/v1.js';
import { field, type FieldError } from '../../../apierrors/index.ts';
import type { Strategy } from '../../generic/strategy.ts';
import { notSupported } from '../../validation/index.ts';

export function validateBinding(b: Binding): FieldError[] {
  const errs: FieldError[] = [];
  if (!b.metadata?.name) errs.push(field.required('metadata.name', 'name or generateName is required'));
  if (b.target?.kind && b.target.kind !== 'Node') errs.push(notSupported('target.kind', b.target.kind, ['Node', '<empty>']));
  if (!b.target?.name) errs.push(field.required('target.name'));
  return errs;
}

export const bindingStrategy: Strategy = {
  validate: (obj) => validateBinding(obj as unknown as Binding),
};
