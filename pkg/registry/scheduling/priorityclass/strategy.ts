/**
 * PriorityClass strategy, after pkg/registry/scheduling/priorityclass/strategy.go and
 * pkg/apis/scheduling/validation: names with the system- prefix are reserved for the two built-in
 * classes, user values stop at one billion, value and preemptionPolicy never change.
 * (Only one globalDefault is the Priority admission plugin's rule, not validation's.)
 */
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import { field, type FieldError } from '../../../apierrors/index.ts';
import type { Strategy } from '../../generic/strategy.ts';
import {
  nameIsDNSSubdomain, notSupported, validateImmutable, validateObjectMeta, validateObjectMetaUpdate,
} from '../../validation/index.ts';
import { highestUserDefinablePriority, systemPriorityClasses, systemPriorityClassPrefix } from './system-classes.ts';

const preemptionPolicies = ['PreemptLowerPriority', 'Never'];

/** scheduling.IsKnownSystemPriorityClass: the reason a system- name is refused, or undefined. */
function systemClassProblem(name: string, value: number | undefined, globalDefault: boolean): string | undefined {
  const known = systemPriorityClasses.find((c) => c.name === name);
  if (!known) return `${name} is not a known system priority class`;
  if (known.value !== (value ?? 0)) return `value of ${name} PriorityClass must be ${known.value}`;
  if (known.globalDefault !== globalDefault) return `globalDefault of ${name} PriorityClass must be ${known.globalDefault}`;
  return undefined;
}

function validatePriorityClass(pc: PriorityClass): FieldError[] {
  const errs = validateObjectMeta(pc.metadata ?? {}, nameIsDNSSubdomain);
  const name = pc.metadata?.name ?? '';
  if (name.startsWith(systemPriorityClassPrefix)) {
    const problem = systemClassProblem(name, pc.value, pc.globalDefault ?? false);
    if (problem) {
      errs.push(field.forbidden('metadata.name',
        `priority class names with '${systemPriorityClassPrefix}' prefix are reserved for system use only. error: ${problem}`));
    }
  } else if ((pc.value ?? 0) > highestUserDefinablePriority) {
    errs.push(field.forbidden('value', `maximum allowed value of a user defined priority is ${highestUserDefinablePriority}`));
  }
  if (pc.preemptionPolicy !== undefined && pc.preemptionPolicy !== null && !preemptionPolicies.includes(pc.preemptionPolicy)) {
    errs.push(notSupported('preemptionPolicy', pc.preemptionPolicy, preemptionPolicies));
  }
  return errs;
}

function validatePriorityClassUpdate(pc: PriorityClass, old: PriorityClass): FieldError[] {
  const errs = validateObjectMetaUpdate(pc.metadata ?? {}, old.metadata ?? {});
  if ((pc.value ?? 0) !== (old.value ?? 0)) errs.push(field.forbidden('value', 'may not be changed in an update.'));
  errs.push(...validateImmutable(pc.preemptionPolicy ?? null, old.preemptionPolicy ?? null, 'preemptionPolicy'));
  return errs;
}

export const priorityClassStrategy: Strategy = {
  applyDefaults(obj) {
    // SetDefaults_PriorityClass
    const pc = obj as unknown as PriorityClass;
    pc.preemptionPolicy ??= 'PreemptLowerPriority';
  },
  validate: (obj) => validatePriorityClass(obj as unknown as PriorityClass),
  validateUpdate: (obj, old) => validatePriorityClassUpdate(obj as unknown as PriorityClass, old as unknown as PriorityClass),
};
