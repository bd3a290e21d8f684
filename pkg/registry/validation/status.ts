/**
 * The /status half the workload strategies share (ValidateReplicaSetStatusUpdate,
 * ValidateDeploymentStatusUpdate, ValidateJobUpdateStatus…): the object-meta update rules, then
 * ValidateNonnegativeField on each replica/pod counter the kind's status carries.
 */
import type { KubeObject } from '../../api/index.ts';
import type { FieldError } from '../../apierrors/index.ts';
import type { Strategy } from '../generic/strategy.ts';
import { ensureObject, fillZeros, objectAt } from './access.ts';
import { validateNonnegative, validateObjectMetaUpdate } from './object-meta.ts';

/** Errors name `status.<counter>`, in the order the counters are listed (upstream's order). */
export function validateCounterStatusUpdate(obj: KubeObject, old: KubeObject, counters: readonly string[]): FieldError[] {
  const status = objectAt<Record<string, unknown>>(obj, 'status');
  const errs = validateObjectMetaUpdate(obj.metadata, old.metadata);
  for (const k of counters) {
    const v = status?.[k];
    errs.push(...validateNonnegative(typeof v === 'number' ? v : undefined, `status.${k}`));
  }
  return errs;
}

/**
 * A status strategy checking `counters` on update; with `zeros`, those fields are also set to 0
 * when absent first (Go serializes them without omitempty), and status is created if missing.
 */
export function counterStatusStrategy(counters: readonly string[], zeros: readonly string[] = []): NonNullable<Strategy['status']> {
  const validateUpdate = (obj: KubeObject, old: KubeObject): FieldError[] => validateCounterStatusUpdate(obj, old, counters);
  if (zeros.length === 0) return { validateUpdate };
  return { prepareForUpdate: (obj) => fillZeros(ensureObject(obj, 'status'), zeros), validateUpdate };
}
