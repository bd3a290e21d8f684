/**
 * StatefulSet strategy, after pkg/registry/apps/statefulset/strategy.go, SetDefaults_StatefulSet
 * and ValidateStatefulSet (1.32): names are DNS labels, only replicas, ordinals, template,
 * updateStrategy, persistentVolumeClaimRetentionPolicy and minReadySeconds may change.
 */
import type { StatefulSet, StatefulSetSpec } from 'kubernetes-types/apps/v1.js';
import { field, type FieldError } from '../../../apierrors/index.ts';
import type { Strategy } from '../../generic/strategy.ts';
import { applyPodTemplateDefaults, canonicalizePodTemplate } from '../../core/pod/index.ts';
import {
  counterStatusStrategy, ensureObject, goIntOrString, intOrPercentValue, invalid, invalidRendered, isNotMoreThan100Percent,
  nameIsDNSLabel, notSupported, semanticEqual, validateNonnegative, validateObjectMeta, validateObjectMetaUpdate,
  validatePositiveIntOrPercent,
} from '../../validation/index.ts';
import { validateRequiredSelector, validateWorkloadTemplate } from '../replicaset/index.ts';

const statusZeros = ['replicas', 'availableReplicas'];
const statusCounters = ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas', 'observedGeneration'];

function applyDefaults(spec: StatefulSetSpec): void {
  spec.podManagementPolicy ||= 'OrderedReady';
  const us = (spec.updateStrategy ??= {});
  if (!us.type) {
    us.type = 'RollingUpdate';
    us.rollingUpdate ??= {};
  }
  if (us.type === 'RollingUpdate' && us.rollingUpdate) us.rollingUpdate.partition ??= 0;
  const retention = (spec.persistentVolumeClaimRetentionPolicy ??= {});
  retention.whenDeleted ||= 'Retain';
  retention.whenScaled ||= 'Retain';
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  applyPodTemplateDefaults(spec.template);
}

function validateUpdateStrategy(spec: Partial<StatefulSetSpec>): FieldError[] {
  const us = spec.updateStrategy;
  const path = 'spec.updateStrategy';
  if (!us?.type) return [field.required(path)];
  switch (us.type) {
    case 'OnDelete':
      return us.rollingUpdate ? [invalid(`${path}.rollingUpdate`, JSON.stringify(us.rollingUpdate), "only allowed for updateStrategy 'RollingUpdate'")] : [];
    case 'RollingUpdate': {
      const ru = us.rollingUpdate;
      if (!ru) return [];
      const errs = validateNonnegative(ru.partition, `${path}.rollingUpdate.partition`);
      if (ru.maxUnavailable !== undefined) {
        const p = `${path}.rollingUpdate.maxUnavailable`;
        errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, p));
        if (intOrPercentValue(ru.maxUnavailable) === 0) errs.push(invalidRendered(p, goIntOrString(ru.maxUnavailable), 'cannot be 0'));
        errs.push(...isNotMoreThan100Percent(ru.maxUnavailable, p));
      }
      return errs;
    }
    default:
      return [invalid(path, us.type, "must be 'RollingUpdate' or 'OnDelete'")];
  }
}

function validateSpec(spec: Partial<StatefulSetSpec> | undefined): FieldError[] {
  const s = spec ?? {};
  const errs: FieldError[] = [];
  if (!s.podManagementPolicy) errs.push(field.required('spec.podManagementPolicy'));
  else if (!['OrderedReady', 'Parallel'].includes(s.podManagementPolicy)) {
    errs.push(invalid('spec.podManagementPolicy', s.podManagementPolicy, "must be 'OrderedReady' or 'Parallel'"));
  }
  errs.push(...validateUpdateStrategy(s));
  for (const k of ['whenDeleted', 'whenScaled'] as const) {
    const v = s.persistentVolumeClaimRetentionPolicy?.[k];
    if (v !== undefined && !['Retain', 'Delete'].includes(v)) {
      errs.push(notSupported(`spec.persistentVolumeClaimRetentionPolicy.${k}`, v, ['Retain', 'Delete']));
    }
  }
  errs.push(...validateNonnegative(s.replicas, 'spec.replicas'), ...validateNonnegative(s.minReadySeconds, 'spec.minReadySeconds'));
  if (s.ordinals) errs.push(...validateNonnegative(s.ordinals.start, 'spec.ordinals.start'));
  errs.push(...validateRequiredSelector(s.selector, 'spec.selector', 'statefulset'));
  errs.push(...validateWorkloadTemplate(s.template, s.selector, 'spec.template', { kind: 'StatefulSet', podSpec: false }));
  return errs;
}

const mutableSpecFields = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

export const statefulSetStrategy: Strategy = {
  tracksGeneration: true,
  applyDefaults(obj) {
    applyDefaults(ensureObject<StatefulSetSpec>(obj, 'spec'));
  },
  prepareForCreate(obj) {
    obj.status = { replicas: 0, availableReplicas: 0 };
  },
  validate(obj) {
    return [...validateObjectMeta(obj.metadata, nameIsDNSLabel), ...validateSpec((obj as unknown as StatefulSet).spec)];
  },
  validateUpdate(obj, old) {
    const strip = (spec: unknown): Record<string, unknown> => {
      const copy = { ...(spec as Record<string, unknown> | undefined) };
      for (const k of mutableSpecFields) delete copy[k];
      return copy;
    };
    const errs = [...validateObjectMetaUpdate(obj.metadata, old.metadata), ...validateSpec((obj as unknown as StatefulSet).spec)];
    if (!semanticEqual(strip(obj.spec), strip(old.spec))) {
      errs.push(field.forbidden('spec', "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
    }
    return errs;
  },
  canonicalize(obj) {
    canonicalizePodTemplate((obj as unknown as StatefulSet).spec?.template);
  },
  status: counterStatusStrategy(statusCounters, statusZeros),
};
