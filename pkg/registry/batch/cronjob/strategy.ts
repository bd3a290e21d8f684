/**
 * CronJob strategy, after pkg/registry/batch/cronjob/strategy.go, SetDefaults_CronJob and
 * ValidateCronJobCreate/Update (1.32). The job template gets pod-template defaults only (Job
 * defaults apply when the controller creates the Job); its selector is always generated.
 */
import type { CronJob, CronJobSpec } from 'kubernetes-types/batch/v1.js';
import { field, type FieldError } from '../../../apierrors/index.ts';
import type { Strategy } from '../../generic/strategy.ts';
import { applyPodTemplateDefaults, canonicalizePodTemplate } from '../../core/pod/index.ts';
import {
  ensureObject, invalid, nameIsDNSSubdomain, notSupported, selectorError, validateAnnotations, validateLabels,
  validateNonnegative, validateObjectMeta, validateObjectMetaUpdate,
} from '../../validation/index.ts';
import { validateJobSpec } from '../job/spec-validation.ts';

const descriptors = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

/** What robfig/cron's ParseStandard rejects most often: the field count, and TZ prefixes. */
export function validateSchedule(schedule: string | undefined, path: string): FieldError[] {
  if (!schedule) return [field.required(path)];
  if (/^(CRON_)?TZ=/.test(schedule)) return [invalid(path, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead')];
  if (schedule.startsWith('@')) {
    return descriptors.includes(schedule) || /^@every /.test(schedule)
      ? [] : [invalid(path, schedule, `unrecognized descriptor: ${schedule}`)];
  }
  const fields = schedule.trim().split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) return [invalid(path, schedule, `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`)];
  const bad = fields.find((f) => !/^[0-9A-Za-z*?,/-]+$/.test(f));
  return bad ? [invalid(path, schedule, `failed to parse int from ${bad}: strconv.Atoi: parsing "${bad}": invalid syntax`)] : [];
}

function validateSpec(spec: Partial<CronJobSpec> | undefined): FieldError[] {
  const s = spec ?? {};
  const errs = validateSchedule(s.schedule, 'spec.schedule');
  errs.push(...validateNonnegative(s.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
  const policies = ['Allow', 'Forbid', 'Replace'];
  if (!s.concurrencyPolicy) errs.push(field.required('spec.concurrencyPolicy'));
  else if (!policies.includes(s.concurrencyPolicy)) errs.push(notSupported('spec.concurrencyPolicy', s.concurrencyPolicy, policies));
  errs.push(...validateNonnegative(s.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'));
  errs.push(...validateNonnegative(s.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
  const jt = s.jobTemplate;
  errs.push(...validateLabels(jt?.metadata?.labels, 'spec.jobTemplate.labels'));
  errs.push(...validateAnnotations(jt?.metadata?.annotations, 'spec.jobTemplate.annotations'));
  if (jt?.spec?.manualSelector !== true && jt?.spec?.selector) {
    errs.push(selectorError('spec.jobTemplate.spec.selector', jt.spec.selector, '`selector` will be auto-generated'));
  }
  errs.push(...validateJobSpec(jt?.spec, 'spec.jobTemplate.spec'));
  return errs;
}

export const cronJobStrategy: Strategy = {
  tracksGeneration: true,
  applyDefaults(obj) {
    const spec = ensureObject<CronJobSpec>(obj, 'spec');
    spec.concurrencyPolicy ||= 'Allow';
    spec.suspend ??= false;
    spec.successfulJobsHistoryLimit ??= 3;
    spec.failedJobsHistoryLimit ??= 1;
    applyPodTemplateDefaults(spec.jobTemplate?.spec?.template);
  },
  prepareForCreate(obj) {
    obj.status = {};
  },
  validate(obj) {
    const errs = validateObjectMeta(obj.metadata, nameIsDNSSubdomain);
    const name = obj.metadata.name ?? '';
    // Job names get an 11-character suffix and must stay DNS-1035 labels.
    if (name.length > 52) errs.push(invalid('metadata.name', name, 'must be no more than 52 characters'));
    return [...errs, ...validateSpec((obj as unknown as CronJob).spec)];
  },
  validateUpdate(obj, old) {
    return [...validateObjectMetaUpdate(obj.metadata, old.metadata), ...validateSpec((obj as unknown as CronJob).spec)];
  },
  canonicalize(obj) {
    const jt = (obj as unknown as CronJob).spec?.jobTemplate;
    if (!jt) return;
    canonicalizePodTemplate(jt);
    canonicalizePodTemplate(jt.spec?.template);
  },
};
