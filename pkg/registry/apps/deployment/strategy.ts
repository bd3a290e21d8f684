/**
 * Deployment strategy, after pkg/registry/apps/deployment/strategy.go, SetDefaults_Deployment
 * and ValidateDeployment (1.32). Annotation changes bump the generation too, because the
 * controller copies annotations to its ReplicaSets; the store bumps it for spec changes.
 */
import type { Deployment, DeploymentSpec, DeploymentStrategy } from 'kubernetes-types/apps/v1.js';
import { field, type FieldError } from '../../../apierrors/index.ts';
import type { Strategy } from '../../generic/strategy.ts';
import { applyPodTemplateDefaults, canonicalizePodTemplate } from '../../core/pod/index.ts';
import {
  counterStatusStrategy, ensureObject, goIntOrString, goQuote, intOrPercentValue, invalid, invalidRendered,
  isNotMoreThan100Percent, nameIsDNSSubdomain, semanticEqual, validateNonnegative, validateObjectMeta,
  validatePositiveIntOrPercent,
} from '../../validation/index.ts';
import { validateRequiredSelector, validateWorkloadTemplate, validateWorkloadUpdate } from '../replicaset/index.ts';

const statusCounters = ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'];

function applyDeploymentDefaults(spec: DeploymentSpec): void {
  spec.replicas ??= 1;
  const strategy = (spec.strategy ??= {});
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    ru.maxUnavailable ??= '25%';
    ru.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  applyPodTemplateDefaults(spec.template);
}

function validateStrategy(strategy: DeploymentStrategy | undefined): FieldError[] {
  const path = 'spec.strategy';
  switch (strategy?.type) {
    case 'Recreate':
      return strategy.rollingUpdate ? [field.forbidden(`${path}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'")] : [];
    case 'RollingUpdate': {
      const ru = strategy.rollingUpdate;
      if (!ru) return [field.required(`${path}.rollingUpdate`, 'this should be defaulted and never be nil')];
      const p = `${path}.rollingUpdate`;
      const errs = [...validatePositiveIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`), ...validatePositiveIntOrPercent(ru.maxSurge, `${p}.maxSurge`)];
      if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
        errs.push(invalidRendered(`${p}.maxUnavailable`, goIntOrString(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
      }
      return [...errs, ...isNotMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`)];
    }
    default: {
      const rendered = `apps.DeploymentStrategy{Type:${goQuote(strategy?.type ?? '')}, RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}`;
      return [{ type: 'FieldValueNotSupported', field: path, detail: `Unsupported value: ${rendered}: supported values: "Recreate", "RollingUpdate"` }];
    }
  }
}

function validateSpec(spec: Partial<DeploymentSpec> | undefined): FieldError[] {
  const s = spec ?? {};
  const errs = [
    ...validateNonnegative(s.replicas, 'spec.replicas'),
    ...validateRequiredSelector(s.selector, 'spec.selector', 'deployment'),
    ...validateWorkloadTemplate(s.template, s.selector, 'spec.template', { kind: 'ReplicaSet', podSpec: true }),
    ...validateStrategy(s.strategy),
    ...validateNonnegative(s.minReadySeconds, 'spec.minReadySeconds'),
    ...validateNonnegative(s.revisionHistoryLimit, 'spec.revisionHistoryLimit'),
  ];
  if (typeof s.progressDeadlineSeconds === 'number') {
    errs.push(...validateNonnegative(s.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
    if (s.progressDeadlineSeconds <= (s.minReadySeconds ?? 0)) {
      errs.push(invalid('spec.progressDeadlineSeconds', s.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

export const deploymentStrategy: Strategy = {
  tracksGeneration: true,
  applyDefaults(obj) {
    applyDeploymentDefaults(ensureObject<DeploymentSpec>(obj, 'spec'));
  },
  prepareForCreate(obj) {
    obj.status = {};
  },
  prepareForUpdate(obj, old) {
    if (!semanticEqual(obj.metadata.annotations, old.metadata.annotations)) {
      obj.metadata.generation = (old.metadata.generation ?? 1) + 1;
    }
  },
  validate(obj) {
    return [...validateObjectMeta(obj.metadata, nameIsDNSSubdomain), ...validateSpec((obj as unknown as Deployment).spec)];
  },
  validateUpdate: (obj, old) => validateWorkloadUpdate(obj, old, validateSpec),
  canonicalize(obj) {
    canonicalizePodTemplate((obj as unknown as Deployment).spec?.template);
  },
  status: counterStatusStrategy(statusCounters),
};
