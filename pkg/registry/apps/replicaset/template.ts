/**
 * Selector and pod-template checks the apps kinds share, after ValidateDeploymentSpec,
 * ValidateReplicaSetSpec and ValidatePodTemplateSpecForReplicaSet in
 * pkg/apis/apps/validation/validation.go.
 */
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/index.ts';
import { field, type FieldError } from '../../../apierrors/index.ts';
import { validatePodTemplateSpec } from '../../core/pod/index.ts';
import {
  goStringMap, invalidRendered, labelSelectorIsEmpty, labelSelectorMatches, notSupported, selectorError, validateAnnotations,
  validateImmutableSelector, validateLabelSelector, validateLabels, validateObjectMetaUpdate, type LabelSelector,
} from '../../validation/index.ts';

/** `spec.selector: Required value`, strict selector validation and the "empty selector" rule. */
export function validateRequiredSelector(sel: LabelSelector | undefined | null, path: string, kindWord: string): FieldError[] {
  if (!sel) return [field.required(path)];
  const errs = validateLabelSelector(sel, path);
  if (labelSelectorIsEmpty(sel)) errs.push(selectorError(path, sel, `empty selector is invalid for ${kindWord}`));
  return errs;
}

/** The template labels must satisfy the selector; a missing selector matches nothing. */
export function validateSelectorMatchesTemplate(sel: LabelSelector | undefined | null, template: PodTemplateSpec | undefined,
  path: string): FieldError[] {
  const labels = template?.metadata?.labels;
  if (labelSelectorIsEmpty(sel) || labelSelectorMatches(sel, labels)) return [];
  return [invalidRendered(`${path}.metadata.labels`, goStringMap(labels), '`selector` does not match template `labels`')];
}

export interface TemplateRules {
  /** Kind named in the activeDeadlineSeconds message ("ReplicaSet", "DaemonSet"…). */
  kind: string;
  /** StatefulSets validate only the template's labels and annotations, not its pod spec. */
  podSpec: boolean;
}

/** ValidatePodTemplateSpecForReplicaSet and friends: pods of these controllers restart Always. */
export function validateWorkloadTemplate(template: PodTemplateSpec | undefined, sel: LabelSelector | undefined | null,
  path: string, rules: TemplateRules): FieldError[] {
  if (!template) return [field.required(path)];
  const errs = validateSelectorMatchesTemplate(sel, template, path);
  if (rules.podSpec) {
    errs.push(...validatePodTemplateSpec(template, path));
  } else {
    errs.push(...validateLabels(template.metadata?.labels, `${path}.labels`), ...validateAnnotations(template.metadata?.annotations, `${path}.annotations`));
  }
  const restart = template.spec?.restartPolicy ?? '';
  if (restart !== 'Always') errs.push(notSupported(`${path}.spec.restartPolicy`, restart, ['Always']));
  if (template.spec?.activeDeadlineSeconds !== undefined && template.spec.activeDeadlineSeconds !== null) {
    errs.push(field.forbidden(`${path}.spec.activeDeadlineSeconds`, `activeDeadlineSeconds in ${rules.kind} is not Supported`));
  }
  return errs;
}

/**
 * validateUpdate of the apps kinds whose selector is fixed once created (Deployment, ReplicaSet,
 * DaemonSet): object-meta update rules, the kind's spec checks, then the immutable selector.
 */
export function validateWorkloadUpdate<S extends { selector?: LabelSelector | null }>(obj: KubeObject, old: KubeObject,
  validateSpec: (spec: S | undefined) => FieldError[]): FieldError[] {
  const next = obj.spec as S | undefined;
  const prev = old.spec as S | undefined;
  return [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateSpec(next),
    ...validateImmutableSelector(next?.selector, prev?.selector, 'spec.selector'),
  ];
}
