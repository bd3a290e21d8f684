/**
 * ResourceQuota strategy, after pkg/registry/core/resourcequota/strategy.go: status is owned by
 * the quota controller (reset on create), quantities are non-negative, scopes are immutable.
 */
import type { ResourceQuota, ResourceQuotaStatus } from 'kubernetes-types/core/v1.js';
import type { FieldError } from '../../../apierrors/index.ts';
import type { Strategy } from '../../generic/strategy.ts';
import {
  goStringSlice, invalid, invalidRendered, nameIsDNSSubdomain, parseQuantityNano, semanticEqual, validateObjectMeta,
  validateObjectMetaUpdate,
} from '../../validation/index.ts';

function validateHard(hard: Record<string, unknown> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, q] of Object.entries(hard ?? {})) {
    const v = parseQuantityNano(q);
    if (v !== undefined && v < 0n) errs.push(invalid(`${path}[${name}]`, String(q), 'must be greater than or equal to 0'));
  }
  return errs;
}

function validateQuota(rq: ResourceQuota): FieldError[] {
  return [...validateObjectMeta(rq.metadata ?? {}, nameIsDNSSubdomain), ...validateHard(rq.spec?.hard, 'spec.hard')];
}

export const resourceQuotaStrategy: Strategy = {
  prepareForCreate(obj) {
    obj.status = {} satisfies ResourceQuotaStatus;
  },
  validate: (obj) => validateQuota(obj as unknown as ResourceQuota),
  validateUpdate(obj, old) {
    const next = obj as unknown as ResourceQuota;
    const prev = old as unknown as ResourceQuota;
    const errs = [...validateObjectMetaUpdate(obj.metadata, old.metadata), ...validateHard(next.spec?.hard, 'spec.hard')];
    const scopes = (s: ResourceQuota): string[] => [...new Set(s.spec?.scopes ?? [])].sort();
    if (!semanticEqual(scopes(next), scopes(prev))) {
      errs.push(invalidRendered('spec.scopes', goStringSlice(next.spec?.scopes ?? null), 'field is immutable'));
    }
    return errs;
  },
  status: {
    validateUpdate(obj, old) {
      const status = (obj as unknown as ResourceQuota).status;
      return [
        ...validateObjectMetaUpdate(obj.metadata, old.metadata),
        ...validateHard(status?.hard, 'status.hard'),
        ...validateHard(status?.used, 'status.used'),
      ];
    },
  },
};
