/**
 * Pod strategy, after pkg/registry/core/pod/strategy.go (1.32): status starts Pending with its
 * QoS class, the spec is nearly immutable, deletes are graceful once the pod is bound.
 * What the default admission plugins add on create (service account, default tolerations,
 * priority) is theirs: pkg/admission/plugins.
 */
import type { Pod, PodSpec, PodStatus } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/index.ts';
import type { FieldError } from '../../../apierrors/index.ts';
import { field } from '../../../apierrors/index.ts';
import type { Strategy } from '../../generic/strategy.ts';
import {
  ensureObject, invalid, isValidIP, nameIsDNSSubdomain, objectAt, validateObjectMeta, validateObjectMetaUpdate,
} from '../../validation/index.ts';
import { applyPodDefaults } from './defaults.ts';
import { computeQOS } from './qos.ts';
import { validatePodSpec } from './spec-validation.ts';
import { validatePodSpecUpdate } from './update-validation.ts';

function specOf(obj: KubeObject): PodSpec {
  return ensureObject<PodSpec>(obj, 'spec');
}

function validatePod(obj: KubeObject): FieldError[] {
  const spec = objectAt<PodSpec>(obj, 'spec');
  const errs = [...validateObjectMeta(obj.metadata, nameIsDNSSubdomain), ...validatePodSpec(spec, 'spec', { isPod: true })];
  for (const key of ['containers', 'initContainers'] as const) {
    (spec?.[key] ?? []).forEach((c, i) => {
      if (c.image && c.image.trim() !== c.image) errs.push(invalid(`spec.${key}[${i}].image`, c.image, 'must not have leading or trailing whitespace'));
    });
  }
  return errs;
}

function validatePodStatus(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateObjectMetaUpdate(obj.metadata, old.metadata);
  const status = objectAt<PodStatus>(obj, 'status');
  (status?.podIPs ?? []).forEach((p, i) => errs.push(...isValidIP(p.ip ?? '').map((m) => invalid(`status.podIPs[${i}]`, p.ip ?? '', m))));
  if (status?.nominatedNodeName) {
    errs.push(...nameIsDNSSubdomain(status.nominatedNodeName, false).map((m) => invalid('status.nominatedNodeName', status.nominatedNodeName, m)));
  }
  return errs;
}

export const podStrategy: Strategy = {
  returnDeletedObject: true,
  applyDefaults(obj) {
    applyPodDefaults(specOf(obj));
  },
  prepareForCreate(obj) {
    const spec = specOf(obj);
    obj.status = { phase: 'Pending', qosClass: computeQOS(spec) } satisfies PodStatus;
  },
  validate(obj) {
    const errs = validatePod(obj);
    const spec = objectAt<PodSpec>(obj, 'spec');
    if ((spec?.ephemeralContainers ?? []).length > 0) errs.push(field.forbidden('spec.ephemeralContainers', 'cannot be set on create'));
    if (spec?.nodeName && (spec.schedulingGates ?? []).length > 0) {
      errs.push(field.forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
    }
    return errs;
  },
  validateUpdate(obj, old) {
    return [
      ...validateObjectMetaUpdate(obj.metadata, old.metadata),
      ...validatePod(obj),
      ...validatePodSpecUpdate(specOf(obj), objectAt<PodSpec>(old, 'spec') ?? { containers: [] }),
    ];
  },
  getAttrs(obj) {
    const pod = obj as unknown as Pod;
    const spec = pod.spec;
    return {
      'spec.nodeName': spec?.nodeName ?? '',
      'spec.restartPolicy': spec?.restartPolicy ?? '',
      'spec.schedulerName': spec?.schedulerName ?? '',
      'spec.serviceAccountName': spec?.serviceAccountName ?? '',
      'spec.hostNetwork': String(spec?.hostNetwork ?? false),
      'status.phase': pod.status?.phase ?? '',
      'status.podIP': pod.status?.podIPs?.[0]?.ip ?? pod.status?.podIP ?? '',
      'status.nominatedNodeName': pod.status?.nominatedNodeName ?? '',
    };
  },
  gracePeriod(obj, requestedSeconds) {
    const pod = obj as unknown as Pod;
    let period = requestedSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 0;
    // Unscheduled or finished pods have nothing to stop: delete at once.
    if (!pod.spec?.nodeName) period = 0;
    if (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') period = 0;
    return period < 0 ? 1 : period;
  },
  status: {
    prepareForUpdate(obj, old) {
      // The QoS class is fixed at creation; old kubelets dropped it from their status writes.
      const status = ensureObject<PodStatus>(obj, 'status');
      status.qosClass ||= objectAt<PodStatus>(old, 'status')?.qosClass;
      if (!status.qosClass) delete status.qosClass;
    },
    validateUpdate: validatePodStatus,
  },
};
