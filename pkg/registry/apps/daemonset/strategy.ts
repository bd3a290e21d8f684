/**
 * DaemonSet strategy, after pkg/registry/apps/daemonset/strategy.go, SetDefaults_DaemonSet and
 * ValidateDaemonSet (1.32). apps/v1 carries the internal templateGeneration in the
 * `deprecated.daemonset.template.generation` annotation: 1 on create, +1 per template change.
 */
import type { DaemonSet, DaemonSetSpec, DaemonSetUpdateStrategy } from 'kubernetes-types/apps/v1.js';
import { field, type FieldError } from '../../../apierrors/index.ts';
import type { Strategy } from '../../generic/strategy.ts';
import { applyPodTemplateDefaults, canonicalizePodTemplate } from '../../core/pod/index.ts';
import {
  counterStatusStrategy, ensureObject, goIntOrString, intOrPercentValue, invalidRendered, isNotMoreThan100Percent,
  labelSelectorIsEmpty, nameIsDNSSubdomain, selectorError, semanticEqual, validateLabelSelector, validateNonnegative,
  validateObjectMeta, validatePositiveIntOrPercent,
} from '../../validation/index.ts';
import { validateWorkloadTemplate, validateWorkloadUpdate } from '../replicaset/index.ts';

const templateGenerationAnnotation = 'deprecated.daemonset.template.generation';
const statusZeros = ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'];
const statusCounters = [...statusZeros, 'observedGeneration', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable'];

function applyDefaults(spec: DaemonSetSpec): void {
  const us = (spec.updateStrategy ??= {});
  us.type ||= 'RollingUpdate';
  if (us.type === 'RollingUpdate') {
    const ru = (us.rollingUpdate ??= {});
    ru.maxUnavailable ??= 1;
    ru.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  applyPodTemplateDefaults(spec.template);
}

function validateUpdateStrategy(us: DaemonSetUpdateStrategy | undefined): FieldError[] {
  const path = 'spec.updateStrategy';
  if (us?.type === 'OnDelete') return [];
  if (us?.type === 'RollingUpdate') {
    const ru = us.rollingUpdate;
    if (!ru) return [field.required(`${path}.rollingUpdate`)];
    const p = `${path}.rollingUpdate`;
    const errs = [
      ...validatePositiveIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`), ...validatePositiveIntOrPercent(ru.maxSurge, `${p}.maxSurge`),
      ...isNotMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`), ...isNotMoreThan100Percent(ru.maxSurge, `${p}.maxSurge`),
    ];
    const hasUnavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
    const hasSurge = intOrPercentValue(ru.maxSurge) !== 0;
    if (hasUnavailable && hasSurge) errs.push(invalidRendered(`${p}.maxSurge`, goIntOrString(ru.maxSurge), 'may not be set when maxUnavailable is non-zero'));
    if (!hasUnavailable && !hasSurge) errs.push(field.required(`${p}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
    return errs;
  }
  return [{ type: 'FieldValueNotSupported', field: path, detail: `Unsupported value: ${JSON.stringify(us ?? null)}: supported values: "RollingUpdate", "OnDelete"` }];
}

function validateSpec(spec: Partial<DaemonSetSpec> | undefined): FieldError[] {
  const s = spec ?? {};
  const errs = validateLabelSelector(s.selector, 'spec.selector');
  if (s.selector && labelSelectorIsEmpty(s.selector)) errs.push(selectorError('spec.selector', s.selector, 'empty selector is invalid for daemonset'));
  errs.push(...validateWorkloadTemplate(s.template, s.selector, 'spec.template', { kind: 'DaemonSet', podSpec: true }));
  errs.push(...validateNonnegative(s.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateUpdateStrategy(s.updateStrategy));
  errs.push(...validateNonnegative(s.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  return errs;
}

function templateGeneration(obj: DaemonSet): number {
  const n = Number(obj.metadata?.annotations?.[templateGenerationAnnotation]);
  return Number.isInteger(n) ? n : 0;
}

function setTemplateGeneration(obj: DaemonSet, n: number): void {
  const meta = (obj.metadata ??= {});
  meta.annotations = { ...(meta.annotations ?? {}), [templateGenerationAnnotation]: String(n) };
}

export const daemonSetStrategy: Strategy = {
  tracksGeneration: true,
  applyDefaults(obj) {
    applyDefaults(ensureObject<DaemonSetSpec>(obj, 'spec'));
  },
  prepareForCreate(obj) {
    const ds = obj as unknown as DaemonSet;
    obj.status = Object.fromEntries(statusZeros.map((k) => [k, 0]));
    if (templateGeneration(ds) < 1) setTemplateGeneration(ds, 1);
  },
  prepareForUpdate(obj, old) {
    const next = obj as unknown as DaemonSet;
    const prev = old as unknown as DaemonSet;
    const changed = !semanticEqual(next.spec?.template, prev.spec?.template);
    setTemplateGeneration(next, Math.max(templateGeneration(prev), 1) + (changed ? 1 : 0));
  },
  validate(obj) {
    return [...validateObjectMeta(obj.metadata, nameIsDNSSubdomain), ...validateSpec((obj as unknown as DaemonSet).spec)];
  },
  validateUpdate: (obj, old) => validateWorkloadUpdate(obj, old, validateSpec),
  canonicalize(obj) {
    canonicalizePodTemplate((obj as unknown as DaemonSet).spec?.template);
  },
  status: counterStatusStrategy(statusCounters, statusZeros),
};
