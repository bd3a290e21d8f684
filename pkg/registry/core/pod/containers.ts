/**
 * Container validation shared by pods and every pod template, after validateContainerCommon,
 * validateContainers and validateInitContainers in pkg/apis/core/validation/validation.go.
 */
import type { Container, ContainerPort, EnvVar, VolumeMount } from 'kubernetes-types/core/v1.js';
import { field, type FieldError } from '../../../apierrors/index.ts';
import {
  duplicate, goQuote, invalid, isDNS1123Label, isEnvVarName, isValidPortName, isValidPortNum, notSupported, parseQuantityNano,
} from '../../validation/index.ts';

const protocols = ['SCTP', 'TCP', 'UDP'];

function validatePorts(ports: ContainerPort[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (ports ?? []).forEach((p, i) => {
    const ip = `${path}[${i}]`;
    if (p.name) {
      const msgs = isValidPortName(p.name);
      if (msgs.length > 0) errs.push(...msgs.map((m) => invalid(`${ip}.name`, p.name, m)));
      else if (names.has(p.name)) errs.push(duplicate(`${ip}.name`, p.name));
      else names.add(p.name);
    }
    if (!p.containerPort) errs.push(field.required(`${ip}.containerPort`));
    else errs.push(...isValidPortNum(p.containerPort).map((m) => invalid(`${ip}.containerPort`, p.containerPort, m)));
    if (p.hostPort) errs.push(...isValidPortNum(p.hostPort).map((m) => invalid(`${ip}.hostPort`, p.hostPort, m)));
    if (!p.protocol) errs.push(field.required(`${ip}.protocol`));
    else if (!protocols.includes(p.protocol)) errs.push(notSupported(`${ip}.protocol`, p.protocol, protocols));
  });
  return errs;
}

function validateEnv(env: EnvVar[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (env ?? []).forEach((e, i) => {
    const p = `${path}[${i}].name`;
    if (!e.name) errs.push(field.required(p));
    else errs.push(...isEnvVarName(e.name).map((m) => invalid(p, e.name, m)));
  });
  return errs;
}

function validateMounts(mounts: VolumeMount[] | undefined, volumes: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  (mounts ?? []).forEach((m, i) => {
    const p = `${path}[${i}]`;
    if (!m.name) errs.push(field.required(`${p}.name`));
    else if (!volumes.has(m.name)) {
      errs.push({ type: 'FieldValueInvalid', field: `${p}.name`, detail: `Not found: ${goQuote(m.name)}` });
    }
    if (!m.mountPath) errs.push(field.required(`${p}.mountPath`));
    else if (paths.has(m.mountPath)) errs.push(invalid(`${p}.mountPath`, m.mountPath, 'must be unique'));
    else paths.add(m.mountPath);
  });
  return errs;
}

/** Resource quantities must be non-negative and requests may not exceed limits. */
function validateResources(c: Container, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const limits = c.resources?.limits ?? {};
  const requests = c.resources?.requests ?? {};
  for (const [kind, list] of [['limits', limits], ['requests', requests]] as const) {
    for (const [name, q] of Object.entries(list)) {
      const v = parseQuantityNano(q);
      if (v !== undefined && v < 0n) errs.push(invalid(`${path}.${kind}[${name}]`, String(q), 'must be greater than or equal to 0'));
    }
  }
  for (const [name, q] of Object.entries(requests)) {
    const lim = limits[name];
    if (lim === undefined) continue;
    const rv = parseQuantityNano(q);
    const lv = parseQuantityNano(lim);
    if (rv !== undefined && lv !== undefined && rv > lv) {
      errs.push(invalid(`${path}.requests`, String(q), `must be less than or equal to ${name} limit of ${String(lim)}`));
    }
  }
  return errs;
}

const pullPolicies = ['Always', 'IfNotPresent', 'Never'];
const messagePolicies = ['File', 'FallbackToLogsOnError'];

/** validateContainerCommon: name, image, message policy, ports, env, mounts, pull policy, resources. */
export function validateContainerCommon(c: Container, volumes: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(field.required(`${path}.name`));
  else errs.push(...isDNS1123Label(c.name).map((m) => invalid(`${path}.name`, c.name, m)));
  if (!c.image) errs.push(field.required(`${path}.image`));
  if (!c.terminationMessagePolicy) errs.push(field.required(`${path}.terminationMessagePolicy`));
  else if (!messagePolicies.includes(c.terminationMessagePolicy)) {
    errs.push(notSupported(`${path}.terminationMessagePolicy`, c.terminationMessagePolicy, messagePolicies));
  }
  errs.push(...validatePorts(c.ports, `${path}.ports`));
  errs.push(...validateEnv(c.env, `${path}.env`));
  errs.push(...validateMounts(c.volumeMounts, volumes, `${path}.volumeMounts`));
  if (!c.imagePullPolicy) errs.push(field.required(`${path}.imagePullPolicy`));
  else if (!pullPolicies.includes(c.imagePullPolicy)) errs.push(notSupported(`${path}.imagePullPolicy`, c.imagePullPolicy, pullPolicies));
  errs.push(...validateResources(c, `${path}.resources`));
  return errs;
}

/** validateContainers: at least one, unique names, no container-level restartPolicy. */
export function validateContainers(containers: Container[] | undefined, volumes: Set<string>, path: string): FieldError[] {
  if (!containers || containers.length === 0) return [field.required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, volumes, p));
    if (names.has(c.name)) errs.push(duplicate(`${p}.name`, c.name));
    else names.add(c.name);
    if (c.restartPolicy !== undefined) errs.push(field.forbidden(`${p}.restartPolicy`, 'may not be set for non-init containers'));
  });
  return errs;
}

/** validateInitContainers: names unique across regular and init containers; probes need restartPolicy Always. */
export function validateInitContainers(inits: Container[] | undefined, regular: Container[] | undefined,
  volumes: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set((regular ?? []).map((c) => c.name));
  (inits ?? []).forEach((c, i) => {
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, volumes, p));
    if (c.restartPolicy !== undefined && c.restartPolicy !== 'Always') {
      errs.push(notSupported(`${p}.restartPolicy`, c.restartPolicy, ['Always']));
    }
    if (names.has(c.name)) errs.push(duplicate(`${p}.name`, c.name));
    else if (c.name) names.add(c.name);
    if (c.restartPolicy !== 'Always') {
      for (const k of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
        if (c[k]) errs.push(field.forbidden(`${p}.${k}`, 'may not be set for init containers without restartPolicy=Always'));
      }
    }
  });
  return errs;
}
