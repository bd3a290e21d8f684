/**
 * The /status update check the workload kinds share (ValidateReplicaSetStatusUpdate,
 * ValidateDeploymentStatusUpdate, ValidateJobUpdateStatus…): the object-meta update rules,
 * then ValidateNonnegativeField on each replica/pod counter the kind's status carries.
 */
import type { KubeObject } from '../../api/index.ts';
import type { FieldError } from '../../apierrors/index.ts';
import { objectAt } from './access.ts';
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
