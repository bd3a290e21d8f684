/**
 * Secret strategy, after pkg/registry/core/secret/strategy.go and ValidateSecret: `type`
 * defaults to Opaque and is immutable, stringData is merged into data (as the v1 conversion
 * does), and each built-in type requires its keys.
 */
import type { Secret } from 'kubernetes-types/core/v1.js';
import { field, type FieldError } from '../../../apierrors/index.ts';
import type { Strategy } from '../../generic/strategy.ts';
import {
  invalid, isConfigMapKey, nameIsDNSSubdomain, validateImmutable, validateObjectMeta, validateObjectMetaUpdate,
} from '../../validation/index.ts';
import { base64Length, maxDataSize, validateImmutablePayload } from '../configmap/strategy.ts';

/** Keys each built-in secret type must carry in data (either key suffices for basic-auth). */
function validateTypedKeys(s: Secret): FieldError[] {
  const data = s.data ?? {};
  const has = (k: string): boolean => k in data;
  const req = (k: string): FieldError => field.required(`data[${k}]`);
  switch (s.type) {
    case 'kubernetes.io/service-account-token':
      return s.metadata?.annotations?.['kubernetes.io/service-account.name']
        ? [] : [field.required('metadata.annotations[kubernetes.io/service-account.name]')];
    case 'kubernetes.io/dockercfg': return has('.dockercfg') ? [] : [req('.dockercfg')];
    case 'kubernetes.io/dockerconfigjson': return has('.dockerconfigjson') ? [] : [req('.dockerconfigjson')];
    case 'kubernetes.io/basic-auth': return has('username') || has('password') ? [] : [req('username'), req('password')];
    case 'kubernetes.io/ssh-auth': return base64Length(data['ssh-privatekey']) > 0 ? [] : [req('ssh-privatekey')];
    case 'kubernetes.io/tls': return [...(has('tls.crt') ? [] : [req('tls.crt')]), ...(has('tls.key') ? [] : [req('tls.key')])];
    default: return [];
  }
}

function validateSecret(s: Secret): FieldError[] {
  const errs = validateObjectMeta(s.metadata ?? {}, nameIsDNSSubdomain);
  let total = 0;
  for (const [key, value] of Object.entries(s.data ?? {})) {
    errs.push(...isConfigMapKey(key).map((m) => invalid(`data[${key}]`, key, m)));
    total += base64Length(value);
  }
  if (total > maxDataSize) errs.push(field.tooLong('data', maxDataSize));
  return [...errs, ...validateTypedKeys(s)];
}

export const secretStrategy: Strategy = {
  applyDefaults(obj) {
    const s = obj as unknown as Secret;
    s.type ||= 'Opaque';
    // stringData is write-only: the v1 conversion folds it into data, overriding same keys.
    if (s.stringData) {
      s.data ??= {};
      for (const [k, v] of Object.entries(s.stringData)) s.data[k] = Buffer.from(String(v), 'utf8').toString('base64');
      delete s.stringData;
    }
  },
  validate: (obj) => validateSecret(obj as unknown as Secret),
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateImmutable(obj.type, old.type, 'type'),
    ...validateImmutablePayload(obj, old, ['data']),
    ...validateSecret(obj as unknown as Secret),
  ],
  getAttrs: (obj) => ({ type: typeof obj.type === 'string' ? obj.type : '' }),
};
