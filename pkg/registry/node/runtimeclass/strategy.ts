/**
 * RuntimeClass strategy, after pkg/registry/node/runtimeclass/strategy.go and
 * pkg/apis/node/validation: the handler is a DNS label and never changes; overhead is checked as
 * container limits and scheduling as labels and tolerations (with upstream's doubled
 * "tolerations.tolerations" path for toleration errors).
 */
import type { RuntimeClass } from 'kubernetes-types/node/v1.js';
import type { Toleration } from 'kubernetes-types/core/v1.js';
import type { FieldError } from '../../../apierrors/index.ts';
import type { Strategy } from '../../generic/strategy.ts';
import {
  duplicate, goQuote, invalid, isDNS1123Label, nameIsDNSSubdomain, parseQuantityNano, validateImmutable, validateLabels,
  validateObjectMeta, validateObjectMetaUpdate,
} from '../../validation/index.ts';
import { validateTolerations } from '../../core/pod/spec-validation.ts';

function goToleration(t: Toleration): string {
  const secs = t.tolerationSeconds === undefined || t.tolerationSeconds === null ? '(*int64)(nil)' : `(*int64)(${t.tolerationSeconds})`;
  return `core.Toleration{Key:${goQuote(t.key ?? '')}, Operator:${goQuote(t.operator ?? '')}, Value:${goQuote(t.value ?? '')}, `
    + `Effect:${goQuote(t.effect ?? '')}, TolerationSeconds:${secs}}`;
}

function validateRuntimeClass(rc: RuntimeClass): FieldError[] {
  const errs = validateObjectMeta(rc.metadata ?? {}, nameIsDNSSubdomain);
  for (const msg of isDNS1123Label(rc.handler ?? '')) errs.push(invalid('handler', rc.handler ?? '', msg));
  for (const [name, q] of Object.entries(rc.overhead?.podFixed ?? {})) {
    const v = parseQuantityNano(q);
    if (v !== undefined && v < 0n) errs.push(invalid(`overhead.limits[${name}]`, String(q), 'must be greater than or equal to 0'));
  }
  const scheduling = rc.scheduling;
  if (scheduling) {
    if (scheduling.nodeSelector) errs.push(...validateLabels(scheduling.nodeSelector, 'scheduling.nodeSelector'));
    errs.push(...validateTolerations(scheduling.tolerations, 'scheduling.tolerations.tolerations'));
    const seen = new Set<string>();
    (scheduling.tolerations ?? []).forEach((t, i) => {
      const key = JSON.stringify([t.key ?? '', t.operator ?? '', t.value ?? '', t.effect ?? '']);
      if (seen.has(key)) errs.push({ ...duplicate(`scheduling.tolerations[${i}]`, ''), detail: `Duplicate value: ${goToleration(t)}` });
      seen.add(key);
    });
  }
  return errs;
}

export const runtimeClassStrategy: Strategy = {
  validate: (obj) => validateRuntimeClass(obj as unknown as RuntimeClass),
  validateUpdate: (obj, old) => {
    const rc = obj as unknown as RuntimeClass;
    return [
      ...validateRuntimeClass(rc),
      ...validateObjectMetaUpdate(obj.metadata, old.metadata),
      ...validateImmutable(rc.handler ?? '', (old as unknown as RuntimeClass).handler ?? '', 'handler'),
    ];
  },
};
