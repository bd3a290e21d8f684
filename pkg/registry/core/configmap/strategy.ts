/**
 * ConfigMap strategy, after pkg/registry/core/configmap/strategy.go and ValidateConfigMap:
 * keys must be valid config keys, the payload is at most 1 MiB, and `immutable: true` freezes it.
 */
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import { field, type FieldError } from '../../../apierrors/index.ts';
import type { Strategy } from '../../generic/strategy.ts';
import {
  byteLength, invalid, isConfigMapKey, nameIsDNSSubdomain, semanticEqual, validateObjectMeta, validateObjectMetaUpdate,
} from '../../validation/index.ts';

/** core.MaxSecretSize, shared by ConfigMaps and Secrets. */
export const maxDataSize = 1024 * 1024;

/** Decoded length of base64 data, as Go counts []byte values. */
export function base64Length(value: unknown): number {
  return typeof value === 'string' ? Buffer.from(value, 'base64').length : 0;
}

function validateConfigMap(cm: ConfigMap): FieldError[] {
  const errs = validateObjectMeta(cm.metadata ?? {}, nameIsDNSSubdomain);
  let total = 0;
  for (const [key, value] of Object.entries(cm.data ?? {})) {
    errs.push(...isConfigMapKey(key).map((m) => invalid(`data[${key}]`, key, m)));
    if (cm.binaryData && key in cm.binaryData) errs.push(invalid(`data[${key}]`, key, 'duplicate of key present in binaryData'));
    total += byteLength(String(value));
  }
  for (const [key, value] of Object.entries(cm.binaryData ?? {})) {
    errs.push(...isConfigMapKey(key).map((m) => invalid(`binaryData[${key}]`, key, m)));
    total += base64Length(value);
  }
  if (total > maxDataSize) errs.push(field.tooLong('', maxDataSize));
  return errs;
}

/** With `immutable: true` set before, neither the flag nor the payload may change. */
export function validateImmutablePayload(next: Record<string, unknown>, prev: Record<string, unknown>, payload: readonly string[]): FieldError[] {
  if (prev.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (next.immutable !== true) errs.push(field.forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const key of payload) {
    if (!semanticEqual(next[key], prev[key])) errs.push(field.forbidden(key, 'field is immutable when `immutable` is set'));
  }
  return errs;
}

export const configMapStrategy: Strategy = {
  validate: (obj) => validateConfigMap(obj as unknown as ConfigMap),
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateImmutablePayload(obj, old, ['data', 'binaryData']),
    ...validateConfigMap(obj as unknown as ConfigMap),
  ],
};
