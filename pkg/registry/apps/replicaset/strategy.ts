/**
 * ReplicaSet strategy, after pkg/registry/apps/replicaset/strategy.go and ValidateReplicaSet:
 * replicas default to 1, status is the controller's, the selector is immutable in apps/v1.
 */
import type { ReplicaSet, ReplicaSetSpec } from 'kubernetes-types/apps/v1.js';
import type { FieldError } from '../../../apierrors/index.ts';
import type { Strategy } from '../../generic/strategy.ts';
import { applyPodTemplateDefaults, canonicalizePodTemplate } from '../../core/pod/index.ts';
import {
  counterStatusStrategy, ensureObject, nameIsDNSSubdomain, validateNonnegative, validateObjectMeta,
} from '../../validation/index.ts';
import { validateRequiredSelector, validateWorkloadTemplate, validateWorkloadUpdate } from './template.ts';

const statusZeros = ['replicas'];
const statusCounters = ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'];

function validateSpec(spec: ReplicaSetSpec | undefined): FieldError[] {
  const s: Partial<ReplicaSetSpec> = spec ?? {};
  return [
    ...validateNonnegative(s.replicas, 'spec.replicas'),
    ...validateNonnegative(s.minReadySeconds, 'spec.minReadySeconds'),
    // Upstream really says "deployment" here.
    ...validateRequiredSelector(s.selector, 'spec.selector', 'deployment'),
    ...validateWorkloadTemplate(s.template, s.selector, 'spec.template', { kind: 'ReplicaSet', podSpec: true }),
  ];
}

export const replicaSetStrategy: Strategy = {
  tracksGeneration: true,
  applyDefaults(obj) {
    const spec = ensureObject<ReplicaSetSpec>(obj, 'spec');
    spec.replicas ??= 1;
    applyPodTemplateDefaults(spec.template);
  },
  prepareForCreate(obj) {
    obj.status = { replicas: 0 };
  },
  validate(obj) {
    const rs = obj as unknown as ReplicaSet;
    return [...validateObjectMeta(obj.metadata, nameIsDNSSubdomain), ...validateSpec(rs.spec)];
  },
  validateUpdate: (obj, old) => validateWorkloadUpdate(obj, old, validateSpec),
  canonicalize(obj) {
    canonicalizePodTemplate((obj as unknown as ReplicaSet).spec?.template);
  },
  getAttrs: (obj) => ({ 'status.replicas': String((obj as unknown as ReplicaSet).status?.replicas ?? 0) }),
  status: counterStatusStrategy(statusCounters, statusZeros),
};
