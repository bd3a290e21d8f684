/**
 * Job strategy, after pkg/registry/batch/job/strategy.go and SetDefaults_Job (1.32). Unless
 * manualSelector is true, the server generates the selector and pod labels from the Job's uid
 * (batch.kubernetes.io/controller-uid, job-name and their legacy unprefixed twins).
 */
import type { Job, JobSpec } from 'kubernetes-types/batch/v1.js';
import type { KubeObject } from '../../../api/index.ts';
import type { FieldError } from '../../../apierrors/index.ts';
import type { Strategy } from '../../generic/strategy.ts';
import { applyPodTemplateDefaults, canonicalizePodTemplate } from '../../core/pod/index.ts';
import {
  counterStatusStrategy, ensureObject, nameIsDNSSubdomain, semanticEqual, validateImmutable, validateImmutableSelector,
  validateObjectMeta, validateObjectMetaUpdate,
} from '../../validation/index.ts';
import {
  controllerUidLabel, jobNameLabel, legacyControllerUidLabel, legacyJobNameLabel, validateGeneratedSelector, validateJobSpec,
} from './spec-validation.ts';

/** SetDefaults_Job (with the JobPodReplacementPolicy gate on, as in 1.32) and the template defaults. */
export function applyJobSpecDefaults(spec: JobSpec): void {
  if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? 2147483647 : 6;
  spec.completionMode ||= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ||= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  applyPodTemplateDefaults(spec.template);
}

/** generateSelector: label the template with the job's name and uid and select on the uid. */
function generateSelector(obj: KubeObject, spec: JobSpec): void {
  const template = (spec.template ??= {});
  const tmeta = (template.metadata ??= {});
  const labels = (tmeta.labels ??= {});
  const name = obj.metadata.name ?? '';
  const uid = obj.metadata.uid ?? '';
  for (const k of [legacyJobNameLabel, jobNameLabel]) labels[k] ??= name;
  for (const k of [legacyControllerUidLabel, controllerUidLabel]) labels[k] ??= uid;
  const selector = (spec.selector ??= {});
  const ml = (selector.matchLabels ??= {});
  ml[controllerUidLabel] ??= uid;
}

/** Old Jobs without the prefixed labels keep passing validation (validationOptionsForJob). */
function requirePrefixedLabels(old: Job | undefined): boolean {
  if (!old) return true;
  const labels = old.spec?.template?.metadata?.labels ?? {};
  return jobNameLabel in labels && controllerUidLabel in labels;
}

function validateJob(obj: KubeObject, old?: Job): FieldError[] {
  const spec = (obj as unknown as Job).spec ?? {};
  return [
    ...validateObjectMeta(obj.metadata, nameIsDNSSubdomain),
    ...validateGeneratedSelector(obj.metadata, spec, requirePrefixedLabels(old)),
    ...validateJobSpec(spec, 'spec'),
  ];
}

/** Scheduling directives of a suspended Job that never started may change (JobMutableSchedulingDirectives). */
function templateForComparison(job: Job, allowScheduling: boolean): unknown {
  const t = structuredClone(job.spec?.template ?? {});
  if (allowScheduling) {
    delete t.metadata?.labels;
    delete t.metadata?.annotations;
    if (t.spec) for (const k of ['nodeSelector', 'affinity', 'tolerations', 'schedulingGates'] as const) delete t.spec[k];
  }
  return t;
}

function validateJobUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const next = obj as unknown as Job;
  const prev = old as unknown as Job;
  const errs = [...validateObjectMetaUpdate(obj.metadata, old.metadata), ...validateJob(obj, prev)];
  const ns: Partial<JobSpec> = next.spec ?? {};
  const ps: Partial<JobSpec> = prev.spec ?? {};
  errs.push(...validateImmutableSelector(ns.selector, ps.selector, 'spec.selector'));
  const mutableScheduling = ps.suspend === true && !prev.status?.startTime;
  if (!semanticEqual(templateForComparison(next, mutableScheduling), templateForComparison(prev, mutableScheduling))) {
    errs.push(...validateImmutable(ns.template, ps.template, 'spec.template', 'core.PodTemplateSpec{...}'));
  }
  errs.push(...validateImmutable(ns.completionMode, ps.completionMode, 'spec.completionMode'));
  const elastic = ns.completionMode === 'Indexed' && ns.completions === ns.parallelism;
  if (!elastic) errs.push(...validateImmutable(ns.completions, ps.completions, 'spec.completions'));
  return errs;
}

export const jobStrategy: Strategy = {
  tracksGeneration: true,
  applyDefaults(obj) {
    const spec = ensureObject<JobSpec>(obj, 'spec');
    applyJobSpecDefaults(spec);
    // Go's defaulter assigns the template's label map itself (aliasing), so labels generated
    // into the template on create show up on the Job too; prepareForCreate relies on that.
    const labels = spec.template?.metadata?.labels;
    if (labels && Object.keys(obj.metadata.labels ?? {}).length === 0) obj.metadata.labels = labels;
  },
  prepareForCreate(obj) {
    const spec = ensureObject<JobSpec>(obj, 'spec');
    if (spec.manualSelector !== true) generateSelector(obj, spec);
    if (obj.metadata.labels) obj.metadata.labels = { ...obj.metadata.labels };
    obj.status = {};
  },
  validate: (obj) => validateJob(obj),
  validateUpdate: validateJobUpdate,
  canonicalize(obj) {
    canonicalizePodTemplate((obj as unknown as Job).spec?.template);
  },
  getAttrs: (obj) => ({ 'status.successful': String((obj as unknown as Job).status?.succeeded ?? 0) }),
  status: counterStatusStrategy(['active', 'succeeded', 'failed', 'ready', 'terminating']),
};
