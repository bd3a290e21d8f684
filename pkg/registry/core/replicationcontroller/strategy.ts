/**
 * ReplicationController strategy, after pkg/registry/core/replicationcontroller/strategy.go,
 * SetDefaults_ReplicationController and ValidateReplicationController: selector and labels
 * default to the template's labels, replicas to 1.
 */
import type { ReplicationController, ReplicationControllerSpec } from 'kubernetes-types/core/v1.js';
import { field, type FieldError } from '../../../apierrors/index.ts';
import type { Strategy } from '../../generic/strategy.ts';
import { applyPodTemplateDefaults, canonicalizePodTemplate, validatePodTemplateSpec } from '../pod/index.ts';
import {
  counterStatusStrategy, ensureObject, goStringMap, invalidRendered, nameIsDNSSubdomain, notSupported, validateNonnegative,
  validateObjectMeta, validateObjectMetaUpdate,
} from '../../validation/index.ts';

const statusCounters = ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'];

function validateSpec(spec: ReplicationControllerSpec | undefined): FieldError[] {
  const s = spec ?? {};
  const errs = validateNonnegative(s.minReadySeconds, 'spec.minReadySeconds');
  const selector = s.selector ?? {};
  if (Object.keys(selector).length === 0) errs.push(field.required('spec.selector'));
  errs.push(...validateNonnegative(s.replicas, 'spec.replicas'));
  const t = s.template;
  if (!t) return [...errs, field.required('spec.template')];
  const labels = t.metadata?.labels ?? {};
  if (Object.keys(selector).length > 0 && !Object.entries(selector).every(([k, v]) => labels[k] === v)) {
    errs.push(invalidRendered('spec.template.metadata.labels', goStringMap(t.metadata?.labels), '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplateSpec(t, 'spec.template'));
  const restart = t.spec?.restartPolicy ?? '';
  if (restart !== 'Always') errs.push(notSupported('spec.template.spec.restartPolicy', restart, ['Always']));
  if (t.spec?.activeDeadlineSeconds !== undefined && t.spec.activeDeadlineSeconds !== null) {
    errs.push(field.forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in ReplicationController is not Supported'));
  }
  return errs;
}

export const replicationControllerStrategy: Strategy = {
  tracksGeneration: true,
  applyDefaults(obj) {
    const spec = ensureObject<ReplicationControllerSpec>(obj, 'spec');
    const labels = spec.template?.metadata?.labels;
    if (labels) {
      if (Object.keys(spec.selector ?? {}).length === 0) spec.selector = { ...labels };
      if (Object.keys(obj.metadata.labels ?? {}).length === 0) obj.metadata.labels = { ...labels };
    }
    spec.replicas ??= 1;
    applyPodTemplateDefaults(spec.template);
  },
  prepareForCreate(obj) {
    obj.status = { replicas: 0 };
  },
  validate(obj) {
    return [...validateObjectMeta(obj.metadata, nameIsDNSSubdomain), ...validateSpec((obj as unknown as ReplicationController).spec)];
  },
  validateUpdate(obj, old) {
    return [...validateObjectMetaUpdate(obj.metadata, old.metadata), ...validateSpec((obj as unknown as ReplicationController).spec)];
  },
  canonicalize(obj) {
    canonicalizePodTemplate((obj as unknown as ReplicationController).spec?.template);
  },
  getAttrs: (obj) => ({ 'status.replicas': String((obj as unknown as ReplicationController).status?.replicas ?? 0) }),
  status: counterStatusStrategy(statusCounters, ['replicas']),
};
