/**
 * JobSpec validation shared by Jobs and CronJob job templates, after ValidateJobSpec and
 * ValidateGeneratedSelector in pkg/apis/batch/validation/validation.go (1.32).
 */
import type { JobSpec } from 'kubernetes-types/batch/v1.js';
import type { ObjectMeta } from '../../../api/index.ts';
import { field, type FieldError } from '../../../apierrors/index.ts';
import { validatePodTemplateSpec } from '../../core/pod/index.ts';
import {
  goStringMap, invalid, invalidRendered, labelSelectorIsEmpty, labelSelectorMatches, notSupported, selectorError,
  validateLabelSelector, validateNonnegative,
} from '../../validation/index.ts';

export const jobNameLabel = 'batch.kubernetes.io/job-name';
export const controllerUidLabel = 'batch.kubernetes.io/controller-uid';
export const legacyJobNameLabel = 'job-name';
export const legacyControllerUidLabel = 'controller-uid';

/** ValidateJobSpec (the template restart-policy rule is the one everybody meets). */
export function validateJobSpec(spec: Partial<JobSpec> | undefined, path: string): FieldError[] {
  const s = spec ?? {};
  const errs: FieldError[] = [];
  for (const k of ['parallelism', 'completions', 'activeDeadlineSeconds', 'ttlSecondsAfterFinished', 'backoffLimit'] as const) {
    errs.push(...validateNonnegative(s[k], `${path}.${k}`));
  }
  if (s.completionMode && !['NonIndexed', 'Indexed'].includes(s.completionMode)) {
    errs.push(notSupported(`${path}.completionMode`, s.completionMode, ['NonIndexed', 'Indexed']));
  }
  if (s.completionMode === 'Indexed' && (s.completions === undefined || s.completions === null)) {
    errs.push(field.required(`${path}.completions`, 'when completion mode is Indexed'));
  }
  if (s.podReplacementPolicy && !['TerminatingOrFailed', 'Failed'].includes(s.podReplacementPolicy)) {
    errs.push(notSupported(`${path}.podReplacementPolicy`, s.podReplacementPolicy, ['TerminatingOrFailed', 'Failed']));
  }
  if (s.manualSelector === true && !s.selector) errs.push(field.required(`${path}.selector`));
  else errs.push(...validateLabelSelector(s.selector, `${path}.selector`));
  const labels = s.template?.metadata?.labels;
  if (s.selector && !labelSelectorIsEmpty(s.selector) && !labelSelectorMatches(s.selector, labels)) {
    errs.push(invalidRendered(`${path}.template.metadata.labels`, goStringMap(labels), '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplateSpec(s.template, `${path}.template`));
  const restart = s.template?.spec?.restartPolicy ?? '';
  if (restart === 'Always' || restart === '') {
    errs.push(field.required(`${path}.template.spec.restartPolicy`, 'valid values: "OnFailure", "Never"'));
  } else if (restart !== 'OnFailure' && restart !== 'Never') {
    errs.push(notSupported(`${path}.template.spec.restartPolicy`, restart, ['OnFailure', 'Never']));
  }
  return errs;
}

function hasLabel(meta: { labels?: Record<string, string> } | undefined, key: string, want: string, path: string): FieldError[] {
  const got = meta?.labels?.[key];
  if (got === undefined) return [field.required(`${path}.labels[${key}]`, `must be '${want}'`)];
  return got === want ? [] : [invalid(`${path}.labels[${key}]`, got, `must be '${want}'`)];
}

/** ValidateGeneratedSelector: the generated labels must be present and the selector exactly the generated one. */
export function validateGeneratedSelector(meta: ObjectMeta, spec: Partial<JobSpec>, requirePrefixed: boolean): FieldError[] {
  if (spec.manualSelector === true) return [];
  const errs: FieldError[] = [];
  const uid = meta.uid ?? '';
  const name = meta.name ?? '';
  if (!uid) errs.push(field.required('metadata.uid'));
  const tmeta = spec.template?.metadata;
  errs.push(...hasLabel(tmeta, legacyControllerUidLabel, uid, 'spec.template.metadata'));
  errs.push(...hasLabel(tmeta, legacyJobNameLabel, name, 'spec.template.metadata'));
  const expected: Record<string, string> = { [legacyControllerUidLabel]: uid };
  if (requirePrefixed) {
    errs.push(...hasLabel(tmeta, controllerUidLabel, uid, 'spec.template.metadata'));
    errs.push(...hasLabel(tmeta, jobNameLabel, name, 'spec.template.metadata'));
    expected[controllerUidLabel] = uid;
  }
  // The selector must select exactly the generated labels (LabelSelectorAsSelector(...).Matches).
  if (!labelSelectorMatches(spec.selector, expected)) errs.push(selectorError('spec.selector', spec.selector, '`selector` not auto-generated'));
  return errs;
}
