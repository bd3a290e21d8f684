/**
 * PodSpec and PodTemplateSpec validation, after ValidatePodSpec and ValidatePodTemplateSpec in
 * pkg/apis/core/validation/validation.go (the checks people hit every day, with the real wording).
 */
import type { PodSpec, PodTemplateSpec, Toleration, Volume } from 'kubernetes-types/core/v1.js';
import { field, type FieldError } from '../../../apierrors/index.ts';
import {
  duplicate, inclusiveRangeError, invalid, isDNS1123Label, isValidLabelValue, nameIsDNSSubdomain, notSupported,
  validateAnnotations, validateLabelName, validateLabels,
} from '../../validation/index.ts';
import { validateContainers, validateInitContainers } from './containers.ts';

export interface PodSpecOptions {
  /** The spec belongs to a Pod, not to a template embedded in another object. */
  isPod: boolean;
}

const maxInt32 = 2147483647;
const restartPolicies = ['Always', 'OnFailure', 'Never'];
const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];

/** ValidateVolumes: unique DNS-label names and exactly one source each; returns the names seen. */
function validateVolumes(volumes: Volume[] | undefined, path: string): { names: Set<string>; errs: FieldError[] } {
  const names = new Set<string>();
  const errs: FieldError[] = [];
  (volumes ?? []).forEach((v, i) => {
    const p = `${path}[${i}]`;
    const sources = Object.keys(v).filter((k) => k !== 'name');
    if (sources.length === 0) errs.push(field.required(p, 'must specify a volume type'));
    for (const extra of sources.slice(1)) errs.push(field.forbidden(`${p}.${extra}`, 'may not specify more than 1 volume type'));
    if (!v.name) errs.push(field.required(`${p}.name`));
    else errs.push(...isDNS1123Label(v.name).map((m) => invalid(`${p}.name`, v.name, m)));
    if (v.name && names.has(v.name)) errs.push(duplicate(`${p}.name`, v.name));
    else if (v.name) names.add(v.name);
  });
  return { names, errs };
}

/** ValidateTolerations. */
export function validateTolerations(tolerations: Toleration[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (tolerations ?? []).forEach((t, i) => {
    const p = `${path}[${i}]`;
    if (t.key) errs.push(...validateLabelName(t.key, `${p}.key`));
    if (!t.key && t.operator !== 'Exists') {
      errs.push(invalid(`${p}.operator`, t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute') {
      errs.push(invalid(`${p}.effect`, t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (!t.operator || t.operator === 'Equal') {
      const msgs = isValidLabelValue(t.value ?? '');
      if (msgs.length > 0) errs.push(invalid(`${p}.operator`, t.value ?? '', msgs.join(';')));
    } else if (t.operator === 'Exists') {
      if (t.value) errs.push(invalid(`${p}.operator`, t.value, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(notSupported(`${p}.operator`, t.operator, ['Equal', 'Exists']));
    }
    if (t.effect && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect)) {
      errs.push(notSupported(`${p}.effect`, t.effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']));
    }
  });
  return errs;
}

/** With hostNetwork, a hostPort must equal its containerPort (a template may leave it 0). */
function validateHostNetworkPorts(spec: PodSpec, path: string, opts: PodSpecOptions): FieldError[] {
  if (!spec.hostNetwork) return [];
  const errs: FieldError[] = [];
  (spec.containers ?? []).forEach((c, ci) => (c.ports ?? []).forEach((port, pi) => {
    const hp = port.hostPort ?? 0;
    if ((opts.isPod || hp !== 0) && hp !== port.containerPort) {
      errs.push(invalid(`${path}.containers[${ci}].ports[${pi}].hostPort`, hp, 'must match `containerPort` when `hostNetwork` is true'));
    }
  }));
  return errs;
}

function validateNames(spec: PodSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const check = (value: string | undefined, sub: string, fn: (v: string) => string[]): void => {
    if (value) errs.push(...fn(value).map((m) => invalid(`${path}.${sub}`, value, m)));
  };
  check(spec.serviceAccountName, 'serviceAccountName', (v) => nameIsDNSSubdomain(v, false));
  check(spec.nodeName, 'nodeName', (v) => nameIsDNSSubdomain(v, false));
  check(spec.hostname, 'hostname', isDNS1123Label);
  check(spec.subdomain, 'subdomain', isDNS1123Label);
  check(spec.priorityClassName, 'priorityClassName', (v) => nameIsDNSSubdomain(v, false));
  return errs;
}

/** ValidatePodSpec: `path` is "spec" for pods and "spec.template.spec" (etc.) for templates. */
export function validatePodSpec(spec: PodSpec | undefined, path: string, opts: PodSpecOptions): FieldError[] {
  const s: PodSpec = spec ?? { containers: [] };
  const errs: FieldError[] = [];
  if (s.terminationGracePeriodSeconds === undefined || s.terminationGracePeriodSeconds === null) {
    errs.push(field.required(`${path}.terminationGracePeriodSeconds`));
  }
  const vols = validateVolumes(s.volumes, `${path}.volumes`);
  errs.push(...vols.errs);
  errs.push(...validateContainers(s.containers, vols.names, `${path}.containers`));
  errs.push(...validateInitContainers(s.initContainers, s.containers, vols.names, `${path}.initContainers`));
  errs.push(...validateHostNetworkPorts(s, path, opts));
  if (!s.restartPolicy) errs.push(field.required(`${path}.restartPolicy`));
  else if (!restartPolicies.includes(s.restartPolicy)) errs.push(notSupported(`${path}.restartPolicy`, s.restartPolicy, restartPolicies));
  if (!s.dnsPolicy) errs.push(field.required(`${path}.dnsPolicy`));
  else if (!dnsPolicies.includes(s.dnsPolicy)) errs.push(notSupported(`${path}.dnsPolicy`, s.dnsPolicy, dnsPolicies));
  if (s.dnsPolicy === 'None' && !s.dnsConfig) {
    errs.push(field.required(`${path}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None'));
  }
  errs.push(...validateLabels(s.nodeSelector, `${path}.nodeSelector`));
  errs.push(...validateNames(s, path));
  const ads = s.activeDeadlineSeconds;
  if (ads !== undefined && ads !== null && (ads < 1 || ads > maxInt32)) {
    errs.push(invalid(`${path}.activeDeadlineSeconds`, ads, inclusiveRangeError(1, maxInt32)));
  }
  errs.push(...validateTolerations(s.tolerations, `${path}.tolerations`));
  if (s.preemptionPolicy && !['PreemptLowerPriority', 'Never'].includes(s.preemptionPolicy)) {
    errs.push(notSupported(`${path}.preemptionPolicy`, s.preemptionPolicy, ['PreemptLowerPriority', 'Never']));
  }
  return errs;
}

/** ValidatePodTemplateSpec: note upstream names the template's labels `<path>.labels`, not `.metadata.labels`. */
export function validatePodTemplateSpec(template: PodTemplateSpec | undefined, path: string): FieldError[] {
  const t = template ?? {};
  const errs = [
    ...validateLabels(t.metadata?.labels, `${path}.labels`),
    ...validateAnnotations(t.metadata?.annotations, `${path}.annotations`),
    ...validatePodSpec(t.spec, `${path}.spec`, { isPod: false }),
  ];
  if ((t.spec?.ephemeralContainers ?? []).length > 0) {
    errs.push(field.forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  }
  return errs;
}
