/**
 * intstr "int or percent" checks used by rolling-update settings, after
 * pkg/apis/apps/validation/validation.go (ValidatePositiveIntOrPercent, IsNotMoreThan100Percent).
 */
import type { FieldError } from '../../apierrors/index.ts';
import { goIntOrString, invalidRendered } from './go-format.ts';
import { isValidPercent } from './names.ts';
import { isNegativeErrorMsg } from './object-meta.ts';

export type IntOrString = number | string;

/** The integer or percentage value (percent strings give their number), as getIntOrPercentValue. */
export function intOrPercentValue(v: IntOrString | undefined): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && isValidPercent(v).length === 0) return Number(v.slice(0, -1));
  return 0;
}

export function validatePositiveIntOrPercent(v: IntOrString | undefined, path: string): FieldError[] {
  if (typeof v === 'string') return isValidPercent(v).map((m) => invalidRendered(path, goIntOrString(v), m));
  if (typeof v === 'number' && v < 0) return [invalidRendered(path, String(v), isNegativeErrorMsg)];
  return [];
}

export function isNotMoreThan100Percent(v: IntOrString | undefined, path: string): FieldError[] {
  if (typeof v !== 'string' || isValidPercent(v).length > 0 || intOrPercentValue(v) <= 100) return [];
  return [invalidRendered(path, goIntOrString(v), 'must not be greater than 100%')];
}
