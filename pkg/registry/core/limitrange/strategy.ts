/**
 * LimitRange strategy, after pkg/registry/core/limitrange/strategy.go and
 * SetDefaults_LimitRangeItem: Container limits get default and defaultRequest filled from
 * max/default/min. PUT may create.
 */
import type { LimitRange } from 'kubernetes-types/core/v1.js';
import type { FieldError } from '../../../apierrors/index.ts';
import type { Strategy } from '../../generic/strategy.ts';
import {
  invalid, nameIsDNSSubdomain, notSupported, parseQuantityNano, validateObjectMeta, validateObjectMetaUpdate,
} from '../../validation/index.ts';

const limitTypes = ['Container', 'PersistentVolumeClaim', 'Pod'];

function validateLimitRange(lr: LimitRange): FieldError[] {
  const errs = validateObjectMeta(lr.metadata ?? {}, nameIsDNSSubdomain);
  (lr.spec?.limits ?? []).forEach((item, i) => {
    const p = `spec.limits[${i}]`;
    if (!limitTypes.includes(item.type)) errs.push(notSupported(`${p}.type`, item.type, limitTypes));
    for (const key of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const) {
      for (const [name, q] of Object.entries(item[key] ?? {})) {
        const v = parseQuantityNano(q);
        if (v !== undefined && v < 0n) errs.push(invalid(`${p}.${key}[${name}]`, String(q), 'must be greater than or equal to 0'));
      }
    }
  });
  return errs;
}

export const limitRangeStrategy: Strategy = {
  allowCreateOnUpdate: true,
  applyDefaults(obj) {
    for (const item of (obj as unknown as LimitRange).spec?.limits ?? []) {
      if (item.type !== 'Container') continue;
      const def = (item.default ??= {});
      const req = (item.defaultRequest ??= {});
      for (const [k, v] of Object.entries(item.max ?? {})) def[k] ??= v;
      for (const [k, v] of Object.entries(def)) req[k] ??= v;
      for (const [k, v] of Object.entries(item.min ?? {})) req[k] ??= v;
    }
  },
  validate: (obj) => validateLimitRange(obj as unknown as LimitRange),
  validateUpdate: (obj, old) => [...validateObjectMetaUpdate(obj.metadata, old.metadata), ...validateLimitRange(obj as unknown as LimitRange)],
};
