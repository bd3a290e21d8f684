/**
 * Lease strategy, after pkg/registry/coordination/lease/strategy.go and ValidateLease: PUT may
 * create (leader election and node heartbeats rely on it).
 */
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { FieldError } from '../../../apierrors/index.ts';
import type { Strategy } from '../../generic/strategy.ts';
import {
  invalid, nameIsDNSSubdomain, validateNonnegative, validateObjectMeta, validateObjectMetaUpdate,
} from '../../validation/index.ts';

function validateLease(lease: Lease): FieldError[] {
  const errs = validateObjectMeta(lease.metadata ?? {}, nameIsDNSSubdomain);
  const spec = lease.spec ?? {};
  if (typeof spec.leaseDurationSeconds === 'number' && spec.leaseDurationSeconds <= 0) {
    errs.push(invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  return [...errs, ...validateNonnegative(spec.leaseTransitions, 'spec.leaseTransitions')];
}

export const leaseStrategy: Strategy = {
  allowCreateOnUpdate: true,
  validate: (obj) => validateLease(obj as unknown as Lease),
  validateUpdate: (obj, old) => [...validateObjectMetaUpdate(obj.metadata, old.metadata), ...validateLease(obj as unknown as Lease)],
};
